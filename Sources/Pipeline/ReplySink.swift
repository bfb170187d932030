import Foundation
import Store

/// A delivery that did not happen; `permanent` failures are not retried.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var permanent: Bool
    public init(_ message: String, permanent: Bool) {
        self.message = message
        self.permanent = permanent
    }
    public var description: String { message }
}

/// Where replies go once they are in the outbox.
public protocol ReplySink {
    /// Delivers one reply; delivering the same one twice must not send it twice where the sink can tell.
    func deliver(_ item: OutboxItem) throws
}

/// Writes each reply as `<folder>/<Message-ID>.eml`, atomically: the embedded default's outbox.
public struct OutboxFolderSink: ReplySink {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func deliver(_ item: OutboxItem) throws {
        // Our Message-IDs are hex and a domain, but the file name is made safe regardless.
        let safe = String(item.msgid.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "@" ? $0 : "_" })
        let url = directory.appendingPathComponent(safe + ".eml")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(item.bytes).write(to: url, options: .atomic)
        } catch {
            throw DeliveryError("kan ikke skrive \(url.path): \(error.localizedDescription)", permanent: false)
        }
    }
}
