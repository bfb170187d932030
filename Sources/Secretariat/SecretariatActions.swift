import CaseModel
import Foundation
import Intake
import Pipeline
import Store

/// A change the Secretariat cannot make on this case, told in one Danish line.
public struct ActionError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// What an action did: the case as it stands now, one Danish line saying what changed, and warnings worth reading.
public struct ActionOutcome {
    public var record: RecordRow
    public var summary: String
    public var warnings: [String] = []
    /// The mail the action put in the outbox, one Danish line each ("besked til … i udbakken").
    public var mailed: [String] = []
}

/// What the Secretariat does to cases, from the command line or the workbench; each change goes
/// through the case model and is audited with the user's name and the old and new value.
public struct SecretariatActions {
    let store: IntakeStore
    let pipeline: Pipeline
    let poolKroner: Int

    public init(pipeline: Pipeline, poolKroner: Int = 300_000) {
        self.pipeline = pipeline
        self.poolKroner = poolKroner
        store = pipeline.store
    }

    var engine: IntakeEngine { pipeline.engine }
    var names: [String: String] { engine.config.replies.fieldNames }

    /// Closes a case that needs no action (a decision not applied, a mail for review, a duplicate receipt).
    public func close(_ label: String, user: String, note: String) throws -> ActionOutcome {
        var r = try record(label)
        let before = r.status
        let t = try transition(r, to: .closed)
        try store.db.transaction {
            r.status = .closed
            r.note = note
            try store.updateRecord(r)
            try audit(r, user, t.action, "status: \(before.danish) → \(r.status.danish); note: \(note)")
        }
        return ActionOutcome(record: r, summary: "\(r.label) afsluttet: \(note)")
    }

    /// Runs a record's mails through today's rules again, oldest first; the history stays.
    public func reprocess(_ label: String, user: String) throws -> Int {
        // One mail (M-4), failed or not: read again like the failed ones, through the pending pass.
        if let id = StoredMessage.id(label: label) {
            guard try store.message(id) != nil else { throw ActionError("ingen mail \(label)") }
            try store.markNew(id)
            try store.audit(actor: Actor.secretariat(user: user).auditName, record: nil, message: id, action: "genbehandles", detail: nil)
            _ = try pipeline.processPending()
            return 1
        }
        let r = try record(label)
        let messages = try store.messages(ofRecord: r.id)
        try store.audit(actor: Actor.secretariat(user: user).auditName, record: r.id, message: nil, action: "genbehandles",
                        detail: "\(messages.count) mails")
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
            try store.audit(actor: Actor.secretariat(user: user).auditName, record: nil, message: id, action: "genbehandles", detail: nil)
        }
        return try pipeline.processPending()
    }

    // MARK: - Shared steps

    /// The case model's transition for the Secretariat, or its refusal in Danish.
    func transition(_ r: RecordRow, to status: CaseStatus) throws -> Transition {
        do {
            return try CaseModel.transition(r.kind, from: r.status, to: status, by: .secretariat)
        } catch {
            throw ActionError("\(r.label) kan ikke ændres: \(error)")
        }
    }

    func audit(_ r: RecordRow, _ user: String, _ action: String, _ detail: String) throws {
        try store.audit(actor: Actor.secretariat(user: user).auditName, record: r.id, message: nil, action: action, detail: detail)
    }

    func record(_ label: String) throws -> RecordRow {
        guard let r = try store.record(label: label) else { throw ActionError("ingen sag med referencen \(label) (se ssp-intake queue)") }
        return r
    }

    func application(_ label: String) throws -> RecordRow {
        let r = try record(label)
        guard r.kind == .application else { throw ActionError("\(r.label) er ikke en ansøgning, men en \(r.kind.danish)") }
        return r
    }
}

extension Money {
    /// `21.000,00 kr.`, or a dash for no amount, as the audit log's old → new values read.
    static func shown(_ m: Money?) -> String { m?.danish ?? "–" }
}
