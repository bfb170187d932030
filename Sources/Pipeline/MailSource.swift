import Foundation
import Glibc
import MailCore
import Store

/// Where mail comes from. A source stores each new message (with its cursor) before anything else happens to it.
public protocol MailSource {
    /// A stable name for the store, e.g. `folder:/srv/mail` or `imap://host/INBOX`.
    var name: String { get }
    /// Stores every message not yet stored (until `shouldStop` says so); returns how many were new.
    /// `stored` may be told each new message as it is stored (id, bytes, arrival), before its part
    /// commits; `committed` runs after each part of a long backlog is stored, so it can be processed
    /// while more arrives.
    func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                   stored: (Int64, [UInt8], Date) -> Void, committed: () throws -> Void) throws -> Int
    /// After processing: what the source does with processed mail (flag it, move it).
    func finish(store: IntakeStore, log: (String) -> Void) throws
    /// Every message the mailbox holds now: source key → a short description for people.
    func inventory() throws -> [String: String]
}

extension MailSource {
    public func finish(store: IntakeStore, log: (String) -> Void) throws {}

    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool) throws -> Int {
        try ingestNew(into: store, log: log, shouldStop: shouldStop, stored: { _, _, _ in }, committed: {})
    }

    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                          committed: () throws -> Void) throws -> Int {
        try ingestNew(into: store, log: log, shouldStop: shouldStop, stored: { _, _, _ in }, committed: committed)
    }
}

/// A folder of .eml files, or a Maildir (its `new/` and `cur/`): the embedded default's mailbox.
public struct FolderSource: MailSource {
    public let directory: URL
    public var name: String { "folder:" + directory.standardizedFileURL.path }

    public init(directory: URL) { self.directory = directory }

    /// The files to read, in name order; a Maildir's new/ and cur/ when they exist.
    func files() throws -> [(key: String, url: URL)] {
        let fm = FileManager.default
        var dirs: [(String, URL)] = []
        let new = directory.appendingPathComponent("new"), cur = directory.appendingPathComponent("cur")
        if fm.fileExists(atPath: new.path) || fm.fileExists(atPath: cur.path) {
            dirs = [("new/", new), ("cur/", cur)].filter { fm.fileExists(atPath: $0.1.path) }
        } else {
            dirs = [("", directory)]
        }
        var out: [(String, URL)] = []
        for (prefix, dir) in dirs {
            let names = try fm.contentsOfDirectory(atPath: dir.path).sorted()
            for n in names where !n.hasPrefix(".") {
                let url = dir.appendingPathComponent(n)
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
                // A plain folder holds fixtures beside the mail; a Maildir holds only mail.
                if prefix.isEmpty && !n.lowercased().hasSuffix(".eml") { continue }
                // A Maildir file's flags (":2,S") change when a person reads it; the key must not.
                let base = prefix.isEmpty ? n : String(n.split(separator: ":", maxSplits: 1).first ?? Substring(n))
                out.append((prefix + base, url))
            }
        }
        return out
    }

    public func inventory() throws -> [String: String] {
        Dictionary(try files().map { ($0.key, $0.url.lastPathComponent) }, uniquingKeysWith: { a, _ in a })
    }

    /// A folder is read and stored whole before processing: `stored` and `committed` are not used.
    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                          stored: (Int64, [UInt8], Date) -> Void, committed: () throws -> Void) throws -> Int {
        let known = try store.sourceKeys(name)
        var added = 0
        for (key, url) in try files() where !known.contains(key) {
            if shouldStop() { break }
            let raw: [UInt8]
            do {
                raw = try Self.read(url)
            } catch {
                log("kan ikke læse \(url.path): \(error.localizedDescription)")
                continue
            }
            let m = MailMessage(bytes: raw)
            let mtime = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date()
            if try store.ingest(source: name, key: key, raw: raw, messageID: m.messageID, subject: m.subject,
                                sender: m.from.first?.address, receivedAt: m.date ?? mtime) != nil {
                added += 1
            }
        }
        return added
    }

    /// A file's bytes in one array: a 30 MB mail is held once, not as Data and then again as bytes.
    static func read(_ url: URL) throws -> [UInt8] {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var st = stat()
        let hint = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        // The size is a hint only: the file may grow or shrink while it is read.
        var out = [UInt8]()
        out.reserveCapacity(hint + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }
}
