import CaseModel
import Foundation
import Intake
import MailCore
import Store

/// A leader's decision by mail: applied to its application when the case model, the leader's area
/// and the leader's own later decisions allow; otherwise kept as a case of its own.
extension Pipeline {
    /// Why a trusted, clear decision on `application` is not applied (the status its own case gets, and
    /// the reason told to the leader), or nil when it applies.
    func decisionHold(_ c: Context, on application: RecordRow) -> (status: CaseStatus, reason: String, hint: String)? {
        if [.approved, .rejected].contains(application.status) {
            return (.unclear, "ansøgningen allerede er afgjort af SSP Sekretariatet", "Ansøgningen er allerede afgjort af SSP Sekretariatet")
        }
        let sender = c.sender ?? ""
        if engine.config.site.decisionsFromAnyArea != true, let leader = engine.config.leader(withAddress: sender),
           let leaderArea = leader.area, let area = application.area, Fold.key(leaderArea) != Fold.key(area) {
            return (.held, "du er leder i \(leaderArea), og indsatsen hører til \(area); SSP Sekretariatet ser på beslutningen",
                    "Beslutning fra \(leader.name), leder i \(leaderArea), om en indsats i \(area): afventer SSP Sekretariatet")
        }
        if let latest = try? store.latestAppliedDecision(record: application.id, sender: sender, excluding: c.stored.id),
           decidedAt(c) < latest {
            return (.superseded, "vi allerede har en nyere beslutning fra dig om indsatsen",
                    "Ældre beslutning end den, lederen allerede har truffet (\(IntakeStore.now(latest))): ikke anvendt")
        }
        return nil
    }

    /// When the leader decided: the mail's Date:, which only orders one leader's own decisions; the
    /// arrival when it has none.
    func decidedAt(_ c: Context) -> Date { c.message.date ?? c.stored.receivedAt }

    func applyDecision(_ c: inout Context, application: RecordRow?, replyQueued: Bool = false) throws -> Int64? {
        // Reading an applied decision again never makes it a second time.
        if let applied = try store.appliedDecision(message: c.stored.id) { return applied }
        let r = c.result
        let decision = r.decision ?? .unclear
        let trusted = r.trusted == true
        let comment = Self.takesDecision(r) ? c.comment : ApplicationRulesText.comment(r.sections.newText)
        let sender = c.sender
        var notAccepted: String? = nil
        var recordID: Int64
        let hold = application.flatMap { trusted && decision != .unclear ? decisionHold(c, on: $0) : nil }
        if var app = application, trusted, decision != .unclear, hold == nil {
            let before = app.status
            // The same decision again (a leader answering twice) is no news to the coordinator.
            let news = try store.appliedDecisions(ofRecord: app.id).last != decision
            // An approval of an incomplete application waits for the missing fields; a rejection ends it.
            if !(decision == .approved && app.status == .incomplete) {
                app.status = decision == .approved ? .leaderApproved : .leaderRejected
            }
            recordID = try save(&app, from: before, by: .leader(address: sender ?? "?"), c, detail: comment)
            try store.recordApproval(record: app.id, message: c.stored.id, decision: decision.rawValue, trusted: true, applied: true,
                                     sender: sender, decidedAt: decidedAt(c), comment: comment, reasons: r.reasons)
            if before == app.status {
                try store.audit(actor: Actor.leader(address: sender ?? "?").auditName, record: app.id, message: c.stored.id,
                                action: decision == .approved ? "godkendt af ledergruppen" : "afvist af ledergruppen", detail: comment)
            }
            c.result.reference = app.reference
            // The coordinator hears the leader group's decision once; a mail read again decides nothing new.
            if !c.answered && news {
                try tellCoordinator(decision == .approved ? .leaderApproved(comment: comment, complete: app.reading.isComplete)
                                                          : .leaderRejected(comment: comment),
                                    about: app, occasion: "leder:M-\(c.stored.id)", message: c.stored.id)
            }
        } else {
            let status: CaseStatus
            if application == nil {
                status = .unlinked
                notAccepted = "vi ikke kunne finde den ansøgning, mailen handler om (skriv gerne referencen, fx SSP-2027-0001, i emnet)"
            } else if decision == .unclear {
                status = .unclear
            } else if !trusted {
                status = .untrusted
            } else {
                status = hold!.status
                notAccepted = hold!.reason
            }
            // Processing again finds the claim recorded the first time (a forward's message belongs to its application).
            let existing = try ownRecord(c, .approval)
                ?? store.approvalRecord(sender: sender, title: c.headers.subject, project: application?.id)
            var rec = existing ?? RecordRow(kind: .approval, status: status, title: c.headers.subject, sender: sender)
            rec.status = status
            rec.projectID = application?.id
            rec.area = application?.area
            rec.reading.hints = (hold.map { [$0.hint] } ?? []) + r.reasons
            recordID = try save(&rec, from: existing?.status, by: .pipeline, c,
                                detail: "\(decision.rawValue) fra \(sender ?? "ukendt")")
            try store.recordApproval(record: application?.id ?? rec.id, message: c.stored.id, decision: decision.rawValue,
                                     trusted: trusted, applied: false, sender: sender, decidedAt: decidedAt(c),
                                     comment: comment, reasons: r.reasons)
            if application != nil && !trusted { notAccepted = nil }
        }
        if !replyQueued && !c.answered {
            let (plan, _) = engine.replies.plan(c.result, message: c.message, subject: c.headers.subject, reference: application?.reference,
                                                notAccepted: notAccepted)
            try queue(plan, c, record: recordID)
        }
        return application.map(\.id).flatMap { trusted && decision != .unclear && hold == nil ? $0 : nil } ?? recordID
    }
}
