import Foundation
import Testing

/// A key no decoder reads is a typo until shown otherwise: 78, one Danish line with the key's path and the nearest known key.
@Suite struct StrictConfigTests {
    /// The temp workspace's site file, changed by `change`.
    static func site(_ ws: TempWorkspace, _ change: (inout [String: Any]) -> Void) throws {
        let url = URL(fileURLWithPath: ws.configPath)
        var site = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        change(&site)
        try JSONSerialization.data(withJSONObject: site).write(to: url)
    }

    /// A copy of one of the files the site file names (`rules`, `replies`), changed, and the site pointed at it.
    static func namedFile(_ ws: TempWorkspace, _ key: String, _ change: (inout [String: Any]) -> Void) throws {
        let original = CLIRun.repoRoot.appendingPathComponent("config/\(key)-da.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: original)) as? [String: Any] ?? [:]
        change(&json)
        let copy = ws.dir.appendingPathComponent("\(key).json")
        try JSONSerialization.data(withJSONObject: json).write(to: copy)
        try site(ws) { $0[key] = copy.path }
    }

    static func expectRefused(_ r: CLIRun, key: String, suggestion: String, file: String) {
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("ssp-intake: ukendt nøgle \"\(key)\" i "), "\(r.stderr)")
        #expect(r.stderr.contains(file) && r.stderr.contains("mente du \"\(suggestion)\"?"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aTopLevelTypoIsNamedWithTheKeyItMeant() throws {
        let ws = try TempWorkspace.make()
        try Self.site(ws) { $0["dataDirectroy"] = "/tmp/elsewhere" }
        // Checked before the store, so no command gets far with a config it only half understood.
        Self.expectRefused(try ws.run(["queue"]), key: "dataDirectroy", suggestion: "dataDirectory", file: ws.configPath)
        Self.expectRefused(try ws.run(["run", "--once"]), key: "dataDirectroy", suggestion: "dataDirectory", file: ws.configPath)
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("var").path))
    }

    /// One decoder's keys are the other's unknowns: the check is on both, also for a command that reads only the rules.
    @Test func theRuntimeSettingsKeysAreCheckedWhereOnlyTheRulesAreRead() throws {
        let ws = try TempWorkspace.make()
        try Self.site(ws) { $0["pollIntervalSecond"] = 30 }
        let sample = CLIRun.repoRoot.appendingPathComponent("mailbox-samples/01-outlook-html-application-table.eml").path
        Self.expectRefused(try ws.run(["inspect", sample]), key: "pollIntervalSecond", suggestion: "pollIntervalSeconds",
                           file: ws.configPath)
    }

    @Test func aNestedTypoIsNamedWithItsPath() throws {
        let ws = try TempWorkspace.make()
        try Self.site(ws) {
            $0["source"] = ["kind": "imap", "url": "imaps://127.0.0.1:1", "user": "ssp", "pasword": "hemmelig"]
        }
        let r = try ws.run(["queue"])
        Self.expectRefused(r, key: "source.pasword", suggestion: "source.passwordEnv", file: ws.configPath)
        #expect(!r.stderr.contains("hemmelig"))
        try Self.site(ws) {
            $0["source"] = ["kind": "folder", "path": CLIRun.repoRoot.appendingPathComponent("mailbox-samples").path]
            var leaders = $0["leaders"] as? [[String: Any]] ?? []
            leaders[1]["emial"] = leaders[1].removeValue(forKey: "email")
            $0["leaders"] = leaders
        }
        Self.expectRefused(try ws.run(["queue"]), key: "leaders.1.emial", suggestion: "leaders.1.email", file: ws.configPath)
    }

    /// A misspelt required key is told as the typo, not as the key that is missing.
    @Test func aMisspeltRequiredKeyIsTheTypoNotAMissingKey() throws {
        let ws = try TempWorkspace.make()
        try Self.site(ws) { $0["mailbx"] = $0.removeValue(forKey: "mailbox") }
        let r = try ws.run(["queue"])
        Self.expectRefused(r, key: "mailbx", suggestion: "mailbox", file: ws.configPath)
        #expect(!r.stderr.contains("mangler"))
    }

    /// The rules and the reply texts the site file names are checked too; reply templates only by known reply kinds.
    @Test func theNamedFilesAreCheckedToo() throws {
        let ws = try TempWorkspace.make()
        try Self.namedFile(ws, "rules") { rules in
            var words = rules["kindWords"] as? [String: Any] ?? [:]
            words["reciept"] = words.removeValue(forKey: "receipt")
            rules["kindWords"] = words
        }
        Self.expectRefused(try ws.run(["queue"]), key: "kindWords.reciept", suggestion: "kindWords.receipt",
                           file: ws.dir.appendingPathComponent("rules.json").path)
        let ws2 = try TempWorkspace.make()
        try Self.namedFile(ws2, "replies") { replies in
            var templates = replies["templates"] as? [String: Any] ?? [:]
            templates["applicationRecieved"] = templates["applicationReceived"]
            replies["templates"] = templates
        }
        Self.expectRefused(try ws2.run(["queue"]), key: "templates.applicationRecieved", suggestion: "templates.applicationReceived",
                           file: ws2.dir.appendingPathComponent("replies.json").path)
    }

    /// Field names are keyed by field keys, which are data: a new one is not a typo.
    @Test func fieldNamesTakeAnyKey() throws {
        let ws = try TempWorkspace.make()
        try Self.namedFile(ws, "replies") { replies in
            var names = replies["fieldNames"] as? [String: Any] ?? [:]
            names["someNewField"] = "Et nyt felt"
            replies["fieldNames"] = names
        }
        let sample = CLIRun.repoRoot.appendingPathComponent("mailbox-samples/01-outlook-html-application-table.eml").path
        let r = try ws.run(["inspect", sample])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// Every key the shipped config files use is known (the IMAP example is read without its passwords).
    @Test(arguments: ["config/ssp-intake.json", "config/imap.example.json"])
    func theShippedConfigsAreAccepted(_ config: String) throws {
        let sample = CLIRun.repoRoot.appendingPathComponent("mailbox-samples/01-outlook-html-application-table.eml").path
        let r = try CLIRun.run(["inspect", "--config", config, sample])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("ukendt nøgle"))
    }

    /// A typo far from every known key gets no guess, but the keys that are known at that place.
    @Test func aKeyNearNothingListsTheKnownKeys() throws {
        let ws = try TempWorkspace.make()
        try Self.site(ws) { $0["trust"] = ["requireDmarcPass": true, "authServId": "mx.kk.dk", "zzzzzzzzzzzzzzzz": 1] }
        let r = try ws.run(["queue"])
        #expect(r.status == 78 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("ukendt nøgle \"trust.zzzzzzzzzzzzzzzz\"") && r.stderr.contains("kendte nøgler her: authServId, requireDmarcPass"))
    }
}
