import CurlTransport
import Foundation
import Intake
import MailCore
import MailPorts
@testable import Pipeline
import Store
import Testing

// Nested in RigServers: suites run side by side, and one that stops a server must not meet another that uses it.
extension RigServers {
/// OAuth2 on both sides against the real rig: Dovecot's oauth2 passdb and the XOAUTH2-only SMTP sink, both asking
/// the rig's token endpoint about every token. Serialized: kicking the shared mailbox's sessions is felt by all.
@Suite(.serialized) struct OAuthRigTests {
    /// What a token source logged, to look for secrets in.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) {
            lock.lock()
            lines.append(s)
            lock.unlock()
        }
        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }

    static func store() throws -> (IntakeStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oauth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path), dir)
    }

    static func pipeline(_ store: IntakeStore, _ dir: URL, source: ImapSource, sink: SmtpSink) -> Pipeline {
        Pipeline(store: store, engine: IntakeEngine(config: PipelineTests.config), source: source, sink: sink, dataDirectory: dir)
    }

    /// One pass, again while the mailbox is away: another suite restarts the rig's Dovecot now and then.
    static func pass(_ p: Pipeline) throws -> RunSummary {
        for _ in 0..<20 {
            do {
                return try p.runOnce()
            } catch let e as SourceError {
                guard case .unavailable = e else { throw e }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        return try p.runOnce()
    }

    static let processed = AfterProcessing(flag: "$SSPProcessed", seen: false, moveTo: nil)

    /// A sender of this run only: the sink keeps every run's mail.
    static func sender(_ n: Int, _ run: String) -> String { "k\(run)-\(n)@kk.dk" }

    @Test func aRunWithOAuthOnBothSidesDeliversMail() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient()
        let box = try o.newMailbox()
        let lines = Lines()
        let imapTokens = OAuthTokenSource(client, log: lines.add), smtpTokens = OAuthTokenSource(client, log: lines.add)
        let (store, dir) = try Self.store()
        let source = ImapSource(settings: o.imap(box, tokens: imapTokens), after: Self.processed, maxMessageBytes: 40 << 20)
        let p = Self.pipeline(store, dir, source: source,
                              sink: try SmtpSink(settings: o.smtp(tokens: smtpTokens), from: PipelineTests.config.site.mailbox.address))
        let run = UUID().uuidString.prefix(8).lowercased()
        try o.append(OAuthRig.question(from: Self.sender(1, String(run)), number: 1), to: box)
        let logStart = o.dovecotLogSize()
        let s = try Self.pass(p)
        #expect(s.ingested == 1 && s.processed == 1 && s.delivered == 1, "\((try? store.outbox().map { $0.lastError ?? "" }) ?? [])")
        // The reply arrived over STARTTLS, logged in with XOAUTH2 for the shared mailbox by this test's client.
        let replies = o.replies(to: Self.sender(1, String(run)))
        #expect(replies.count == 1)
        let auth = replies.first?.json["auth"] as? [String: Any]
        #expect(auth?["mechanism"] as? String == "XOAUTH2" && auth?["user"] as? String == o.user
                && auth?["client_id"] as? String == client.clientID, "\(auth ?? [:])")
        #expect(replies.first?.json["tls"] as? Bool == true)
        #expect(MailMessage(bytes: replies.first?.bytes ?? []).subject == "SV: Spørgsmål nr 1")
        // Dovecot took XOAUTH2 (forced: libcurl would pick OAUTHBEARER, which Dovecot offers too).
        #expect(o.dovecotLog(from: logStart).contains("Login: user=<\(o.user)>, method=XOAUTH2"))
        #expect(!o.dovecotLog(from: logStart).contains("method=OAUTHBEARER"))
        #expect(source.sessionCommands.contains { $0.hasSuffix(" AUTHENTICATE") })
        // Processed mail is flagged through the same session.
        let flags = try OAuthRig.whileDovecotIsAway {
            let check = try ImapSession(o.passwordImap(box))
            return try check.info(try check.search(after: 0).1).values.map(\.flags)
        }
        #expect(flags.count == 1 && flags.allSatisfy { $0.contains("$SSPProcessed") })
        // One token each, kept for the next pass: a poll with nothing new asks the endpoint for none.
        #expect(try Self.pass(p) == RunSummary())
        #expect(imapTokens.fetchCount == 1 && smtpTokens.fetchCount == 1)
        let stats = try o.stats(client)
        #expect(stats["issued"] == 2 && (stats["expired"] ?? 0) == 0, "\(stats)")
        // The log says a token came, never what it is.
        #expect(lines.all.filter { $0.hasPrefix("nyt adgangstoken til \(client.clientID)") }.count == 2, "\(lines.all)")
        #expect(!lines.all.joined().contains(client.clientSecret) && !lines.all.joined().contains("eyJ"))
    }

    /// A token the server refuses (revoked here, as an admin would) is replaced once, and the run goes on: on the
    /// kept IMAP session after the server ended it, and on a new SMTP connection.
    @Test func aRevokedTokenMidRunRecovers() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient()
        let box = try o.newMailbox()
        let lines = Lines()
        let imapTokens = OAuthTokenSource(client, log: lines.add), smtpTokens = OAuthTokenSource(client, log: lines.add)
        let (store, dir) = try Self.store()
        let source = ImapSource(settings: o.imap(box, tokens: imapTokens), after: Self.processed, maxMessageBytes: 40 << 20)
        let from = PipelineTests.config.site.mailbox.address
        let first = Self.pipeline(store, dir, source: source, sink: try SmtpSink(settings: o.smtp(tokens: smtpTokens), from: from))
        let run = String(UUID().uuidString.prefix(8).lowercased())
        try o.append(OAuthRig.question(from: Self.sender(1, run), number: 1), to: box)
        #expect(try Self.pass(first).delivered == 1)

        try o.revoke(client)
        o.kick()
        Thread.sleep(forTimeInterval: 0.5)
        try o.append(OAuthRig.question(from: Self.sender(2, run), number: 2), to: box)
        // The same source (its kept session, now ended by the server) and the same token sources; a new SMTP connection.
        let second = Self.pipeline(store, dir, source: source, sink: try SmtpSink(settings: o.smtp(tokens: smtpTokens), from: from))
        let s = try Self.pass(second)
        #expect(s.ingested == 1 && s.delivered == 1 && s.deliveryFailures == 0, "\((try? store.outbox().map { $0.lastError ?? "" }) ?? [])")
        #expect(o.replies(to: Self.sender(2, run)).count == 1)
        #expect(imapTokens.fetchCount == 2 && smtpTokens.fetchCount == 2)
        let stats = try o.stats(client)
        #expect((stats["revoked"] ?? 0) >= 2, "Dovecot and the sink each refused the revoked token once: \(stats)")
        #expect(lines.all.contains("IMAP afviste adgangstokenet; et nyt hentes"), "\(lines.all)")
        #expect(lines.all.contains("SMTP afviste adgangstokenet; et nyt hentes"), "\(lines.all)")
        #expect(try store.messages(status: "processed").count == 2 && store.messages(status: "failed").isEmpty)
    }

    /// SMTP: the token never reaches the recorded commands (it follows AUTH XOAUTH2 on a line of its own), and a
    /// token renewed on a kept handle logs in again on a new connection.
    @Test func smtpKeepsNoTokenAndLogsInAgainWithARenewedOne() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient(lifetime: 3)
        let tokens = OAuthTokenSource(client)
        let sender = try SmtpSender(o.smtp(tokens: tokens), recordingCommands: true)
        let to = "r\(UUID().uuidString.prefix(8).lowercased())@kk.dk"
        func mail(_ n: Int) -> [UInt8] {
            Array("From: ssp@kk.dk\r\nTo: \(to)\r\nSubject: nr \(n)\r\nMessage-ID: <renew-\(n)-\(UUID().uuidString)@kk.dk>\r\n\r\nhej\r\n".utf8)
        }
        try sender.send(mail(1), from: "ssp@kk.dk", to: [to])
        try sender.send(mail(2), from: "ssp@kk.dk", to: [to])
        #expect(sender.sentCommands.contains("AUTH XOAUTH2"), "\(sender.sentCommands)")
        #expect(!sender.sentCommands.contains { $0.contains("dXNlcj") }, "a SASL line was recorded")
        #expect(tokens.fetchCount == 1)
        Thread.sleep(forTimeInterval: 2.6)   // past 80% of 3 s, before the end
        try sender.send(mail(3), from: "ssp@kk.dk", to: [to])
        #expect(tokens.fetchCount == 2)
        #expect(o.replies(to: to).count == 3)
        let stats = try o.stats(client)
        #expect(stats["issued"] == 2 && stats["active"] == 2 && (stats["expired"] ?? 0) == 0, "\(stats)")
    }

    // MARK: - The CLI, as the operator runs it

    static let secretEnv = "SSP_TEST_OAUTH_SECRET"

    /// `run --once` again when the rig's Dovecot is away a moment (another suite restarts it): 75 is that.
    static func runOnce(_ config: String, secret: String) throws -> (status: Int32, stdout: String, stderr: String) {
        var r = try BuiltCLI.run(["run", "--once", "--config", config], environment: [secretEnv: secret])
        for _ in 0..<5 where r.status == 75 {
            Thread.sleep(forTimeInterval: 1)
            r = try BuiltCLI.run(["run", "--once", "--config", config], environment: [secretEnv: secret])
        }
        return r
    }

    @Test func theCLIDeliversWithOAuthAndPrintsNoSecretOrToken() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient()
        let box = try o.newMailbox()
        let run = String(UUID().uuidString.prefix(8).lowercased())
        try o.append(OAuthRig.question(from: Self.sender(1, run), number: 1), to: box)
        let ws = try BuiltCLI.workspace(o, client: client, mailbox: box, secretEnv: Self.secretEnv)
        let r = try Self.runOnce(ws.config, secret: client.clientSecret)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1 nye, 1 behandlet, 0 fejlet, 1 svar leveret"), "\(r.stderr)")
        #expect(r.stderr.contains("nyt adgangstoken til \(client.clientID) fra 127.0.0.1 (gyldigt i 3600 s)"))
        for secret in [client.clientSecret, "eyJ", "dXNlcj"] { #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret)) }
        let auth = o.replies(to: Self.sender(1, run)).first?.json["auth"] as? [String: Any]
        #expect(auth?["mechanism"] as? String == "XOAUTH2" && auth?["client_id"] as? String == client.clientID)
    }

    @Test func aRefusedClientExits77WithTheEndpointsCodeAndDescription() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient()
        let box = try o.newMailbox()
        let ws = try BuiltCLI.workspace(o, client: client, mailbox: box, secretEnv: Self.secretEnv)
        let wrong = "forkert-\(UUID().uuidString)"
        for command in [["run", "--once"], ["status"]] {
            let r = try BuiltCLI.run(command + ["--config", ws.config], environment: [Self.secretEnv: wrong])
            #expect(r.status == 77, "\(command): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
            #expect(r.stderr.hasPrefix("ssp-intake: tokenserveren \(client.tokenURL) afviste OAuth2-klienten \(client.clientID) til IMAP: "
                                       + "invalid_client – AADSTS7000215: Invalid client secret provided."), "\(r.stderr)")
            #expect(r.stderr.hasSuffix("; ret clientId og klienthemmeligheden (clientSecretEnv eller clientSecretFile)\n"), "\(r.stderr)")
            #expect(!r.stderr.contains(wrong) && !r.stderr.contains(client.clientSecret))
        }
        // An id the directory does not know is the other refusal of a client.
        let unknown = OAuthClientSettings(tokenURL: client.tokenURL, clientID: "ukendt-\(UUID().uuidString.prefix(6))",
                                          clientSecret: client.clientSecret, scope: client.scope)
        let other = try BuiltCLI.workspace(o, client: unknown, mailbox: box, secretEnv: Self.secretEnv)
        let r = try BuiltCLI.run(["run", "--once", "--config", other.config], environment: [Self.secretEnv: client.clientSecret])
        #expect(r.status == 77 && r.stderr.contains("unauthorized_client – AADSTS700016: Application with identifier"), "\(r.stderr)")
        let stats = try o.stats(client)
        #expect(stats["refused"] == 2 && stats["issued"] == 0, "\(stats)")
    }

    /// A token the server refuses even when fresh (here: the app may open another mailbox only) is tried once more,
    /// then the run stops with 77: asking for tokens in a loop would help nobody.
    @Test func aFreshTokenRefusedTooExits77AfterOneRetry() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient(mailbox: "other@kk.dk")
        let box = try o.newMailbox()
        let ws = try BuiltCLI.workspace(o, client: client, mailbox: box, secretEnv: Self.secretEnv)
        let r = try Self.runOnce(ws.config, secret: client.clientSecret)
        #expect(r.status == 77, "\(r.stderr)")
        #expect(r.stderr.contains("ssp-intake: IMAP afviste adgangstokenet; et nyt hentes"), "\(r.stderr)")
        #expect(r.stderr.contains("ssp-intake: IMAP-serveren afviste også et nyt adgangstoken for \(o.user)"), "\(r.stderr)")
        #expect(r.stderr.contains("IMAP.AccessAsApp"))
        #expect(try o.stats(client)["issued"] == 2)
    }

    /// The token endpoint away is the mailbox away: 75, tried again later; nothing is given up.
    @Test func anUnavailableTokenEndpointIsTemporary() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient()
        let box = try o.newMailbox()
        try o.outage(client, seconds: 60)
        let ws = try BuiltCLI.workspace(o, client: client, mailbox: box, secretEnv: Self.secretEnv)
        let r = try BuiltCLI.run(["run", "--once", "--config", ws.config], environment: [Self.secretEnv: client.clientSecret])
        #expect(r.status == 75, "\(r.stderr)")
        #expect(r.stderr.contains("postkassen svarer ikke lige nu; der prøves igen ved næste læsning: IMAP: tokenserveren svarer ikke lige nu: "
                                  + "temporarily_unavailable"), "\(r.stderr)")
        try o.outage(client, seconds: 0)
        #expect(try Self.runOnce(ws.config, secret: client.clientSecret).status == 0)
    }

    /// The service over a minute with tokens living 20 s: renewed before they expire (no server ever sees an
    /// expired one), sessions ended by the server as Exchange Online ends them, every token revoked halfway;
    /// each mail stored once and answered once, and no secret or token in the log or on a command line.
    @Test(.timeLimit(.minutes(3))) func tokensExpiringEvery20SecondsLoseAndDoubleNothing() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient(lifetime: 20)
        let box = try o.newMailbox()
        let ws = try BuiltCLI.workspace(o, client: client, mailbox: box, secretEnv: Self.secretEnv, pollInterval: 2)
        let logFile = ws.dir.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let service = BuiltCLI.process(["run", "--config", ws.config], environment: [Self.secretEnv: client.clientSecret])
        service.standardError = try FileHandle(forWritingTo: logFile)
        service.standardOutput = FileHandle.nullDevice
        try service.run()
        defer { if service.isRunning { service.terminate() } }
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let count = 16
        var onCommandLine = false
        let start = Date()
        for i in 0..<count {
            try o.append(OAuthRig.question(from: Self.sender(i, run), number: i), to: box)
            switch i {
            case 3, 15: o.kick()
            case 5: onCommandLine = Self.anyCommandLineContains(client.clientSecret)
            case 10:
                // Every token revoked, the session ended: its next login shows Dovecot a revoked token, unless the
                // token was due for renewal anyway; then the new one is revoked at once and shown at the next login.
                for _ in 0..<3 {
                    try o.revoke(client)
                    o.kick()
                    if Self.waitFor(10, { Self.text(logFile).contains("IMAP afviste adgangstokenet") }) { break }
                }
            default: break
            }
            Thread.sleep(until: start.addingTimeInterval(Double(i + 1) * 3))
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (0..<count).contains(where: { o.replies(to: Self.sender($0, run)).isEmpty }) {
            Thread.sleep(forTimeInterval: 0.5)
        }
        Thread.sleep(until: start.addingTimeInterval(52))   // past two lifetimes more, for anything doubled to show
        service.terminate()
        service.waitUntilExit()
        let log = Self.text(logFile)
        #expect(service.terminationStatus == 0, "\(log)")
        for i in 0..<count {
            let got = o.replies(to: Self.sender(i, run))
            #expect(got.count == 1, "mail \(i): \(got.count) replies")
            #expect((got.first?.json["auth"] as? [String: Any])?["client_id"] as? String == client.clientID)
        }
        let store = try IntakeStore(path: ws.dir.appendingPathComponent("var/ssp-intake.sqlite").path, create: false)
        #expect(try store.messages(status: "processed").count == count && store.messages(status: "failed").isEmpty)
        let stats = try o.stats(client)
        #expect((stats["expired"] ?? 0) == 0 && (stats["invalid"] ?? 0) == 0, "a server was shown an expired token: \(stats)")
        #expect((stats["issued"] ?? 0) >= 4 && (stats["revoked"] ?? 0) >= 1, "\(stats)")
        #expect(log.contains("IMAP afviste adgangstokenet; et nyt hentes"), "\(log)")
        #expect(log.components(separatedBy: "nyt adgangstoken til \(client.clientID)").count - 1 == stats["issued"])
        for secret in [client.clientSecret, "eyJ", "dXNlcj"] { #expect(!log.contains(secret)) }
        #expect(!onCommandLine, "the client secret was on a command line")
    }

    static func text(_ file: URL) -> String { String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self) }

    /// Waits up to `seconds` for `condition`.
    static func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return condition()
    }

    /// Whether any process's command line holds `text` (/proc/PID/cmdline).
    static func anyCommandLineContains(_ text: String) -> Bool {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return pids.filter { $0.allSatisfy(\.isNumber) }.contains { pid in
            guard let d = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: d, as: UTF8.self).contains(text)
        }
    }
}
}
