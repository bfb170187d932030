import Foundation

/// A decision about a record as stored, with whether it was applied.
public struct StoredDecision: Sendable {
    public var messageID: Int64
    public var decision: String
    public var trusted: Bool
    public var applied: Bool
    public var sender: String?
    public var comment: String?
    public var at: String
}

/// An outbox row as a case's view lists it: which mail it answers, and how far it got.
public struct StoredReply: Sendable {
    public var id: Int64
    public var messageID: Int64?
    public var kind: String
    public var to: String
    public var subject: String
    public var status: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: String
    public var sentAt: String?
}

extension StoredMessage {
    /// The reference a user types for a mail: `M-4` (no `#`, which a shell reads as a comment).
    public var label: String { Self.label(id) }

    public static func label(_ id: Int64) -> String { "M-\(id)" }

    /// The message id of a mail reference (`M-4`, `m-4`); nil for anything else.
    public static func id(label: String) -> Int64? {
        let t = label.trimmingCharacters(in: .whitespaces)
        guard t.count > 2, t.first == "M" || t.first == "m", t.dropFirst().first == "-",
              let id = Int64(t.dropFirst(2)), id > 0 else { return nil }
        return id
    }
}

// What the Secretariat reads about a case and its mails: queries only, nothing here writes.
extension IntakeStore {
    /// The mails of a record, oldest first: those filed under it and those its history names (a
    /// leader's decision applied to it, a change proposed for it).
    public func messageIDs(ofCase id: Int64) throws -> [Int64] {
        try db.query("""
            SELECT id FROM messages WHERE id IN (
              SELECT id FROM messages WHERE record_id = ?1
              UNION SELECT message_id FROM audit WHERE record_id = ?1 AND message_id IS NOT NULL)
            ORDER BY received_at, id
            """, [.int(id)]).compactMap { $0[0].int }
    }

    /// The decisions about a record, oldest first.
    public func decisions(ofRecord id: Int64) throws -> [StoredDecision] {
        try db.query("""
            SELECT message_id, decision, trusted, applied, sender, comment, coalesce(decided_at, created_at)
            FROM approvals WHERE record_id = ? ORDER BY id
            """, [.int(id)]).map {
            StoredDecision(messageID: $0[0].int ?? 0, decision: $0[1].text ?? "", trusted: $0[2].int == 1, applied: $0[3].int == 1,
                           sender: $0[4].text, comment: $0[5].text, at: $0[6].text ?? "")
        }
    }

    /// The replies about a record, or to one mail, oldest first (without their bytes).
    public func replies(record: Int64? = nil, message: Int64? = nil) throws -> [StoredReply] {
        precondition(record != nil || message != nil, "replies needs a record or a message")
        let (column, value) = record.map { ("record_id", $0) } ?? ("message_id", message!)
        return try db.query("""
            SELECT id, message_id, kind, to_addr, subject, status, attempts, last_error, created_at, sent_at
            FROM outbox WHERE \(column) = ? ORDER BY id
            """, [.int(value)]).map {
            StoredReply(id: $0[0].int ?? 0, messageID: $0[1].int, kind: $0[2].text ?? "", to: $0[3].text ?? "",
                        subject: $0[4].text ?? "", status: $0[5].text ?? "", attempts: Int($0[6].int ?? 0),
                        lastError: $0[7].text, createdAt: $0[8].text ?? "", sentAt: $0[9].text)
        }
    }

    /// The audit lines about one mail, oldest first.
    public func auditLog(message id: Int64) throws -> [AuditEntry] {
        try db.query("SELECT at, actor, action, detail FROM audit WHERE message_id = ? ORDER BY id", [.int(id)]).map {
            AuditEntry(at: $0[0].text ?? "", actor: $0[1].text ?? "", action: $0[2].text ?? "", detail: $0[3].text)
        }
    }
}
