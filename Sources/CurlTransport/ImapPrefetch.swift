import Foundation
import MailCore

/// Reads a backlog from the server on a thread of its own while the pipeline stores and processes
/// what came before: one FETCH per chunk, each message hashed and its headers read there too.
/// What it holds is capped in bytes, so a backlog never sits in memory whole.
final class ImapPrefetch: @unchecked Sendable {
    /// One message as fetched, or the end of a chunk (the point where the pipeline commits).
    enum Item {
        case message(uid: Int64, raw: [UInt8], sha256: String, messageID: String?, subject: String?, sender: String?)
        /// A message whose bytes were over the limit (read past, not kept).
        case tooLarge(uid: Int64, size: Int)
        case endOfChunk
    }

    private let cond = NSCondition()
    // Guarded by `cond`.
    private var queue: [Item] = []
    private var head = 0
    private var bytes = 0
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    private var running = true
    let maxBytes: Int

    /// Starts fetching `chunks` (UIDs, in order) through `session`, which is this object's until it is finished or cancelled.
    /// `maxBytes` bounds what waits, not what one message may be: memory stays flat whatever the backlog,
    /// and fetching (much faster than recording) still keeps a chunk ahead.
    init(session: ImapSession, chunks: [[Int64]], maxBytes: Int = 4 << 20) {
        self.maxBytes = maxBytes
        // Handed over: the caller does not touch the session until `cancel()` has joined this thread.
        nonisolated(unsafe) let session = session
        let thread = Thread { [self] in
            do {
                for chunk in chunks {
                    try session.fetchEach(chunk, tooLarge: { uid, size in try put(.tooLarge(uid: uid, size: size), size: 0) }) { uid, raw in
                        // Only the header is read here; the whole message is parsed once, when it is evaluated.
                        let m = MailMessage(bytes: raw, limits: .headersOnly)
                        try put(.message(uid: uid, raw: raw, sha256: SHA256.hex(raw), messageID: m.messageID,
                                         subject: m.subject, sender: m.from.first?.address), size: raw.count)
                    }
                    try put(.endOfChunk, size: 0)
                }
            } catch {
                cond.lock()
                failure = error
                cond.unlock()
            }
            cond.lock()
            finished = true
            running = false
            cond.broadcast()
            cond.unlock()
        }
        thread.start()
    }

    private struct Cancelled: Error {}

    /// Waits while the queue is full; a message larger than the cap still goes through, alone.
    private func put(_ item: Item, size: Int) throws {
        cond.lock()
        defer { cond.unlock() }
        while bytes > 0 && bytes + size > maxBytes && !cancelled { cond.wait() }
        if cancelled { throw Cancelled() }
        queue.append(item)
        bytes += size
        cond.broadcast()
    }

    /// The next item in order; nil when everything was fetched. A fetch error comes out here, after
    /// the items that arrived before it.
    func next() throws -> Item? {
        cond.lock()
        defer { cond.unlock() }
        while head == queue.count && !finished { cond.wait() }
        if head < queue.count {
            let item = queue[head]
            queue[head] = .endOfChunk   // the bytes go now, not when the array is trimmed
            head += 1
            if case .message(_, let raw, _, _, _, _) = item { bytes -= raw.count }
            if head > 1024 {
                queue.removeFirst(head)
                head = 0
            }
            cond.broadcast()
            return item
        }
        if let failure, !(failure is Cancelled) { throw failure }
        return nil
    }

    /// Stops the reader and waits for its thread; an unfinished FETCH leaves the session unusable.
    func cancel() {
        cond.lock()
        cancelled = true
        cond.broadcast()
        while running { cond.wait() }
        cond.unlock()
    }
}
