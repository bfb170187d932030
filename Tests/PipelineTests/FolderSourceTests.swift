import Foundation
import Intake
import MailCore
import MailPorts
@testable import Pipeline
import Store
import Testing

/// The folder source: when its mail arrived, and mail too large to take in.
@Suite struct FolderSourceTests {
    static func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func store() throws -> IntakeStore {
        try IntakeStore(path: try folder("db").appendingPathComponent("db.sqlite").path)
    }

    /// A small mail with `received` as its topmost Received field (nil: none) and a Date header of its own.
    static func mail(_ subject: String, received: String?) -> [UInt8] {
        var head = ""
        if let received {
            head += "Received: from smtp-out.kk.dk (smtp-out.kk.dk [10.210.4.30])\r\n\tby mx.kk.dk (Postfix) with ESMTPS id 4ZP3k\r\n"
                + "\tfor <ssp@kk.dk>; \(received)\r\n"
            head += "Received: by smtp-out.kk.dk with SMTP id y; Tue, 01 Jan 2019 00:00:00 +0000\r\n"
        }
        head += "From: Mette <mette.soerensen@kk.dk>\r\nTo: ssp@kk.dk\r\nSubject: \(subject)\r\n"
            + "Date: Sat, 1 Jan 2000 00:00:00 +0000\r\nMessage-ID: <\(UUID().uuidString)@kk.dk>\r\n\r\nHej\r\n"
        return Array(head.utf8)
    }

    static func write(_ bytes: [UInt8], to url: URL, modified: Date) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
    }

    /// Stored arrival per subject.
    static func arrivals(_ store: IntakeStore) throws -> [String: Date] {
        var out: [String: Date] = [:]
        for id in try store.messages(status: "new") {
            if let m = try store.message(id) { out[m.subject ?? ""] = m.receivedAt }
        }
        return out
    }

    /// A plain folder's files are copies (a checkout, a cp): their time says nothing, the topmost Received does.
    @Test func aPlainFolderTakesTheTopmostReceivedElseTheFileTime() throws {
        let dir = try Self.folder("plain")
        let copied = Date(timeIntervalSince1970: 1_900_000_000)
        try Self.write(Self.mail("med Received", received: "Wed, 3 Feb 2027 07:52:27 +0100 (CET)"),
                       to: dir.appendingPathComponent("a.eml"), modified: copied)
        try Self.write(Self.mail("uden Received", received: nil), to: dir.appendingPathComponent("b.eml"), modified: copied)
        try Self.write(Self.mail("ulæselig Received", received: "engang i februar"),
                       to: dir.appendingPathComponent("c.eml"), modified: copied)
        let store = try Self.store()
        #expect(try FolderSource(directory: dir).ingestNew(into: store, log: { _ in }, shouldStop: { false }) == 3)
        let at = try Self.arrivals(store)
        #expect(at["med Received"] == Date(timeIntervalSince1970: 1_801_637_547))   // 2027-02-03 06:52:27 UTC
        #expect(at["uden Received"] == copied)
        #expect(at["ulæselig Received"] == copied)
        #expect(!at.values.contains(Date(timeIntervalSince1970: 946_684_800)), "never the Date header")
    }

    /// A Maildir's files were written by the delivery agent when the mail came: their time is the arrival.
    @Test func aMaildirTakesTheFileTime() throws {
        let dir = try Self.folder("maildir")
        let delivered = Date(timeIntervalSince1970: 1_810_000_000), read = Date(timeIntervalSince1970: 1_810_003_600)
        try Self.write(Self.mail("ny", received: "Wed, 3 Feb 2027 07:52:27 +0100"),
                       to: dir.appendingPathComponent("new/1810000000.M1P1.mx"), modified: delivered)
        try Self.write(Self.mail("læst", received: "Wed, 3 Feb 2027 07:52:27 +0100"),
                       to: dir.appendingPathComponent("cur/1810003600.M2P1.mx:2,S"), modified: read)
        let store = try Self.store()
        #expect(try FolderSource(directory: dir).ingestNew(into: store, log: { _ in }, shouldStop: { false }) == 2)
        let at = try Self.arrivals(store)
        #expect(at["ny"] == delivered && at["læst"] == read)
    }

    /// One file over the limit (1.1 GB, sparse, so it costs no disk) is recorded as left with its
    /// size, and the files after it go on; the next pass neither reads it nor records it again.
    @Test func aFileOverTheLimitIsLeftAndTheRestGoOn() throws {
        let dir = try Self.folder("large")
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = PipelineTests.root.appendingPathComponent("mailbox-samples")
        for name in ["01-outlook-html-application-table.eml", "09-exchange-out-of-office.eml"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let huge = dir.appendingPathComponent("05-stor.eml")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: Data("From: a@kk.dk\r\n".utf8)))
        let size = 1_181_116_006
        #expect(truncate(huge.path, off_t(size)) == 0)
        let store = try Self.store()
        var logged: [String] = []
        let p = Pipeline(store: store, engine: IntakeEngine(config: PipelineTests.config), source: FolderSource(directory: dir),
                         sink: nil, dataDirectory: try Self.folder("data"), log: { logged.append($0) })
        let s = try p.runOnce()
        #expect(s.ingested == 2 && s.processed == 2 && s.failed == 0)
        let left = try store.skipped()
        #expect(left.count == 1)
        #expect(left.first?.key == "05-stor.eml" && left.first?.uid == nil && left.first?.size == size)
        #expect(left.first?.reason == "for stor: 1.181.116.006 bytes er over grænsen på 41.943.040 bytes")
        #expect(logged.contains { $0.contains("05-stor.eml efterladt i mappen: for stor") })
        let health = try #require(try p.health())
        #expect(health.unrecorded.isEmpty && health.leftOnServer == 1 && health.left == ["05-stor.eml: \(left[0].reason)"])
        #expect(try p.runOnce() == RunSummary())
        #expect(try store.skipped().count == 1)
        #expect(try store.db.query("SELECT count(*) FROM audit WHERE action = 'efterladt i mappen'").first?.first?.int == 1)
    }

    /// The limit is the folder's own setting; a configured one applies.
    @Test func theConfiguredLimitApplies() throws {
        let dir = try Self.folder("limit")
        try Self.write(Self.mail("lille", received: nil), to: dir.appendingPathComponent("a.eml"), modified: Date())
        try Self.write(Self.mail("stor", received: nil) + Array(repeating: UInt8(ascii: "x"), count: 2000),
                       to: dir.appendingPathComponent("b.eml"), modified: Date())
        let site = """
            {"poolKroner": 300000, "source": {"kind": "folder", "path": "\(dir.path)", "maxMessageBytes": 1000}}
            """
        let settings = try RuntimeSettings.decode(Data(site.utf8), base: dir)
        guard case .folder(let url, let max)? = settings.source else { Issue.record("a folder source"); return }
        #expect(max == 1000)
        let store = try Self.store()
        #expect(try FolderSource(directory: url, maxMessageBytes: max).ingestNew(into: store, log: { _ in }, shouldStop: { false }) == 1)
        #expect(try store.skipped().map(\.key) == ["b.eml"])
        // Strict as before: no limit below one byte, and the default where none is given.
        #expect(throws: RuntimeSettingsError.self) {
            try RuntimeSettings.decode(Data(site.replacingOccurrences(of: "1000", with: "0").utf8), base: dir)
        }
        let plain = try RuntimeSettings.decode(Data(#"{"poolKroner": 1, "source": {"kind": "folder", "path": "m"}}"#.utf8), base: dir)
        guard case .folder(_, let standard)? = plain.source else { Issue.record("a folder source"); return }
        #expect(standard == RuntimeSettings.defaultMaxMessageBytes && standard == 40 << 20)
    }
}
