import CaseModel
import Foundation
import Intake
import Store

/// The Secretariat's grant and refusal of an application.
extension SecretariatActions {
    /// Grants an application its budget (or `amount`). Refused without the leader group's approval, on an
    /// incomplete application or a second time unless `force`; above the requested total unless `aboveRequested`.
    public func approve(_ label: String, user: String, note: String?, amount: Money?, force: Bool,
                        aboveRequested: Bool = false) throws -> ActionOutcome {
        var r = try application(label)
        let before = r.status
        if !force {
            switch r.status {
            case .approved:
                throw ActionError("\(r.label) er allerede bevilget med \(Money.shown(r.approved)); brug --force for at erstatte bevillingen")
            case .incomplete:
                throw ActionError("\(r.label) mangler oplysninger (\(gaps(r))); brug --force for at bevilge alligevel")
            case .awaitingLeader:
                throw ActionError("\(r.label) er ikke godkendt af ledergruppen endnu; brug --force for at bevilge alligevel")
            default: break
            }
        }
        let t = try transition(r, to: .approved)
        guard let granted = amount ?? r.amount else { throw ActionError("\(r.label) har intet budget i alt; angiv beløbet med --amount") }
        guard granted.ore > 0 else { throw ActionError("beløbet skal være over 0 kr. (fik \(granted.danish))") }
        if let requested = r.amount, requested < granted, !aboveRequested {
            throw ActionError("\(granted.danish) er mere end det ansøgte \(requested.danish); brug --above-requested, hvis det er meningen")
        }
        var warnings: [String] = []
        if !r.reading.isComplete { warnings.append("bevilget trods manglende eller ugyldige oplysninger: \(gaps(r))") }
        let left = try poolLeft(excluding: r.id)
        if left < granted { warnings.append("bevillingen er større end det, der er tilbage i puljen (\(left.danish))") }
        let replaced = before == .approved ? r.approved : nil
        var told: String?
        try store.db.transaction {
            r.status = .approved
            r.approved = granted
            if let note { r.note = note }
            try store.updateRecord(r)
            try audit(r, user, t.action, "status: \(before.danish) → \(r.status.danish); bevilget: \(Money.shown(replaced)) → \(granted.danish)"
                      + (note.map { "; note: \($0)" } ?? ""))
            // One mail per grant: a new grant (another amount) is a new decision and is told again.
            told = try pipeline.tellCoordinator(.granted(granted), about: r, occasion: "bevilling:\(try store.replyCount(record: r.id, kind: ReplyKind.grantNotice.rawValue))")
        }
        let summary = "\(r.label) bevilget: \(granted.danish)" + (replaced.map { " (erstatter bevillingen på \($0.danish))" } ?? "")
        return ActionOutcome(record: r, summary: summary, warnings: warnings, mailed: told.map { [Self.mailedLine($0)] } ?? [])
    }

    /// Turns an application down with a reason.
    public func reject(_ label: String, user: String, reason: String) throws -> ActionOutcome {
        var r = try application(label)
        let before = r.status
        let t = try transition(r, to: .rejected)
        var told: String?
        try store.db.transaction {
            r.status = .rejected
            r.approved = nil
            r.note = reason
            try store.updateRecord(r)
            try audit(r, user, t.action, "status: \(before.danish) → \(r.status.danish); begrundelse: \(reason)")
            told = try pipeline.tellCoordinator(.refused(reason: reason), about: r, occasion: "afslag:\(try store.replyCount(record: r.id, kind: ReplyKind.refusalNotice.rawValue))")
        }
        return ActionOutcome(record: r, summary: "\(r.label) afvist: \(reason)", mailed: told.map { [Self.mailedLine($0)] } ?? [])
    }

    /// The line an action prints for a mail it queued.
    static func mailedLine(_ address: String) -> String {
        "besked til \(address) ligger i udbakken og sendes ved næste kørsel"
    }

    /// What is missing or invalid, by the names the Secretariat reads.
    func gaps(_ r: RecordRow) -> String {
        (r.reading.missing.map { "mangler \(names[$0] ?? $0)" } + r.reading.invalid.map { "\(names[$0.field] ?? $0.field): \($0.reason)" })
            .joined(separator: "; ")
    }

    /// What the budget shows as left (pool less grants and meeting expenses), this application's own grant given back.
    func poolLeft(excluding id: Int64) throws -> Money {
        let records = try store.records()
        let budget = BudgetOverview(records: records, poolKroner: poolKroner, areaOrder: [])
        let own = records.first { $0.id == id && BudgetOverview.isGranted($0) }?.approved ?? .zero
        return budget.remaining + own
    }
}
