import Foundation
import Store

extension Pipeline {
    /// Delivers the replies that are due, each claimed first so that no other process sends it too;
    /// transient failures are retried later with backoff.
    public func deliver() throws -> (Int, Int) {
        guard let sink else { return (0, 0) }
        try recoverClaims()
        var sent = 0, failed = 0, last: Int64 = 0
        var window = AcceptanceWindow()
        defer {
            if let line = window.summary { log(line) }
        }
        while true {
            let page = try store.dueReplies(now: clock(), after: last)
            guard !page.isEmpty else { break }
            // A sink that syncs in batches: the page's replies count as sent once they are on disk.
            var written: [Int64] = []
            func commitWritten() throws {
                guard !written.isEmpty else { return }
                try sink.sync()
                let at = IntakeStore.now(clock())
                try store.db.transaction { for id in written { try store.markSent(id, at: at) } }
            }
            for item in page {
                if shouldStop() {
                    try commitWritten()
                    return (sent, failed)
                }
                last = item.id
                // Another process (or pipeline) on the same store has it.
                guard try store.claimReply(item.id) else { continue }
                do {
                    if sink.syncsInBatches {
                        try sink.deliver(item)
                        written.append(item.id)
                    } else {
                        let at = IntakeStore.now(clock())
                        // From the server's acceptance to the commit: a kill in between sends the
                        // reply again after recovery, so nothing else happens there.
                        try store.db.withoutAutomaticCheckpoints {
                            try sink.deliver(item)
                            let accepted = ContinuousClock.now
                            try store.markSent(item.id, at: at)
                            window.add(ContinuousClock.now - accepted)
                        }
                    }
                    sent += 1
                } catch let e as DeliveryError {
                    failed += 1
                    let wait = e.permanent ? nil : min(3600, 60 * pow(2, Double(item.attempts)))
                    try store.markAttemptFailed(item.id, error: e.message, retryAfter: wait, now: clock())
                    log("svar \(item.msgid) ikke leveret: \(e.message)\(e.permanent ? " (opgivet)" : "")")
                } catch {
                    try? store.releaseClaim(item.id)
                    throw error
                }
            }
            try commitWritten()
        }
        return (sent, failed)
    }

    /// Replies a dead runner had claimed go back in the queue: only while this process holds the
    /// runner lock, which says that no other live process is sending from this outbox.
    func recoverClaims() throws {
        guard RunnerLock.isHeld(dataDirectory: dataDirectory) else { return }
        let recovered = try store.recoverClaimedReplies()
        guard !recovered.isEmpty else { return }
        log("\(recovered.count) svar, som en afbrudt kørsel var ved at sende, sendes igen (serveren kan have fået dem én gang før)")
        try store.db.transaction {
            for r in recovered {
                try store.audit(actor: "pipeline", record: r.record, message: nil, action: "svar sendes igen",
                                detail: "\(r.msgid): en afbrudt kørsel var ved at sende det; modtageren kan få det to gange (samme Message-ID)")
            }
        }
    }
}

/// The time from a server's acceptance of a reply to the commit that marks it sent, over a pass:
/// the only moment a kill can make a reply go out twice.
struct AcceptanceWindow {
    private(set) var count = 0
    private var total = Duration.zero
    private var longest = Duration.zero

    mutating func add(_ d: Duration) {
        count += 1
        total += d
        longest = max(longest, d)
    }

    static func microseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1_000_000 + Int(d.components.attoseconds / 1_000_000_000_000)
    }

    /// The operator's log line (figures in whole microseconds), nil when nothing was sent.
    var summary: String? {
        guard count > 0 else { return nil }
        return "\(count) svar sendt; fra serverens accept til markeret sendt: i snit \(Self.microseconds(total / count)) µs, "
            + "højst \(Self.microseconds(longest)) µs"
    }
}
