import CurlTransport
import Foundation
import Intake
import MailCore
import Pipeline

/// Loads the files a manifest names (one relative path per line).
func loadManifest(_ manifest: String, root: String) throws -> [[UInt8]] {
    guard let list = try? String(contentsOfFile: manifest, encoding: .utf8) else {
        throw CLIError(code: .noInput, message: "kan ikke læse \(manifest)")
    }
    return try list.split(separator: "\n").filter { !$0.isEmpty }.map { rel in
        guard let d = FileManager.default.contents(atPath: root + "/" + rel) else {
            throw CLIError(code: .noInput, message: "kan ikke læse \(rel)")
        }
        return [UInt8](d)
    }
}

func printJSON(_ obj: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data("{}".utf8)
    print(String(decoding: data, as: UTF8.self))
}

/// `ssp-intake bench-intake`: recognise + extract + validate + plan the reply, messages per second on one core (for scripts/bench).
struct BenchIntakeCommand: Command {
    static let name = "bench-intake"
    static let summary = ""
    static let help = "Brug: ssp-intake bench-intake --manifest FIL [--root MAPPE] [--runs N] [--config FIL]"

    var manifest: String
    var root: String
    var runs: Int
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--manifest", "--root", "--runs", "--config"])
        guard let m = p.values["--manifest"] else { throw CLIError.usage("bench-intake skal have --manifest FIL") }
        manifest = m
        root = p.values["--root"] ?? URL(fileURLWithPath: m).deletingLastPathComponent().path
        guard let r = Int(p.values["--runs"] ?? "3"), r > 0 else { throw CLIError.usage("--runs skal være et positivt tal") }
        runs = r
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let engine = IntakeEngine(config: try ConfigLoader.load(configPath))
        let blobs = try loadManifest(manifest, root: root)
        var best = Double.infinity
        var kinds: [String: Int] = [:]
        for r in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for b in blobs {
                let result = engine.evaluate(MailMessage(bytes: b), received: Date(timeIntervalSince1970: 1_800_000_000))
                if r == 0 { kinds[result.kind.rawValue, default: 0] += 1 }
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        printJSON(["messages": blobs.count, "best_s": best, "msgs_per_s": Double(blobs.count) / best, "kinds": kinds])
        return .ok
    }
}

/// `ssp-intake bench-poll`: polls with nothing new against the configured IMAP mailbox through
/// ImapSource itself, as the service does: the first poll opens the connection, the rest reuse it.
/// Time and IMAP commands per poll.
struct BenchPollCommand: Command {
    static let name = "bench-poll"
    static let summary = ""
    static let help = "Brug: ssp-intake bench-poll [--runs N] [--config FIL]"

    var runs: Int
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--runs", "--config"])
        guard let r = Int(p.values["--runs"] ?? "10"), r > 0 else { throw CLIError.usage("--runs skal være et positivt tal") }
        runs = r
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath, store: .create)
        // The kept session's command counter is the IMAP adapter's own.
        guard let source = try ws.source() as? ImapSource else {
            throw CLIError(code: .config, message: "bench-poll skal have en IMAP-postkasse (source.kind \"imap\")")
        }
        var times: [Double] = []
        var perPoll: [[String]] = []
        var found = 0
        for _ in 0...runs {
            let before = source.sessionCommandCount
            let t0 = DispatchTime.now().uptimeNanoseconds
            found += try source.ingestNew(into: ws.store, log: { _ in }, shouldStop: { false })
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            perPoll.append(source.sessionCommands.suffix(source.sessionCommandCount - before).map { $0.split(separator: " ").dropFirst().joined(separator: " ") })
        }
        // The first poll opens the connection; the others are what the running service does each interval.
        let kept = Array(times.dropFirst()).sorted()
        printJSON(["polls": runs, "new": found,
                   "first_s": times[0], "first_commands": perPoll[0],
                   "median_s": kept[kept.count / 2], "best_s": kept[0], "commands": perPoll.last ?? []])
        return .ok
    }
}
