import Foundation
import MailPorts
import Store

extension Pipeline {
    /// Delivers the replies that are due; transient failures are retried later with backoff.
    public func deliver() throws -> (Int, Int) {
        guard let sink else { return (0, 0) }
        var sent = 0, failed = 0, last: Int64 = 0
        while true {
            let page = try store.dueReplies(now: clock(), after: last)
            guard !page.isEmpty else { break }
            // A sink that syncs in batches: the page's replies count as sent once they are on disk.
            var written: [Int64] = []
            func commitWritten() throws {
                guard !written.isEmpty else { return }
                try sink.sync()
                try store.db.transaction { for id in written { try store.markSent(id) } }
            }
            for item in page {
                if shouldStop() {
                    try commitWritten()
                    return (sent, failed)
                }
                last = item.id
                do {
                    try sink.deliver(item)
                    if sink.syncsInBatches { written.append(item.id) } else { try store.markSent(item.id) }
                    sent += 1
                } catch let e as DeliveryError {
                    failed += 1
                    let wait = e.permanent ? nil : min(3600, 60 * pow(2, Double(item.attempts)))
                    try store.markAttemptFailed(item.id, error: e.message, retryAfter: wait, now: clock())
                    log("svar \(item.msgid) ikke leveret: \(e.message)\(e.permanent ? " (opgivet)" : "")")
                }
            }
            try commitWritten()
        }
        return (sent, failed)
    }
}
