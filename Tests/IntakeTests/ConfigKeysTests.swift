import Foundation
import Testing
@testable import Intake

/// The key lists beside the decoders: the shipped files use only known keys, and a typo is found with its nearest key.
@Suite struct ConfigKeysTests {
    static let configDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config")

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: configDir.appendingPathComponent(name)))
    }

    @Test func theShippedRulesAndRepliesUseOnlyKnownKeys() throws {
        #expect(IntakeConfig.rulesKeys.unknownKey(in: try Self.json("rules-da.json")) == nil)
        #expect(IntakeConfig.repliesKeys.unknownKey(in: try Self.json("replies-da.json")) == nil)
    }

    /// The site file alone is not all known to the intake config: the runtime settings read its other part.
    @Test func theSiteFileNeedsTheOtherDecodersKeys() throws {
        let u = try #require(IntakeConfig.siteKeys.unknownKey(in: try Self.json("ssp-intake.json")))
        #expect(["dataDirectory", "source"].contains(u.path))
    }

    @Test func aTypoIsFoundWithItsPathAndNearestKey() {
        let keys = ConfigKeys.object(["leaders": .list(.object(["name": .value, "email": .value])), "rules": .value])
        let u = keys.unknownKey(in: ["rules": "r", "leaders": [["name": "a", "email": "b"], ["name": "c", "emial": "d"]]])
        #expect(u?.path == "leaders.1.emial" && u?.suggestion == "leaders.1.email")
        #expect(u?.message(file: "x.json") == "ukendt nøgle \"leaders.1.emial\" i x.json – mente du \"leaders.1.email\"?")
        #expect(keys.unknownKey(in: ["Rules": 1])?.suggestion == "rules")
        #expect(keys.unknownKey(in: ["qqqqqqqqqqqq": 1])?.suggestion == nil)
    }

    @Test func mapKeysAreFreeOrFromTheirSet() {
        let free = ConfigKeys.map(allowed: nil, .value)
        #expect(free.unknownKey(in: ["anything": 1, "else": 2]) == nil)
        let kinds = ConfigKeys.map(allowed: ["receiptLate"], .object(["body": .value]))
        #expect(kinds.unknownKey(in: ["receiptLate": ["body": "x"]]) == nil)
        #expect(kinds.unknownKey(in: ["receiptLat": ["body": "x"]])?.suggestion == "receiptLate")
        #expect(kinds.unknownKey(in: ["receiptLate": ["bdy": "x"]])?.path == "receiptLate.bdy")
    }

    @Test func unionKeepsBothSidesKeys() {
        let a = ConfigKeys.object(["source": .object(["kind": .value]), "rules": .value])
        let b = ConfigKeys.object(["source": .object(["path": .value]), "dataDirectory": .value])
        let both = a.union(b)
        #expect(both.unknownKey(in: ["source": ["kind": 1, "path": 2], "rules": 1, "dataDirectory": 1]) == nil)
        #expect(both.unknownKey(in: ["source": ["url": 1]])?.path == "source.url")
    }

    @Test(arguments: [("", "abc", 3), ("kitten", "sitting", 3), ("pasword", "password", 1), ("same", "same", 0)])
    func levenshtein(_ a: String, _ b: String, _ d: Int) {
        #expect(UnknownConfigKey.distance(a, b) == d && UnknownConfigKey.distance(b, a) == d)
    }
}
