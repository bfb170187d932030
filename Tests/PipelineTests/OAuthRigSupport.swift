import CurlTransport
import Foundation
import MailCore
import Testing

/// The rig's OAuth2 side (scripts/rig): the token endpoint, Dovecot's oauth2 passdb for the shared mailbox
/// ssp@kk.dk and the SMTP sink that takes only XOAUTH2. A rig.env without them is a rig older than these
/// tests: they fail saying so, as the other rig tests fail without a rig.
struct OAuthRig {
    let rig: Rig
    let tokenURL: String
    let admin: String
    let scope: String
    let user: String
    let userPassword: String
    let smtpURL: String

    static func shared() throws -> OAuthRig {
        let rig = Rig.shared
        func need(_ key: String) throws -> String {
            try #require(rig.env[key], "rig.env has no \(key): the rig in \(rig.dir) is older than the OAuth tests; start it with this scripts/rig")
        }
        return OAuthRig(rig: rig, tokenURL: try need("RIG_TOKEN_URL"), admin: try need("RIG_TOKEN_ADMIN_URL"),
                        scope: try need("RIG_OAUTH_SCOPE"), user: try need("RIG_OAUTH_USER"),
                        userPassword: try need("RIG_OAUTH_USER_PASSWORD"), smtpURL: try need("RIG_SMTP_OAUTH_URL"))
    }

    /// A client of this test's own at the token endpoint, so that its lifetimes, revocations and counts are its alone.
    /// `mailbox` is the mailbox its tokens open (Add-MailboxPermission's part).
    func newClient(lifetime: Int = 3600, mailbox: String? = nil) throws -> OAuthClientSettings {
        let id = "test-\(UUID().uuidString.prefix(8).lowercased())"
        let secret = "s~\(UUID().uuidString).\(UUID().uuidString.prefix(6))"
        try post("clients", ["client_id": id, "client_secret": secret, "mailbox": mailbox ?? user, "lifetime": lifetime])
        return OAuthClientSettings(tokenURL: tokenURL, clientID: id, clientSecret: secret, scope: scope)
    }

    /// Every token issued to the client so far is refused from now on.
    func revoke(_ client: OAuthClientSettings) throws { try post("revoke", ["client_id": client.clientID]) }

    /// The client's token requests get 503 temporarily_unavailable for `seconds`.
    func outage(_ client: OAuthClientSettings, seconds: Double) throws {
        try post("outage", ["client_id": client.clientID, "seconds": seconds])
    }

    /// What the endpoint counted for the client: issued, refused, unavailable, and its tokens asked about by
    /// Dovecot and the SMTP sink as active, expired, revoked or invalid.
    func stats(_ client: OAuthClientSettings) throws -> [String: Int] {
        let (data, _) = try http("GET", "\(admin)/stats?client_id=\(client.clientID)", body: nil)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Int]) ?? [:]
    }

    /// Ends the shared mailbox's IMAP sessions, as Exchange Online ends a session whose token expired.
    func kick() { Rig.run(["kick", rig.dir, user]) }

    /// The shared mailbox over STARTTLS with a password: the tests' own hands, apart from the code under test.
    func passwordImap(_ mailbox: String) -> ImapSettings {
        ImapSettings(url: rig.env["RIG_IMAP_URL"]!, mailbox: mailbox, user: user, password: userPassword, caFile: rig.ca, timeoutSeconds: 60)
    }

    /// The shared mailbox with XOAUTH2 and `tokens`.
    func imap(_ mailbox: String, tokens: OAuthTokenSource) -> ImapSettings {
        var s = ImapSettings(url: rig.env["RIG_IMAP_URL"]!, mailbox: mailbox, user: user, password: "", caFile: rig.ca, timeoutSeconds: 60)
        s.oauth = tokens
        return s
    }

    func smtp(tokens: OAuthTokenSource) -> SmtpSettings {
        SmtpSettings(url: smtpURL, user: user, password: nil, caFile: rig.ca, oauth: tokens)
    }

    /// A fresh mailbox of the shared mailbox for one test.
    func newMailbox() throws -> String {
        let name = "o\(UUID().uuidString.prefix(8))"
        try Self.whileDovecotIsAway { try ImapSession(passwordImap("INBOX")).create(name) }
        return name
    }

    func append(_ bytes: [UInt8], to mailbox: String) throws {
        try Self.whileDovecotIsAway { try ImapSession(passwordImap(mailbox)).append(Array("X-Rig-Run: \(UUID().uuidString)\r\n".utf8) + bytes) }
    }

    /// Runs `body` again while the rig's Dovecot is away: another suite (ImapSmtpTests) stops and starts it.
    static func whileDovecotIsAway<T>(_ body: () throws -> T) throws -> T {
        for _ in 0..<40 {
            do {
                return try body()
            } catch let e as ImapError {
                guard case .transient = e else { throw e }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        return try body()
    }

    /// A question from a colleague, which gets one reply (`mailReceived`) addressed to `sender`.
    static func question(from sender: String, number: Int) -> [UInt8] {
        Array("""
            From: Kollega \(number) <\(sender)>\r
            To: ssp@kk.dk\r
            Subject: =?utf-8?Q?Sp=C3=B8rgsm=C3=A5l_nr_\(number)?=\r
            Message-ID: <q\(number)-\(UUID().uuidString)@kk.dk>\r
            Date: Mon, 12 Apr 2027 09:00:00 +0200\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Hvornår er næste møde i lokaludvalget?\r

            """.utf8)
    }

    /// The replies the sink holds for `address`, with their metadata (`auth`: mechanism, user, client).
    func replies(to address: String) -> [(bytes: [UInt8], json: [String: Any])] {
        let out = rig.smtpOut
        let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { n in
            let url = out.appendingPathComponent(n)
            guard let d = try? Data(contentsOf: url), let j = try? JSONSerialization.jsonObject(with: d) as? [String: Any],
                  (j["rcpt_tos"] as? [String])?.contains(address) == true,
                  let eml = try? Data(contentsOf: url.deletingPathExtension().appendingPathExtension("eml")) else { return nil }
            return ([UInt8](eml), j)
        }
    }

    /// The Dovecot log's lines since `offset` bytes (logins name user and method).
    func dovecotLog(from offset: Int = 0) -> String {
        let d = FileManager.default.contents(atPath: rig.dir + "/dovecot.log") ?? Data()
        return String(decoding: d.dropFirst(offset), as: UTF8.self)
    }

    func dovecotLogSize() -> Int { FileManager.default.contents(atPath: rig.dir + "/dovecot.log")?.count ?? 0 }

    private func post(_ what: String, _ body: [String: Any]) throws {
        let (_, status) = try http("POST", "\(admin)/\(what)", body: try JSONSerialization.data(withJSONObject: body))
        try #require(status == 200, "token endpoint admin \(what): HTTP \(status)")
    }

    /// Plain HTTP/1.1 over a loopback socket: the admin URL needs no more, and no secret goes on a command line.
    private func http(_ method: String, _ url: String, body: Data?) throws -> (Data, Int) {
        let c = try #require(URLComponents(string: url))
        let port = UInt16(c.port ?? 80)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(rc == 0, "cannot connect to the token endpoint at \(url)")
        let path = c.percentEncodedPath + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body?.count ?? 0)\r\n\r\n".utf8)
        if let body { request.append(body) }
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { return (Data(), status) }
        return (response[split.upperBound...], status)
    }
}

/// The built `ssp-intake`, run as the operator runs it (beside the test bundle, as the CLI tests find it).
enum BuiltCLI {
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("ssp-intake")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Rig.root.appendingPathComponent(".build/debug/ssp-intake")
    }

    /// A site file for `ssp-intake` with OAuth2 on the source and the sink, in a folder of its own; the secret is
    /// named by `secretEnv`, never written.
    static func workspace(_ o: OAuthRig, client: OAuthClientSettings, mailbox: String, secretEnv: String,
                          pollInterval: Int = 60) throws -> (dir: URL, config: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oauth-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let configDir = Rig.root.appendingPathComponent("config")
        var site = try JSONSerialization.jsonObject(with: Data(contentsOf: configDir.appendingPathComponent("ssp-intake.json"))) as? [String: Any] ?? [:]
        let auth: [String: Any] = ["kind": "oauth2", "tokenUrl": client.tokenURL, "clientId": client.clientID,
                                   "clientSecretEnv": secretEnv, "scope": client.scope]
        site["dataDirectory"] = dir.appendingPathComponent("var").path
        site["rules"] = configDir.appendingPathComponent("rules-da.json").path
        site["replies"] = configDir.appendingPathComponent("replies-da.json").path
        site["pollIntervalSeconds"] = pollInterval
        site["source"] = ["kind": "imap", "url": o.rig.env["RIG_IMAP_URL"]!, "mailbox": mailbox, "user": o.user,
                          "caFile": o.rig.ca, "auth": auth]
        site["sink"] = ["kind": "smtp", "url": o.smtpURL, "user": o.user, "caFile": o.rig.ca, "auth": auth]
        let config = dir.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: site).write(to: config)
        return (dir, config.path)
    }

    static func process(_ args: [String], environment: [String: String]) -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = Rig.root
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return p
    }

    /// Runs it to the end: status, stdout, stderr.
    static func run(_ args: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = process(args, environment: environment)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
