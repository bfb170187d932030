import Foundation
import MailPorts

/// Where the running product keeps its data, reads its mail and sends its replies, from the same site file as the rules.
/// It names the servers only; the CLI makes the transport's adapters of them.
public struct RuntimeSettings: Sendable {
    /// A mail server as the site file gives it, the password already read from where the file points.
    public struct Server: Sendable {
        /// `imaps://host:993`, `smtp://host:587` …: the scheme says TLS or STARTTLS.
        public var url: String
        public var user: String?
        public var password: String?
        /// A CA file for a test server's certificate.
        public var caFile: String?
    }

    /// The mailbox to read.
    public enum Source: Sendable {
        case folder(URL, maxMessageBytes: Int)
        /// `server` has a user and a password (the settings are refused without them).
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

    /// Reads the settings from the site file's bytes; relative paths are taken from `base` (the file's folder).
    /// Passwords are read here, from the named environment variable or file, and never logged.
    public static func decode(_ data: Data, base: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RuntimeSettings {
        let f = try JSONDecoder().decode(File.self, from: data)
        func resolve(_ p: String) -> URL {
            p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p).standardizedFileURL
        }
        func password(_ what: String, env: String?, file: String?) throws -> String? {
            if let env {
                guard let v = environment[env], !v.isEmpty else {
                    throw RuntimeSettingsError("\(what): the environment variable \(env) holding the password is not set")
                }
                return v
            }
            if let file {
                guard let d = FileManager.default.contents(atPath: resolve(file).path) else {
                    throw RuntimeSettingsError("\(what): cannot read the password file \(resolve(file).path)")
                }
                return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            return nil
        }
        let dataDir = resolve(f.dataDirectory ?? "var")
        var source: Source? = nil
        if let s = f.source {
            let maxBytes = s.maxMessageBytes ?? defaultMaxMessageBytes
            guard maxBytes >= 1 else { throw RuntimeSettingsError("source.maxMessageBytes must be at least 1") }
            switch s.kind {
            case "folder":
                guard let p = s.path else { throw RuntimeSettingsError("source.path is missing") }
                source = .folder(resolve(p), maxMessageBytes: maxBytes)
            case "imap":
                guard let url = s.url, let user = s.user else { throw RuntimeSettingsError("source: imap needs url and user") }
                guard let pw = try password("source", env: s.passwordEnv, file: s.passwordFile) else {
                    throw RuntimeSettingsError("source: give passwordEnv or passwordFile (never the password itself)")
                }
                let server = Server(url: url, user: user, password: pw, caFile: s.caFile.map { resolve($0).path })
                let after = AfterProcessing(flag: s.moveTo == nil ? (s.flag ?? "$SSPProcessed") : s.flag,
                                            seen: s.markSeen ?? false, moveTo: s.moveTo)
                source = .imap(server, mailbox: s.mailbox ?? "INBOX", after: after, maxMessageBytes: maxBytes)
            default:
                throw RuntimeSettingsError("source.kind \"\(s.kind)\" is unknown (folder or imap)")
            }
        }
        var sink = Sink.folder(dataDir.appendingPathComponent("outbox"))
        if let k = f.sink {
            switch k.kind {
            case "folder", "outbox-folder":
                sink = .folder(k.path.map(resolve) ?? dataDir.appendingPathComponent("outbox"))
            case "smtp":
                guard let url = k.url else { throw RuntimeSettingsError("sink: smtp needs url") }
                sink = .smtp(Server(url: url, user: k.user, password: try password("sink", env: k.passwordEnv, file: k.passwordFile),
                                    caFile: k.caFile.map { resolve($0).path }))
            default:
                throw RuntimeSettingsError("sink.kind \"\(k.kind)\" is unknown (folder or smtp)")
            }
        }
        let interval = f.pollIntervalSeconds ?? 60
        guard interval >= 1 else { throw RuntimeSettingsError("pollIntervalSeconds must be at least 1") }
        return RuntimeSettings(dataDirectory: dataDir, source: source, sink: sink, pollIntervalSeconds: interval,
                               poolKroner: f.poolKroner)
    }
}

/// A runtime setting that cannot be used.
public struct RuntimeSettingsError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
