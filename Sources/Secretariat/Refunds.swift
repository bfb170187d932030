import CaseModel
import Foundation
import Intake
import Store

/// A receipt paid out: the money reached the one who laid it out.
extension SecretariatActions {
    /// Records that receipt `label` was paid `amount` on `date`; only a registered receipt (on time, with its file) is paid.
    public func refund(_ label: String, date: DayDate, amount: Money, user: String) throws -> ActionOutcome {
        var r = try record(label)
        guard r.kind == .receipt else { throw ActionError("\(r.label) er en \(r.kind.danish); kun kvitteringer udbetales") }
        guard amount.ore > 0 else { throw ActionError("beløbet skal være over 0 kr.") }
        if let receipt = r.amount, receipt < amount {
            throw ActionError("\(amount.danish) er mere end kvitteringens beløb \(receipt.danish)")
        }
        switch r.status {
        case .refunded:
            let paid = try store.refunds(record: r.id).last
            throw ActionError("\(r.label) er allerede udbetalt" + (paid.map { " (\($0.amount.danish) den \($0.paidOn.danish))" } ?? ""))
        case .incomplete:
            throw ActionError("\(r.label) mangler oplysninger (\(gaps(r))) og kan ikke udbetales endnu")
        case .late:
            throw ActionError("\(r.label) er modtaget efter fristen og udbetales ikke af årets pulje")
        default: break
        }
        let before = r.status
        let t = try transition(r, to: .refunded)
        var warnings: [String] = []
        if let receipt = r.amount, receipt != amount { warnings.append("beløbet afviger fra kvitteringens \(receipt.danish)") }
        if case .bool(true)? = r.reading.fields["companyCard"] { warnings.append("kvitteringen er betalt med firmakort: normalt ingen refusion") }
        try store.db.transaction {
            r.status = .refunded
            try store.addRefund(record: r.id, paidOn: date, amount: amount, actor: Actor.secretariat(user: user).auditName)
            try store.updateRecord(r)
            try audit(r, user, t.action, "udbetalt \(amount.danish) den \(date.danish); status: \(before.danish) → \(r.status.danish)")
        }
        return ActionOutcome(record: r, summary: "\(r.label) udbetalt: \(amount.danish) den \(date.danish)", warnings: warnings)
    }
}
