import CaseModel
import Foundation
import Secretariat
import Testing
import Intake
import MailCore
@testable import Pipeline
@testable import Store

/// One test per way a case was seen going wrong (issue 14's "Why"): each asserts the outcome.
@Suite(.serialized) struct AttackTests {
    /// The bundled samples in a folder of their own, so a test can add mail to it.
    static func samples() throws -> (PipelineTests.Run, URL) {
        let mailbox = FileManager.default.temporaryDirectory.appendingPathComponent("attack-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mailbox, withIntermediateDirectories: true)
        let src = PipelineTests.root.appendingPathComponent("mailbox-samples")
        for n in try FileManager.default.contentsOfDirectory(atPath: src.path) where n.hasSuffix(".eml") {
            try FileManager.default.copyItem(at: src.appendingPathComponent(n), to: mailbox.appendingPathComponent(n))
        }
        let run = try PipelineTests.fresh(mailbox: mailbox)
        _ = try run.pipeline.runOnce()
        return (run, mailbox)
    }

    /// A plain-text mail as our receiving server (mx.kk.dk) delivers it; `dmarc` is what it wrote.
    static func mail(from: String, subject: String, date: String, id: String, text: String, dmarc: Bool = false,
                     inReplyTo: String? = nil) -> [UInt8] {
        let domain = from.split(separator: "@").last.map { $0.filter { $0 != ">" } } ?? ""
        var h = "Received: from mail.example by mx.kk.dk (Postfix) for <ssp@kk.dk>; \(date)\r\n"
        if dmarc { h += "Authentication-Results: mx.kk.dk; spf=pass smtp.mailfrom=\(domain); dmarc=pass header.from=\(domain)\r\n" }
        h += "From: \(from)\r\nTo: SSP <ssp@kk.dk>\r\nSubject: \(subject)\r\nDate: \(date)\r\nMessage-ID: <\(id)>\r\n"
        if let inReplyTo { h += "In-Reply-To: <\(inReplyTo)>\r\nReferences: <\(inReplyTo)>\r\n" }
        h += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        return Array((h + text.replacingOccurrences(of: "\n", with: "\r\n")).utf8)
    }

    static func add(_ bytes: [UInt8], _ name: String, to mailbox: URL) throws {
        try Data(bytes).write(to: mailbox.appendingPathComponent(name))
    }

    static func project(_ s: IntakeStore, _ ref: String) throws -> RecordRow { try #require(try s.record(label: ref)) }

    @Test func aStrangerNamingTheReferenceChangesNothingAndLearnsNothing() throws {
        let (run, mailbox) = try Self.samples()
        let before = try Self.project(run.store, "SSP-2027-0004")
        #expect(before.status == .leaderApproved && before.amount == Money(kroner: 21000))
        try Self.add(Self.mail(from: "Random Person <random.person@example.com>", subject: "Budget SSP-2027-0004",
                               date: "Thu, 1 Apr 2027 10:00:00 +0000", id: "stranger-1@example.com",
                               text: "Hej\n\nBudget:\nForplejning: 90.000 kr. (april)\n\nI alt: 90.000 kr.\n"), "90-stranger.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        let after = try Self.project(run.store, "SSP-2027-0004")
        #expect(after.amount == before.amount && after.reading.fields == before.reading.fields && after.status == before.status)
        let proposal = try #require(try run.store.records(kind: .proposal).first { $0.sender == "random.person@example.com" })
        #expect(proposal.status == .review && proposal.projectID == before.id)
        // No reply carries the coordinator's name, address or phone to the stranger.
        for r in try run.store.outbox() where r.to.lowercased() == "random.person@example.com" {
            let text = String(decoding: r.bytes, as: UTF8.self)
            #expect(!text.contains("groenbaek") && !text.contains("Grønbæk"))
        }
        let granted = try SecretariatActions(pipeline: run.pipeline).approve("SSP-2027-0004", user: "t", note: nil, amount: nil, force: false)
        #expect(granted.record.approved == Money(kroner: 21000))
    }

    @Test func aReferenceAndAnotherProjectsTitleInOneMailWaitAsAConflict() throws {
        let (run, mailbox) = try Self.samples()
        try Self.add(Self.mail(from: "Line Grønbæk Nielsen <line.groenbaek@kk.dk>", subject: "Kvittering SSP-2027-0001",
                               date: "Mon, 5 Apr 2027 09:00:00 +0000", id: "conflict-1@kk.dk",
                               text: "Hej\n\nKvittering for forplejning til Fritidsjob og gadeplan på Bispebjerg.\nNavn: Line Grønbæk Nielsen\nBeløb: 450,00 kr.\n"),
                     "91-conflict.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        let rec = try #require(try run.store.records(kind: .receipt).first { $0.title?.contains("SSP-2027-0001") == true || $0.reading.hints.contains { $0.contains("Modstridende") } })
        #expect(rec.status == .conflict && rec.projectID == nil)
        #expect(rec.reading.hints.contains { $0.contains("SSP-2027-0001") && $0.contains("SSP-2027-0004") })
        let reply = try #require(try run.store.outbox(record: rec.id).first)
        #expect(MailMessage(bytes: reply.bytes).content().text.contains("SSP Sekretariatet knytter den"))
    }

    @Test func aReceiptSaysWhichProjectItWasFiledUnder() throws {
        let (run, _) = try Self.samples()
        let bispebjerg = try Self.project(run.store, "SSP-2027-0004")
        let receipts = try run.store.records(kind: .receipt).filter { $0.projectID == bispebjerg.id }
        #expect(!receipts.isEmpty)
        for r in receipts {
            let reply = try #require(try run.store.outbox(record: r.id).first)
            let body = MailMessage(bytes: reply.bytes).content().text
            #expect(body.contains("Fritidsjob og gadeplan på Bispebjerg") && body.contains("SSP-2027-0004"))
        }
    }

    @Test func theApprovalRequestGoesToTheConfiguredLeaderOnly() throws {
        let (run, mailbox) = try Self.samples()
        let application = """
            Ansøgning om lokal SSP-indsats

            Navn på indsatsen: Sikker skolevej i Nordvest
            Periode: 1. september 2027 – 31. december 2027
            Målgruppe: Unge 12-16 år i Nordvest
            Mål: Færre konflikter på skolevejen
            Samarbejdspartnere: Skole, SSP og politi
            Evaluering: Spørgeskema før og efter
            Økonomiansvarlig: Jens Hansen
            Tovholder: Maja Berg, maja.berg@kk.dk, 22 33 44 55
            Kontaktperson fra ledergruppen: Birgitte Aagaard, victim@evil.com
            Forankring: Bispebjerg, Skolen i Nordvest
            Budget:
            Materialer: 2.000 kr. (september)
            I alt: 2.000 kr.
            """
        try Self.add(Self.mail(from: "Maja Berg <maja.berg@kk.dk>", subject: "Ansøgning: Sikker skolevej i Nordvest",
                               date: "Mon, 9 Aug 2027 09:00:00 +0000", id: "victim-1@kk.dk", text: application), "92-victim.eml", to: mailbox)
        let unknown = application.replacingOccurrences(of: "Birgitte Aagaard, victim@evil.com", with: "Ukendt Person, ukendt@evil.com")
            .replacingOccurrences(of: "Sikker skolevej i Nordvest", with: "Tryg cykelsti i Nordvest")
        try Self.add(Self.mail(from: "Maja Berg <maja.berg@kk.dk>", subject: "Ansøgning: Tryg cykelsti i Nordvest",
                               date: "Mon, 9 Aug 2027 10:00:00 +0000", id: "victim-2@kk.dk", text: unknown), "93-unknown-leader.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        let outbox = try run.store.outbox()
        #expect(!outbox.contains { $0.to.lowercased().contains("evil.com") })
        let app = try #require(try PipelineTests.application(run.store, titled: "Sikker skolevej i Nordvest"))
        #expect(app.status == .awaitingLeader)
        let request = try #require(outbox.first { $0.recordID == app.id && $0.kind == "approvalRequest" })
        #expect(request.to == "birgitte.aagaard@gmail.com")
        let other = try #require(try PipelineTests.application(run.store, titled: "Tryg cykelsti i Nordvest"))
        #expect(!outbox.contains { $0.recordID == other.id && $0.kind == "approvalRequest" })
        #expect(other.reading.hints.contains { $0.contains("ikke en leder i konfigurationen") })
    }

    /// Kasper Dalgaard Holm, leader in Bispebjerg, approved SSP-2027-0004 on 3 March (sample 17).
    static func kasper(_ verb: String, ref: String, date: String, id: String) -> [UInt8] {
        mail(from: "Kasper Dalgaard Holm <KDH001@politi.dk>", subject: "SV: \(ref)", date: date, id: id,
             text: "\(verb)\n\nVenlig hilsen\nKasper\n", dmarc: true)
    }

    @Test func anOldApprovalDeliveredAgainNeverOverturnsALaterRejection() throws {
        let (run, mailbox) = try Self.samples()
        try Self.add(Self.kasper("Ikke godkendt. Budgettet skal ned.", ref: "SSP-2027-0004", date: "Wed, 10 Mar 2027 08:00:00 +0100",
                                 id: "reject-1@politi.dk"), "94-reject.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        #expect(try Self.project(run.store, "SSP-2027-0004").status == .leaderRejected)
        let replies = try run.store.outbox().count
        // The same approval again: one more Received: line in front, same Message-ID.
        let original = try [UInt8](Data(contentsOf: mailbox.appendingPathComponent("17-apple-mail-leader-approval-quoted.eml")))
        try Self.add(Array("Received: from relay.kk.dk by mx.kk.dk; Thu, 11 Mar 2027 09:00:00 +0000\r\n".utf8) + original,
                     "95-again.eml", to: mailbox)
        // And an approval dated before the rejection under a new Message-ID.
        try Self.add(Self.kasper("Godkendt", ref: "SSP-2027-0004", date: "Thu, 4 Mar 2027 08:00:00 +0100", id: "old-approval@politi.dk"),
                     "96-old.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        #expect(try Self.project(run.store, "SSP-2027-0004").status == .leaderRejected)
        let again = try #require(try run.store.records(kind: .approval).first { $0.status == .superseded })
        #expect(again.projectID == (try Self.project(run.store, "SSP-2027-0004").id))
        // The copy made no case and got no reply; the old one is told why it did not count.
        #expect(try run.store.outbox().count == replies + 1)
        // A later approval by the same leader does count.
        try Self.add(Self.kasper("Godkendt", ref: "SSP-2027-0004", date: "Mon, 15 Mar 2027 08:00:00 +0100", id: "new-approval@politi.dk"),
                     "97-new.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        #expect(try Self.project(run.store, "SSP-2027-0004").status == .leaderApproved)
    }

    @Test func aLeaderOfAnotherAreaIsHeldForTheSecretariat() throws {
        let (run, mailbox) = try Self.samples()
        let valby = try Self.project(run.store, "SSP-2027-0006")
        try Self.add(Self.kasper("Godkendt", ref: "SSP-2027-0006", date: "Mon, 3 May 2027 08:00:00 +0200", id: "area-1@politi.dk"),
                     "94-area.eml", to: mailbox)
        _ = try run.pipeline.runOnce()
        #expect(try Self.project(run.store, "SSP-2027-0006").status == valby.status)
        let held = try #require(try run.store.records(kind: .approval).first { $0.status == .held })
        #expect(held.projectID == valby.id && held.reading.hints.contains { $0.contains("Bispebjerg") && $0.contains("Valby") })
        #expect(held.status.needsSecretariat)
    }

    @Test func reprocessingADecidedCaseSendsNothingAndDecidesNothingNew() throws {
        let (run, _) = try Self.samples()
        let app = try Self.project(run.store, "SSP-2027-0004")
        let replies = try run.store.outbox().count
        let decisions = try run.store.records(kind: .approval).count
        let approvals = try run.store.approvals(ofRecord: app.id).count
        _ = try SecretariatActions(pipeline: run.pipeline).reprocess("SSP-2027-0004", user: "t")
        _ = try SecretariatActions(pipeline: run.pipeline).reprocess("SSP-2027-0004", user: "t")
        #expect(try run.store.outbox().count == replies)
        #expect(try run.store.records(kind: .approval).count == decisions)
        #expect(try run.store.approvals(ofRecord: app.id).count == approvals)
        #expect(try Self.project(run.store, "SSP-2027-0004").status == .leaderApproved)
    }
}
