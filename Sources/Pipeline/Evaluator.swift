import CaseModel
import Dispatch
import Foundation
import Intake
import MailCore
import Store

// The pure stage, on the other cores: parsing a stored mail, the rules, its result as JSON and its
// attachments. Nothing here touches the store, so it may run ahead of the thread that records.
extension Pipeline {
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
    static func evaluate(_ group: [Input], engine: IntakeEngine, attachments: URL) -> [Prepared] {
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
        // No lock: each iteration writes only its own slot, and concurrentPerform returns after all of them.
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
    // The one synchronisation between the threads: the background block writes `results` once and
    // then signals; readers wait first, and signal again so that the next reader passes too.
    private let done = DispatchSemaphore(value: 0)
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


/// The evaluation threads behind one type: groups of stored mail evaluated on the other cores,
/// some started early, while a source still stores a backlog and before its part commits
/// (evaluating is pure, and attachments are stored by content), so the other cores work while
/// the pipeline's thread stores and records. An early result is used only when the stored message
/// turns out to be the same bytes with the same arrival time. Owned by the pipeline's thread: only
/// `Evaluation` crosses threads.
final class Evaluator {
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

    /// One stored message evaluated now, on this thread.
    func now(_ stored: StoredMessage) -> Pipeline.Prepared {
        Pipeline.evaluate([(stored.raw, stored.receivedAt)], engine: engine, attachments: attachments)[0]
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
