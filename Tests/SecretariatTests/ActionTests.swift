import CaseModel
import Foundation
import Intake
import Pipeline
import Store
import Testing
@testable import Secretariat

/// The Secretariat's actions on the demo mailbox: what each changes, what it refuses, and the audit row it leaves.
@Suite(.serialized) struct ActionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let config: IntakeConfig = {
        let dir = root.appendingPathComponent("config")
        do {
            return try IntakeConfig.decode(site: Data(contentsOf: dir.appendingPathComponent("ssp-intake.json"))) {
                try Data(contentsOf: dir.appendingPathComponent($0))
            }
        } catch { fatalError("config must load: \(error)") }
    }()

    /// The demo mailbox read into a fresh store, with the actions over it.
    static func week() throws -> (SecretariatActions, IntakeStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("actions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        let p = Pipeline(store: store, engine: IntakeEngine(config: config),
                         source: FolderSource(directory: root.appendingPathComponent("mailbox-samples")),
                         sink: OutboxFolderSink(directory: dir.appendingPathComponent("outbox")), dataDirectory: dir)
        _ = try p.runOnce()
        return (SecretariatActions(pipeline: p, poolKroner: 300_000), store)
    }

    static func record(_ s: IntakeStore, _ kind: CaseKind, titled prefix: String) throws -> RecordRow {
        try #require(try s.records(kind: kind).first { ($0.title ?? "").hasPrefix(prefix) })
    }

    static func lastAudit(_ s: IntakeStore, _ r: RecordRow) throws -> AuditEntry {
        // The action's own entry, not the pipeline's note of the mail it queued.
        try #require(try s.auditLog(record: r.id).last { $0.actor != "pipeline" })
    }

    @Test func approveRefusesWhatTheIssueFoundAndSaysWhatASecondGrantReplaces() throws {
        let (a, s) = try Self.week()
        let ref = "SSP-2027-0004"   // 21.000 kr., approved by its leader group
        #expect(throws: ActionError.self) { try a.approve(ref, user: "u", note: nil, amount: Money(ore: 0), force: false) }
        #expect(throws: ActionError.self) { try a.approve(ref, user: "u", note: nil, amount: Money(kroner: 999_999_999), force: false) }
        let first = try a.approve(ref, user: "Sekretær A", note: nil, amount: Money(kroner: 20000), force: false)
        #expect(first.record.status == .approved && first.record.approved == Money(kroner: 20000))
        let audit = try Self.lastAudit(s, first.record)
        #expect(audit.actor == "Sekretær A" && audit.detail?.contains("bevilget: – → 20.000,00 kr.") == true)
        // Again: refused without --force, and with it the new grant names the old one.
        #expect(throws: ActionError.self) { try a.approve(ref, user: "u", note: nil, amount: nil, force: false) }
        let again = try a.approve(ref, user: "Sekretær A", note: nil, amount: nil, force: true)
        #expect(again.summary.contains("erstatter bevillingen på 20.000,00 kr.") && again.record.approved == Money(kroner: 21000))
        #expect(try Self.lastAudit(s, again.record).detail?.contains("20.000,00 kr. → 21.000,00 kr.") == true)
        // Above the request only when asked, and then with a warning past the pool.
        let big = try a.approve(ref, user: "u", note: nil, amount: Money(kroner: 400_000), force: true, aboveRequested: true)
        #expect(big.warnings.contains { $0.contains("tilbage i puljen") })
    }

    @Test func anIncompleteApplicationIsGrantedOnlyWithForceAndAWarning() throws {
        let (a, s) = try Self.week()
        let app = try Self.record(s, .application, titled: "Vinterklub i Valby")
        #expect(app.status == .incomplete)
        #expect(throws: ActionError.self) { try a.approve(app.label, user: "u", note: nil, amount: nil, force: false) }
        let forced = try a.approve(app.label, user: "u", note: nil, amount: nil, force: true)
        #expect(forced.record.status == .approved && forced.warnings.contains { $0.contains("Periode") })
    }

    @Test func editReadsTheValueAsTheRulesDoAndCompletesTheApplication() throws {
        let (a, s) = try Self.week()
        let app = try Self.record(s, .application, titled: "Vinterklub i Valby")
        #expect(throws: ActionError.self) { try a.edit(app.label, field: "Periode", value: "snart", user: "u") }
        #expect(throws: ActionError.self) { try a.edit(app.label, field: "Periodee", value: "1/11-28/2 2028", user: "u") }
        let done = try a.edit(app.label, field: "Periode", value: "1. november 2027 – 28. februar 2028", user: "Sekretær B")
        #expect(done.record.status == .awaitingLeader && done.record.reading.invalid.isEmpty)
        #expect(done.record.reference != nil)
        #expect(done.record.reading.fields["period.start"] == .date(DayDate(year: 2027, month: 11, day: 1)))
        let audit = try Self.lastAudit(s, done.record)
        #expect(audit.actor == "Sekretær B" && audit.detail?.contains("→ 01-11-2027 – 28-02-2028") == true)
        #expect(try s.corrections(record: app.id).map(\.field) == ["period"])
        // One part of a group: the coordinator's e-mail keeps the name and phone.
        let before = try #require(try s.record(app.id)).reading.fields
        let mail = try a.edit(done.record.label, field: "coordinator.email", value: "malene.koch2@kk.dk", user: "u")
        #expect(mail.record.reading.fields["coordinator.email"] == .text("malene.koch2@kk.dk"))
        #expect(mail.record.reading.fields["coordinator.name"] == before["coordinator.name"])
    }

    @Test func aReceiptTakesNoTemplateLabelAndARefundOnlyOnce() throws {
        let (a, s) = try Self.week()
        let hanne = try Self.record(s, .receipt, titled: "Kvittering")
        #expect(throws: ActionError.self) {
            try a.edit(hanne.label, field: "occasion", value: "Mødets navn og dato, eller indsatsens reference", user: "u")
        }
        let fixed = try a.edit(hanne.label, field: "Mødets navn og dato, eller indsatsens reference",
                               value: "Valby lokaludvalgsmøde d. 5. oktober 2027", user: "u")
        #expect(!fixed.record.reading.missing.contains("occasion"))
        #expect(fixed.record.reading.fields["occasion.date"] == .date(DayDate(year: 2027, month: 10, day: 5)))

        let line = try #require(try s.records(kind: .receipt).first { $0.amount == Money(ore: 118725) })
        #expect(throws: ActionError.self) { try a.refund(line.label, date: DayDate(year: 2027, month: 10, day: 6), amount: Money(kroner: 2000), user: "u") }
        let paid = try a.refund(line.label, date: DayDate(year: 2027, month: 10, day: 6), amount: Money(ore: 118725), user: "u")
        #expect(try paid.record.status == .refunded && s.refunds(record: line.id).count == 1)
        #expect(throws: ActionError.self) { try a.refund(line.label, date: DayDate(year: 2027, month: 10, day: 6), amount: Money(ore: 118725), user: "u") }
        #expect(try s.refunds().count == 1)
        // Without its file a receipt is not paid.
        let noFile = try #require(try s.records(kind: .receipt, status: .incomplete).first { $0.reading.missing.contains("attachment") })
        #expect(throws: ActionError.self) { try a.refund(noFile.label, date: DayDate(year: 2027, month: 10, day: 6), amount: Money(kroner: 1), user: "u") }
    }

    @Test func linkMovesAReceiptAndUnlinkMakesItAMeetingExpense() throws {
        let (a, s) = try Self.week()
        let receipt = try #require(try s.records(kind: .receipt).first { $0.amount == Money(kroner: 845) })
        let target = try #require(try s.record(label: "SSP-2027-0001"))
        let moved = try a.link(receipt.label, to: "SSP-2027-0001", user: "u")
        #expect(moved.record.projectID == target.id)
        #expect(try s.manualLink(record: receipt.id) == .some(target.id))
        #expect(try Self.lastAudit(s, moved.record).detail == "hører til: SSP-2027-0004 → SSP-2027-0001")
        #expect(throws: ActionError.self) { try a.link(receipt.label, to: "SSP-2027-0001", user: "u") }
        #expect(throws: ActionError.self) { try a.link(receipt.label, to: receipt.label, user: "u") }
        let out = try a.unlink(receipt.label, user: "u")
        #expect(try out.record.projectID == nil && s.manualLink(record: receipt.id) == .some(nil))
    }

    @Test func closeSettlesAReviewItemButNotAnOpenApplication() throws {
        let (a, s) = try Self.week()
        let unknown = try Self.record(s, .unknown, titled: "Årsplanlægningsseminar")
        let closed = try a.close(unknown.label, user: "Sekretær C", note: "Besvaret pr. telefon")
        #expect(closed.record.status == .closed && closed.record.note == "Besvaret pr. telefon")
        #expect(try Self.lastAudit(s, closed.record).detail?.contains("til gennemsyn → afsluttet") == true)
        #expect(throws: ActionError.self) { try a.close("SSP-2027-0001", user: "u", note: "x") }
        #expect(throws: ActionError.self) { try a.close(unknown.label, user: "u", note: "igen") }
    }

    /// Reading the mails again (reprocess) lays the Secretariat's hand over the rules' reading again.
    @Test func reprocessKeepsCorrectionsLinksRefundsAndClosedCases() throws {
        let (a, s) = try Self.week()
        let app = try Self.record(s, .application, titled: "Vinterklub i Valby")
        let edited = try a.edit(app.label, field: "Periode", value: "1. november 2027 – 28. februar 2028", user: "u")
        let receipt = try #require(try s.records(kind: .receipt).first { $0.amount == Money(kroner: 845) })
        _ = try a.link(receipt.label, to: "SSP-2027-0001", user: "u")
        let line = try #require(try s.records(kind: .receipt).first { $0.amount == Money(ore: 118725) })
        _ = try a.refund(line.label, date: DayDate(year: 2027, month: 10, day: 6), amount: Money(ore: 118725), user: "u")
        let unknown = try Self.record(s, .unknown, titled: "Årsplanlægningsseminar")
        _ = try a.close(unknown.label, user: "u", note: "Besvaret")
        let replies = try s.outbox().count

        for r in [edited.record, receipt, line, unknown] { _ = try a.reprocess(r.label, user: "u") }

        let again = try #require(try s.record(app.id))
        #expect(again.status == .awaitingLeader && again.reading.invalid.isEmpty)
        #expect(again.reading.fields["period.end"] == .date(DayDate(year: 2028, month: 2, day: 28)))
        #expect(try s.record(receipt.id)?.projectID == s.record(label: "SSP-2027-0001")?.id)
        #expect(try s.record(line.id)?.status == .refunded)
        #expect(try s.record(unknown.id)?.status == .closed)
        #expect(try s.outbox().count == replies)
        #expect(try s.messages(status: "failed").isEmpty)
    }
}
