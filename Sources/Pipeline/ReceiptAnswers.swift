import CaseModel
import Foundation
import Intake
import MailCore
import Store

/// A sender's answer to our mail about a receipt: it completes that receipt, or says the receipt
/// belongs to another project, which the Secretariat is asked to do.
extension Pipeline {
    /// What an answer in a receipt's thread does.
    enum ReceiptAnswer {
        /// Fills in what the receipt lacks.
        case completes(RecordRow)
        /// Names another project for it: a proposal for the Secretariat.
        case moves(RecordRow, to: RecordRow)
    }

    /// The receipt this mail answers, when it answers one: our notice or confirmation about a receipt
    /// is in its thread (In-Reply-To/References, which lead to our own Message-IDs), and it comes from
    /// the receipt's sender. Anything else in the thread is read as a mail of its own.
    func receiptAnswer(_ c: Context) throws -> ReceiptAnswer? {
        guard [.receipt, .unknown].contains(c.result.kind),
              let id = try store.record(forThread: c.headers.thread), let receipt = try store.record(id), receipt.kind == .receipt,
              let from = c.sender?.lowercased(), from == receipt.sender?.lowercased() else { return nil }
        if let ref = References.first(in: c.result.sections.newText), let project = try store.record(label: ref),
           project.kind == .application, project.id != receipt.projectID, !receipt.reading.missing.contains("occasion") {
            return .moves(receipt, to: project)
        }
        // A receipt that lacks nothing is answered by new mail of its own (another receipt, a question),
        // unless this mail is one of its answers already (it is read again).
        guard [.incomplete, .conflict].contains(receipt.status) || receipt.reading.missing.contains("attachment")
                || c.stored.recordID == receipt.id else { return nil }
        return .completes(receipt)
    }

    func applyReceiptAnswer(_ c: inout Context, _ answer: ReceiptAnswer) throws -> Int64? {
        switch answer {
        case .completes(let receipt): return try completeReceipt(&c, receipt)
        case .moves(let receipt, let project): return try proposeMove(&c, receipt, to: project)
        }
    }

    /// The receipt read again from its first mail and every answer to it, this mail included
    /// (an answer, or the first mail read again).
    func completeReceipt(_ c: inout Context, _ receipt: RecordRow) throws -> Int64? {
        var rec = receipt
        let before = rec.status
        var mails = try store.messages(ofRecord: rec.id).filter { $0.id != c.stored.id }
        mails.append(c.stored)
        mails.sort { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }
        let first = mails[0]
        let isAnswer = first.id != c.stored.id
        let answers = mails.dropFirst().map { $0.id == c.stored.id ? c.message : MailMessage(bytes: $0.raw) }
        let read = engine.receipt(original: MailMessage(bytes: first.raw), answers: answers, received: first.receivedAt)
        var reading = ApplicationReading()
        reading.fields = read.fields
        reading.missing = read.missing
        reading.invalid = read.invalid
        reading.hints = read.hints
        rec.reading = try withCorrections(reading, .receipt, record: rec.id, year: IntakeEngine.copenhagenDay(first.receivedAt).year)
        rec.late = read.late
        rec.amount = nil
        if case .money(let m)? = rec.reading.fields["amount"] { rec.amount = m }
        var occasion: String? = nil
        if case .text(let o)? = rec.reading.fields["occasion"] {
            rec.title = o
            occasion = o
        }
        var link = ProjectLink.none
        if let p = try rec.projectID.flatMap(store.record) {
            link = .project(p, .thread)
        } else if let o = occasion {
            link = try occasionProject(o)
        }
        link = try handLinked(link, record: rec.id)
        rec.projectID = link.project?.id
        rec.area = link.project?.area ?? rec.area
        if before != .conflict {
            rec.status = rec.late ? .late : (rec.reading.missing.isEmpty ? .registered : .incomplete)
        }
        let filled = Set(receipt.reading.missing).subtracting(rec.reading.missing).sorted()
        try save(&rec, from: before, by: .pipeline, c, detail: isAnswer ? "udfyldt af svar fra \(c.sender ?? "ukendt")" : rec.title)
        guard isAnswer else { return rec.id }
        try store.audit(actor: Actor.coordinator(address: c.sender ?? "?").auditName, record: rec.id, message: c.stored.id,
                        action: "svar på kvitteringsbesked",
                        detail: filled.isEmpty ? "intet nyt udfyldt" : "udfyldt: " + filled.map { engine.config.replies.fieldNames[$0] ?? $0 }.joined(separator: ", "))
        if !c.answered {
            var view = c.result
            view.kind = .receipt
            view.fields = rec.reading.fields
            view.missing = rec.reading.missing
            view.invalid = rec.reading.invalid
            view.late = rec.late
            let plan = engine.replies.plan(view, message: c.message, subject: c.headers.subject, reference: nil,
                                           link: link.replyLine(noProject: Self.meetingExpenseLine)).0
            try queue(plan, c, record: rec.id)
        }
        return rec.id
    }

    /// What a receipt reply says when the receipt is tied to no project.
    static let meetingExpenseLine = "Den er ikke knyttet til en bestemt indsats, så den regnes som en udgift til et SSP-møde."

    /// The project an occasion names: by reference, else by its title.
    private func occasionProject(_ occasion: String) throws -> ProjectLink {
        if let ref = References.first(in: occasion), let r = try store.record(label: ref), r.kind == .application {
            return .project(r, .reference)
        }
        if let id = try store.applications(namedIn: Fold.key(occasion), minLength: 1, limit: 1).first, let r = try store.record(id) {
            return .project(r, .title)
        }
        return .none
    }

    /// The sender says the receipt belongs to `project`: nothing moves until the Secretariat does it.
    private func proposeMove(_ c: inout Context, _ receipt: RecordRow, to project: RecordRow) throws -> Int64? {
        let existing = try ownRecord(c, .proposal)
        let target = project.reference ?? project.label
        var rec = existing ?? RecordRow(kind: .proposal, status: .review, title: "Flyt \(receipt.label) til \(target)", sender: c.sender)
        rec.projectID = receipt.id
        rec.area = project.area
        var reading = ApplicationReading()
        reading.fields[Self.moveField] = .text(target)
        let now = try receipt.projectID.flatMap { try store.record($0)?.label } ?? "ingen indsats (mødeudgift)"
        reading.hints = ["\(c.sender ?? "Afsenderen") skriver, at kvitteringen \(receipt.label) hører til \(target) \"\(project.title ?? "")\" (nu: \(now)). Flyt den med: ssp-intake link \(receipt.label) \(target)"]
        rec.reading = reading
        let id = try save(&rec, from: existing?.status, by: .pipeline, c, detail: "\(receipt.label) → \(target) foreslået af \(c.sender ?? "ukendt")")
        if existing == nil {
            try store.audit(actor: Actor.coordinator(address: c.sender ?? "?").auditName, record: receipt.id, message: c.stored.id,
                            action: "flytning foreslået", detail: "til \(target) (S-\(id)); intet ændret")
        }
        if !c.answered {
            try queue(engine.replies.moveProposed(to: c.result.sender ?? MailAddress(name: "", address: c.sender ?? ""),
                                                  subject: c.headers.subject, reference: target, project: project.title ?? ""), c, record: id)
        }
        return id
    }

    /// The field of a move proposal that names the project the receipt should go to.
    public static let moveField = "move.to"
}
