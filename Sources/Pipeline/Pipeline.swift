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
    private var replyCounts: (all: Int?, perSender: [String: Int]) = (nil, [:])

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
    private func record(_ stored: StoredMessage, _ prepared: Prepared) throws {
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

    struct Context {
        var stored: StoredMessage
        var message: MailMessage
        var result: IntakeResult
        var encoded: EncodedReading?
        var headers: Headers
        var comment: String?
    }

    private func apply(_ c: inout Context) throws -> Int64? {
        switch c.result.kind {
        case .application: return try applyApplication(&c)
        case .approval: return try applyDecision(&c, application: try linkedApplication(c))
        case .receipt: return try applyReceipt(&c)
        case .statusReport: return try applyStatusReport(&c)
        case .unknown: return try applyOther(&c, status: "review")
        case .automatic: return try applyAutomatic(&c)
        }
    }

    private func newRecord(_ c: Context, kind: String, status: String) -> RecordRow {
        RecordRow(kind: kind, status: status, title: c.headers.subject, sender: c.headers.from.first?.address)
    }

    /// Saves a record (insert or update) and returns its id.
    private func save(_ r: inout RecordRow, _ c: Context) throws -> Int64 {
        if r.encoded?.matches(r.reading) != true {
            r.encoded = try c.encoded.flatMap { $0.matches(r.reading) ? $0 : nil } ?? EncodedReading(r.reading)
        }
        if r.id == 0 { r.id = try store.insertRecord(r) } else { try store.updateRecord(r) }
        return r.id
    }

    private func applyApplication(_ c: inout Context) throws -> Int64? {
        let reading = c.result.application ?? ApplicationReading()
        var record: RecordRow
        var merged = reading
        if let own = try c.stored.recordID.flatMap(store.record), own.kind == "application", !c.result.followUp {
            record = own   // reprocessing: the same record again
        } else if c.result.followUp, let target = try linkedApplication(c) {
            record = target
            merged = engine.applications.merged(target.reading, reading)
            try store.audit(actor: "pipeline", record: record.id, message: c.stored.id, action: "opfølgning",
                            detail: "felter: \(reading.fields.keys.sorted().joined(separator: ", "))")
        } else {
            record = newRecord(c, kind: "application", status: "incomplete")
        }
        record.reading = merged
        if case .text(let name)? = merged.fields["name"] { record.title = name }
        if case .text(let area)? = merged.fields["anchoring.geographic"] { record.area = area }
        if case .money(let m)? = merged.fields["budget.total"] { record.amount = m }
        if record.sender == nil { record.sender = c.headers.from.first?.address }
        let wasNew = record.id == 0

        var becameComplete = false
        // A leader may approve before the application is complete (or forward it with "Godkendt"):
        // once complete it then needs no approval request. A new record has no approvals yet.
        let approvedByMail = try !wasNew && store.approvals(ofRecord: record.id).contains { $0.0 == Decision.approved.rawValue && $0.1 }
        let preApproved = (c.result.decision == .approved && c.result.trusted == true) || approvedByMail
        if merged.isComplete && record.status == "incomplete" {
            record.reference = try record.reference ?? store.nextReference(year: IntakeEngine.copenhagenDay(c.stored.receivedAt).year)
            record.status = preApproved ? "leaderApproved" : "awaitingLeader"
            becameComplete = true
        }
        // Saved once, as it now stands.
        _ = try save(&record, c)
        if wasNew { try store.audit(actor: "pipeline", record: record.id, message: c.stored.id, action: "ansøgning oprettet", detail: record.title) }
        if becameComplete {
            try store.audit(actor: "pipeline", record: record.id, message: c.stored.id, action: "komplet",
                            detail: "reference \(record.reference ?? "")")
        } else if !merged.isComplete {
            try store.audit(actor: "pipeline", record: record.id, message: c.stored.id, action: "mangler oplysninger",
                            detail: (merged.missing + merged.invalid.map(\.field)).joined(separator: ", "))
        }

        // The reply speaks about the application as it now stands, not this mail alone.
        var view = c.result
        view.fields = merged.fields
        view.missing = merged.missing
        view.invalid = merged.invalid
        view.followUp = false
        view.kind = .application
        // A new application as the mail gave it, still without a reference, gets the reply the rules planned.
        let asPlanned = record.reference == nil && view.fields == c.result.fields && view.missing == c.result.missing
            && view.invalid == c.result.invalid && view.kind == c.result.kind && view.followUp == c.result.followUp
        let plan = asPlanned ? c.result.reply
            : engine.replies.plan(view, message: c.message, subject: c.headers.subject, reference: record.reference).0
        try queue(plan, c, record: record.id)

        if becameComplete, !preApproved, let reference = record.reference {
            try requestApproval(record, reference: reference, c)
        }
        if c.result.decision != nil {
            _ = try applyDecision(&c, application: record, replyQueued: true)
        }
        return record.id
    }

    private func requestApproval(_ record: RecordRow, reference: String, _ c: Context) throws {
        let f = record.reading.fields
        var email: String? = nil
        if case .text(let e)? = f["leaderContact.email"] { email = e }
        guard let to = email else {
            try store.audit(actor: "pipeline", record: record.id, message: c.stored.id, action: "ingen godkendelsesanmodning",
                            detail: "kontaktpersonens e-mail kendes ikke")
            return
        }
        var name = ""
        if case .text(let n)? = f["leaderContact.name"] { name = n }
        let plan = engine.replies.approvalRequest(fields: f, reference: reference, to: MailAddress(name: name, address: to))
        try queue(plan, c, record: record.id, threaded: false)
    }

    /// The application a reply, decision or follow-up is about: by thread, then reference, then title in the subject.
    private func linkedApplication(_ c: Context) throws -> RecordRow? {
        let thread = c.headers.thread
        if let id = try store.record(forThread: thread), var r = try store.record(id) {
            // A thread may lead to a decision record; its application is the one meant.
            if r.kind != "application", let p = r.projectID, let app = try store.record(p) { r = app }
            if r.kind == "application" { return r }
        }
        if let ref = c.result.reference, let r = try store.record(label: ref), r.kind == "application" { return r }
        let subject = Fold.key(c.headers.subject ?? "")
        if !subject.isEmpty {
            let matches = try store.applications(namedIn: subject)
            if matches.count == 1 { return try store.record(matches[0]) }
        }
        return nil
    }

    private func applyDecision(_ c: inout Context, application: RecordRow?, replyQueued: Bool = false) throws -> Int64? {
        let r = c.result
        let decision = r.decision ?? .unclear
        let trusted = r.trusted == true
        let comment = Self.takesDecision(r) ? c.comment : ApplicationRulesText.comment(r.sections.newText)
        let sender = c.headers.from.first?.address
        var notAccepted: String? = nil
        var recordID: Int64
        if var app = application, trusted, decision != .unclear, !["approved", "rejected"].contains(app.status) {
            // An approval of an incomplete application waits for the missing fields; a rejection ends it.
            if !(decision == .approved && app.status == "incomplete") {
                app.status = decision == .approved ? "leaderApproved" : "leaderRejected"
            }
            recordID = try save(&app, c)
            try store.recordApproval(record: app.id, message: c.stored.id, decision: decision.rawValue, trusted: true,
                                     sender: sender, comment: comment, reasons: r.reasons)
            try store.audit(actor: "leder \(sender ?? "?") (mail)", record: app.id, message: c.stored.id,
                            action: decision == .approved ? "godkendt af ledergruppen" : "afvist af ledergruppen", detail: comment)
            c.result.reference = app.reference
        } else {
            let status: String
            if application == nil {
                status = "unlinked"
                notAccepted = "vi ikke kunne finde den ansøgning, mailen handler om (skriv gerne referencen, fx SSP-2027-0001, i emnet)"
            } else if decision == .unclear {
                status = "unclear"
            } else if !trusted {
                status = "untrusted"
            } else {
                status = "unclear"
                notAccepted = "ansøgningen allerede er afgjort af SSP Sekretariatet"
            }
            // Processing again finds the claim recorded the first time (a forward's message belongs to its application).
            let earlier = try store.approvalRecord(sender: sender, title: c.headers.subject, project: application?.id)
            var rec = (try c.stored.recordID.flatMap(store.record)).flatMap { $0.kind == "approval" ? $0 : nil }
                ?? earlier ?? newRecord(c, kind: "approval", status: status)
            rec.status = status
            rec.projectID = application?.id
            rec.reading.hints = r.reasons
            recordID = try save(&rec, c)
            try store.recordApproval(record: application?.id ?? rec.id, message: c.stored.id, decision: decision.rawValue,
                                     trusted: trusted, sender: sender, comment: comment, reasons: r.reasons)
            try store.audit(actor: "pipeline", record: application?.id ?? rec.id, message: c.stored.id,
                            action: "beslutning ikke anvendt", detail: "\(decision.rawValue), \(status): \(sender ?? "")")
            if application != nil && !trusted { notAccepted = nil }
        }
        if !replyQueued {
            let (plan, _) = engine.replies.plan(c.result, message: c.message, subject: c.headers.subject, reference: application?.reference,
                                                notAccepted: notAccepted)
            try queue(plan, c, record: recordID)
        }
        return application.map(\.id).flatMap { trusted && decision != .unclear ? $0 : nil } ?? recordID
    }

    private func applyReceipt(_ c: inout Context) throws -> Int64? {
        let r = c.result
        var rec = try c.stored.recordID.flatMap(store.record) ?? newRecord(c, kind: "receipt", status: "incomplete")
        rec.kind = "receipt"
        // The same reading the evaluation encoded ahead.
        rec.reading = Self.likelyReading(r)
        rec.late = r.late == true
        if case .money(let m)? = r.fields["amount"] { rec.amount = m }
        if case .text(let o)? = r.fields["occasion"] { rec.title = o }
        var project = try linkedApplication(c)
        if project == nil, case .text(let o)? = r.fields["occasion"] {
            let f = Fold.key(o)
            project = try store.applications(namedIn: f, minLength: 1, limit: 1).first.flatMap { try store.record($0) }
        }
        rec.projectID = project?.id
        if let p = project { rec.area = p.area }
        rec.status = rec.late ? "late" : (r.missing.isEmpty ? "registered" : "incomplete")
        let id = try save(&rec, c)
        try store.audit(actor: "pipeline", record: id, message: c.stored.id, action: "kvittering",
                        detail: project.map { "knyttet til \($0.label)" } ?? "mødeudgift/uden indsats")
        try queue(r.reply, c, record: id)
        return id
    }

    private func applyStatusReport(_ c: inout Context) throws -> Int64? {
        var rec = try c.stored.recordID.flatMap(store.record) ?? newRecord(c, kind: "statusReport", status: "unlinked")
        let project = try linkedApplication(c)
        rec.projectID = project?.id
        rec.area = project?.area
        rec.status = project == nil ? "unlinked" : "linked"
        let id = try save(&rec, c)
        try store.audit(actor: "pipeline", record: project?.id ?? id, message: c.stored.id, action: "status modtaget",
                        detail: c.headers.subject)
        return id
    }

    private func applyOther(_ c: inout Context, status: String) throws -> Int64? {
        var rec = try c.stored.recordID.flatMap(store.record) ?? newRecord(c, kind: c.result.kind.rawValue, status: status)
        rec.reading.hints = c.result.reasons
        let id = try save(&rec, c)
        try queue(c.result.reply, c, record: id)
        return id
    }

    private func applyAutomatic(_ c: inout Context) throws -> Int64? {
        let id = try applyOther(&c, status: "automatic")
        // A bounce carries our reply's Message-ID; that reply is marked bounced.
        let text = String(decoding: c.stored.raw, as: UTF8.self)
        var from = text.startIndex
        while let r = Fold.find(text, "<ssp-intake.", from: from),
              let end = text[r.upperBound...].firstIndex(of: ">") {
            let msgid = String(text[text.index(after: r.lowerBound)..<end])
            if msgid != c.headers.messageID, try store.markBounced(msgid: msgid, detail: "afvist: \(c.headers.subject ?? "")") {
                try store.audit(actor: "pipeline", record: id, message: c.stored.id, action: "svar afvist", detail: msgid)
            }
            from = end
        }
        return id
    }

    /// Composes and queues a reply; its Message-ID comes from the message and the reply kind,
    /// so processing the same message again queues nothing new.
    private func queue(_ plan: ReplyPlan?, _ c: Context, record: Int64?, threaded: Bool = true) throws {
        // A recipient that is no valid SMTP path gets no reply, and the record says why.
        guard try !refusesRecipient(plan, c, record: record), let plan else { return }
        let domain = engine.config.site.mailbox.messageIdDomain
        let sha = c.stored.sha256.isEmpty ? SHA256.hex(c.stored.raw) : c.stored.sha256
        let msgid = ReplyComposer.messageID(seed: "\(sha):\(plan.kind.rawValue):\(plan.to.address.lowercased())", domain: domain)
        if try store.hasReply(msgid: msgid) { return }   // processed before: queued once, never twice
        // A loop with another robot, or a flood, must stay small whatever the rules decided.
        let limits = engine.config.site.replyLimits ?? .standard
        let now = clock()
        let recipient = plan.to.address.lowercased()
        // Counted in the store once per pass, then kept up to date here: a backlog's thousands of
        // replies must not each count the ones before them.
        if replyCounts.all == nil {
            replyCounts.all = try store.replyCount(since: now.addingTimeInterval(-3_600), atMost: limits.globalPerHour)
        }
        if replyCounts.perSender[recipient] == nil {
            replyCounts.perSender[recipient] = try store.replyCount(to: plan.to.address, since: now.addingTimeInterval(-86_400),
                                                                   atMost: limits.perSenderPerDay)
        }
        let toSender = replyCounts.perSender[recipient]!, toAll = replyCounts.all!
        if toSender >= limits.perSenderPerDay || toAll >= limits.globalPerHour {
            try store.audit(actor: "pipeline", record: record, message: c.stored.id, action: "svar ikke sendt",
                            detail: "\(plan.kind.rawValue) til \(plan.to.address): grænsen for svar er nået (\(toSender) til afsenderen i døgnet, \(toAll) i timen)")
            log("svar til \(plan.to.address) ikke sendt: grænsen for svar er nået")
            return
        }
        let bytes = ReplyComposer.compose(plan, inReplyTo: threaded ? c.message : nil, from: engine.config.site.mailbox,
                                          date: clock(), messageID: msgid)
        try store.queueReply(msgid: msgid, message: c.stored.id, record: record, kind: plan.kind.rawValue,
                             to: plan.to.address, subject: plan.subject, bytes: bytes, at: clock())
        // A reply undone with its message's savepoint stays counted: the limit errs on the side of fewer replies.
        replyCounts.all! += 1
        replyCounts.perSender[recipient]! += 1
        if let record { try store.link(threadIDs: [msgid], to: record) }
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
