import Foundation
import Intake
import MailPorts
import Pipeline
import Store

/// The bundled config and a fresh store that has read a mailbox folder, for the Secretariat's views.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let config: IntakeConfig = {
        let dir = root.appendingPathComponent("config")
        do {
            return try IntakeConfig.decode(site: Data(contentsOf: dir.appendingPathComponent("ssp-intake.json"))) {
                try Data(contentsOf: dir.appendingPathComponent($0))
            }
        } catch { fatalError("config must load: \(error)") }
    }()

    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A store that has run once over `mailbox` (default: the bundled samples), replies delivered to a folder.
    static func store(mailbox: URL = root.appendingPathComponent("mailbox-samples")) throws -> (IntakeStore, URL) {
        let dir = try temporaryDirectory("secretariat")
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        let p = Pipeline(store: store, engine: IntakeEngine(config: config), source: FolderSource(directory: mailbox),
                         sink: OutboxFolderSink(directory: dir.appendingPathComponent("outbox")), dataDirectory: dir)
        _ = try p.runOnce()
        return (store, dir)
    }

    /// A mailbox folder holding the given mails (`name.eml` → text with LF lines, written with CRLF).
    static func mailbox(_ mails: [String: String]) throws -> URL {
        let dir = try temporaryDirectory("mailbox")
        for (name, text) in mails {
            try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: dir.appendingPathComponent(name))
        }
        return dir
    }

    /// A mail with four attachments whose names are hostile or clash: a path, control characters, twice the same name.
    static let hostileMail = """
        From: Anders Holt <anders.holt@kk.dk>
        To: SSP København <ssp@kk.dk>
        Subject: Bilag til seminaret
        Date: Thu, 09 Sep 2027 09:15:00 +0200
        Message-ID: <bilag-1@kk.dk>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Hej, her er bilagene.
        --b1
        Content-Type: application/pdf
        Content-Disposition: attachment; filename="../../etc/passwd"
        Content-Transfer-Encoding: base64

        ZXR0ZXI=
        --b1
        Content-Type: application/pdf
        Content-Disposition: attachment; filename*=utf-8''kvit%07tering%1B.pdf
        Content-Transfer-Encoding: base64

        dG8=
        --b1
        Content-Type: application/pdf
        Content-Disposition: attachment; filename="bilag.pdf"
        Content-Transfer-Encoding: base64

        dHJl
        --b1
        Content-Type: application/pdf
        Content-Disposition: attachment; filename="bilag.pdf"
        Content-Transfer-Encoding: base64

        ZmlyZQ==
        --b1--

        """
}
