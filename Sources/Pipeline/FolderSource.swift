import Foundation
import Glibc
import MailCore
import MailPorts
import Store

/// A folder of .eml files, or a Maildir (its `new/` and `cur/`): the embedded default's mailbox.
/// A file over `maxMessageBytes` is left where it is and recorded as left, as the IMAP source leaves mail on the server.
public struct FolderSource: MailSource {
    public let directory: URL
    public let maxMessageBytes: Int
    public var name: String { "folder:" + directory.standardizedFileURL.path }

    public init(directory: URL, maxMessageBytes: Int = RuntimeSettings.defaultMaxMessageBytes) {
        self.directory = directory
        self.maxMessageBytes = maxMessageBytes
    }

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
        let known = try store.sourceKeys(name).union(try store.skippedKeys(name))
        var added = 0
        for (key, url) in try files() where !known.contains(key) {
            if shouldStop() { break }
            let file: File
            do {
                file = try Self.read(url, limit: maxMessageBytes)
            } catch {
                log("kan ikke læse \(url.path): \(DanishSystemError.reason(error))")
                continue
            }
            switch file {
            case .tooLarge(let size):
                let reason = IntakeStore.tooLarge(size: size, limit: maxMessageBytes)
                try store.skip(source: name, key: key, size: size, reason: reason)
                log("\(url.path) efterladt i mappen: \(reason)")
            case .mail(let raw, let modified):
                let m = MailMessage(bytes: raw, limits: .headersOnly)
                if try store.ingest(source: name, key: key, raw: raw, messageID: m.messageID, subject: m.subject, sender: m.from.first?.address,
                                    receivedAt: Self.arrival(key: key, message: m, modified: modified)) != nil {
                    added += 1
                }
            }
        }
        return added
    }

    /// When a file's mail reached the mailbox; never the sender's Date header, which is the sender's
    /// clock and the time of writing. In a Maildir the delivery agent wrote the file when the mail
    /// arrived (into tmp/, then renamed: a rename to new/ or cur/, or a flag changed, keeps the time),
    /// so its modification time is the arrival. A plain folder holds fixtures and copies, whose time is
    /// when they were checked out or copied; there the topmost Received field, prepended by the
    /// server that took the mail in last, tells the arrival, and the file's time only stands in.
    /// A Maildir's files have keys under `new/` and `cur/`, a plain folder's none.
    static func arrival(key: String, message: MailMessage, modified: Date) -> Date {
        let inMaildir = key.hasPrefix("new/") || key.hasPrefix("cur/")
        return inMaildir ? modified : message.received ?? modified
    }

    /// A file as read: its mail and modification time, or only its size when that is over the limit.
    enum File {
        case mail([UInt8], modified: Date)
        case tooLarge(Int)
    }

    /// A file's bytes in one array (a 30 MB mail is held once, not as Data and then again as bytes),
    /// unless its size is over `limit`: that is known from fstat before a byte is read.
    static func read(_ url: URL, limit: Int) throws -> File {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let size = Int(st.st_size)
        if size > limit { return .tooLarge(size) }
        let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        // The size is a hint only: the file may grow or shrink while it is read (growing past the limit counts).
        var out = [UInt8]()
        out.reserveCapacity(size + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 { return .mail(out, modified: modified) }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { return .tooLarge(out.count) }
        }
    }
}
