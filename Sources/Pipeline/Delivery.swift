import Foundation
import MailPorts
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
            // A sink that writes the same reply again harmlessly has its page claimed in one commit.
            let claimed = sink.syncsInBatches ? try store.claimReplies(page.map(\.id)) : nil
            for item in page {
                if shouldStop() {
                    try commitWritten()
                    // The page's claims not used are given back, so nothing waits for a recovery.
                    for rest in page where rest.id >= item.id && claimed?.contains(rest.id) == true {
                        try store.releaseClaim(rest.id)
                    }
                    return (sent, failed)
                }
                last = item.id
                // Another process (or pipeline) on the same store has it.
                guard try claimed.map({ $0.contains(item.id) }) ?? store.claimReply(item.id) else { continue }
                do {
                    if sink.syncsInBatches {
                        try sink.deliver(item)
                        written.append(item.id)
                    } else {
                        let at = IntakeStore.now(clock())
                        // Between the commits around the server's acceptance nothing else happens,
                        // not even a checkpoint: a kill there is what could send a reply twice, or
                        // (after `handed`, before the end of data) not at all.
                        try store.db.withoutAutomaticCheckpoints {
                            var handed: ContinuousClock.Instant?
                            if let handing = sink as? HandoverReplySink {
                                try handing.deliver(item) {
                                    try self.store.markHanded(item.id)
                                    handed = ContinuousClock.now
                                }
                            } else {
                                try sink.deliver(item)
                            }
                            let accepted = ContinuousClock.now
                            try store.markSent(item.id, at: at)
                            window.add(ContinuousClock.now - accepted, handover: handed.map { accepted - $0 })
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

    /// Settles what a dead runner left claimed: only while this process holds the runner lock,
    /// which says that no other live process is sending from this outbox.
    func recoverClaims() throws {
        guard RunnerLock.isHeld(dataDirectory: dataDirectory) else { return }
        let (requeued, handed) = try store.recoverClaimedReplies(
            note: "regnet for sendt: en afbrudt kørsel havde afleveret hele svaret til serveren")
        if !requeued.isEmpty {
            log("\(requeued.count) svar, som en afbrudt kørsel ikke nåede at aflevere, sendes igen")
        }
        guard !handed.isEmpty else { return }
        log("\(handed.count) svar regnes for sendt: en afbrudt kørsel havde afleveret dem hele til serveren")
        try store.db.transaction {
            for r in handed {
                try store.audit(actor: "pipeline", record: r.record, message: nil, action: "svar regnet for sendt",
                                detail: "\(r.msgid): kørslen blev afbrudt, efter at hele svaret var afleveret til serveren, men før "
                                    + "serverens kvittering; det sendes ikke igen, så modtageren ikke får det to gange")
            }
        }
    }
}

/// How long the moments around a server's acceptance of a reply took over a pass: from the
/// acceptance (its 250) to the commit that marks it sent, and from the `handed` commit to the
/// acceptance (the end of data on its way, the server's work, its answer).
struct AcceptanceWindow {
    private(set) var count = 0
    private var total = Duration.zero
    private var longest = Duration.zero
    private var handovers = 0
    private var handoverTotal = Duration.zero

    mutating func add(_ d: Duration, handover: Duration?) {
        count += 1
        total += d
        longest = max(longest, d)
        if let handover {
            handovers += 1
            handoverTotal += handover
        }
    }

    static func microseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1_000_000 + Int(d.components.attoseconds / 1_000_000_000_000)
    }

    /// The operator's log line (figures in whole microseconds), nil when nothing was sent.
    var summary: String? {
        guard count > 0 else { return nil }
        return "\(count) svar sendt; fra serverens accept til markeret sendt: i snit \(Self.microseconds(total / count)) µs, "
            + "højst \(Self.microseconds(longest)) µs"
            + (handovers > 0 ? "; fra afleveret til serverens accept: i snit \(Self.microseconds(handoverTotal / handovers)) µs" : "")
    }
}
