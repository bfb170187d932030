import Foundation
import Intake
import MailCore
import Store

/// One stored mail as the Secretariat reads it: headers, the text as the rules read it (the new
/// text apart from the quote), its attachments, and for a mail on its own its replies and history.
public struct MailDetails: Sendable, Encodable {
    /// A file the mail carries, under the name it came with and the name it is written under.
    public struct File: Sendable, Encodable {
        /// The name in the mail (untrusted; empty when it gave none).
        public var name: String
        /// The name `attachments` writes it under (see `SafeFileName`).
        public var safeName: String
        public var size: Int
        public var contentType: String
        public var sha256: String
    }

    public var id: Int64
    /// `M-4`: what a user types to see this mail on its own.
    public var reference: String
    /// When it reached the mailbox (ISO 8601).
    public var received: String
    public var from: String
    public var to: String
    public var subject: String
    /// The mail's own Date header (ISO 8601), which the sender's machine wrote.
    public var date: String?
    public var messageID: String?
    public var kind: String
    public var kindName: String
    public var status: String
    public var statusName: String
    /// Why the intake could not process it.
    public var error: String?
    /// The case it is filed under, when it is one.
    public var belongsTo: String?
    /// What the sender wrote now: the only text a decision is read from.
    public var newText: String
    /// The earlier mail it quotes; the rules read no fields or decisions from it.
    public var quoted: String
    /// Mail it forwards, which the rules read like new text for an application.
    public var forwarded: String
    /// What marked the cut between new and quoted text (Danish), nil when there was none.
    public var quoteMarker: String?
    /// The size of the stored mail in bytes.
    public var size: Int
    public var attachments: [File]
    /// Filled for a mail shown on its own; in a case's view they are the case's.
    public var replies: [CaseDetails.Reply]
    public var history: [CaseDetails.Event]

    /// The mail `M-N` (or its id), with its replies and history; nil when there is no such mail.
    public static func load(_ id: Int64, store: IntakeStore) throws -> MailDetails? {
        guard let m = try store.message(id) else { return nil }
        var d = try MailDetails(m, store: store)
        d.replies = try store.replies(message: id).map(CaseDetails.Reply.init)
        d.history = try store.auditLog(message: id).map(CaseDetails.Event.init)
        return d
    }

    /// Reads the stored bytes again as the rules do: the same parse, the same text, the same split.
    init(_ m: StoredMessage, store: IntakeStore) throws {
        let mail = MailMessage(bytes: m.raw)
        let content = mail.content()
        let sections = QuoteSplitter.split(content.text, subject: mail.subject ?? "")
        id = m.id
        reference = m.label
        received = m.receivedAt.formatted(.iso8601)
        from = mail.from.map(\.formatted).joined(separator: ", ")
        if from.isEmpty { from = m.sender ?? "" }
        to = mail.to.map(\.formatted).joined(separator: ", ")
        subject = mail.subject ?? m.subject ?? ""
        date = mail.date?.formatted(.iso8601)
        messageID = mail.messageID
        kind = m.kind ?? ""
        kindName = DanishNames.mailKind(m.kind)
        status = m.status
        statusName = DanishNames.mailStatus(m.status)
        error = m.error
        belongsTo = try m.recordID.flatMap { try store.record($0)?.label }
        newText = sections.newText
        quoted = sections.quoted
        forwarded = sections.forwarded
        quoteMarker = sections.marker
        size = m.raw.count
        var files: [File] = []
        for (i, a) in content.attachments.enumerated() {
            let data = mail.data(of: a)
            files.append(File(name: a.filename ?? "", safeName: SafeFileName.make(a.filename, fallback: "vedhæftet-\(i + 1)"),
                              size: data.count, contentType: a.contentType, sha256: SHA256.hex(data)))
        }
        attachments = files
        replies = []
        history = []
    }
}
