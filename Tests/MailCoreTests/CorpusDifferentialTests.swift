import Foundation
import MailCore
import Testing

/// Differential test against ../shared/corpus: what Python's `email` makes of 205 foreign messages.
@Suite struct CorpusDifferentialTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let disagreementsFile = repoRoot.appendingPathComponent("Tests/MailCoreTests/CorpusDisagreements.md")

    struct OracleRecord: Decodable {
        struct Part: Decodable {
            var content_type: String?
            var charset: String?
            var filename: String?
            var payload_len: Int?
            var payload_sha256: String?
            var text_sha256: String?
            var text_len: Int?
            var text_head: String?
        }
        var file: String
        var subject: String?
        var from: [String]?
        var to: [String]?
        var parts: [Part]?
        var ok: Bool
    }

    /// Compares one message; returns the fields that disagree.
    static func compare(_ o: OracleRecord, _ m: MailMessage) -> [String] {
        var diffs: [String] = []
        if m.subject != o.subject {
            diffs.append("subject: ours \(m.subject.debugDescription) python \(o.subject.debugDescription)")
        }
        func addrs(_ name: String) -> [String]? {
            m.headers.first(name) == nil ? nil : m.addresses(name).map(\.formatted)
        }
        if addrs("from") != o.from { diffs.append("from: ours \(addrs("from") ?? []) python \(o.from ?? [])") }
        if addrs("to") != o.to { diffs.append("to: ours \(addrs("to") ?? []) python \(o.to ?? [])") }
        let leaves = m.leafParts
        let parts = o.parts ?? []
        if leaves.count != parts.count {
            diffs.append("parts: ours \(leaves.count) python \(parts.count)")
            return diffs
        }
        for (i, (p, q)) in zip(leaves, parts).enumerated() {
            if p.contentType.mimeType != q.content_type {
                diffs.append("part \(i) type: ours \(p.contentType.mimeType) python \(q.content_type ?? "-")")
            }
            if p.contentType.charset != q.charset {
                diffs.append("part \(i) charset: ours \(p.contentType.charset ?? "-") python \(q.charset ?? "-")")
            }
            if p.filename != q.filename {
                diffs.append("part \(i) filename: ours \(p.filename.debugDescription) python \(q.filename.debugDescription)")
            }
            let data = m.decodedBody(p)
            if data.count != q.payload_len || SHA256.hex(data) != q.payload_sha256 {
                diffs.append("part \(i) payload: ours \(data.count) bytes python \(q.payload_len ?? -1)")
            }
            if p.contentType.isText, let expected = q.text_sha256 {
                let ours = m.text(p)
                if SHA256.hex(normalized(ours).utf8) != expected
                    && SHA256.hex(ours.utf8) != expected {
                    let head = q.text_head ?? ""
                    let mine = Array(ours.unicodeScalars.prefix(head.unicodeScalars.count))
                    let theirs = Array(head.unicodeScalars)
                    let at = (0..<min(mine.count, theirs.count)).first { mine[$0] != theirs[$0] } ?? min(mine.count, theirs.count)
                    let near = String(String.UnicodeScalarView(mine[at...].prefix(12))).debugDescription
                    let nearP = String(String.UnicodeScalarView(theirs[at...].prefix(12))).debugDescription
                    diffs.append("part \(i) text differs: ours \(ours.unicodeScalars.count) python \(q.text_len ?? -1) scalars; first difference at \(at): ours \(near) python \(nearP)")
                }
            }
        }
        return diffs
    }

    /// Python's text keeps the mail's line endings; ours too, but a lone CR is kept by both.
    static func normalized(_ s: String) -> String { s }

    @Test func corpusAgreesWithPythonEmail() throws {
        let oraclePath = Self.corpus.appendingPathComponent("oracle.jsonl")
        guard let oracleData = FileManager.default.contents(atPath: oraclePath.path) else {
            print("shared corpus absent at \(Self.corpus.path): differential test not run (this checkout has no ../shared)")
            return
        }
        let records = try oracleData.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(OracleRecord.self, from: Data($0))
        }
        #expect(records.count == 205)
        var agree = 0
        var report: [(String, [String])] = []
        for o in records {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(o.file)))
            let m = MailMessage(bytes: bytes)
            // Everything the inspect command reads must be computable without a crash.
            _ = MessageReport(m).jsonLine()
            let diffs = Self.compare(o, m)
            if diffs.isEmpty { agree += 1 } else { report.append((o.file, diffs)) }
        }
        let pct = Double(agree) * 100 / Double(records.count)
        print("corpus agreement: \(agree)/\(records.count) messages = \(String(format: "%.1f", pct))%")
        for (f, d) in report { print("DISAGREE \(f)\n    " + d.joined(separator: "\n    ")) }
        #expect(pct >= 95.0, "agreement \(pct)% is below 95%")

        // Every disagreement must be explained in CorpusDisagreements.md.
        let listed = (try? String(contentsOf: Self.disagreementsFile, encoding: .utf8)) ?? ""
        let unexplained = report.map(\.0).filter { !listed.contains("`\($0)`") }
        #expect(unexplained.isEmpty, "not explained in CorpusDisagreements.md: \(unexplained)")
        let stale = report.isEmpty ? [] : listed.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("- `"), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
            let f = String(line.dropFirst(3)[..<end])
            return report.contains { $0.0 == f } ? nil : f
        }
        #expect(stale.isEmpty, "listed in CorpusDisagreements.md but now agreeing: \(stale)")
    }
}
