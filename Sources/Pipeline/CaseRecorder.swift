import CaseModel
import Foundation
import Intake
import MailCore
import Store

/// Recording what the rules made of a mail as cases: every status change goes through the case
/// model, by the actor the mail speaks for, and is audited.
extension Pipeline {
    struct Context {
        var stored: StoredMessage
        var message: MailMessage
        var result: IntakeResult
        var encoded: EncodedReading?
        var headers: Headers
        var comment: String?
        /// True when this mail was answered before (it is being processed again): nothing more is sent for it.
        var answered = false

        var sender: String? { headers.from.first?.address }
    }

    func apply(_ c: inout Context) throws -> Int64? {
        if let mid = c.headers.messageID, let first = try store.firstMessage(withMessageID: mid, before: c.stored.id) {
            // The same mail delivered again (one more Received: line, another copy): the Message-ID
            // says so whatever its bytes, and it decides nothing and is answered by nothing twice.
            try store.audit(actor: Actor.pipeline.auditName, record: first.record, message: c.stored.id, action: "samme mail igen",
                            detail: "Message-ID \(mid) som mail #\(first.id): ingen ny sag, intet svar")
            return nil
        }
        c.answered = try store.hasReplies(forMessage: c.stored.id)
        if let answer = try receiptAnswer(c) { return try applyReceiptAnswer(&c, answer) }
        switch c.result.kind {
        case .application: return try applyApplication(&c)
        case .approval: return try applyDecision(&c, application: try linkedApplication(c)?.record)
        case .receipt: return try applyReceipt(&c)
        case .statusReport: return try applyStatusReport(&c)
        case .unknown: return try applyOther(&c, kind: .unknown, status: .review)
        case .automatic: return try applyAutomatic(&c)
        }
    }

    /// The record this mail made before, when it was of `kind`: processing again updates it.
    func ownRecord(_ c: Context, _ kind: CaseKind) throws -> RecordRow? {
        try c.stored.recordID.flatMap(store.record).flatMap { $0.kind == kind ? $0 : nil }
    }

    /// Saves a record (insert or update) once the case model has let `actor` move it from `before`
    /// (nil: a new case) to its status; the transition is audited. Returns its id.
    @discardableResult
    func save(_ r: inout RecordRow, from before: CaseStatus?, by actor: Actor, _ c: Context, detail: String? = nil) throws -> Int64 {
        let from = r.id == 0 ? nil : before
        if let from, actor.role == .pipeline, Self.settledByHand.contains(from) { r.status = from }
        let transition = from == r.status ? nil : try CaseModel.transition(r.kind, from: from, to: r.status, by: actor.role)
        if r.encoded?.matches(r.reading) != true {
            r.encoded = try c.encoded.flatMap { $0.matches(r.reading) ? $0 : nil } ?? EncodedReading(r.reading)
        }
        if r.id == 0 { r.id = try store.insertRecord(r) } else { try store.updateRecord(r) }
        if let transition {
            try store.audit(actor: actor.auditName, record: r.id, message: c.stored.id, action: transition.action, detail: detail)
        }
        return r.id
    }

    private func applyApplication(_ c: inout Context) throws -> Int64? {
        let reading = c.result.application ?? ApplicationReading()
        var record: RecordRow
        var before: CaseStatus?
        var merged = reading
        // Who the mail speaks for: its author, once the application exists.
        var actor = Actor.coordinator(address: c.sender ?? "?")
        if let own = try ownRecord(c, .application), !c.result.followUp {
            record = own   // reprocessing: the same record again
            before = own.status
        } else if c.result.followUp, let (target, way) = try linkedApplication(c) {
            guard mayChange(target, by: way, c) else { return try applyProposal(&c, to: target) }
            record = target
            before = target.status
            merged = engine.applications.merged(target.reading, reading)
            try store.audit(actor: actor.auditName, record: record.id, message: c.stored.id, action: "opfølgning",
                            detail: "felter: \(reading.fields.keys.sorted().joined(separator: ", "))")
        } else {
            record = RecordRow(kind: .application, status: .incomplete, title: c.headers.subject, sender: c.sender)
            actor = .pipeline
        }
        merged = try withCorrections(merged, .application, record: record.id,
                                     year: IntakeEngine.copenhagenDay(c.stored.receivedAt).year)
        let earlier = record.reading.fields
        record.reading = merged
        record.takeApplicationColumns()
        if record.sender == nil { record.sender = c.sender }
        let wasNew = record.id == 0

        // A leader may approve before the application is complete (or forward it with "Godkendt"):
        // once complete it then needs no approval request.
        // A revision after the leader group said no goes back to it: complete, it is asked again.
        let revised = before == .leaderRejected && c.result.followUp && !reading.fields.isEmpty
            && merged.fields != earlier
        if revised {
            record.status = .incomplete
            actor = .coordinator(address: c.sender ?? "?")
        }
        let approvedByMail = try !wasNew && !revised && store.appliedDecisions(ofRecord: record.id).last == .approved
        let approvesHere = c.result.decision == .approved && c.result.trusted == true && decisionHold(c, on: record) == nil
        var becameComplete = false
        var leader: IntakeConfig.Leader? = nil
        if merged.isComplete && record.status == .incomplete {
            record.reference = try record.reference ?? store.nextReference(year: IntakeEngine.copenhagenDay(c.stored.receivedAt).year)
            record.status = approvesHere || approvedByMail ? .leaderApproved : .awaitingLeader
            if wasNew && approvesHere { actor = .leader(address: c.sender ?? "?") }
            becameComplete = true
            if record.status == .awaitingLeader {
                leader = configuredLeader(merged.fields)
                if leader == nil {
                    record.reading.hints.append("Kontaktpersonen fra ledergruppen (\(contactDescription(merged.fields))) er ikke en leder i konfigurationen: der er ikke sendt en anmodning om godkendelse")
                }
            }
        }
        try save(&record, from: before, by: actor, c,
                 detail: becameComplete ? "reference \(record.reference ?? "")" : record.title)
        if !merged.isComplete {
            try store.audit(actor: actor.auditName, record: record.id, message: c.stored.id, action: "mangler oplysninger",
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
        try queue(plan, c, record: record.id, about: record)

        if becameComplete, let leader, let reference = record.reference {
            let request = engine.replies.approvalRequest(fields: record.reading.fields, reference: reference,
                                                         to: MailAddress(name: leader.name, address: leader.email))
            try queue(request, c, record: record.id, threaded: false)
        } else if becameComplete, record.status == .awaitingLeader {
            try store.audit(actor: Actor.pipeline.auditName, record: record.id, message: c.stored.id,
                            action: "ingen godkendelsesanmodning", detail: "kontaktpersonen er ikke en kendt leder")
        }
        if c.result.decision != nil {
            _ = try applyDecision(&c, application: record, replyQueued: true)
        }
        return record.id
    }

    /// A follow-up may change an application when it is in the application's thread or comes from
    /// the address of its coordinator or of the one who sent it.
    func mayChange(_ application: RecordRow, by way: LinkWay, _ c: Context) -> Bool {
        if way == .thread { return true }
        guard let from = c.sender?.lowercased() else { return false }
        return entitled(from, to: application)
    }

    /// True when `address` may read the application's personal data: its coordinator, its sender,
    /// its configured leader contact, or the Secretariat's own mailbox.
    func entitled(_ address: String, to application: RecordRow) -> Bool {
        let a = address.lowercased()
        if a == application.sender?.lowercased() || engine.config.isMailbox(a) { return true }
        if case .text(let e)? = application.reading.fields["coordinator.email"], e.lowercased() == a { return true }
        if let leader = configuredLeader(application.reading.fields), leader.email.lowercased() == a { return true }
        return false
    }

    /// Anything else that names an application proposes a change: its own case for the Secretariat,
    /// which changes nothing and is answered with none of the application's data.
    private func applyProposal(_ c: inout Context, to target: RecordRow) throws -> Int64? {
        let existing = try ownRecord(c, .proposal)
        var rec = existing ?? RecordRow(kind: .proposal, status: .review, title: c.headers.subject, sender: c.sender)
        rec.projectID = target.id
        rec.area = target.area
        var proposed = c.result.application ?? ApplicationReading()
        // What it would change, not what an application would still need.
        proposed.missing = []
        proposed.hints = ["Ændringsforslag fra en anden afsender (\(c.sender ?? "ukendt")) til \(target.label) \"\(target.title ?? "")\": ansøgningen er ikke ændret"]
        rec.reading = proposed
        if case .money(let m)? = proposed.fields["budget.total"] { rec.amount = m }
        let id = try save(&rec, from: existing?.status, by: .pipeline, c, detail: "til \(target.label) fra \(c.sender ?? "ukendt")")
        if existing == nil {
            try store.audit(actor: Actor.pipeline.auditName, record: target.id, message: c.stored.id, action: "ændringsforslag modtaget",
                            detail: "#\(id) fra \(c.sender ?? "ukendt"); intet ændret")
        }
        return id
    }

    /// The configured leader the application names as its contact: by a configured address, else by name.
    /// An address written in the application is never used itself.
    func configuredLeader(_ fields: [String: FieldValue]) -> IntakeConfig.Leader? {
        if case .text(let e)? = fields["leaderContact.email"], let l = engine.config.leader(withAddress: e) { return l }
        if case .text(let n)? = fields["leaderContact.name"], let l = engine.config.leader(named: n) { return l }
        return nil
    }

    private func contactDescription(_ fields: [String: FieldValue]) -> String {
        [fields["leaderContact.name"]?.display, fields["leaderContact.email"]?.display].compactMap { $0 }.joined(separator: ", ")
    }

    private func applyReceipt(_ c: inout Context) throws -> Int64? {
        let r = c.result
        let existing = try c.stored.recordID.flatMap(store.record)
        // Its first mail read again, with the answers that completed it since.
        if let existing, existing.kind == .receipt, try store.messages(ofRecord: existing.id).count > 1 {
            return try completeReceipt(&c, existing)
        }
        var rec = existing ?? RecordRow(kind: .receipt, status: .incomplete, title: c.headers.subject, sender: c.sender)
        let before = existing?.kind == .receipt ? existing?.status : nil
        rec.kind = .receipt
        // The same reading the evaluation encoded ahead.
        rec.reading = try withCorrections(Self.likelyReading(r), .receipt, record: rec.id,
                                          year: IntakeEngine.copenhagenDay(c.stored.receivedAt).year)
        rec.late = r.late == true
        if case .money(let m)? = rec.reading.fields["amount"] { rec.amount = m }
        var occasion: String? = nil
        if case .text(let o)? = r.fields["occasion"] {
            rec.title = o
            occasion = o
        }
        let link = try handLinked(try linkedProject(c, alsoNamedIn: occasion.map { [$0] } ?? []), record: rec.id)
        rec.projectID = link.project?.id
        rec.area = link.project?.area
        rec.status = rec.late ? .late : (rec.reading.missing.isEmpty ? .registered : .incomplete)
        if case .conflict(let a, let b) = link {
            rec.status = .conflict
            rec.reading.hints.append(Self.conflictHint(a, b))
        }
        let id = try save(&rec, from: before, by: .pipeline, c, detail: link.auditDetail)
        if !c.answered {
            let plan = engine.replies.plan(r, message: c.message, subject: c.headers.subject, reference: nil,
                                           link: link.replyLine(noProject: Self.meetingExpenseLine)).0
            try queue(plan, c, record: id)
        }
        return id
    }

    private func applyStatusReport(_ c: inout Context) throws -> Int64? {
        let existing = try ownRecord(c, .statusReport)
        var rec = existing ?? RecordRow(kind: .statusReport, status: .unlinked, title: c.headers.subject, sender: c.sender)
        let link = try handLinked(try linkedProject(c, alsoNamedIn: []), record: rec.id)
        rec.projectID = link.project?.id
        rec.area = link.project?.area
        switch link {
        case .project: rec.status = .linked
        case .none: rec.status = .unlinked
        case .conflict(let a, let b):
            rec.status = .conflict
            rec.reading.hints = [Self.conflictHint(a, b)]
        }
        let id = try save(&rec, from: existing?.status, by: .pipeline, c, detail: link.auditDetail)
        if let p = link.project {
            try store.audit(actor: Actor.pipeline.auditName, record: p.id, message: c.stored.id, action: "status modtaget",
                            detail: c.headers.subject)
        }
        if !c.answered {
            let plan = engine.replies.plan(c.result, message: c.message, subject: c.headers.subject, reference: nil,
                                           link: link.replyLine(noProject: "Vi kunne ikke se, hvilken indsats den hører til, så SSP Sekretariatet knytter den til den rigtige.")).0
            try queue(plan, c, record: id)
        }
        return id
    }

    static func conflictHint(_ a: RecordRow, _ b: RecordRow) -> String {
        "Modstridende henvisning: referencen peger på \(a.label) \"\(a.title ?? "")\", men mailen nævner \(b.label) \"\(b.title ?? "")\" – SSP Sekretariatet vælger indsatsen"
    }

    private func applyOther(_ c: inout Context, kind: CaseKind, status: CaseStatus) throws -> Int64? {
        let existing = try ownRecord(c, kind)
        var rec = existing ?? RecordRow(kind: kind, status: status, title: c.headers.subject, sender: c.sender)
        rec.reading.hints = c.result.reasons
        let id = try save(&rec, from: existing?.status, by: .pipeline, c)
        if !c.answered { try queue(c.result.reply, c, record: id) }
        return id
    }

    private func applyAutomatic(_ c: inout Context) throws -> Int64? {
        let id = try applyOther(&c, kind: .automatic, status: .automatic)
        // A bounce carries our reply's Message-ID; that reply is marked bounced.
        let text = String(decoding: c.stored.raw, as: UTF8.self)
        var from = text.startIndex
        while let r = Fold.find(text, "<ssp-intake.", from: from),
              let end = text[r.upperBound...].firstIndex(of: ">") {
            let msgid = String(text[text.index(after: r.lowerBound)..<end])
            if msgid != c.headers.messageID, try store.markBounced(msgid: msgid, detail: "afvist: \(c.headers.subject ?? "")") {
                try store.audit(actor: Actor.pipeline.auditName, record: id, message: c.stored.id, action: "svar afvist", detail: msgid)
            }
            from = end
        }
        return id
    }
}
