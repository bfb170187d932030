import Foundation
import Testing
import Intake
import MailPorts
@testable import CurlTransport
@testable import Pipeline
@testable import Store

// Nested in RigServers: suites run side by side, and one that stops a server must not meet another that uses it.
extension RigServers {
/// The IMAP path as it runs against Exchange Online, through `scripts/exchange_front.py` in front of
/// the rig's Dovecot: no keywords, no ESEARCH, "Inbox", a FETCH that gives nothing, a size that lies.
@Suite(.serialized) struct ExchangeFrontTests {
    let rig = Rig.shared

    /// A running front; stopped when the test lets go of it.
    final class Front {
        let process = Process()
        let port: Int
        let log: URL

        init(_ rig: Rig, _ faults: [String] = []) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("front-\(UUID().uuidString).log")
            let imaps = URL(string: rig.env["RIG_IMAPS_URL"]!)!
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [Rig.root.appendingPathComponent("scripts/exchange_front.py").path,
                                 "--upstream", "127.0.0.1:\(imaps.port!)", "--cert", rig.ca, "--key", rig.dir + "/tls/key.pem",
                                 "--log", log.path] + faults
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while !line.contains(0x0A) {
                let d = out.fileHandleForReading.availableData
                guard !d.isEmpty else { throw CocoaError(.fileReadUnknown) }
                line += d
            }
            port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))!
        }

        deinit {
            // SIGKILL, not terminate(): the child inherits the test process's blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// The commands the client sent, one line each.
        var commands: [String] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func settings(_ rig: Rig, _ mailbox: String) -> ImapSettings {
            ImapSettings(url: "imaps://127.0.0.1:\(port)", mailbox: mailbox, user: "ssp", password: "ssppw", caFile: rig.ca, timeoutSeconds: 60)
        }
    }

    func pipeline(_ front: Front, _ mailbox: String, after: AfterProcessing = AfterProcessing(flag: "$SSPProcessed", seen: false, moveTo: nil),
                  maxBytes: Int = 40 << 20, log: @escaping (String) -> Void = { _ in }) throws -> Pipeline {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("front-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        let source = ImapSource(settings: front.settings(rig, mailbox), after: after, maxMessageBytes: maxBytes)
        return Pipeline(store: store, engine: IntakeEngine(config: PipelineTests.config), source: source,
                        sink: OutboxFolderSink(directory: dir.appendingPathComponent("outbox")), dataDirectory: dir, log: log)
    }

    func samples(_ n: Int, to box: String) throws {
        let dir = Rig.root.appendingPathComponent("mailbox-samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".eml") }.sorted().prefix(n)
        for name in names { try rig.append([UInt8](try Data(contentsOf: dir.appendingPathComponent(name))), to: box) }
    }

    /// The flags as Dovecot keeps them, asked past the front.
    func flags(_ box: String) throws -> [[String]] {
        let s = try ImapSession(rig.imap(box))
        return try s.info(try s.search(after: 0).1).values.sorted { $0.uid < $1.uid }.map(\.flags)
    }

    @Test func withoutKeywordsProcessedMailIsMarkedSeenAndNoKeywordIsEverSent() throws {
        let front = try Front(rig)
        let box = try rig.newMailbox()
        try samples(4, to: box)
        var logged: [String] = []
        let p = try pipeline(front, box, log: { logged.append($0) })
        let first = try p.runOnce()
        #expect(first.ingested == 4 && first.failed == 0)
        #expect(try flags(box).allSatisfy { $0.contains("\\Seen") && !$0.contains("$SSPProcessed") })
        try samples(2, to: box)
        let second = try p.runOnce()
        #expect(second.ingested == 2)
        #expect(try p.runOnce().ingested == 0)
        let sent = front.commands
        #expect(!sent.contains { $0.contains("$SSPProcessed") }, "\(sent)")
        #expect(!sent.contains { $0.uppercased().contains("RETURN (ALL)") })   // no ESEARCH where none is offered
        #expect(logged.filter { $0.contains("nøgleord") }.count == 1, "\(logged)")   // said once, not every poll
        #expect(try p.store.unmarked(source: p.source!.name, uidValidity: p.store.cursor(p.source!.name)!.uidValidity).isEmpty)
    }

    @Test func aKeywordRefusedAtRunTimeTurnsIntoTheFallbackOnce() throws {
        let front = try Front(rig, ["--keep-star"])
        let box = try rig.newMailbox()
        try samples(3, to: box)
        var logged: [String] = []
        let p = try pipeline(front, box, log: { logged.append($0) })
        #expect(try p.runOnce().failed == 0)
        try samples(2, to: box)
        #expect(try p.runOnce().ingested == 2)
        #expect(front.commands.filter { $0.contains("$SSPProcessed") }.count == 1)   // tried once, refused, never again
        #expect(try flags(box).allSatisfy { $0.contains("\\Seen") })
        #expect(logged.filter { $0.contains("afviste nøgleordet") }.count == 1)
    }

    @Test func processedMailIsMovedToAFolderFoundOrMadeWithList() throws {
        let front = try Front(rig)
        let box = try rig.newMailbox()
        try samples(3, to: box)
        let folder = "\(box)-behandlet"
        let p = try pipeline(front, box, after: AfterProcessing(flag: "$SSPProcessed", seen: false, moveTo: folder))
        #expect(try p.runOnce().ingested == 3)
        #expect(try flags(box).isEmpty)
        #expect(try flags(folder).count == 3)
        #expect(!front.commands.contains { $0.contains("$SSPProcessed") })
    }

    @Test func aUIDTheServerGivesNothingForWaitsForTheNextPollAndNothingIsLost() throws {
        let box = try rig.newMailbox()
        try samples(5, to: box)
        let third = try ImapSession(rig.imap(box)).search(after: 0).1.sorted()[2]
        let front = try Front(rig, ["--drop-fetch", "\(third):1"])
        let p = try pipeline(front, box)
        let first = try p.runOnce()
        #expect(first.ingested == 2)   // the two before it; the cursor stops before it
        #expect(try p.store.cursor(p.source!.name)?.lastUID == third - 1)
        let second = try p.runOnce()
        #expect(second.ingested == 3)   // it, and the two behind it
        #expect(try p.store.db.query("SELECT count(*) FROM messages").first?.first?.int == 5)
        #expect(try p.runOnce().ingested == 0)
    }

    @Test func aUIDThatNeverComesIsLeftOnTheServerAfterThreePolls() throws {
        let box = try rig.newMailbox()
        try samples(3, to: box)
        let second = try ImapSession(rig.imap(box)).search(after: 0).1.sorted()[1]
        let front = try Front(rig, ["--drop-fetch", "\(second):99"])
        let p = try pipeline(front, box)
        let counts = try (0..<3).map { _ in try p.runOnce().ingested }
        // Left after the third poll; the one behind it comes in then.
        #expect(counts == [1, 0, 1], "\(front.commands)")
        #expect(try p.store.skipped().contains { $0.uid == second && $0.reason.contains("gav ingen mail") })
    }

    @Test func theSizeLimitHoldsOnTheBytesReceivedWhateverTheServerSays() throws {
        let box = try rig.newMailbox()
        let big = Array("From: a@kk.dk\r\nSubject: stor\r\nMessage-ID: <big-\(UUID().uuidString)@kk.dk>\r\n\r\n".utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: 300_000) + Array("\r\n".utf8)
        try samples(1, to: box)
        try rig.append(big, to: box)
        try samples(1, to: box)
        let front = try Front(rig, ["--report-size", "100"])
        let p = try pipeline(front, box, maxBytes: 200_000)
        let s = try p.runOnce()
        #expect(s.ingested == 2 && s.failed == 0)
        #expect(try p.store.skipped().contains { $0.size > 200_000 && $0.reason.contains("for stor") })
        #expect(try p.runOnce().ingested == 0)
    }

    @Test func aSearchOverTwentyFiveThousandUIDsWithoutEsearchLosesNone() {
        let line = "* SEARCH " + (1...25_000).map(String.init).joined(separator: " ")
        #expect(ImapSession.parseSearch(Array(line.utf8)) == Array(1...25_000))
        #expect(ImapSession.expand("1:25000") == Array(1...25_000))
    }

    /// The source of a pipeline that has made one pass, so its session is kept and selected.
    func idleSource(_ front: Front, _ box: String, idle: Bool = true) throws -> (Pipeline, ImapSource) {
        var source = ImapSource(settings: front.settings(rig, box), after: AfterProcessing(flag: "$SSPProcessed", seen: false, moveTo: nil),
                                maxMessageBytes: 40 << 20)
        source.idle = idle
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("front-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let p = Pipeline(store: try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path), engine: IntakeEngine(config: PipelineTests.config),
                         source: source, sink: OutboxFolderSink(directory: dir.appendingPathComponent("outbox")), dataDirectory: dir)
        #expect(try p.runOnce().ingested == 1)
        return (p, source)
    }

    @Test func inIdleNewMailEndsTheWaitAtOnce() throws {
        let front = try Front(rig)
        let box = try rig.newMailbox()
        try samples(1, to: box)
        let (p, _) = try idleSource(front, box)
        let rig = self.rig
        let mail = [UInt8](try Data(contentsOf: Rig.root.appendingPathComponent("mailbox-samples").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: Rig.root.appendingPathComponent("mailbox-samples").path)
                .filter { $0.hasSuffix(".eml") }.sorted()[1])))
        let appender = Thread { Thread.sleep(forTimeInterval: 1); try? rig.append(mail, to: box) }
        appender.start()
        let started = Date()
        let arrived = p.waitForMail(seconds: 60, log: { _ in }, shouldStop: { false })
        let waited = Date().timeIntervalSince(started)
        #expect(arrived)
        #expect(waited >= 0.9 && waited < 10, "waited \(waited) s")
        #expect(try p.runOnce().ingested == 1)
        #expect(front.commands.contains { $0.hasSuffix(" IDLE") } && front.commands.contains { $0.hasPrefix("DONE") }, "\(front.commands)")
    }

    @Test func aStopRequestEndsIdleAndTheSessionStaysGood() throws {
        let front = try Front(rig)
        let box = try rig.newMailbox()
        try samples(1, to: box)
        let (p, _) = try idleSource(front, box)
        let until = Date().addingTimeInterval(1.5)
        let started = Date()
        #expect(!p.waitForMail(seconds: 60, log: { _ in }, shouldStop: { Date() > until }))
        #expect(Date().timeIntervalSince(started) < 5)
        try samples(2, to: box)
        let after = try p.runOnce()
        // The same session reads on after DONE: the two mails appended meanwhile, no new login.
        #expect(after.ingested == 2 && after.failed == 0, "\(after)")
        #expect(front.commands.filter { $0.contains("AUTHENTICATE") }.count == 1, "\(front.commands)")
    }

    @Test func withIdleOffTheIntervalIsSleptOutAndNoIdleIsSent() throws {
        let front = try Front(rig)
        let box = try rig.newMailbox()
        try samples(1, to: box)
        let (p, _) = try idleSource(front, box, idle: false)
        let started = Date()
        #expect(!p.waitForMail(seconds: 2, log: { _ in }, shouldStop: { false }))
        #expect(Date().timeIntervalSince(started) >= 1.9)
        #expect(!front.commands.contains { $0.hasSuffix(" IDLE") })
    }
}
}
