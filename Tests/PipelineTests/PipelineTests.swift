import CaseModel
import Foundation
import Secretariat
import Testing
import Intake
import MailCore
import MailPorts
@testable import Pipeline
@testable import Store

/// The pipeline end to end over mailbox-samples/ into a temporary store.
@Suite(.serialized) struct PipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let config: IntakeConfig = {
        let dir = root.appendingPathComponent("config")
        do {
            return try IntakeConfig.decode(site: Data(contentsOf: dir.appendingPathComponent("ssp-intake.json"))) {
                try Data(contentsOf: dir.appendingPathComponent($0))
            }
        } catch { fatalError("config must load: \(error)") }
    }()

    struct Run {
        var dir: URL
        var pipeline: Pipeline
        var store: IntakeStore { pipeline.store }
        var outbox: URL { dir.appendingPathComponent("outbox") }
    }

    /// A fresh store in a temporary folder, reading `mailbox`.
    static func fresh(mailbox: URL = root.appendingPathComponent("mailbox-samples"), config: IntakeConfig = config) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        let p = Pipeline(store: store, engine: IntakeEngine(config: config), source: FolderSource(directory: mailbox),
                         sink: OutboxFolderSink(directory: dir.appendingPathComponent("outbox")), dataDirectory: dir)
        return Run(dir: dir, pipeline: p)
    }

    static func application(_ s: IntakeStore, titled title: String) throws -> RecordRow? {
        try s.records(kind: .application).first { $0.title == title }
    }

    @Test func samplesBecomeRecordsRepliesAndReferences() throws {
        let run = try Self.fresh()
        let s = try run.pipeline.runOnce()
        #expect(s.ingested == 36 && s.processed == 36 && s.failed == 0)
        let apps = try run.store.records(kind: .application)
        #expect(apps.count == 9)
        // References are given in order, one per complete application, never reused.
        let refs = apps.compactMap(\.reference).sorted()
        #expect(refs == (1...refs.count).map { String(format: "SSP-2027-%04d", $0) })
        let outbox = try run.store.outbox()
        #expect(s.delivered == outbox.count)
        let files = try FileManager.default.contentsOfDirectory(atPath: run.outbox.path).filter { $0.hasSuffix(".eml") }
        #expect(files.count == outbox.count)
        // Nothing to automatic mail, nothing to ourselves, nothing to outside unknown mail.
        #expect(!outbox.contains { $0.to == "ssp@kk.dk" || $0.to.contains("mailer-daemon") || $0.to.contains("no-reply") })
        #expect(!outbox.contains { $0.to.hasSuffix("kk-postkasse-service.dk") || $0.to.contains("kk-postkasse") })
        // A complete application gets its receipt and its leader an approval request.
        let valby = try #require(try Self.application(run.store, titled: "Lektiecafé og boksning i Urbanplanen"))
        let kinds = try run.store.outbox(record: valby.id).map { "\($0.kind) \($0.to)" }
        #expect(kinds.contains("applicationReceived mikkel.brandt@bsamager.dk"))
        #expect(kinds.contains("approvalRequest hlm002@politi.dk"))
        // The written reply is a Danish mail that parses back.
        let request = try #require(try run.store.outbox(record: valby.id).first { $0.kind == "approvalRequest" })
        let parsed = MailMessage(bytes: try [UInt8](Data(contentsOf: run.outbox.appendingPathComponent(request.msgid + ".eml"))))
        #expect(parsed.subject == "Godkendelse af SSP-indsats \(valby.reference ?? ""): Lektiecafé og boksning i Urbanplanen")
        #expect(parsed.content().text.contains("Kære Henrik Lund Madsen"))
    }

    @Test func ingestingTheSameFolderAgainAddsNothing() throws {
        let run = try Self.fresh()
        _ = try run.pipeline.runOnce()
        let records = try run.store.records().count, replies = try run.store.outbox().count
        let again = try run.pipeline.runOnce()
        #expect(again == RunSummary())
        #expect(try run.store.records().count == records)
        #expect(try run.store.outbox().count == replies)
        // Processing a stored message again (a crash before it was marked) changes nothing either.
        for id in try run.store.messages(status: "processed").prefix(36) { try run.pipeline.process(id) }
        #expect(try run.store.records().count == records)
        #expect(try run.store.outbox().count == replies)
    }

    @Test func theSameMailUnderAnotherNameIsStoredOnce() throws {
        let run = try Self.fresh()
        let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("mailbox-samples/01-outlook-html-application-table.eml")))
        let first = try run.store.ingest(source: "x", key: "a", raw: bytes, messageID: nil, subject: nil, sender: nil, receivedAt: Date())
        let second = try run.store.ingest(source: "y", key: "b", raw: bytes, messageID: nil, subject: nil, sender: nil, receivedAt: Date())
        #expect(first != nil && second == nil)
    }

    @Test func aFollowUpCompletesTheEarlierApplication() throws {
        let run = try Self.fresh()
        _ = try run.pipeline.runOnce()
        let app = try #require(try Self.application(run.store, titled: "Ung-til-ung i Valby"))
        #expect(app.reading.fields["coordinator.phone"] == .text("23456789"))
        #expect(app.reading.fields["evaluation"] != nil)
        #expect(app.reading.missing.isEmpty)
        #expect(app.reference != nil)
        #expect(try run.store.messages(ofRecord: app.id).count == 2)
        let kinds = try run.store.outbox(record: app.id).map(\.kind)
        #expect(kinds.contains("missingFields") && kinds.contains("applicationReceived"))
        #expect(try run.store.auditLog(record: app.id).contains { $0.action == "opfølgning" })
    }

    @Test func trustedApprovalMovesItsApplicationUntrustedDoesNot() throws {
        let run = try Self.fresh()
        _ = try run.pipeline.runOnce()
        let bispebjerg = try #require(try Self.application(run.store, titled: "Fritidsjob og gadeplan på Bispebjerg"))
        #expect(bispebjerg.status == .leaderApproved)
        #expect(try run.store.approvals(ofRecord: bispebjerg.id).allSatisfy { $0.1 })
        // Sample 19: a forged "Godkendt" (dmarc=fail) is kept as a claim, never applied.
        let forged = try #require(try run.store.records(kind: .approval).first { $0.sender == "susanne.vinther@kk.dk" })
        #expect(forged.status == .untrusted)
        let target = try #require(try run.store.record(forged.projectID ?? 0))
        #expect(target.status == .awaitingLeader)
        // Sample 20: a leader forwards a complete application with "Godkendt": approved, no request back to her.
        let forwarded = try #require(try Self.application(run.store, titled: "Pigeliv på Indre Nørrebro"))
        #expect(forwarded.status == .leaderApproved && forwarded.reference != nil)
        #expect(!(try run.store.outbox(record: forwarded.id)).contains { $0.kind == "approvalRequest" })
        // Sample 08 rejects sample 03.
        let football = try #require(try Self.application(run.store, titled: "Sen-aften-fodbold i Mimersparken"))
        #expect(football.status == .leaderRejected)
    }

    @Test func receiptsAreMatchedToProjectOrMeeting() throws {
        let run = try Self.fresh()
        _ = try run.pipeline.runOnce()
        let receipts = try run.store.records(kind: .receipt)
        let project = try #require(receipts.first { $0.sender == "ahmad.rashid@kk.dk" })
        #expect(project.projectID != nil)
        let meeting = try #require(receipts.first { $0.sender == "fatima.yilmaz.kbh@gmail.com" })
        #expect(meeting.projectID == nil && meeting.status == .registered)
        #expect(receipts.contains { $0.status == .late && $0.late })
    }

    @Test func oneFailingMessageNeverStopsTheRest() throws {
        let run = try Self.fresh()
        // Attachments cannot be stored (a file where the folder should be): those mails fail, the rest go on.
        try Data("x".utf8).write(to: run.dir.appendingPathComponent("attachments"))
        let s = try run.pipeline.runOnce()
        #expect(s.failed > 0 && s.processed > 0 && s.failed + s.processed == 36)
        let failed = try run.store.messages(status: "failed")
        #expect(failed.count == s.failed)
        #expect(try run.store.message(failed[0])?.error?.isEmpty == false)
        // Fixed, the failed ones go through on reprocess.
        try FileManager.default.removeItem(at: run.dir.appendingPathComponent("attachments"))
        let (ok, again) = try SecretariatActions(pipeline: run.pipeline).reprocessFailed(user: "test")
        #expect(ok == s.failed && again == 0)
    }

    @Test func secretariatApprovesWithTheBudgetAndIsAudited() throws {
        let run = try Self.fresh()
        _ = try run.pipeline.runOnce()
        let actions = SecretariatActions(pipeline: run.pipeline)
        let app = try #require(try Self.application(run.store, titled: "Fritidsjob og gadeplan på Bispebjerg"))
        let done = try actions.approve(app.label, user: "Sekretær Hansen", note: "OK", amount: nil, force: false)
        #expect(done.record.status == .approved && done.record.approved == Money(kroner: 21000))
        #expect(try run.store.auditLog(record: app.id).contains { $0.actor == "Sekretær Hansen" && $0.action == "bevilget af sekretariatet" })
        let waiting = try #require(try run.store.records(kind: .application, status: .awaitingLeader).first)
        #expect(throws: ActionError.self) { try actions.approve(waiting.label, user: "x", note: nil, amount: nil, force: false) }
        let rejected = try actions.reject(waiting.label, user: "x", reason: "Uden for rammen")
        #expect(rejected.record.status == .rejected && rejected.record.note == "Uden for rammen")
    }

    @Test func reprocessingARecordKeepsItAndItsReplies() throws {
        let run = try Self.fresh()
        _ = try run.pipeline.runOnce()
        let app = try #require(try Self.application(run.store, titled: "Ung-til-ung i Valby"))
        let replies = try run.store.outbox().count
        #expect(try SecretariatActions(pipeline: run.pipeline).reprocess(app.label, user: "test") == 2)
        let after = try #require(try run.store.record(app.id))
        #expect(after.reference == app.reference && after.reading.fields == app.reading.fields && after.status == app.status)
        #expect(try run.store.outbox().count == replies)
        #expect(try run.store.records(kind: .application).count == 9)
    }

    /// Records every delivery; every third one fails for now (a transient error).
    final class FlakySink: ReplySink {
        var attempts: [Int64] = []
        func deliver(_ item: OutboxItem) throws {
            attempts.append(item.id)
            if attempts.count % 3 == 0 { throw DeliveryError("421 try later", permanent: false) }
        }
    }

    /// A backlog's outbox is delivered page by page: each due reply is tried exactly once per pass, in order,
    /// and a failed one waits for its backoff instead of coming round again in the same pass.
    @Test func deliveryPagesThroughALargeOutboxTryingEachReplyOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        let now = Date()
        for i in 0..<450 {
            try store.queueReply(msgid: "r\(i)@test", message: nil, record: nil, kind: "mailReceived", to: "x\(i)@kk.dk",
                                 subject: "SV: \(i)", bytes: Array("Subject: \(i)\r\n\r\nhej\r\n".utf8), at: now)
        }
        let sink = FlakySink()
        let p = Pipeline(store: store, engine: IntakeEngine(config: Self.config), source: nil, sink: sink,
                         dataDirectory: dir, clock: { now.addingTimeInterval(1) })
        let (sent, failed) = try p.deliver()
        #expect(sent == 300 && failed == 150)
        #expect(sink.attempts.count == 450 && Set(sink.attempts).count == 450 && sink.attempts == sink.attempts.sorted())
        #expect(try store.outbox(status: "sent").count == 300 && store.outbox(status: "queued").count == 150)
        // Nothing is due again until the backoff has passed.
        let again = try p.deliver()
        #expect(again.0 == 0 && again.1 == 0)
    }

    /// A store made by an older version (raw bytes inside `messages`, schema 4) keeps every byte of its mail
    /// when the raw bytes move to their own table, and its records can still be titled and found.
    @Test func olderDatabaseKeepsItsMailThroughTheMigrations() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("old-\(UUID().uuidString).sqlite").path
        let raw = Array("Subject: Ansøgning\r\n\r\næøå \u{0}\r\n".utf8)
        do {
            let db = try Database(path: path)
            for n in 0..<4 { try db.execute(Schema.migrations[n]) }
            try db.execute("PRAGMA user_version = 4")
            try db.query("""
                INSERT INTO messages (source, source_key, sha256, size, raw, received_at) VALUES ('folder:x', 'a.eml', 'sha', ?, ?, ?)
                """, [.int(Int64(raw.count)), .blob(raw), .text("2027-03-01T09:00:00Z")])
        }
        let store = try IntakeStore(path: path)
        #expect(try store.db.query("PRAGMA user_version").first?.first?.int == Int64(Schema.migrations.count))
        let m = try #require(try store.message(1))
        #expect(m.raw == raw && m.source == "folder:x")
        // New mail goes to the new table and comes back byte for byte, the empty message included.
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let id = try #require(try store.ingest(source: "folder:x", key: "b.eml", raw: big, messageID: nil, subject: nil,
                                               sender: nil, receivedAt: Date()))
        #expect(try store.message(id)?.raw == big)
        let empty = try #require(try store.ingest(source: "folder:x", key: "c.eml", raw: [], messageID: nil, subject: nil,
                                                 sender: nil, receivedAt: Date()))
        #expect(try store.message(empty)?.raw == [])
    }

    /// Mail an older store recorded as left on the IMAP server stays known, under its source key, when
    /// the table learns to hold a folder's files as well.
    @Test func leftMailKeepsItsKeyThroughTheTransportMigration() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("left-\(UUID().uuidString).sqlite").path
        let before = try #require(Schema.migrations.firstIndex(of: Schema.transportMigration))
        do {
            let db = try Database(path: path)
            for n in 0..<before { try db.execute(Schema.migrations[n]) }
            try db.execute("PRAGMA user_version = \(before)")
            try db.query("INSERT INTO skipped (source, uidvalidity, uid, size, reason, at) VALUES ('imap:x', 7, 4, 99, 'for stor', 'nu')")
        }
        let store = try IntakeStore(path: path)
        #expect(try store.skippedKeys("imap:x") == ["7/4"])
        #expect(try store.skipped().map { "\($0.key) \($0.uid ?? 0) \($0.size) \($0.reason)" } == ["7/4 4 99 for stor"])
        try store.skip(source: "imap:x", uidValidity: 7, uid: 4, size: 99, reason: "igen")
        try store.skip(source: "folder:y", key: "stor.eml", size: 5, reason: "for stor")
        #expect(try store.skipped().map(\.key) == ["7/4", "stor.eml"])
    }
}
