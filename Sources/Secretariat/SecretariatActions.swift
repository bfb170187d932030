import CaseModel
import Foundation
import Intake
import Pipeline
import Store

/// A decision the secretariat cannot make on this record, told in one line.
public struct ActionError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// What the secretariat does from the command line, each step audited with the user's name.
public struct SecretariatActions {
    let store: IntakeStore
    let pipeline: Pipeline

    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
        store = pipeline.store
    }

    /// Approves an application with its budget (or `amount`); needs the leader group's approval unless `force`.
    public func approve(_ label: String, user: String, note: String?, amount: Money?, force: Bool) throws -> RecordRow {
        var r = try application(label)
        guard r.status == .leaderApproved || force else {
            throw ActionError("\(r.label) er ikke godkendt af ledergruppen (status: \(r.status.danish)); brug --force for at bevilge alligevel")
        }
        let t = try transition(r, to: .approved, user: user)
        guard let granted = amount ?? r.amount else {
            throw ActionError("\(r.label) har intet budget; angiv --amount")
        }
        try store.db.transaction {
            r.status = .approved
            r.approved = granted
            if let note { r.note = note }
            try store.updateRecord(r)
            try store.audit(actor: Actor.secretariat(user: user).auditName, record: r.id, message: nil, action: t.action,
                            detail: "\(granted.danish)\(note.map { ": \($0)" } ?? "")")
        }
        return r
    }

    /// Rejects an application with a reason.
    public func reject(_ label: String, user: String, reason: String) throws -> RecordRow {
        var r = try application(label)
        let t = try transition(r, to: .rejected, user: user)
        try store.db.transaction {
            r.status = .rejected
            r.approved = nil
            r.note = reason
            try store.updateRecord(r)
            try store.audit(actor: Actor.secretariat(user: user).auditName, record: r.id, message: nil, action: t.action, detail: reason)
        }
        return r
    }

    /// Runs a record's mails through today's rules again, oldest first; the history stays.
    public func reprocess(_ label: String, user: String) throws -> Int {
        // One mail (M-4), failed or not: read again like the failed ones, through the pending pass.
        if let id = StoredMessage.id(label: label) {
            guard try store.message(id) != nil else { throw ActionError("ingen mail \(label)") }
            try store.markNew(id)
            try store.audit(actor: user, record: nil, message: id, action: "genbehandles", detail: nil)
            _ = try pipeline.processPending()
            return 1
        }
        guard let r = try store.record(label: label) else { throw ActionError("ingen sag \(label)") }
        let messages = try store.messages(ofRecord: r.id)
        try store.audit(actor: user, record: r.id, message: nil, action: "genbehandles", detail: "\(messages.count) mails")
        for m in messages {
            try pipeline.process(m.id)
        }
        return messages.count
    }

    /// Tries every failed mail again.
    public func reprocessFailed(user: String) throws -> (Int, Int) {
        let failed = try store.messages(status: "failed")
        for id in failed {
            try store.markNew(id)
            try store.audit(actor: user, record: nil, message: id, action: "genbehandles", detail: nil)
        }
        return try pipeline.processPending()
    }

    /// The case model's transition for the Secretariat, or its refusal in Danish.
    private func transition(_ r: RecordRow, to status: CaseStatus, user: String) throws -> Transition {
        do {
            return try CaseModel.transition(r.kind, from: r.status, to: status, by: .secretariat)
        } catch {
            throw ActionError("\(r.label) kan ikke ændres: \(error)")
        }
    }

    private func application(_ label: String) throws -> RecordRow {
        guard let r = try store.record(label: label) else { throw ActionError("ingen sag \(label)") }
        guard r.kind == .application else { throw ActionError("\(r.label) er ikke en ansøgning") }
        return r
    }
}
