import CaseModel
import Foundation
import Secretariat
import Testing
import Intake
import MailCore
@testable import Pipeline
@testable import Store

/// Mail that corrects a case (issue 15, item 4) and the coordinator told of each decision (item 5),
/// over the bundled samples with the answers in `Threads/` arriving after them.
@Suite(.serialized) struct MailCorrectionTests {
    static let threads = PipelineTests.root.appendingPathComponent("Tests/PipelineTests/Threads")

    /// The samples processed, then `thread` (a file in Threads/) arriving.
    static func samples(then thread: String...) throws -> (PipelineTests.Run, URL) {
        let (run, mailbox) = try AttackTests.samples()
        for t in thread {
            try FileManager.default.copyItem(at: threads.appendingPathComponent(t), to: mailbox.appendingPathComponent(t))
        }
        _ = try run.pipeline.runOnce()
        return (run, mailbox)
    }

    static func body(_ item: OutboxItem) -> String {
        MailMessage(bytes: item.bytes).content().text
    }

    static func actions(_ run: PipelineTests.Run) -> SecretariatActions { SecretariatActions(pipeline: run.pipeline) }

    @Test func anAnswerToTheReceiptNoticeCompletesThatReceipt() throws {
        let (run, _) = try Self.samples(then: "hanne-fills-receipt-notice.eml")
        let hannes = try run.store.records(kind: .receipt).filter { $0.sender == "hanne.bruun@kk.dk" }
        #expect(hannes.count == 1)
        let r = try #require(hannes.first)
        #expect(r.status == .registered)
        #expect(r.reading.fields["occasion"] == .text("Valby lokaludvalgsmøde d. 5. oktober 2027"))
        #expect(r.reading.missing.isEmpty)
        #expect(try run.store.messages(ofRecord: r.id).count == 2)
        let replies = try run.store.outbox(record: r.id).map(\.kind)
        #expect(replies == ["receiptMissing", "receiptRegistered"])
        // Read again, nothing changes and nothing more is sent.
        _ = try Self.actions(run).reprocess(r.label, user: "test")
        let again = try #require(try run.store.record(r.id))
        #expect(again.status == .registered && again.reading.fields["occasion"] == r.reading.fields["occasion"])
        #expect(try run.store.outbox(record: r.id).count == 2)
        #expect(try run.store.records(kind: .receipt).filter { $0.sender == "hanne.bruun@kk.dk" }.count == 1)
    }

    @Test func theTemplatesLabelIsNeverTakenAsAValue() {
        let engine = IntakeEngine(config: PipelineTests.config)
        let text = "Mødets navn og dato, eller indsatsens reference:\n(Vedhæft kvitteringen som PDF eller billede)\n"
        let original = MailMessage(bytes: Array("From: Hanne Bruun <hanne.bruun@kk.dk>\r\nSubject: Kvittering\r\n\r\nHej, her er et udlæg.\r\n".utf8))
        let answer = MailMessage(bytes: Array("From: Hanne Bruun <hanne.bruun@kk.dk>\r\nSubject: SV: Kvittering\r\n\r\n\(text)".utf8))
        let r = engine.receipt(original: original, answers: [answer], received: Date())
        #expect(r.fields["occasion"] == nil)
        #expect(r.missing.contains("occasion"))
    }

    @Test func aReceiptSaidToBelongElsewhereIsProposedNotMoved() throws {
        let (run, _) = try Self.samples(then: "soeren-receipt-belongs-to-another-project.eml")
        let receipts = try run.store.records(kind: .receipt).filter { $0.sender == "soeren.oestergaard@gmail.com" }
        #expect(receipts.count == 1)
        let receipt = try #require(receipts.first)
        #expect(receipt.projectID == nil && receipt.status == .registered)
        let proposal = try #require(try run.store.records(kind: .proposal).first { $0.projectID == receipt.id })
        #expect(proposal.status == .review)
        #expect(proposal.reading.fields[Pipeline.moveField] == .text("SSP-2027-0001"))
        let reply = try #require(try run.store.outbox(record: proposal.id).first)
        #expect(reply.kind == "moveProposed" && Self.body(reply).contains("hører til SSP-2027-0001"))
        // The Secretariat moves it: the proposal is done with it.
        let out = try Self.actions(run).link(receipt.label, to: "SSP-2027-0001", user: "test")
        #expect(out.summary.contains(proposal.label))
        #expect(try run.store.record(proposal.id)?.status == .closed)
        #expect(try run.store.record(receipt.id)?.projectID == run.store.record(label: "SSP-2027-0001")?.id)
    }

    @Test func aRevisionAfterTheLeadersNoGoesBackToTheLeaderGroup() throws {
        let (run, _) = try Self.samples(then: "amalie-revised-after-rejection.eml")
        let app = try #require(try PipelineTests.application(run.store, titled: "Sen-aften-fodbold i Mimersparken"))
        #expect(app.status == .awaitingLeader)
        let reference = try #require(app.reference)
        #expect(app.amount == Money(ore: 3_500_000))
        let mails = try run.store.outbox(record: app.id)
        #expect(mails.filter { $0.kind == "leaderRejectedNotice" && $0.to == "amalie.bech.f@gmail.com" }.count == 1)
        let request = try #require(mails.first { $0.kind == "approvalRequest" })
        #expect(request.to == "birgitte.aagaard@gmail.com" && request.subject.contains(reference))
        let received = try #require(mails.last { $0.kind == "applicationReceived" })
        #expect(Self.body(received).contains(reference) && !Self.body(received).contains("tildeles ved registreringen"))
        // The leader's reply to the rejection told the truth: no "behandler budgettet" after a no.
        let recorded = try #require(mails.first { $0.kind == "decisionRecorded" })
        #expect(!Self.body(recorded).contains("budgettet") && Self.body(recorded).contains("revideret ansøgning"))
        let count = mails.count
        _ = try Self.actions(run).reprocess(app.label, user: "test")
        #expect(try run.store.outbox(record: app.id).count == count)
    }

    @Test func theCoordinatorHearsEachDecisionOnceWhateverIsReprocessed() throws {
        let (run, _) = try AttackTests.samples()
        let app = try AttackTests.project(run.store, "SSP-2027-0004")
        let leader = try run.store.outbox(record: app.id).filter { $0.kind == "leaderApprovedNotice" }
        // Two approvals from the same leader are one piece of news.
        #expect(leader.count == 1 && leader[0].to == "line.groenbaek@kk.dk")
        #expect(Self.body(leader[0]).contains("Ledergruppen har godkendt"))
        let actions = Self.actions(run)
        let out = try actions.approve("SSP-2027-0004", user: "test", note: "internt", amount: Money(ore: 2_000_000), force: false)
        #expect(out.mailed.count == 1 && out.mailed[0].contains("line.groenbaek@kk.dk"))
        var grants = try run.store.outbox(record: app.id).filter { $0.kind == "grantNotice" }
        #expect(grants.count == 1)
        let text = Self.body(grants[0])
        #expect(text.contains("20.000,00 kr.") && text.contains("15. december") && text.contains("to gange om året")
                && text.contains("afsluttende evaluering") && !text.contains("internt"))
        // Its thread: the application's first mail.
        #expect(MailMessage(bytes: grants[0].bytes).inReplyTo == ["AM9PR09MB48713E20AC5C5B5892A9288D75AB7@AM9PR09MB4871.eurprd09.prod.outlook.com"])
        let before = try run.store.outbox().count
        _ = try actions.reprocess("SSP-2027-0004", user: "test")
        #expect(try run.store.outbox().count == before)
        // A new grant is a new decision, told again with what it is now.
        _ = try actions.approve("SSP-2027-0004", user: "test", note: nil, amount: Money(ore: 1_500_000), force: true)
        grants = try run.store.outbox(record: app.id).filter { $0.kind == "grantNotice" }
        #expect(grants.count == 2 && Self.body(grants[1]).contains("15.000,00 kr."))
        let refused = try actions.reject("SSP-2027-0007", user: "test", reason: "Budgettet ligger uden for puljens formål")
        let notice = try #require(try run.store.outbox(record: refused.record.id).first { $0.kind == "refusalNotice" })
        #expect(Self.body(notice).contains("Begrundelse: Budgettet ligger uden for puljens formål"))
    }

    @Test func anEditThatCompletesAnApplicationAsksTheLeaderGroup() throws {
        let (run, _) = try AttackTests.samples()
        let app = try #require(try PipelineTests.application(run.store, titled: "Vinterklub i Valby"))
        #expect(app.status == .incomplete)
        let out = try Self.actions(run).edit(app.label, field: "Periode", value: "1. november 2027 – 31. marts 2028", user: "test")
        #expect(out.record.status == .awaitingLeader)
        let requests = try run.store.outbox(record: app.id).filter { $0.kind == "approvalRequest" }
        #expect(requests.count == 1 && out.mailed.count == 1)
    }

    @Test func aLeaderWhoWritesTheReferenceInTheSubjectIsHeardAndGreetedByName() throws {
        let (run, mailbox) = try AttackTests.samples()
        // Outlook's autocorrect wrote en dashes; the mail answers one we never saw (a cc to the coordinator).
        try AttackTests.add(AttackTests.mail(from: "\"Vestergaard, Dorthe Kjær (KFF)\" <dorthe.vestergaard@kk.dk>",
                                             subject: "SV: SSP–2027–0006 Ung-til-ung i Valby", date: "Mon, 10 May 2027 10:00:00 +0200",
                                             id: "dorthe-subject@kk.dk", text: "Godkendt.\n\nMvh Dorthe\n", dmarc: true,
                                             inReplyTo: "cc-to-mette@buf.kk.dk"), "zz-dorthe.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        let app = try AttackTests.project(run.store, "SSP-2027-0006")
        #expect(app.status == .leaderApproved)
        let mails = try run.store.outbox(record: app.id)
        let recorded = try #require(mails.first { $0.kind == "decisionRecorded" && $0.to == "dorthe.vestergaard@kk.dk" })
        #expect(Self.body(recorded).hasPrefix("Kære Dorthe Kjær Vestergaard\n"))
        #expect(mails.filter { $0.kind == "leaderApprovedNotice" && $0.to == "mette.soerensen@kk.dk" }.count == 1)
    }
}
