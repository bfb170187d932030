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
        // 32 cases, and sample 15's budget for SSP-2027-0005 from another sender as a change proposal of its own.
        #expect(lines.count == 33)
        for l in lines {
            let o = try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any]
            #expect(o?["reference"] is String && o?["status"] is String)
        }
        let outbox = try FileManager.default.contentsOfDirectory(atPath: ws.dir.appendingPathComponent("var/outbox").path)
        // The two status reports are answered with the project they were filed under; three
        // coordinators hear their leader group's decision.
        #expect(outbox.count == 37)
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
        // Only run makes the data directory; a read command would say there is no database (66).
        let r = try ws.run(["run", "--once"])
        #expect(r.status == 73)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("kan ikke oprette datamappen"), "\(r.stderr)")
    }

    /// Rewrites the workspace's site file's `source`.
    func setSource(_ ws: TempWorkspace, _ source: [String: Any]) throws {
        let url = URL(fileURLWithPath: ws.configPath)
        var site = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        site["source"] = source
        try JSONSerialization.data(withJSONObject: site).write(to: url)
    }

    /// The mailbox's errors reach the CLI in no transport's terms: away is 75 (try later), any other failure 74;
    /// the line says it in Danish. (A refused login, 77, needs the rig's Dovecot: scripts/fault-test.)
    @Test func aMailboxThatCannotBeReadExitsByWhatToDo() throws {
        let ws = try TempWorkspace.make()
        let password = ws.dir.appendingPathComponent("password")
        try Data("hemmelig\n".utf8).write(to: password)
        func source(_ url: String) -> [String: Any] {
            ["kind": "imap", "url": url, "user": "ssp", "passwordFile": password.path]
        }
        try setSource(ws, source("imap://127.0.0.1:1"))
        // run first: it makes the store, which status needs.
        let run = try ws.run(["run", "--once"])
        #expect(run.status == 75 && run.stderr.contains("postkassen svarer ikke lige nu"), "\(run.stderr)")
        let away = try ws.run(["status"])
        #expect(away.status == 75, "\(away.stderr)")
        #expect(away.stderr.split(separator: "\n").count == 1 && away.stderr.contains("postkassen svarer ikke lige nu"))
        try setSource(ws, source("pop3://127.0.0.1:1"))
        let failed = try ws.run(["status"])
        #expect(failed.status == 74 && failed.stderr.contains("postkassen kunne ikke læses"), "\(failed.stderr)")
        #expect(!away.stderr.contains("hemmelig") && !run.stderr.contains("hemmelig") && !failed.stderr.contains("hemmelig"))
    }

    /// Mail over the folder's `maxMessageBytes` is left, and shown with the reason in the queue and in status.
    @Test func mailTooLargeForTheFolderIsShownAsLeft() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("left-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let samples = CLIRun.repoRoot.appendingPathComponent("mailbox-samples")
        for name in ["01-outlook-html-application-table.eml", "09-exchange-out-of-office.eml"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let ws = try TempWorkspace.make(mailbox: dir)
        try setSource(ws, ["kind": "folder", "path": dir.path, "maxMessageBytes": 10_000])   // 01 is 14,945 bytes
        let run = try ws.run(["run", "--once"])
        #expect(run.status == 0 && run.stderr.contains("1 nye, 1 behandlet"), "\(run.stderr)")
        #expect(run.stderr.contains("01-outlook-html-application-table.eml efterladt i mappen: for stor: 14.945 bytes er over grænsen på 10.000 bytes"))
        let queue = try ws.run(["queue"])
        let line = try #require(queue.stdout.split(separator: "\n").first { $0.hasPrefix("efterladt") })
        #expect(line.contains("efterladt i postkassen") && line.contains("01-outlook-html-application-table.eml") && line.contains("for stor: 14.945 bytes"))
        #expect(try ws.run(["queue", "--kind", "left", "--json"]).stdout.split(separator: "\n").count == 1)
        #expect(!(try ws.run(["queue", "--kind", "failed"]).stdout.contains("efterladt")))
        let status = try ws.run(["status"])
        #expect(status.stdout.contains("Ikke gemt:         0"))
        #expect(status.stdout.contains("Efterladt (store): 1: 01-outlook-html-application-table.eml: for stor: 14.945 bytes"))
        try setSource(ws, ["kind": "folder", "path": dir.path, "maxMessageBytes": 0])
        #expect(try ws.run(["status"]).status == 78)
    }

    @Test func statusIsUnhealthyUntilEverythingIsRecorded() throws {
        // The store is made on an empty mailbox (status needs one); then the samples arrive.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("late-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ws = try TempWorkspace.make(mailbox: dir)
        #expect(try ws.run(["run", "--once"]).status == 0)
        let samples = CLIRun.repoRoot.appendingPathComponent("mailbox-samples")
        for name in try FileManager.default.contentsOfDirectory(atPath: samples.path) where name.hasSuffix(".eml") {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
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

/// A case's time is when its mail reached the mailbox, not when it was fetched (issue 14, item 8).
@Suite struct ArrivalOrderTests {
    @Test func aMailFetchedLateIsQueuedByItsArrivalAndExportedAsModtaget() throws {
        let mailbox = FileManager.default.temporaryDirectory.appendingPathComponent("arrival-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mailbox, withIntermediateDirectories: true)
        let samples = CLIRun.repoRoot.appendingPathComponent("mailbox-samples")
        for n in try FileManager.default.contentsOfDirectory(atPath: samples.path) where n.hasSuffix(".eml") {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(n), to: mailbox.appendingPathComponent(n))
        }
        let ws = try TempWorkspace.make(mailbox: mailbox)
        _ = try ws.run(["run", "--once"])
        // Fetched now, but our server received it on 4 January 2027, before every sample.
        let early = """
            Received: from mail.kk.dk by mx.kk.dk (Postfix) for <ssp@kk.dk>; Mon, 4 Jan 2027 09:00:00 +0100\r
            From: Anders Holt <anders.holt@kk.dk>\r
            To: ssp@kk.dk\r
            Subject: Et spørgsmål om puljen\r
            Date: Sun, 3 Dec 2028 09:00:00 +0100\r
            Message-ID: <early-1@kk.dk>\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Hvornår åbner puljen?\r

            """
        try Data(early.utf8).write(to: mailbox.appendingPathComponent("zz-early.eml"))
        _ = try ws.run(["run", "--once"])
        let first = try #require(try ws.run(["queue", "--json"]).stdout.split(separator: "\n").first)
        let o = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect(o?["title"] as? String == "Et spørgsmål om puljen")
        let csv = try ws.run(["export", "--csv", "-"]).stdout
        #expect(csv.contains("Et spørgsmål om puljen") && csv.contains("04-01-2027 09:00"))
    }
}
