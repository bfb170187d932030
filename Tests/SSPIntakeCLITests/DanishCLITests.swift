import Foundation
import Testing

/// The Secretariat reads only Danish: errors too, one line each, with the sysexits code.
@Suite struct DanishCLITests {
    /// Words of the English messages these replaced; none may come back.
    static let english = ["unknown", "cannot", "error", "option", "needs", "takes", "missing", "domain="]

    static func expectDanishLine(_ r: CLIRun, status: Int32, _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("ssp-intake: "), "\(r.stderr)", sourceLocation: sourceLocation)
        for w in words { #expect(r.stderr.contains(w), "«\(w)» in \(r.stderr)", sourceLocation: sourceLocation) }
        let lower = r.stderr.lowercased()
        for w in english { #expect(!lower.contains(w), "English «\(w)» in \(r.stderr)", sourceLocation: sourceLocation) }
    }

    @Test func usageErrorsAreDanish() throws {
        Self.expectDanishLine(try CLIRun.run(["frobnicate"]), status: 64, ["ukendt kommando \"frobnicate\"", "ssp-intake --help"])
        Self.expectDanishLine(try CLIRun.run(["queue", "--frobnicate"]), status: 64,
                              ["ukendt tilvalg --frobnicate", "ssp-intake queue --help"])
        Self.expectDanishLine(try CLIRun.run(["queue", "--kind"]), status: 64, ["--kind skal have en værdi"])
        Self.expectDanishLine(try CLIRun.run(["queue", "--json=ja"]), status: 64, ["--json tager ingen værdi"])
        Self.expectDanishLine(try CLIRun.run(["status", "extra"]), status: 64, ["status tager ingen argumenter"])
        Self.expectDanishLine(try CLIRun.run(["run", "extra"]), status: 64, ["run tager ingen argumenter"])
        Self.expectDanishLine(try CLIRun.run(["inspect"]), status: 64, ["inspect skal have mindst én .eml-fil"])
    }

    @Test func aConfigThatCannotBeReadIsDanish() throws {
        Self.expectDanishLine(try CLIRun.run(["queue", "--config", "no/such/site.json"]), status: 78,
                              ["kan ikke læse konfigurationen no/such/site.json", "findes ikke", "--config FIL"])
        let ws = try TempWorkspace.make()
        try StrictConfigTests.site(ws) { $0.removeValue(forKey: "poolKroner") }
        Self.expectDanishLine(try ws.run(["queue"]), status: 78, ["konfigurationen", "nøglen \"poolKroner\" mangler"])
        try StrictConfigTests.site(ws) { $0["poolKroner"] = "mange" }
        Self.expectDanishLine(try ws.run(["queue"]), status: 78, ["\"poolKroner\" skal være et tal"])
        try Data("{ \"mailbox\": ".utf8).write(to: URL(fileURLWithPath: ws.configPath))
        Self.expectDanishLine(try ws.run(["queue"]), status: 78, ["ikke gyldig JSON"])
    }

    @Test func badRuntimeSettingsAreDanish() throws {
        let ws = try TempWorkspace.make()
        try StrictConfigTests.site(ws) { $0["source"] = ["kind": "pop3"] }
        Self.expectDanishLine(try ws.run(["run", "--once"]), status: 78, ["source.kind \"pop3\" er ukendt (folder eller imap)"])
        try StrictConfigTests.site(ws) { $0["source"] = ["kind": "imap", "url": "imaps://127.0.0.1:1", "user": "ssp"] }
        Self.expectDanishLine(try ws.run(["run", "--once"]), status: 78, ["giv passwordEnv eller passwordFile"])
    }

    /// Every command that reads or changes the store needs one already there: 66, and nothing is made.
    @Test(arguments: [
        ["queue"], ["show", "S-1"], ["budget"], ["export", "--csv", "-"], ["report", "--html", "-"], ["status"],
        ["attachments", "S-1", "--to", "out"], ["mail", "M-1"], ["approve", "SSP-2027-0001"],
        ["reject", "SSP-2027-0001", "--reason", "nej"], ["edit", "SSP-2027-0001", "Periode", "2027"], ["link", "S-2", "S-1"],
        ["unlink", "S-2"], ["close", "S-1", "--note", "ok"], ["refund", "S-1", "--date", "1/2-2027", "--amount", "100"],
        ["reprocess", "--failed"],
    ])
    func aReadCommandWithoutAStoreMakesNone(_ args: [String]) throws {
        let ws = try TempWorkspace.make()
        let r = try ws.run(args)
        let db = ws.dir.appendingPathComponent("var/ssp-intake.sqlite").path
        Self.expectDanishLine(r, status: 66, ["ingen database i \(db)", "kør først \"ssp-intake run --once\""])
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("var").path), "\(args) made the data directory")
    }

    /// With IMAP in and SMTP out, the Secretariat's commands work without the mail passwords; only run needs them.
    @Test func readCommandsNeedNoMailPasswords() throws {
        let ws = try TempWorkspace.make()
        #expect(try ws.run(["run", "--once"]).status == 0)
        let unset = "SSP_TEST_UNSET_\(UUID().uuidString.prefix(8))"
        #expect(ProcessInfo.processInfo.environment[unset] == nil)
        try StrictConfigTests.site(ws) {
            $0["source"] = ["kind": "imap", "url": "imaps://127.0.0.1:1", "user": "ssp", "passwordEnv": unset + "_IMAP"]
            $0["sink"] = ["kind": "smtp", "url": "smtp://127.0.0.1:1", "user": "ssp", "passwordEnv": unset + "_SMTP"]
        }
        let queue = try ws.run(["queue", "--json"])
        #expect(queue.status == 0 && queue.stderr.isEmpty, "\(queue.stderr)")
        let ref = try #require(queue.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.first?["reference"] as? String)
        for args in [["show", ref], ["budget"], ["export", "--csv", "-"], ["report", "--html", "-"], ["close", ref, "--note", "set"],
                     ["reprocess", "--failed"]] {
            let r = try ws.run(args)
            #expect(r.status == 0 || (args[0] == "close" && r.status == 65), "\(args): \(r.status) \(r.stderr)")
            #expect(!r.stderr.contains(unset), "\(args): \(r.stderr)")
        }
        // What talks to the servers does need them, and says which variable is not set.
        Self.expectDanishLine(try ws.run(["run", "--once"]), status: 78, ["miljøvariablen \(unset)_IMAP med adgangskoden er ikke sat"])
        Self.expectDanishLine(try ws.run(["status"]), status: 78, ["miljøvariablen \(unset)_IMAP"])
    }

    /// A mail that cannot be processed is stored as failed with a Danish reason, never Foundation's `Error Domain=…`.
    @Test func aFailedMailsReasonIsDanish() throws {
        let ws = try TempWorkspace.make()
        let data = ws.dir.appendingPathComponent("var")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // A file where the attachments' folder should be: mails with attachments fail.
        try Data("x".utf8).write(to: data.appendingPathComponent("attachments"))
        let run = try ws.run(["run", "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("fejlede: filen findes allerede") && !run.stderr.contains("Domain="), "\(run.stderr)")
        let failed = try ws.run(["queue", "--kind", "failed", "--json"])
        let rows = failed.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(!rows.isEmpty)
        for row in rows {
            let reason = row["attention"] as? String ?? ""
            #expect(reason.hasPrefix("filen findes allerede: ") && reason.hasSuffix("/var/attachments"), "\(reason)")
        }
        let label = try #require(rows.first?["reference"] as? String)
        let show = try ws.run(["show", label])
        #expect(show.stdout.contains("filen findes allerede") && !show.stdout.contains("NSCocoaErrorDomain"), "\(show.stdout)")
    }
}
