import CaseModel
import Foundation
import Intake
import MailCore
import MailPorts
import Store

/// What one pass of the pipeline did.
public struct RunSummary: Sendable, Equatable {
    public var ingested = 0
    public var processed = 0
    public var failed = 0
    public var delivered = 0
    public var deliveryFailures = 0
}

/// The one place that joins source, rules, store and sink: ingest → process → queue replies → deliver.
/// Each step is idempotent, so a crash or a restart anywhere neither loses nor doubles anything.
public final class Pipeline {
    public let store: IntakeStore
    public let engine: IntakeEngine
    let source: MailSource?
    let sink: ReplySink?
    let dataDirectory: URL
    let log: (String) -> Void
    let clock: () -> Date
    /// Asked between messages; true ends the pass after the message in hand (SIGTERM, SIGINT).
    public var shouldStop: () -> Bool = { false }

    /// The wait between two passes: the source's (IMAP IDLE ends it when mail arrives), else a sleep.
    public func waitForMail(seconds: Double, log: (String) -> Void, shouldStop: @escaping () -> Bool) -> Bool {
        if let source { return source.waitForMail(seconds: seconds, log: log, shouldStop: shouldStop) }
        sleepOut(seconds, shouldStop: shouldStop)
        return false
    }

    public init(store: IntakeStore, engine: IntakeEngine, source: MailSource?, sink: ReplySink?, dataDirectory: URL,
                log: @escaping (String) -> Void = { _ in }, clock: @escaping () -> Date = Date.init) {
        self.store = store
        self.engine = engine
        self.source = source
        self.sink = sink
        self.dataDirectory = dataDirectory
        self.log = log
        self.clock = clock
    }

    /// One pass: everything new is stored, processed, answered and delivered.
    public func runOnce() throws -> RunSummary {
        var s = RunSummary()
        var t = ContinuousClock.now
        func lap() -> Double {
            let now = ContinuousClock.now
            defer { t = now }
            let d = now - t
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        var processing = 0.0
        func process() throws {
            let t0 = ContinuousClock.now
            let (ok, failed) = try processPending()
            s.processed += ok
            s.failed += failed
            let d = ContinuousClock.now - t0
            processing += Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        if let source {
            // A backlog is processed part by part as it is stored, while the source reads on.
            defer { early.reset() }
            s.ingested = try source.ingestNew(into: store, log: log, shouldStop: shouldStop, stored: early.add,
                                              committed: { early.start(); try process() })
            try store.setMeta("lastPoll:" + source.name, IntakeStore.now(clock()))
        }
        lastTimings.fetch = lap() - processing
        try process()
        try source?.finish(store: store, log: log)
        lastTimings.process = lap() + processing
        (s.delivered, s.deliveryFailures) = try deliver()
        lastTimings.deliver = lap()
        return s
    }

    /// Seconds spent in the last pass's phases, for the operator's log line.
    public private(set) var lastTimings = (fetch: 0.0, process: 0.0, deliver: 0.0)

    /// Messages a source has just stored, already being evaluated on the other cores while it stores the rest.
    private lazy var early = Evaluator(engine: engine, attachments: attachmentDirectory)

    /// Replies queued in the reply limits' windows: from the store at a pass's first reply, then counted here.
    var replyCounts: (all: Int?, perSender: [String: Int]) = (nil, [:])

    /// Processes every stored message not yet processed; one that fails is kept as failed, never stops the rest.
    public func processPending() throws -> (Int, Int) {
        var ok = 0, failed = 0
        // Another process (the secretariat's commands) may have changed the store since the last pass.
        replyCounts = (nil, [:])
        store.beginPass()
        let pending = try store.messages(status: "new")
        var next = 0
        func fail(_ id: Int64, _ error: Error) throws {
            failed += 1
            let reason = DanishSystemError.describe(error)
            log("besked \(id) fejlede: \(reason)")
            try store.markFailed(id, error: reason)
        }
        // Reads the next small group (capped in bytes, so large mail goes alone) in order.
        func load(until batchEnd: Int) throws -> [StoredMessage] {
            var group: [StoredMessage] = []
            var bytes = 0
            while next < batchEnd && group.count < Self.groupSize && (group.isEmpty || bytes < Self.groupBytes) {
                let id = pending[next]
                next += 1
                do {
                    if let m = try store.message(id) {
                        group.append(m)
                        bytes += m.raw.count
                    }
                } catch let e as StoreError where e.isBusy {
                    throw e
                } catch {
                    try fail(id, error)
                }
            }
            return group
        }
        while next < pending.count && !shouldStop() {
            // A batch commits once; each message inside it is a savepoint of its own.
            try store.db.transaction {
                let batchEnd = min(next + Self.batchSize, pending.count)
                // Parsing and the rules (pure work) run on the other cores for the next group while this
                // thread records the current one, in order. Large mail is not read ahead of itself.
                var group = try load(until: batchEnd)
                var evaluation = early.evaluation(of: group)
                while !group.isEmpty {
                    let readAhead = group.reduce(0) { $0 + $1.raw.count } < Self.groupBytes && !shouldStop()
                    let nextGroup = readAhead ? try load(until: batchEnd) : []
                    let nextEvaluation = early.evaluation(of: nextGroup)
                    for (stored, prepared) in zip(group, evaluation()) {
                        do {
                            try record(stored, prepared)
                            ok += 1
                        } catch let e as StoreError where e.isBusy {
                            throw e
                        } catch {
                            try fail(stored.id, error)
                        }
                    }
                    if shouldStop() { break }
                    group = nextGroup.isEmpty && next < batchEnd ? try load(until: batchEnd) : nextGroup
                    evaluation = nextGroup.isEmpty ? early.evaluation(of: group) : nextEvaluation
                }
            }
        }
        return (ok, failed)
    }

    /// Messages per commit while processing: the CLI waits at most about a second for the lock.
    static let batchSize = 500
    // MARK: - Processing

    /// Processes one stored message in one transaction; running it again gives the same records.
    public func process(_ id: Int64) throws {
        guard let stored = try store.message(id) else { return }
        replyCounts = (nil, [:])
        store.beginPass()
        try record(stored, early.now(stored))
    }

    var attachmentDirectory: URL { dataDirectory.appendingPathComponent("attachments") }

    /// Records what the rules made of a message: attachments, the record, replies, in one transaction.
    func record(_ stored: StoredMessage, _ prepared: Prepared) throws {
        let id = stored.id
        let (message, result) = (prepared.message, prepared.result)
        let files = try prepared.files.get()
        try store.db.transaction {
            for f in files {
                try store.addAttachment(message: id, sha256: f.sha, storedName: f.stored, size: f.size,
                                        contentType: f.type, filename: f.name)
            }
            var ctx = Context(stored: stored, message: message, result: result, encoded: prepared.encoded,
                              headers: prepared.headers, comment: prepared.comment)
            let recordID = try apply(&ctx)
            if let recordID, let mid = prepared.headers.messageID { try store.link(threadIDs: [mid], to: recordID) }
            try store.markProcessed(id, kind: result.kind.rawValue, record: recordID,
                                    resultJSON: prepared.resultJSON, rulesVersion: IntakeEngine.rulesVersion)
        }
    }

}
