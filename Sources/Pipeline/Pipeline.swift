import CaseModel
import Foundation
import Intake
import MailCore
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
    private lazy var early = EarlyEvaluations(engine: engine, attachments: attachmentDirectory)

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
            log("besked \(id) fejlede: \(error)")
            try store.markFailed(id, error: String(describing: error))
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
    /// Messages evaluated together, and the bytes they may hold between them.
    static let groupSize = 32
    static let groupBytes = 4 << 20

    /// What the pure stage makes of a stored message, on another core: the parsed mail, what the
    /// rules say, the result as JSON, and its attachments stored (by content, so writing them early is safe).
    struct Prepared: @unchecked Sendable {
        var message: MailMessage
        var result: IntakeResult
        var resultJSON: String
        var files: Result<[SavedFile], Error>
        /// The reading the record will most likely be saved with, encoded here rather than on the recording thread.
        var encoded: EncodedReading?
        /// Header values the recording reads, decoded here once.
        var headers: Headers
        /// The new text as one short line (`ApplicationRulesText.comment`), for a result that `takesDecision`.
        var comment: String?
    }

    /// What the recording thread needs of a message's header, decoded once (each read of
    /// `MailMessage.subject` and the like parses the field again).
    struct Headers {
        var subject: String?
        var from: [MailAddress]
        var messageID: String?
        /// References then In-Reply-To: the thread this message answers.
        var thread: [String]

        init(_ m: MailMessage) {
            subject = m.subject
            from = m.from
            messageID = m.messageID
            thread = m.references + m.inReplyTo
        }
    }

    /// True when recording the result applies a decision (`applyDecision`), which quotes the new text.
    static func takesDecision(_ r: IntakeResult) -> Bool { r.kind == .approval || r.decision != nil }

    /// What evaluating a message depends on: its bytes and when it arrived (as stored).
    typealias Input = (raw: [UInt8], receivedAt: Date)

    /// Parses and evaluates stored messages, in parallel when there are several.
    fileprivate static func evaluate(_ group: [Input], engine: IntakeEngine, attachments: URL) -> [Prepared] {
        @Sendable func one(_ s: Input) -> Prepared {
            let m = MailMessage(bytes: s.raw)
            let content = m.content()
            let result = engine.evaluate(m, content: content, received: s.receivedAt)
            return Prepared(message: m, result: result, resultJSON: json(IntakeReport(result)),
                            files: Result { try saveAttachments(m, content.attachments, in: attachments) },
                            encoded: try? EncodedReading(likelyReading(result)), headers: Headers(m),
                            comment: takesDecision(result) ? ApplicationRulesText.comment(result.sections.newText) : nil)
        }
        guard group.count > 1 else { return group.map(one) }
        let slots = UnsafeMutableBufferPointer<Prepared?>.allocate(capacity: group.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let out = slots
        DispatchQueue.concurrentPerform(iterations: group.count) { i in out[i] = one(group[i]) }
        return slots.map { $0! }
    }

    /// The reading the apply step gives a new record of this result's kind (see `applyApplication`,
    /// `applyReceipt`, `applyOther`); a guess that turns out wrong only costs encoding it again.
    static func likelyReading(_ r: IntakeResult) -> ApplicationReading {
        var reading = ApplicationReading()
        switch r.kind {
        case .application: reading = r.application ?? reading
        case .receipt:
            reading.fields = r.fields
            reading.missing = r.missing
            reading.invalid = r.invalid
            reading.hints = r.hints
        case .approval, .unknown, .automatic: reading.hints = r.reasons
        case .statusReport: break
        }
        return reading
    }

    // MARK: - Processing

    /// Processes one stored message in one transaction; running it again gives the same records.
    public func process(_ id: Int64) throws {
        guard let stored = try store.message(id) else { return }
        replyCounts = (nil, [:])
        store.beginPass()
        try record(stored, Self.evaluate([(stored.raw, stored.receivedAt)], engine: engine, attachments: attachmentDirectory)[0])
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

    // MARK: - Attachments

    struct SavedFile {
        var sha: String
        var stored: String
        var size: Int
        var type: String
        var name: String?
    }

    /// Stores each attachment once by its SHA-256 under a generated name; the mail's file name is never a path.
    static func saveAttachments(_ m: MailMessage, _ attachments: [Attachment], in dir: URL) throws -> [SavedFile] {
        var out: [SavedFile] = []
        for a in attachments {
            let data = m.data(of: a)
            let sha = SHA256.hex(data)
            let stored = sha
            let url = dir.appendingPathComponent(stored)
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                // Written from the decoded bytes themselves: a 25 MB photo is not copied into Data first.
                try data.withUnsafeBytes { b in
                    try Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: b.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                             count: b.count, deallocator: .none).write(to: url, options: .atomic)
                }
            }
            out.append(SavedFile(sha: sha, stored: stored, size: data.count, type: a.contentType, name: a.filename))
        }
        return out
    }

    static func json<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Small text helpers the pipeline needs from a decision's new text.
enum ApplicationRulesText {
    /// The new text as one short line, for the audit log and the queue.
    static func comment(_ newText: String) -> String? {
        let one = newText.split(whereSeparator: { $0 == "\n" || $0 == "\t" }).map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }.joined(separator: " ")
        guard !one.isEmpty else { return nil }
        return one.count <= 300 ? one : String(one.prefix(297)) + "…"
    }
}

/// One group's parse and evaluation, started on a background queue; `wait()` gives the results in order.
private final class Evaluation: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the background block before `done` is signalled, read only after waiting for it.
    private var results: [Pipeline.Prepared] = []

    init(_ group: [Pipeline.Input], engine: IntakeEngine, attachments: URL) {
        guard !group.isEmpty else {
            done.signal()
            return
        }
        DispatchQueue.global().async { [self] in
            results = Pipeline.evaluate(group, engine: engine, attachments: attachments)
            done.signal()
        }
    }

    func wait() -> [Pipeline.Prepared] {
        done.wait()
        done.signal()
        return results
    }
}


/// Evaluations started as a source stores a backlog, before its part commits: evaluating is pure
/// (attachments are stored by content), so the other cores work while this thread stores. Used
/// only when the stored message turns out to be the same bytes with the same arrival time.
/// Owned by the pipeline's thread.
private final class EarlyEvaluations {
    let engine: IntakeEngine
    let attachments: URL
    private var started: [Int64: (input: Pipeline.Input, evaluation: Evaluation, index: Int)] = [:]
    private var waiting: [(id: Int64, input: Pipeline.Input)] = []
    private var waitingBytes = 0
    /// Large mail is evaluated when it is processed, so that it is never held twice.
    static let maxBytes = 1 << 20

    init(engine: IntakeEngine, attachments: URL) {
        self.engine = engine
        self.attachments = attachments
    }

    func add(_ id: Int64, _ raw: [UInt8], _ receivedAt: Date) {
        guard raw.count <= Self.maxBytes else { return }
        // The store keeps arrival times to the second.
        waiting.append((id, (raw, Date(timeIntervalSince1970: receivedAt.timeIntervalSince1970.rounded(.down)))))
        waitingBytes += raw.count
        if waiting.count >= Pipeline.groupSize || waitingBytes >= Pipeline.groupBytes { start() }
    }

    /// Starts evaluating what has been added since the last start.
    func start() {
        guard !waiting.isEmpty else { return }
        let e = Evaluation(waiting.map(\.input), engine: engine, attachments: attachments)
        for (i, w) in waiting.enumerated() { started[w.id] = (w.input, e, i) }
        waiting = []
        waitingBytes = 0
    }

    func reset() {
        started = [:]
        waiting = []
        waitingBytes = 0
    }

    /// The evaluation of `group`: from what was started early where it applies, the rest started now.
    func evaluation(of group: [StoredMessage]) -> () -> [Pipeline.Prepared] {
        var from: [(Evaluation, Int)?] = []
        var rest: [Pipeline.Input] = []
        for s in group {
            if let e = started.removeValue(forKey: s.id), e.input.receivedAt == s.receivedAt, e.input.raw == s.raw {
                from.append((e.evaluation, e.index))
            } else {
                from.append(nil)
                rest.append((s.raw, s.receivedAt))
            }
        }
        let now = Evaluation(rest, engine: engine, attachments: attachments)
        return {
            var next = 0
            return from.map { source in
                if let (e, i) = source { return e.wait()[i] }
                defer { next += 1 }
                return now.wait()[next]
            }
        }
    }
}
