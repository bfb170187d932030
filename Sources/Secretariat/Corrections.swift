import CaseModel
import Foundation
import Intake
import Pipeline
import Store

/// The Secretariat's corrections: a field read wrongly, a case filed under the wrong project.
/// Each is kept beside the rules' reading (corrections, manual_links), so reprocessing keeps it.
extension SecretariatActions {
    /// Sets `field` (a key or its Danish name) to `value` as the rules would read it; what is missing
    /// or invalid is worked out again, and the status follows where the case model lets it.
    public func edit(_ label: String, field: String, value: String, user: String) throws -> ActionOutcome {
        var r = try record(label)
        let kind: CorrectedKind
        switch r.kind {
        case .application: kind = .application
        case .receipt: kind = .receipt
        default: throw ActionError("\(r.label) er en \(r.kind.danish) og har ingen felter at rette (kun ansøgninger og kvitteringer)")
        }
        guard CaseModel.mayAmend(r.kind, in: r.status, by: .secretariat) else {
            throw ActionError("\(r.label) er \(r.status.danish) og kan ikke rettes")
        }
        guard let key = engine.correctableField(field, kind) else {
            let known = engine.correctableFields(kind).map { key in names[key].map { "\($0) (\(key))" } ?? key }
            throw ActionError("ukendt felt \"\(field)\"; et af: \(known.joined(separator: ", "))")
        }
        let old = shown(r.reading, key)
        let year = try store.firstReceived()[r.id].map { IntakeEngine.copenhagenDay($0).year }
        let reading: ApplicationReading
        do {
            reading = try engine.corrected(r.reading, kind, field: key, value: value, year: year)
        } catch {
            throw ActionError("\(r.label): \(error)")
        }
        let before = r.status
        r.reading = reading
        switch kind {
        case .application:
            r.takeApplicationColumns()
            if [.incomplete, .awaitingLeader].contains(r.status) { r.status = reading.isComplete ? .awaitingLeader : .incomplete }
        case .receipt:
            if case .money(let m)? = reading.fields["amount"] { r.amount = m }
            if [.incomplete, .registered].contains(r.status) { r.status = reading.missing.isEmpty ? .registered : .incomplete }
        }
        let t = before == r.status ? nil : try transition(RecordRow(copying: r, status: before), to: r.status)
        if r.status == .awaitingLeader, r.reference == nil {
            r.reference = try store.nextReference(year: year ?? IntakeEngine.copenhagenDay(Date()).year)
        }
        let change = "\(names[key] ?? key): \(old) → \(shown(reading, key))" + (t.map { _ in "; status: \(before.danish) → \(r.status.danish)" } ?? "")
        var warnings: [String] = [], mailed: [String] = []
        try store.db.transaction {
            try store.setCorrection(record: r.id, field: key, value: value, actor: Actor.secretariat(user: user).auditName)
            try store.updateRecord(r)
            try audit(r, user, t?.action ?? "felt rettet af sekretariatet", change)
            guard before == .incomplete, r.status == .awaitingLeader else { return }
            // Completed by hand: the leader group is asked as it would have been by mail, in the same transaction.
            let n = try store.replyCount(record: r.id, kind: ReplyKind.approvalRequest.rawValue)
            if let leader = try pipeline.requestApproval(of: r, occasion: "rettet:\(n)") {
                mailed.append("anmodning om godkendelse til \(leader) ligger i udbakken og sendes ved næste kørsel")
            } else {
                warnings.append("ansøgningen er nu komplet, men kontaktpersonen fra ledergruppen er ikke en kendt leder: send den selv til ledergruppen")
            }
        }
        return ActionOutcome(record: r, summary: "\(r.label) rettet: \(change)", warnings: warnings, mailed: mailed)
    }

    /// Files a receipt, status report, decision or proposal under the application `target`.
    public func link(_ label: String, to target: String, user: String) throws -> ActionOutcome {
        var r = try linkable(label)
        let project = try application(target)
        guard r.projectID != project.id else { throw ActionError("\(r.label) hører allerede til \(project.label)") }
        let old = try r.projectID.flatMap { try store.record($0)?.label }
        let before = r.status
        r.projectID = project.id
        if r.kind == .receipt, r.status == .conflict { r.status = r.reading.missing.isEmpty ? .registered : .incomplete }
        if r.kind == .statusReport, [.unlinked, .conflict].contains(r.status) { r.status = .linked }
        if r.kind == .receipt || r.kind == .statusReport { r.area = project.area }
        var outcome = try relink(r, before: before, user: user, project: project.id,
                                 change: "hører til: \(old ?? "–") → \(project.label)", summary: "\(r.label) hører nu til \(project.label)")
        // A sender's proposal to make exactly this move is done with it.
        for p in try store.records(kind: .proposal) where p.projectID == r.id && p.status == .review
            && p.reading.fields[Pipeline.moveField]?.display == project.label {
            let closed = try close(p.label, user: user, note: "fulgt: \(r.label) flyttet til \(project.label)")
            outcome.summary += "; \(closed.summary)"
        }
        return outcome
    }

    /// Takes a case out of its project: a receipt becomes a shared (meeting) expense, a report unlinked.
    public func unlink(_ label: String, user: String) throws -> ActionOutcome {
        var r = try linkable(label)
        guard let old = r.projectID else { throw ActionError("\(r.label) hører ikke til nogen indsats") }
        let oldLabel = try store.record(old)?.label ?? "S-\(old)"
        let before = r.status
        r.projectID = nil
        if r.kind == .statusReport, r.status == .linked { r.status = .unlinked }
        return try relink(r, before: before, user: user, project: nil,
                          change: "hører til: \(oldLabel) → –", summary: "\(r.label) hører ikke længere til \(oldLabel)")
    }

    private func linkable(_ label: String) throws -> RecordRow {
        let r = try record(label)
        guard [.receipt, .statusReport, .approval, .proposal].contains(r.kind) else {
            throw ActionError("\(r.label) er en \(r.kind.danish); kun kvitteringer, status, beslutninger og ændringsforslag kan flyttes")
        }
        guard CaseModel.mayAmend(r.kind, in: r.status, by: .secretariat) else { throw ActionError("\(r.label) er \(r.status.danish) og kan ikke flyttes") }
        return r
    }

    private func relink(_ r: RecordRow, before: CaseStatus, user: String, project: Int64?, change: String, summary: String) throws -> ActionOutcome {
        let t = before == r.status ? nil : try transition(RecordRow(copying: r, status: before), to: r.status)
        let detail = change + (t.map { _ in "; status: \(before.danish) → \(r.status.danish)" } ?? "")
        try store.db.transaction {
            try store.setManualLink(record: r.id, project: project, actor: Actor.secretariat(user: user).auditName)
            try store.updateRecord(r)
            try audit(r, user, t?.action ?? (project == nil ? "taget ud af indsatsen af sekretariatet" : "flyttet af sekretariatet"), detail)
        }
        return ActionOutcome(record: r, summary: summary)
    }

    /// A field as the Secretariat reads it in the audit log; a group shows its parts.
    private func shown(_ reading: ApplicationReading, _ key: String) -> String {
        if let v = reading.fields[key] { return v.display }
        let order = ["start", "end", "name", "email", "phone", "geographic", "organisational", "lines", "total"]
        let parts = reading.fields.filter { $0.key.hasPrefix(key + ".") }
            .sorted { (order.firstIndex(of: String($0.key.dropFirst(key.count + 1))) ?? 99) < (order.firstIndex(of: String($1.key.dropFirst(key.count + 1))) ?? 99) }
            .map(\.value.display)
        return parts.isEmpty ? "–" : parts.joined(separator: key == "period" ? " – " : ", ")
    }
}

extension RecordRow {
    /// The same case in another status: what the case model is asked about before a change.
    init(copying r: RecordRow, status: CaseStatus) {
        self = r
        self.status = status
    }
}
