import Foundation
import MailCore

/// `ssp-intake bench-parse`: parse + full decode throughput, for scripts/bench-parse (not listed in the help).
struct BenchParseCommand: Command {
    static let name = "bench-parse"
    static let summary = ""
    static let help = """
        Brug: ssp-intake bench-parse --manifest FIL [--root MAPPE] [--runs N]

        Indlæser alle filer i manifestet, og måler derefter parse + afkodning af
        hver bladdel (som oracle.py --bench). Skriver én JSON-linje.
        """

    var manifest: String
    var root: String
    var runs: Int

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--manifest", "--root", "--runs"])
        guard let m = p.values["--manifest"] else { throw CLIError.usage("bench-parse skal have --manifest FIL") }
        manifest = m
        root = p.values["--root"] ?? URL(fileURLWithPath: m).deletingLastPathComponent().path
        guard let r = Int(p.values["--runs"] ?? "3"), r > 0 else { throw CLIError.usage("--runs skal være et positivt tal") }
        runs = r
    }

    func run() throws -> ExitCode {
        guard let list = try? String(contentsOfFile: manifest, encoding: .utf8) else {
            throw CLIError(code: .noInput, message: "kan ikke læse \(manifest)")
        }
        var blobs: [[UInt8]] = []
        for rel in list.split(separator: "\n") where !rel.isEmpty {
            guard let d = FileManager.default.contents(atPath: root + "/" + rel) else {
                throw CLIError(code: .noInput, message: "kan ikke læse \(rel)")
            }
            blobs.append([UInt8](d))
        }
        let total = blobs.reduce(0) { $0 + $1.count }
        var times: [Double] = []
        var sink = 0
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for b in blobs {
                let m = MailMessage(bytes: b)
                for p in m.leafParts {
                    if p.contentType.isText {
                        sink &+= m.text(p).utf8.count
                    } else {
                        sink &+= m.decodedBody(p).count
                    }
                }
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        let best = times.min() ?? 1
        let obj: [String: Any] = [
            "messages": blobs.count, "bytes": total, "runs_s": times.map { ($0 * 1e4).rounded() / 1e4 },
            "best_s": (best * 1e4).rounded() / 1e4, "MB_per_s": Double(total) / best / 1e6,
            "msgs_per_s": Double(blobs.count) / best, "checksum": sink,
        ]
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        return .ok
    }
}
