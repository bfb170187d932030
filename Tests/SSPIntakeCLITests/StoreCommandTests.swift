import Foundation
import Testing

/// run, queue, show, approve, reject and reprocess, run as the secretariat would.
@Suite struct StoreCommandTests {
    @Test func runOncePrintsTheQueueAndASecondRunAddsNothing() throws {
        let ws = try TempWorkspace.make()
        let first = try ws.run(["run", "--once", "--queue"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("36 nye, 36 behandlet, 0 fejlet"))
        #expect(first.stdout.contains("Sag"))
        #expect(first.stdout.contains("SSP-2027-0001"))
        #expect(first.stdout.contains("Fritidsjob og gadeplan på Bispebjerg"))
        #expect(first.stdout.contains("godkendt af ledergruppen"))
        #expect(first.stdout.contains("mangler oplysninger"))
        let second = try ws.run(["run", "--once"])
        #expect(second.stderr.contains("0 nye, 0 behandlet, 0 fejlet, 0 svar leveret"))
        let queue = try ws.run(["queue", "--json"])
        let lines = queue.stdout.split(separator: "\n")
        #expect(lines.count == 32)
        for l in lines {
            let o = try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any]
            #expect(o?["reference"] is String && o?["status"] is String)
        }
        let outbox = try FileManager.default.contentsOfDirectory(atPath: ws.dir.appendingPathComponent("var/outbox").path)
        #expect(outbox.count == 33)
    }

    @Test func showApproveRejectAndTheirErrors() throws {
        let ws = try TempWorkspace.make()
        _ = try ws.run(["run", "--once"])
        let apps = try ws.run(["queue", "--kind", "application", "--status", "leaderApproved", "--json"]).stdout.split(separator: "\n")
        let ref = try #require(try JSONSerialization.jsonObject(with: Data(apps[0].utf8)) as? [String: Any])["reference"] as? String
        let show = try ws.run(["show", ref!])
        #expect(show.status == 0)
        #expect(show.stdout.contains("Historik:") && show.stdout.contains("godkendt af ledergruppen"))
        let approve = try ws.run(["approve", ref!, "--user", "Sekretær Åse", "--note", "Fint"])
        #expect(approve.status == 0 && approve.stdout.contains("bevilget"))
        let shown = try ws.run(["show", ref!, "--json"])
        let obj = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        #expect(obj?["status"] as? String == "approved")
        let history = obj?["history"] as? [[String: Any]] ?? []
        #expect(history.contains { $0["actor"] as? String == "Sekretær Åse" })

        let waiting = try ws.run(["queue", "--status", "awaitingLeader", "--json"]).stdout.split(separator: "\n")
        let other = try #require(try JSONSerialization.jsonObject(with: Data(waiting[0].utf8)) as? [String: Any])["reference"] as? String
        let refused = try ws.run(["approve", other!])
        #expect(refused.status == 65)
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("--force"))
        #expect(try ws.run(["reject", other!]).status == 64)
        #expect(try ws.run(["reject", other!, "--reason", "Uden for rammen"]).status == 0)
        #expect(try ws.run(["show", "SSP-1999-0001"]).status == 65)
        #expect(try ws.run(["reprocess", other!]).status == 0)
        #expect(try ws.run(["reprocess", "--failed"]).stdout.contains("0 behandlet, 0 fejlede"))
    }

    @Test func theServiceRunsUntilSIGTERMAndStopsCleanly() throws {
        let ws = try TempWorkspace.make()
        // The first pass logs its summary; then SIGTERM.
        let service = try RunningService(ws)
        #expect(service.process.isRunning, "the service ended by itself: \(service.text)")
        service.stop()
        let text = service.text
        #expect(service.process.terminationStatus == 0)
        #expect(text.contains("36 nye, 36 behandlet"))
        #expect(text.contains("stoppet"))
        #expect(!text.contains("ssppw"))
        let again = try ws.run(["run", "--once"])
        #expect(again.stderr.contains("0 nye, 0 behandlet"))
    }

    @Test func queueGoesOnlyWithOnce() throws {
        let ws = try TempWorkspace.make()
        let r = try ws.run(["run", "--queue"])
        #expect(r.status == 64)
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func aDataDirectoryThatCannotBeCreatedIsOneLine() throws {
        let ws = try TempWorkspace.make()
        let data = try Data(contentsOf: URL(fileURLWithPath: ws.configPath))
        var site = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let blocker = ws.dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        site["dataDirectory"] = blocker.appendingPathComponent("var").path
        try JSONSerialization.data(withJSONObject: site).write(to: URL(fileURLWithPath: ws.configPath))
        let r = try ws.run(["queue"])
        #expect(r.status == 73)
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func statusIsUnhealthyUntilEverythingIsRecorded() throws {
        let ws = try TempWorkspace.make()
        let before = try ws.run(["status", "--json"])
        #expect(before.status == 1)
        let b = try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any]
        #expect((b?["unrecorded"] as? [String])?.count == 36)
        _ = try ws.run(["run", "--once"])
        let after = try ws.run(["status"])
        #expect(after.status == 0)
        #expect(after.stdout.contains("Ikke gemt:         0"))
        #expect(after.stdout.contains("Status:            sund"))
    }
}
