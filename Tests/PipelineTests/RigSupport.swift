import Testing
import CurlTransport
import Foundation
import MailCore

/// The rig's folder when this test process started its own (stopped at exit).
nonisolated(unsafe) private var ownRigDir: String?

private func stopOwnRig() {
    guard let dir = ownRigDir else { return }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [Rig.script.path, "stop", dir]
    try? p.run()
    p.waitUntilExit()
}

/// The real Dovecot and SMTP sink on loopback (scripts/rig). scripts/test starts them and sets
/// SSP_RIG_ENV; run alone, the tests start the rig themselves. There is no skipping without it.
struct Rig: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("scripts/rig")

    let env: [String: String]

    static let shared: Rig = {
        var path = ProcessInfo.processInfo.environment["SSP_RIG_ENV"]
        if path == nil {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ssp-rig-\(getpid())").path
            let status = run(["start", dir])
            precondition(status == 0, "scripts/rig start \(dir) failed: the IMAP/SMTP tests need the rig")
            ownRigDir = dir
            atexit { stopOwnRig() }
            path = dir + "/rig.env"
        }
        let text = (try? String(contentsOfFile: path!, encoding: .utf8)) ?? ""
        var env: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let kv = line.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { env[String(kv[0])] = String(kv[1]) }
        }
        precondition(env["RIG_DIR"] != nil, "no rig environment in \(path!)")
        return Rig(env: env)
    }()

    @discardableResult
    static func run(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script.path] + args
        p.standardOutput = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    var dir: String { env["RIG_DIR"]! }
    var ca: String { env["RIG_CA"]! }
    var smtpOut: URL { URL(fileURLWithPath: env["RIG_SMTP_OUT"]!) }

    /// STARTTLS on the plain port: TLS is required either way.
    func imap(_ mailbox: String, password: String = "ssppw") -> ImapSettings {
        ImapSettings(url: env["RIG_IMAP_URL"]!, mailbox: mailbox, user: "ssp", password: password, caFile: ca, timeoutSeconds: 120)
    }

    func smtp() -> SmtpSettings { SmtpSettings(url: env["RIG_SMTP_URL"]!, user: nil, password: nil, caFile: ca) }

    /// A fresh mailbox for one test, so tests never see each other's mail.
    func newMailbox() throws -> String {
        let name = "t\(UUID().uuidString.prefix(8))"
        try ImapSession(imap("INBOX")).create(name)
        return name
    }

    /// APPENDs a message made unique for this run (a header line in front), so replies of
    /// earlier runs, which the sink keeps, can never be mistaken for this run's. `date` is its
    /// INTERNALDATE (else the time Dovecot takes it in).
    func append(_ bytes: [UInt8], to mailbox: String, run: String = UUID().uuidString, date: Date? = nil) throws {
        try ImapSession(imap(mailbox)).append(Array("X-Rig-Run: \(run)\r\n".utf8) + bytes, date: date)
    }

    /// What the SMTP sink received with this Message-ID, if it has arrived.
    func received(messageID: String) -> (bytes: [UInt8], json: [String: Any])? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: smtpOut.path)) ?? []
        for n in names where n.hasSuffix(".eml") {
            let url = smtpOut.appendingPathComponent(n)
            guard let d = try? Data(contentsOf: url) else { continue }
            let bytes = [UInt8](d)
            // Only the header is needed to find it.
            if MailMessage(bytes: bytes).messageID == messageID {
                let j = (try? Data(contentsOf: url.deletingPathExtension().appendingPathExtension("json")))
                    .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
                return (bytes, j)
            }
        }
        return nil
    }

    /// How many times a Message-ID arrived (a doubled reply shows as 2).
    func arrivals(messageID: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: smtpOut.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.filter { n in
            (try? Data(contentsOf: smtpOut.appendingPathComponent(n))).map { MailMessage(bytes: [UInt8]($0)).messageID == messageID } ?? false
        }.count
    }
}

/// Every suite that talks to the rig's servers, one after another: some stop and start a server.
@Suite(.serialized) enum RigServers {}
