import Foundation
import Testing

/// One runner per data directory, and a `status` that says when the last pass failed or the store is damaged.
@Suite struct RunnerAndStatusTests {
    /// The running service holds the lock: a second runner (run, reprocess) exits 75 naming it,
    /// the read-only commands go on; once it has stopped, a runner can start again.
    @Test func aSecondRunnerIsRefusedWhileTheServiceRuns() throws {
        let ws = try TempWorkspace.make()
        let running = try RunningService(ws)
        let service = running.process
        #expect(service.isRunning, "\(running.text)")
        let pid = "pid \(service.processIdentifier)"
        for args in [["run", "--once"], ["reprocess", "--failed"]] {
            let refused = try ws.run(args)
            #expect(refused.status == 75, "\(args): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains(pid), "\(refused.stderr)")
            #expect(refused.stderr.contains("kører allerede"))
        }
        #expect(try ws.run(["queue"]).status == 0)
        #expect(try ws.run(["status"]).status == 0)
        let lockFile = ws.dir.appendingPathComponent("var/ssp-intake.lock").path
        #expect(try String(contentsOfFile: lockFile, encoding: .utf8) == "\(service.processIdentifier)\n")
        running.stop()
        let after = try ws.run(["run", "--once"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderr.contains("0 nye, 0 behandlet"))
    }

    /// The store's page size and the first page of the index `name`, the write-ahead log emptied into the file first.
    static func indexPage(_ db: String, _ name: String) throws -> (offset: UInt64, size: Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = c.execute("PRAGMA page_size").fetchone()[0]
            root = c.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = ?", (sys.argv[2],)).fetchone()[0]
            print(size, root)
            """, db, name]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let n = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(n.count == 2, "python3: \(text)")
        return (UInt64(n[1] - 1) * UInt64(n[0]), n[0])
    }

    /// Overwrites the index's first page with zeros (what a bad sector or a torn copy leaves) and returns what was there.
    static func damage(_ db: String, index: String) throws -> (offset: UInt64, bytes: Data) {
        let (offset, size) = try indexPage(db, index)
        let f = try #require(FileHandle(forUpdatingAtPath: db))
        defer { try? f.close() }
        try f.seek(toOffset: offset)
        let before = try f.read(upToCount: size) ?? Data()
        try f.seek(toOffset: offset)
        try f.write(contentsOf: Data(count: size))
        return (offset, before)
    }

    @Test func aDamagedIndexMakesStatusUnhealthy() throws {
        let ws = try TempWorkspace.make()
        #expect(try ws.run(["run", "--once"]).status == 0)
        #expect(try ws.run(["status"]).status == 0)
        // An index no question of `status` reads: only the file check can see it.
        _ = try Self.damage(ws.dir.appendingPathComponent("var/ssp-intake.sqlite").path, index: "audit_record")
        let text = try ws.run(["status"])
        #expect(text.status == 1, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("Databasen:         BESKADIGET"))
        #expect(text.stdout.contains("Status:            SE EFTER"))
        let json = try ws.run(["status", "--json"])
        #expect(json.status == 1)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(o["healthy"] as? Bool == false)
        #expect((o["damage"] as? [String])?.isEmpty == false)
    }

    @Test func aFailedPassMakesStatusUnhealthyUntilAGoodOne() throws {
        let ws = try TempWorkspace.make()
        #expect(try ws.run(["run", "--once"]).status == 0)
        let db = ws.dir.appendingPathComponent("var/ssp-intake.sqlite").path
        // Every pass reads the index of message states; with it damaged, every pass fails.
        let (offset, page) = try Self.damage(db, index: "messages_status")
        let failed = try ws.run(["run", "--once"])
        #expect(failed.status != 0, "\(failed.stderr)")
        // The file repaired (the page put back), the failure is still what status shows.
        let f = try #require(FileHandle(forUpdatingAtPath: db))
        try f.seek(toOffset: offset)
        try f.write(contentsOf: page)
        try f.close()
        let after = try ws.run(["status"])
        #expect(after.status == 1, "\(after.stdout)")
        #expect(after.stdout.contains("Sidste gennemgang: FEJLEDE"))
        #expect(after.stdout.contains("Databasen:         hel"))
        let json = try JSONSerialization.jsonObject(with: Data(try ws.run(["status", "--json"]).stdout.utf8)) as? [String: Any]
        #expect((json?["lastPassError"] as? String)?.isEmpty == false)
        #expect(json?["lastPassErrorAt"] is String)
        #expect(try ws.run(["run", "--once"]).status == 0)
        let good = try ws.run(["status"])
        #expect(good.status == 0, "\(good.stdout)")
        #expect(!good.stdout.contains("FEJLEDE"))
    }
}
