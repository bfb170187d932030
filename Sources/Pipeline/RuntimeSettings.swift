import Foundation

/// Where the running product keeps its data and reads its mail, from the same site file as the rules.
public struct RuntimeSettings: Sendable {
    /// Folder for the database, stored attachments and the outbox folder.
    public var dataDirectory: URL
    /// The mailbox folder for the folder source (the embedded default), if configured.
    public var sourceFolder: URL?
    /// Where the folder sink writes replies.
    public var outboxFolder: URL
    /// The yearly pool in kroner.
    public var poolKroner: Int

    struct File: Decodable {
        struct Source: Decodable {
            var kind: String
            var path: String?
        }
        var dataDirectory: String?
        var source: Source?
        var outboxFolder: String?
        var poolKroner: Int
    }

    /// Reads the settings from the site file's bytes; relative paths are taken from `base` (the file's folder).
    public static func decode(_ data: Data, base: URL) throws -> RuntimeSettings {
        let f = try JSONDecoder().decode(File.self, from: data)
        func resolve(_ p: String) -> URL {
            p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p).standardizedFileURL
        }
        let data = resolve(f.dataDirectory ?? "var")
        var folder: URL? = nil
        if let s = f.source {
            guard s.kind == "folder" else {
                throw RuntimeSettingsError("source.kind \"\(s.kind)\" is not supported yet (only \"folder\")")
            }
            guard let p = s.path else { throw RuntimeSettingsError("source.path is missing") }
            folder = resolve(p)
        }
        return RuntimeSettings(dataDirectory: data, sourceFolder: folder,
                               outboxFolder: f.outboxFolder.map(resolve) ?? data.appendingPathComponent("outbox"),
                               poolKroner: f.poolKroner)
    }
}

/// A runtime setting that cannot be used.
public struct RuntimeSettingsError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
