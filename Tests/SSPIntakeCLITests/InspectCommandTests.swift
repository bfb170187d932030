import Foundation
import Testing

/// `ssp-intake inspect` on the bundled samples and on bad input, run as a user would.
@Suite struct InspectCommandTests {
    static let samples: [String] = {
        let dir = CLIRun.repoRoot.appendingPathComponent("mailbox-samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted()
    }()

    @Test func thereAreAtLeastThirtySamplesCoveringEveryKind() throws {
        #expect(Self.samples.count >= 30)
        var kinds = Set<String>()
        for name in Self.samples {
            let url = CLIRun.repoRoot.appendingPathComponent("mailbox-samples/" + name.replacingOccurrences(of: ".eml", with: ".expected.json"))
            let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            if let k = obj?["kind"] as? String { kinds.insert(k) }
        }
        #expect(kinds == ["application", "receipt", "approval", "statusReport", "automatic", "unknown"])
    }

    @Test func missingConfigIsOneLineAndExit78() throws {
        let run = try CLIRun.run(["inspect", "--config", "no/such/config.json", "mailbox-samples/" + Self.samples[0]])
        #expect(run.status == 78)
        #expect(run.stderr.contains("no/such/config.json"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
    }

    @Test func malformedConfigIsOneLineAndExit78() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
        try Data("{\"mailbox\": {\"address\": 1}}".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try CLIRun.run(["inspect", "--config", url.path, "mailbox-samples/" + Self.samples[0]])
        #expect(run.status == 78)
        #expect(run.stderr.contains("mailbox.address"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func humanOutputShowsTheIntakeResult() throws {
        let run = try CLIRun.run(["inspect", "mailbox-samples/02-outlook-html-only-cp1252.eml"])
        #expect(run.stdout.contains("Slags:      ansøgning"))
        #expect(run.stdout.contains("Mangler:    evaluation, coordinator.email, coordinator.phone"))
        #expect(run.stdout.contains("Svar:       missingFields til mette.soerensen@kk.dk"))
    }

    /// Each sample's `inspect --json` equals its reviewed NAME.expected.json.
    @Test(arguments: samples)
    func sampleMatchesExpectedJSON(_ name: String) throws {
        let path = "mailbox-samples/" + name
        let run = try CLIRun.run(["inspect", "--json", path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let expectedURL = CLIRun.repoRoot.appendingPathComponent(path.replacingOccurrences(of: ".eml", with: ".expected.json"))
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as? NSDictionary
        let actual = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? NSDictionary
        #expect(expected != nil && actual == expected, "inspect --json \(path) differs from its .expected.json")
    }

    @Test func fieldSourcesSayWhereEachValueWasRead() throws {
        let run = try CLIRun.run(["inspect", "--json", "mailbox-samples/05-iphone-receipt-inline-jpeg.eml"])
        let obj = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let sources = try #require(obj?["fieldSources"] as? [String: [String: String]])
        #expect(sources["payer"] == ["source": "label", "line": "Navn: Søren Østergaard"])
        #expect(sources["amount"]?["source"] == "sentence")
        #expect((obj?["hints"] as? [String])?.contains("Beløb: læst fra fritekst – kontrollér") == true)
        let human = try CLIRun.run(["inspect", "mailbox-samples/05-iphone-receipt-inline-jpeg.eml"])
        #expect(human.stdout.contains("Kilder:\n"))
        #expect(human.stdout.contains("  payer: feltnavn: \"Navn: Søren Østergaard\""))
    }

    @Test func humanOutputShowsDanishLetters() throws {
        let run = try CLIRun.run(["inspect", "mailbox-samples/01-outlook-html-application-table.eml"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Emne:       Ansøgning om lokal SSP-indsats: Fritidsjob og gadeplan på Bispebjerg"))
        #expect(run.stdout.contains("Fra:        Line Grønbæk Nielsen <line.groenbaek@kk.dk>"))
        #expect(run.stdout.contains("7. Økonomiansvarlig"))
        #expect(run.stdout.contains("multipart/alternative"))
    }

    @Test func severalFilesGiveOneJSONObjectPerLine() throws {
        let run = try CLIRun.run(["inspect", "--json", "mailbox-samples/" + Self.samples[0], "mailbox-samples/" + Self.samples[1]])
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for l in lines {
            let obj = try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any]
            for key in ["messageId", "subject", "from", "to", "date", "inReplyTo", "references", "parts", "text", "attachments", "findings", "kind", "reasons", "fields", "fieldSources", "missing", "invalid", "decision", "reference", "trusted", "late", "hints", "reply", "noReplyReason"] {
                #expect(obj?.keys.contains(key) == true, "missing key \(key)")
            }
        }
    }

    @Test func unreadableFileIsReportedWithExit66AndTheRestStillRuns() throws {
        let run = try CLIRun.run(["inspect", "--json", "does-not-exist.eml", "mailbox-samples/" + Self.samples[0]])
        #expect(run.status == 66)
        #expect(run.stderr.contains("does-not-exist.eml"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.split(separator: "\n").count == 1)
    }

    @Test func garbageIsReadNotCrashedOn() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString).eml")
        var bytes = [UInt8]()
        var x: UInt32 = 12345
        for _ in 0..<50_000 {
            x = x &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: x >> 16))
        }
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try CLIRun.run(["inspect", "--json", url.path])
        #expect(run.status == 0)
        #expect((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) != nil)
    }

    @Test func usageErrorsExit64WithOneLine() throws {
        for args in [["inspect"], ["inspect", "--bogus", "x.eml"], ["no-such-command"]] {
            let run = try CLIRun.run(args)
            #expect(run.status == 64, "\(args)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(args): \(run.stderr)")
        }
    }

    @Test func helpIsThereForTheProgramAndTheCommand() throws {
        let top = try CLIRun.run(["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("inspect"))
        let cmd = try CLIRun.run(["inspect", "--help"])
        #expect(cmd.status == 0)
        #expect(cmd.stdout.contains("--json"))
    }
}
