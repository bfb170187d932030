import Foundation

/// Runs the built `ssp-intake` binary, as a user would, and captures what it prints.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable beside the test bundle (the same build folder).
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("ssp-intake")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/ssp-intake")
    }

    static func run(_ args: [String]) throws -> CLIRun {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = repoRoot
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A temporary data directory with its own copy of the config, so CLI tests never touch ./var.
struct TempWorkspace {
    let dir: URL
    let configPath: String

    /// `mailbox` is the folder the source reads (default: the bundled samples).
    static func make(mailbox: URL = CLIRun.repoRoot.appendingPathComponent("mailbox-samples")) throws -> TempWorkspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let configDir = CLIRun.repoRoot.appendingPathComponent("config")
        let data = try Data(contentsOf: configDir.appendingPathComponent("ssp-intake.json"))
        var site = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        site["dataDirectory"] = dir.appendingPathComponent("var").path
        site["source"] = ["kind": "folder", "path": mailbox.path]
        site["rules"] = configDir.appendingPathComponent("rules-da.json").path
        site["replies"] = configDir.appendingPathComponent("replies-da.json").path
        let config = dir.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: site).write(to: config)
        return TempWorkspace(dir: dir, configPath: config.path)
    }

    /// Runs `ssp-intake` with this workspace's config.
    func run(_ args: [String]) throws -> CLIRun {
        try CLIRun.run(args + ["--config", configPath])
    }
}

/// `ssp-intake run` as the service, started and waited for until its first pass has logged its summary.
final class RunningService {
    let process = Process()
    private let err = Pipe()
    private(set) var log = Data()
    var text: String { String(decoding: log, as: UTF8.self) }

    init(_ ws: TempWorkspace) throws {
        process.executableURL = CLIRun.binary
        process.arguments = ["run", "--config", ws.configPath]
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, !text.contains("behandlet") {
            log.append(err.fileHandleForReading.availableData)
        }
    }

    /// SIGTERM, then what it logged until it ended.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        log.append(err.fileHandleForReading.readDataToEndOfFile())
    }

    deinit { stop() }
}
