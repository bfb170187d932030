import Foundation
import Intake
import MailPorts
import Pipeline
import Store

/// The bundled config, and stores that have read a mailbox folder, for the workbench's pages.
enum WorkbenchFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let config: IntakeConfig = {
        let dir = root.appendingPathComponent("config")
        do {
            return try IntakeConfig.decode(site: Data(contentsOf: dir.appendingPathComponent("ssp-intake.json"))) {
                try Data(contentsOf: dir.appendingPathComponent($0))
            }
        } catch { fatalError("config must load: \(error)") }
    }()

    /// Runs the pipeline once over `mailbox` into `store`, replies delivered to a folder in `directory`.
    static func read(_ mailbox: URL, into store: IntakeStore, directory: URL) throws {
        let p = Pipeline(store: store, engine: IntakeEngine(config: config), source: FolderSource(directory: mailbox),
                         sink: OutboxFolderSink(directory: directory.appendingPathComponent("outbox")), dataDirectory: directory)
        _ = try p.runOnce()
    }

    static var samples: URL { root.appendingPathComponent("mailbox-samples") }

    /// A mailbox folder holding the given mails (`name.eml` → text with LF lines, written with CRLF).
    static func mailbox(_ mails: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-mailbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in mails {
            try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: dir.appendingPathComponent(name))
        }
        return dir
    }
}
