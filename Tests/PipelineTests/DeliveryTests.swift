import CurlTransport
import Foundation
import Intake
import MailCore
@testable import Pipeline
@testable import Store
import Synchronization
import Testing

// Nested in RigServers: another suite stops and starts the servers these tests use.
extension RigServers {
/// Delivery against the rig's SMTP sink: each reply claimed before it is sent, so two runners
/// never send one reply twice, and a dead runner's claims are sent again under the runner lock.
@Suite struct DeliveryTests {
    let rig = Rig.shared

    /// A store in a fresh folder holding `n` queued replies (questions from colleagues), and the Message-IDs.
    static func queued(_ n: Int) throws -> (dir: URL, db: String, msgids: [String]) {
        let mails = (1...n).map { LoopAndFloodTests.question(from: "kollega\($0)@kk.dk", n: $0) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.appendingPathComponent("db.sqlite").path
        let p = Pipeline(store: try IntakeStore(path: db), engine: IntakeEngine(config: PipelineTests.config),
                         source: FolderSource(directory: try LoopAndFloodTests.folder(mails)), sink: nil, dataDirectory: dir)
        _ = try p.runOnce()
        let queued = try p.store.outbox(status: "queued")
        #expect(queued.count == n)
        return (dir, db, queued.map(\.msgid))
    }

    static func smtpPipeline(_ db: String, _ dir: URL, _ rig: Rig = .shared) throws -> Pipeline {
        Pipeline(store: try IntakeStore(path: db), engine: IntakeEngine(config: PipelineTests.config), source: nil,
                 sink: try SmtpSink(settings: rig.smtp(), from: PipelineTests.config.site.mailbox.address), dataDirectory: dir)
    }

    @Test func twoRunnersOnOneStoreSendEachReplyExactlyOnce() throws {
        let (dir, db, msgids) = try Self.queued(30)
        let sent = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchGroup()
        let rig = rig
        for _ in 0..<2 {
            done.enter()
            // Two threads, each with its own connection to the store and to the server, as two processes would be.
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    let p = try Self.smtpPipeline(db, dir, rig)
                    ready.signal()
                    go.wait()
                    let (n, _) = try p.deliver()
                    sent.withLock { $0.append(n) }
                } catch {
                    ready.signal()
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        ready.wait(); ready.wait()
        go.signal(); go.signal()
        done.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(sent.withLock { $0.reduce(0, +) } == msgids.count)
        for id in msgids { #expect(rig.arrivals(messageID: id) == 1, "\(id)") }
        #expect(try IntakeStore(path: db).outbox(status: "sent").count == msgids.count)
    }

    @Test func claimsLeftByADeadRunnerAreSettledOnlyUnderTheLock() throws {
        let (dir, db, msgids) = try Self.queued(3)
        let store = try IntakeStore(path: db)
        // A runner claimed two replies and died: before handing the first over, after handing the second.
        let rows = try store.outbox(status: "queued")
        let (claimed, handed) = (rows[0], rows[1])
        #expect(try store.claimReply(claimed.id))
        #expect(try !store.claimReply(claimed.id))
        #expect(try store.claimReply(handed.id))
        try store.markHanded(handed.id)
        // Without the lock nobody can tell a dead runner's claim from a live one's: both stay.
        let unlocked = try Self.smtpPipeline(db, dir)
        #expect(try unlocked.deliver().0 == 1)
        #expect(try store.outbox(status: "sending").map(\.msgid) == [claimed.msgid])
        #expect(try store.outbox(status: "handed").map(\.msgid) == [handed.msgid])
        #expect(rig.arrivals(messageID: claimed.msgid) == 0)
        _ = try RunnerLock.acquire(dataDirectory: dir)
        #expect(try unlocked.deliver().0 == 1)
        #expect(try store.outbox(status: "sent").count == 3)
        // The unfinished one is sent again; the handed one counts as sent and is not sent twice.
        #expect(rig.arrivals(messageID: claimed.msgid) == 1)
        #expect(rig.arrivals(messageID: handed.msgid) == 0)
        #expect(rig.arrivals(messageID: msgids[2]) == 1)
        #expect(try store.auditLog(record: try #require(handed.recordID)).contains { $0.action == "svar regnet for sendt" })
    }

    /// The handover runs once the server has every byte but the end of data: a runner that fails
    /// there (or dies) leaves the server nothing to deliver.
    @Test func theHandoverComesJustBeforeTheEndOfData() throws {
        struct Refused: Error {}
        let sender = try SmtpSender(rig.smtp())
        func mail(_ id: String) -> [UInt8] {
            Array("From: ssp@kk.dk\r\nTo: kollega@kk.dk\r\nSubject: Test\r\nMessage-ID: <\(id)>\r\n\r\nHej\r\n".utf8)
        }
        let refused = "handover-refused-\(UUID().uuidString)@kk.dk"
        #expect(throws: Refused.self) {
            try sender.send(mail(refused), from: "ssp@kk.dk", to: ["kollega@kk.dk"], handedOver: { throw Refused() })
        }
        let taken = "handover-taken-\(UUID().uuidString)@kk.dk"
        var handovers = 0
        try sender.send(mail(taken), from: "ssp@kk.dk", to: ["kollega@kk.dk"], handedOver: {
            handovers += 1
            // Not yet on the server: it takes the message only at the end of data.
            #expect(rig.arrivals(messageID: taken) == 0)
        })
        #expect(handovers == 1)
        #expect(rig.arrivals(messageID: taken) == 1)
        #expect(rig.arrivals(messageID: refused) == 0)
    }

    @Test func theRunnerLockIsOnePerDataDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(!RunnerLock.isHeld(dataDirectory: dir))
        let lock = try RunnerLock.acquire(dataDirectory: dir)
        // This process holds it already: the same lock again.
        #expect(try RunnerLock.acquire(dataDirectory: dir.appendingPathComponent(".")) === lock)
        #expect(RunnerLock.isHeld(dataDirectory: dir))
        let text = try String(contentsOfFile: dir.appendingPathComponent("ssp-intake.lock").path, encoding: .utf8)
        #expect(text == "\(getpid())\n")
    }

    /// After the 250 to a message's DATA the connection stays open for the next one: no QUIT, no
    /// new connection and TLS handshake between the server's acceptance and the caller's commit.
    @Test func oneConnectionServesReplyAfterReply() throws {
        let sender = try SmtpSender(rig.smtp(), recordingCommands: true)
        var ids: [String] = []
        for n in 0..<3 {
            let id = "conn-\(n)-\(UUID().uuidString)@kk.dk"
            ids.append(id)
            let mail = "From: ssp@kk.dk\r\nTo: kollega@kk.dk\r\nSubject: Test \(n)\r\nMessage-ID: <\(id)>\r\n\r\nHej\r\n"
            try sender.send(Array(mail.utf8), from: "ssp@kk.dk", to: ["kollega@kk.dk"])
        }
        let verbs = sender.sentCommands.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(verbs.filter { $0 == "MAIL" }.count == 3)
        #expect(verbs.filter { $0 == "STARTTLS" }.count == 1, "\(verbs)")
        #expect(!verbs.contains("QUIT"), "\(verbs)")
        for id in ids { #expect(rig.arrivals(messageID: id) == 1) }
    }
}
}
