import CaseModel
import Foundation
import Intake
import MailCore
import Store

/// Everything about one case as the Secretariat reads it: its fields, its mails in order with the
/// new text apart from the quote, their attachments, the replies, the decisions and the history.
/// Codes (`kind`, `status`) sit beside their Danish words (`kindName`, `statusName`) for programs.
public struct CaseDetails: Sendable, Encodable {
    /// A field as the rules understood it, under its Danish name.
    public struct Field: Sendable, Encodable { public var key: String; public var name: String; public var value: String }
    /// A field that is there but cannot be used.
    public struct Issue: Sendable, Encodable { public var field: String; public var name: String; public var reason: String }
    /// A mail sent about the case, and how far it got.
    public struct Reply: Sendable, Encodable {
        public var kind: String
        public var kindName: String
        public var to: String
        public var subject: String
        public var status: String
        public var statusName: String
        public var attempts: Int
        public var lastError: String?
        /// The mail it answers (`M-4`).
        public var mail: String?
        public var at: String
        public var sentAt: String?

        init(_ r: StoredReply) {
            self.init(kind: r.kind, kindName: DanishNames.replyKind(r.kind), to: r.to, subject: r.subject, status: r.status,
                      statusName: DanishNames.replyStatus(r.status), attempts: r.attempts, lastError: r.lastError,
                      mail: r.messageID.map(StoredMessage.label), at: r.createdAt, sentAt: r.sentAt)
        }

        init(kind: String, kindName: String, to: String, subject: String, status: String, statusName: String, attempts: Int,
             lastError: String?, mail: String?, at: String, sentAt: String?) {
            (self.kind, self.kindName, self.to, self.subject, self.status, self.statusName) = (kind, kindName, to, subject, status, statusName)
            (self.attempts, self.lastError, self.mail, self.at, self.sentAt) = (attempts, lastError, mail, at, sentAt)
        }
    }
    /// A leader's decision read from a mail, and whether it counted.
    public struct Decision: Sendable, Encodable {
        public var decision: String
        /// "godkendt", "afvist" or "uklar".
        public var decisionName: String
        public var trusted: Bool
        public var applied: Bool
        public var sender: String?
        public var comment: String?
        public var at: String
        public var mail: String
    }
    /// One line of the case's history.
    public struct Event: Sendable, Encodable {
        public var at: String
        /// As the audit log has it (the user's name for the Secretariat).
        public var actor: String
        /// In Danish: "programmet" for the program itself.
        public var actorName: String
        public var action: String
        public var detail: String?

        init(_ e: AuditEntry) {
            at = e.at
            actor = e.actor
            actorName = DanishNames.actor(e.actor)
            action = e.action
            detail = e.detail
            // The outbox logs the reply's code ("mailReceived til …"); the Secretariat reads its Danish name.
            if e.action == "svar sat i kø", let d = e.detail, let space = d.firstIndex(of: " "),
               let kind = ReplyKind(rawValue: String(d[..<space])) {
                detail = DanishNames.replyKind(kind.rawValue) + d[space...]
            }
        }
    }
    /// A case that belongs to this one (a receipt or status report of a project).
    public struct Linked: Sendable, Encodable {
        public var reference: String
        public var kind: String
        public var kindName: String
        public var status: String
        public var statusName: String
        public var title: String
    }

    public var reference: String
    public var kind: String
    public var kindName: String
    public var status: String
    public var statusName: String
    public var title: String?
    public var sender: String?
    public var area: String?
    /// When the case's first mail reached the mailbox (ISO 8601).
    public var received: String?
    public var amount: Decimal?
    public var approved: Decimal?
    public var belongsTo: String?
    /// Field key → value as one line (the codes programs read).
    public var fields: [String: String]
    /// The same fields in the application form's order, under their Danish names.
    public var fieldList: [Field]
    public var missing: [String]
    /// The missing fields' Danish names.
    public var missingNames: [String]
    public var invalid: [Issue]
    public var hints: [String]
    public var note: String?
    public var linked: [Linked]
    /// Oldest first, each with its text as the rules read it and its attachments.
    public var mails: [MailDetails]
    public var replies: [Reply]
    public var decisions: [Decision]
    public var history: [Event]

    /// The order of the application form, then the receipt's; other keys follow alphabetically.
    static let fieldOrder = ["name", "period.start", "period.end", "targetGroup", "goals", "partners", "evaluation", "financeOwner",
                             "coordinator.name", "coordinator.email", "coordinator.phone", "leaderContact.name", "leaderContact.email",
                             "anchoring.geographic", "anchoring.organisational", "method", "experienceSharing", "budget.lines",
                             "budget.total", "payer", "occasion", "occasion.date", "companyCard", "amount"]

    /// The case a reference names (`SSP-2027-0004`, `S-12`, `#12`); nil when there is none.
    public static func load(_ reference: String, store: IntakeStore, config: IntakeConfig) throws -> CaseDetails? {
        guard let r = try store.record(label: reference) else { return nil }
        return try load(r, store: store, config: config)
    }

    /// The view of a record already read.
    public static func load(_ r: RecordRow, store: IntakeStore, config: IntakeConfig) throws -> CaseDetails {
        let names = config.replies.fieldNames
        let dec = { (m: Money?) in m.map { Decimal($0.ore) / 100 } }
        let linked = try store.records(project: r.id).map {
            Linked(reference: $0.label, kind: $0.kind.rawValue, kindName: $0.kind.danish, status: $0.status.rawValue,
                   statusName: $0.status.danish, title: $0.title ?? "")
        }
        var mails: [MailDetails] = []
        for id in try store.messageIDs(ofCase: r.id) {
            if let m = try store.message(id) { mails.append(try MailDetails(m, store: store)) }
        }
        let fields = r.reading.fields
        let keys = fieldOrder.filter { fields[$0] != nil } + fields.keys.sorted().filter { !fieldOrder.contains($0) }
        return CaseDetails(
            reference: r.label, kind: r.kind.rawValue, kindName: r.kind.danish, status: r.status.rawValue, statusName: r.status.danish,
            title: r.title, sender: r.sender, area: r.area, received: try store.firstReceived(record: r.id)?.formatted(.iso8601),
            amount: dec(r.amount), approved: dec(r.approved), belongsTo: try r.projectID.flatMap { try store.record($0)?.label },
            fields: fields.mapValues(\.display),
            fieldList: keys.map { Field(key: $0, name: names[$0] ?? $0, value: fields[$0]?.display ?? "") },
            missing: r.reading.missing, missingNames: r.reading.missing.map { names[$0] ?? $0 },
            invalid: r.reading.invalid.map { Issue(field: $0.field, name: names[$0.field] ?? $0.field, reason: $0.reason) },
            hints: r.reading.hints, note: r.note, linked: linked, mails: mails,
            replies: try store.replies(record: r.id).map(Reply.init),
            decisions: try store.decisions(ofRecord: r.id).map {
                Decision(decision: $0.decision, decisionName: DanishNames.decision($0.decision), trusted: $0.trusted, applied: $0.applied,
                         sender: $0.sender, comment: $0.comment, at: $0.at, mail: StoredMessage.label($0.messageID))
            },
            history: try store.auditLog(record: r.id).map(Event.init))
    }
}

/// What a reference a user types names: a case, or a mail on its own.
public enum RecordView: Sendable {
    case `case`(CaseDetails)
    case mail(MailDetails)

    /// `M-4` is a mail; `SSP-2027-0004`, `S-12` and `#12` are cases. Nil when nothing has that reference.
    public static func load(_ reference: String, store: IntakeStore, config: IntakeConfig) throws -> RecordView? {
        if let id = StoredMessage.id(label: reference) { return try MailDetails.load(id, store: store).map(RecordView.mail) }
        return try CaseDetails.load(reference, store: store, config: config).map(RecordView.case)
    }
}
