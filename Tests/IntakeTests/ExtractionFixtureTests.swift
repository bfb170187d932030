import Foundation
import Testing
@testable import Intake
import MailCore

/// Mails written the way coordinators, consultants and their clients really write them
/// (Tests/IntakeTests/Extraction, README there), each with the kind and the field values a person
/// expects from DOMAIN.md: every value must be read exactly. A table per field key says how many
/// were, over these fixtures and the bundled samples.
@Suite struct ExtractionFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Extraction")
    static let samplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("mailbox-samples")

    static func names(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
    }

    static let fixtures = names(in: folder)

    /// What the rules give for a mail, as `inspect --json` writes it: the kind and the fields.
    static func reading(_ url: URL) throws -> (kind: String, fields: [String: Any]) {
        let r = testEngine.evaluate(MailMessage(data: try Data(contentsOf: url)))
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let obj = try JSONSerialization.jsonObject(with: e.encode(IntakeReport(r))) as? [String: Any]
        return (r.kind.rawValue, obj?["fields"] as? [String: Any] ?? [:])
    }

    static func expected(_ url: URL) throws -> (kind: String, fields: [String: Any]) {
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: url.deletingPathExtension().appendingPathExtension("expected.json")))
            as? [String: Any]
        return (obj?["kind"] as? String ?? "", obj?["fields"] as? [String: Any] ?? [:])
    }

    static func same(_ a: Any?, _ b: Any?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        // Written out again, so true and 1, 312.5 and 312.50 compare as JSON does.
        func json(_ v: Any) -> Data? { try? JSONSerialization.data(withJSONObject: ["v": v], options: [.sortedKeys]) }
        return json(a) == json(b)
    }

    @Test func thereAreEnoughFixturesForEachPattern() {
        #expect(Self.fixtures.count >= 20)
    }

    @Test(arguments: fixtures)
    func fixtureReadsAsAPersonWould(_ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let want = try Self.expected(url), got = try Self.reading(url)
        #expect(got.kind == want.kind, "\(name): kind")
        for (key, value) in want.fields.sorted(by: { $0.key < $1.key }) {
            #expect(Self.same(got.fields[key], value), "\(name): \(key) expected \(value), read \(got.fields[key] ?? "nothing")")
        }
    }

    /// Per field key: values read exactly over the fixtures and over the samples' reviewed expectations.
    @Test func tableOfExactReadsPerFieldKey() throws {
        var rows: [String: (fixOK: Int, fix: Int, sampleOK: Int, sample: Int)] = [:]
        var kinds = (fixOK: 0, fix: 0, sampleOK: 0, sample: 0)
        for (dir, isFixture) in [(Self.folder, true), (Self.samplesFolder, false)] {
            for name in Self.names(in: dir) {
                let url = dir.appendingPathComponent(name)
                let want = try Self.expected(url), got = try Self.reading(url)
                if isFixture { kinds.fix += 1; kinds.fixOK += got.kind == want.kind ? 1 : 0 } else {
                    kinds.sample += 1; kinds.sampleOK += got.kind == want.kind ? 1 : 0
                }
                for (key, value) in want.fields {
                    var row = rows[key] ?? (0, 0, 0, 0)
                    let ok = Self.same(got.fields[key], value) ? 1 : 0
                    if isFixture { row.fix += 1; row.fixOK += ok } else { row.sample += 1; row.sampleOK += ok }
                    rows[key] = row
                }
            }
        }
        func cell(_ ok: Int, _ n: Int) -> String { n == 0 ? "–" : "\(ok)/\(n)" }
        var table = "field key                 fixtures   samples\n"
        table += "kind".padding(toLength: 26, withPad: " ", startingAt: 0) + cell(kinds.fixOK, kinds.fix).padding(toLength: 11, withPad: " ", startingAt: 0)
            + cell(kinds.sampleOK, kinds.sample) + "\n"
        for key in rows.keys.sorted() {
            let r = rows[key]!
            table += key.padding(toLength: 26, withPad: " ", startingAt: 0) + cell(r.fixOK, r.fix).padding(toLength: 11, withPad: " ", startingAt: 0)
                + cell(r.sampleOK, r.sample) + "\n"
        }
        let all = rows.values.reduce((0, 0)) { ($0.0 + $1.fixOK + $1.sampleOK, $0.1 + $1.fix + $1.sample) }
        table += "all values".padding(toLength: 26, withPad: " ", startingAt: 0) + "\(all.0)/\(all.1)\n"
        print("exact reads per field key (Tests/IntakeTests/Extraction and mailbox-samples):\n" + table)
        #expect(all.0 == all.1)
    }
}
