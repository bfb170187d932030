import Foundation
import Testing
@testable import Intake
import MailCore

/// The intake rules over foreign mail (../shared/corpus): nothing crashes, and nothing is taken
/// for an application, a receipt or an approval at all, complete or not (no false positives).
@Suite struct CorpusIntakeTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")

    // Skipped, not passed, where the checkout has no ../shared.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: CorpusIntakeTests.corpus.appendingPathComponent("MANIFEST.txt").path),
                   "../shared/corpus is absent"))
    func noFalsePositivesOnForeignMail() throws {
        let manifest = Self.corpus.appendingPathComponent("MANIFEST.txt")
        let list = try String(contentsOf: manifest, encoding: .utf8)
        var counts: [MessageKind: Int] = [:]
        var falsePositives: [String] = []
        let files = list.split(separator: "\n").map(String.init)
        for file in files {
            let data = try Data(contentsOf: Self.corpus.appendingPathComponent(file))
            let r = testEngine.evaluate(MailMessage(data: data))
            counts[r.kind, default: 0] += 1
            switch r.kind {
            case .application, .receipt, .approval: falsePositives.append(file)
            default: break
            }
        }
        let summary = MessageKind.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        print("intake over shared/corpus: \(files.count) messages: \(summary); false positives \(falsePositives.count)")
        #expect(files.count >= 200)
        #expect(falsePositives.isEmpty, "taken for an application, receipt or approval: \(falsePositives)")
    }
}
