import Foundation
import Intake
import MailPorts

/// Where the running product keeps its data, reads its mail and sends its replies, from the same site file as the rules.
/// It names the servers only; the CLI makes the transport's adapters of them.
public struct RuntimeSettings: Sendable {
    /// A mail server as the site file gives it; the password or the client secret is only read when the server is used.
    public struct Server: Sendable {
        /// `imaps://host:993`, `smtp://host:587` …: the scheme says TLS or STARTTLS.
        public var url: String
        public var user: String?
        /// Where the password is; nil: the server takes none, or `oauth2` logs in.
        public var password: Secret?
        /// A CA file for a test server's certificate.
        public var caFile: String?
        /// The OAuth2 client whose tokens log in (SASL XOAUTH2, `user` the shared mailbox) instead of a password.
        public var oauth2: OAuth2? = nil
    }

    /// An OAuth2 client for the client-credentials grant (`"auth": {"kind": "oauth2", …}`), as Exchange Online wants it.
    public struct OAuth2: Sendable {
        /// `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`; `http://` only to 127.0.0.1.
        public var tokenURL: String
        public var clientID: String
        /// Where the client secret is; read only when a server is used.
        public var clientSecret: Secret
        /// `https://outlook.office365.com/.default` for Exchange Online.
        public var scope: String
    }

    /// The mailbox to read.
    public enum Source: Sendable {
        case folder(URL, maxMessageBytes: Int)
        /// `server` has a user and names a password or an OAuth2 client (the settings are refused without them).
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
    /// Whether an IMAP source waits in IDLE between polls where the server offers it (`source.idle`, default true).
    public var idle = true

    /// The folder source's folder, if that is the source.
    public var sourceFolder: URL? {
        if case .folder(let u, _)? = source { return u }
        return nil
    }

    struct File: Decodable {
        /// `"auth"` of a source or a sink: its keys depend on `kind`, which the decoder checks.
        struct Auth: Decodable {
            var kind: String
            var passwordEnv: String?
            var passwordFile: String?
            var tokenUrl: String?
            var clientId: String?
            var clientSecretEnv: String?
            var clientSecretFile: String?
            var scope: String?
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
            var auth: Auth?
            var flag: String?
            var markSeen: Bool?
            var moveTo: String?
            var maxMessageBytes: Int?
            var idle: Bool?
        }
        struct Sink: Decodable {
            var kind: String
            var path: String?
            var url: String?
            var user: String?
            var passwordEnv: String?
            var passwordFile: String?
            var caFile: String?
            var auth: Auth?
        }
        var dataDirectory: String?
        var source: Source?
        var sink: Sink?
        var pollIntervalSeconds: Int?
        var poolKroner: Int
    }

    /// Every key of the site file these settings read (the intake config reads the rest of it).
    public static let siteKeys: ConfigKeys = {
        let auth = ConfigKeys.object(Dictionary(uniqueKeysWithValues: (authKeys["password"]! + authKeys["oauth2"]! + ["kind"])
            .map { ($0, ConfigKeys.value) }))
        let server: [String: ConfigKeys] = ["kind": .value, "path": .value, "url": .value, "user": .value,
                                            "passwordEnv": .value, "passwordFile": .value, "caFile": .value, "auth": auth]
        return .object([
            "dataDirectory": .value,
            "source": .object(server.merging(["mailbox": .value, "flag": .value, "markSeen": .value, "moveTo": .value,
                                              "maxMessageBytes": .value, "idle": .value]) { a, _ in a }),
            "sink": .object(server),
            "pollIntervalSeconds": .value,
            "poolKroner": .value,
        ])
    }()

    /// The keys of `auth` by its kind; a key of the other kind is refused by name.
    static let authKeys: [String: [String]] = [
        "password": ["passwordEnv", "passwordFile"],
        "oauth2": ["tokenUrl", "clientId", "clientSecretEnv", "clientSecretFile", "scope"],
    ]

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
        func password(_ what: String, env: String?, file: String?, noun: String = "adgangskoden") -> Secret? {
            if let env { return Secret(what: what, origin: .environment(env), environment: environment, noun: noun) }
            if let file { return Secret(what: what, origin: .file(resolve(file)), environment: [:], noun: noun) }
            return nil
        }
        /// The password or the OAuth2 client of a server: from `auth`, else from the keys beside `url` (as before `auth`).
        func credentials(_ what: String, auth: File.Auth?, env: String?, file: String?) throws -> (Secret?, OAuth2?) {
            guard let auth else { return (password(what, env: env, file: file), nil) }
            guard env == nil && file == nil else {
                throw RuntimeSettingsError("\(what): giv adgangskoden i \(what).auth eller i passwordEnv/passwordFile, ikke begge steder")
            }
            guard let mine = Self.authKeys[auth.kind] else {
                throw RuntimeSettingsError("\(what).auth.kind \"\(auth.kind)\" er ukendt (password eller oauth2)")
            }
            let given: [String: String?] = ["passwordEnv": auth.passwordEnv, "passwordFile": auth.passwordFile,
                                            "tokenUrl": auth.tokenUrl, "clientId": auth.clientId, "clientSecretEnv": auth.clientSecretEnv,
                                            "clientSecretFile": auth.clientSecretFile, "scope": auth.scope]
            if let other = given.filter({ $0.value != nil && !mine.contains($0.key) }).keys.sorted().first {
                let owner = Self.authKeys.first { $0.value.contains(other) }?.key ?? ""
                throw RuntimeSettingsError("\(what).auth.\(other) hører til kind \"\(owner)\", ikke \"\(auth.kind)\"")
            }
            if auth.kind == "password" {
                guard (auth.passwordEnv == nil) != (auth.passwordFile == nil) else {
                    throw RuntimeSettingsError("\(what).auth: giv passwordEnv eller passwordFile (én af dem, aldrig selve adgangskoden)")
                }
                return (password(what, env: auth.passwordEnv, file: auth.passwordFile), nil)
            }
            guard let tokenURL = auth.tokenUrl, let clientID = auth.clientId, let scope = auth.scope,
                  !clientID.isEmpty, !scope.isEmpty else {
                throw RuntimeSettingsError("\(what).auth: oauth2 skal have tokenUrl, clientId, scope og clientSecretEnv eller clientSecretFile")
            }
            if let problem = Self.tokenURLProblem(tokenURL) { throw RuntimeSettingsError("\(what).auth.tokenUrl: \(problem)") }
            guard (auth.clientSecretEnv == nil) != (auth.clientSecretFile == nil),
                  let secret = password(what, env: auth.clientSecretEnv, file: auth.clientSecretFile, noun: "klienthemmeligheden") else {
                throw RuntimeSettingsError("\(what).auth: giv clientSecretEnv eller clientSecretFile (én af dem, aldrig selve hemmeligheden)")
            }
            return (nil, OAuth2(tokenURL: tokenURL, clientID: clientID, clientSecret: secret, scope: scope))
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
                let (pw, oauth2) = try credentials("source", auth: s.auth, env: s.passwordEnv, file: s.passwordFile)
                guard pw != nil || oauth2 != nil else {
                    throw RuntimeSettingsError("source: giv passwordEnv eller passwordFile (aldrig selve adgangskoden), "
                                               + "eller auth med kind \"oauth2\"")
                }
                let server = Server(url: url, user: user, password: pw, caFile: s.caFile.map { resolve($0).path }, oauth2: oauth2)
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
                let (pw, oauth2) = try credentials("sink", auth: k.auth, env: k.passwordEnv, file: k.passwordFile)
                // XOAUTH2 names the mailbox the token is used for.
                if oauth2 != nil && (k.user ?? "").isEmpty {
                    throw RuntimeSettingsError("sink: oauth2 kræver user (postkassen, der sendes fra)")
                }
                sink = .smtp(Server(url: url, user: k.user, password: pw, caFile: k.caFile.map { resolve($0).path }, oauth2: oauth2))
            default:
                throw RuntimeSettingsError("sink.kind \"\(k.kind)\" er ukendt (folder eller smtp)")
            }
        }
        let interval = f.pollIntervalSeconds ?? 60
        guard interval >= 1 else { throw RuntimeSettingsError("pollIntervalSeconds skal være mindst 1") }
        var settings = RuntimeSettings(dataDirectory: dataDir, source: source, sink: sink, pollIntervalSeconds: interval,
                                       poolKroner: f.poolKroner)
        settings.idle = f.source?.idle ?? true
        return settings
    }

    /// Why `url` cannot be a token endpoint, nil when it can: the secret travels in the request, so over TLS, or
    /// over loopback to the test rig; a user or password in the URL would be a secret in the config.
    static func tokenURLProblem(_ url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty else {
            return "\"\(url)\" er ikke en adresse"
        }
        if c.user != nil || c.password != nil { return "adressen må ikke indeholde bruger eller adgangskode" }
        if scheme == "https" || (scheme == "http" && host == "127.0.0.1") { return nil }
        return scheme == "http" ? "adressen skal begynde med https:// (http:// kun til 127.0.0.1, testriggen)"
            : "adressen skal begynde med https://, ikke \(scheme)://"
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
    /// What it holds, for that message: `adgangskoden` or `klienthemmeligheden`.
    var noun = "adgangskoden"

    /// The secret itself; a missing variable or an unreadable file is a config error, told in one line.
    public func reveal() throws -> String {
        switch origin {
        case .environment(let name):
            guard let v = environment[name], !v.isEmpty else {
                throw RuntimeSettingsError("\(what): miljøvariablen \(name) med \(noun) er ikke sat")
            }
            return v
        case .file(let url):
            guard let d = FileManager.default.contents(atPath: url.path) else {
                throw RuntimeSettingsError("\(what): kan ikke læse filen med \(noun) \(url.path)")
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
