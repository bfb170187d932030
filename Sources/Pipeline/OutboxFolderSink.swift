import Foundation
import Glibc
import MailPorts
import Store

/// Writes each reply as `<folder>/<Message-ID>.eml` (a temporary file renamed into place): the embedded
/// default's outbox. Writing a reply again gives the same file, so the pipeline syncs a page at a time.
public struct OutboxFolderSink: ReplySink {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func deliver(_ item: OutboxItem) throws {
        // Our Message-IDs are hex and a domain, but the file name is made safe regardless.
        let safe = String(decoding: item.msgid.utf8.map { b -> UInt8 in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "@"): return b
            default: return UInt8(ascii: "_")
            }
        }, as: UTF8.self)
        let folder = directory.path
        let path = folder + "/" + safe + ".eml"
        let temporary = folder + "/." + safe + ".tmp"
        do {
            // Plain write(2): Foundation's Data.write syncs every file, and `sync()` does that once per page.
            var fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 && errno == ENOENT {
                // The folder is made when first needed (and again if someone removed it).
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            }
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            var done = 0
            while done < item.bytes.count {
                let n = item.bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    let e = errno
                    close(fd)
                    throw POSIXError(POSIXErrorCode(rawValue: e) ?? .EIO)
                }
                done += n
            }
            guard close(fd) == 0, rename(temporary, path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            throw DeliveryError("kan ikke skrive \(path): \(DanishSystemError.reason(error))", permanent: false)
        }
    }

    public var syncsInBatches: Bool { true }

    /// The files of a page reach the disk in one flush rather than one fsync each.
    public func sync() throws { Glibc.sync() }
}
