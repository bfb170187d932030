import Foundation
import Intake
import MailPorts

/// Where the running product keeps its data, reads its mail and sends its replies, from the same site file as the rules.
/// It names the servers only; the CLI makes the transport's adapters of them.
public struct RuntimeSettings: Sendable {
    /// A mail server as the site file gives it; the password is only read when the server is used.
    public struct Server: Sendable {
        /// `imaps://host:993`, `smtp://host:587` …: the scheme says TLS or STARTTLS.
        public var url: String
        public var user: String?
        /// Where the password is; nil: the server takes none.
        public var password: Secret?
        /// A CA file for a test server's certificate.
        public var caFile: String?
    }

    /// The mailbox to read.
    public enum Source: Sendable {
        case folder(URL, maxMessageBytes: Int)
        /// `server` has a user and names a password (the settings are refused without them).
        case imap(Server, mailbox: String, after: AfterProcessing, maxMessageBytes: Int)
    }

    /// Where replies go.
    public enum Sink: Sendable {
        case folder(URL)
        case smtp(Server)
    }

    /// The largest mail a source takes in unless the site file says otherwise; larger mail is left in the mailbox.
    public static let defaultMaxMessageBytes = 40 << 20

    /// Folder for the database and stored attachments.
    public var dataDirectory: URL
    public var source: Source?
    public var sink: Sink
    public var pollIntervalSeconds: Int
    /// The yearly pool in kroner.
    public var poolKroner: Int

    /// The folder source's folder, if that is the source.
    public var sourceFolder: URL? {
        if case .folder(let u, _)? = source { return u }
        return nil
    }

    struct File: Decodable {
        struct Secret: Decodable {
            var passwordEnv: String?
            var passwordFile: String?
        }
        struct Source: Decodable {
            var kind: String
            var path: String?
            var url: String?
            var mailbox: String?
            var user: String?
            var passwordEnv: String?
            var passwordFile: String?
            var caFile: String?
            var flag: String?
            var markSeen: Bool?
            var moveTo: String?
            var maxMessageBytes: Int?
        }
        struct Sink: Decodable {
            var kind: String
            var path: String?
            var url: String?
            var user: String?
            var passwordEnv: String?
            var passwordFile: String?
            var caFile: String?
        }
        var dataDirectory: String?
        var source: Source?
        var sink: Sink?
        var pollIntervalSeconds: Int?
        var poolKroner: Int
    }

    /// Every key of the site file these settings read (the intake config reads the rest of it).
    public static let siteKeys: ConfigKeys = {
        let server: [String: ConfigKeys] = ["kind": .value, "path": .value, "url": .value, "user": .value,
                                            "passwordEnv": .value, "passwordFile": .value, "caFile": .value]
        return .object([
            "dataDirectory": .value,
            "source": .object(server.merging(["mailbox": .value, "flag": .value, "markSeen": .value, "moveTo": .value,
                                              "maxMessageBytes": .value]) { a, _ in a }),
            "sink": .object(server),
            "pollIntervalSeconds": .value,
            "poolKroner": .value,
        ])
    }()

    /// Reads the settings from the site file's bytes; relative paths are taken from `base` (the file's folder).
    /// Passwords are not read here but when a server is used (`Secret.reveal`), so commands that talk to
    /// no mail server need none; `environment` is where a `passwordEnv` is looked up then.
    public static func decode(_ data: Data, base: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RuntimeSettings {
        let f: File
        do {
            f = try JSONDecoder().decode(File.self, from: data)
        } catch let e as DecodingError {
            throw RuntimeSettingsError(Self.danish(e))
        }
        func resolve(_ p: String) -> URL {
            p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p).standardizedFileURL
        }
        func password(_ what: String, env: String?, file: String?) -> Secret? {
            if let env { return Secret(what: what, origin: .environment(env), environment: environment) }
            if let file { return Secret(what: what, origin: .file(resolve(file)), environment: [:]) }
            return nil
        }
        let dataDir = resolve(f.dataDirectory ?? "var")
        var source: Source? = nil
        if let s = f.source {
            let maxBytes = s.maxMessageBytes ?? defaultMaxMessageBytes
            guard maxBytes >= 1 else { throw RuntimeSettingsError("source.maxMessageBytes skal være mindst 1") }
            switch s.kind {
            case "folder":
                guard let p = s.path else { throw RuntimeSettingsError("source.path mangler (mappen med mails)") }
                source = .folder(resolve(p), maxMessageBytes: maxBytes)
            case "imap":
                guard let url = s.url, let user = s.user else { throw RuntimeSettingsError("source: imap skal have url og user") }
                guard let pw = password("source", env: s.passwordEnv, file: s.passwordFile) else {
                    throw RuntimeSettingsError("source: giv passwordEnv eller passwordFile (aldrig selve adgangskoden)")
                }
                let server = Server(url: url, user: user, password: pw, caFile: s.caFile.map { resolve($0).path })
                let after = AfterProcessing(flag: s.moveTo == nil ? (s.flag ?? "$SSPProcessed") : s.flag,
                                            seen: s.markSeen ?? false, moveTo: s.moveTo)
                source = .imap(server, mailbox: s.mailbox ?? "INBOX", after: after, maxMessageBytes: maxBytes)
            default:
                throw RuntimeSettingsError("source.kind \"\(s.kind)\" er ukendt (folder eller imap)")
            }
        }
        var sink = Sink.folder(dataDir.appendingPathComponent("outbox"))
        if let k = f.sink {
            switch k.kind {
            case "folder", "outbox-folder":
                sink = .folder(k.path.map(resolve) ?? dataDir.appendingPathComponent("outbox"))
            case "smtp":
                guard let url = k.url else { throw RuntimeSettingsError("sink: smtp skal have url") }
                sink = .smtp(Server(url: url, user: k.user, password: password("sink", env: k.passwordEnv, file: k.passwordFile),
                                    caFile: k.caFile.map { resolve($0).path }))
            default:
                throw RuntimeSettingsError("sink.kind \"\(k.kind)\" er ukendt (folder eller smtp)")
            }
        }
        let interval = f.pollIntervalSeconds ?? 60
        guard interval >= 1 else { throw RuntimeSettingsError("pollIntervalSeconds skal være mindst 1") }
        return RuntimeSettings(dataDirectory: dataDir, source: source, sink: sink, pollIntervalSeconds: interval,
                               poolKroner: f.poolKroner)
    }

    /// A decoding error in the editor's words, the key named as a dotted path.
    static func danish(_ e: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let key, let ctx): return "nøglen \"\(path(ctx.codingPath + [key]))\" mangler"
        case .typeMismatch(_, let ctx): return "\"\(path(ctx.codingPath))\" har en forkert type"
        case .valueNotFound(_, let ctx): return "\"\(path(ctx.codingPath))\" må ikke være null"
        case .dataCorrupted(let ctx): return ctx.codingPath.isEmpty ? "ikke gyldig JSON" : "ugyldig værdi ved \"\(path(ctx.codingPath))\""
        @unknown default: return "kan ikke læses"
        }
    }
}

/// Where a mail server's password is: read only when the server is used, and never shown.
public struct Secret: Sendable, CustomStringConvertible {
    /// The environment variable or the file that holds the password.
    public enum Origin: Sendable {
        case environment(String)
        case file(URL)
    }

    /// `source` or `sink`, for the message when the password cannot be read.
    var what: String
    public var origin: Origin
    var environment: [String: String]

    /// The password itself; a missing variable or an unreadable file is a config error, told in one line.
    public func reveal() throws -> String {
        switch origin {
        case .environment(let name):
            guard let v = environment[name], !v.isEmpty else {
                throw RuntimeSettingsError("\(what): miljøvariablen \(name) med adgangskoden er ikke sat")
            }
            return v
        case .file(let url):
            guard let d = FileManager.default.contents(atPath: url.path) else {
                throw RuntimeSettingsError("\(what): kan ikke læse filen med adgangskoden \(url.path)")
            }
            return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
    }

    /// Where, never what: a password must not reach a log line.
    public var description: String {
        switch origin {
        case .environment(let name): return "miljøvariablen \(name)"
        case .file(let url): return "filen \(url.path)"
        }
    }
}

/// A runtime setting that cannot be used.
public struct RuntimeSettingsError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
