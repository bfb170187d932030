import Foundation

extension IntakeStore {
    // MARK: - Outbox

    /// Queues a reply once: the same Message-ID twice (a re-run, a restart) is ignored.
    public func queueReply(msgid: String, message: Int64?, record: Int64?, kind: String, to: String, subject: String,
                           bytes: [UInt8], at now: Date = Date()) throws {
        try db.query("""
            INSERT OR IGNORE INTO outbox (msgid, message_id, record_id, kind, to_addr, subject, bytes, created_at, next_attempt_at)
            VALUES (?,?,?,?,?,?,?,?,?)
            """, [.text(msgid), message.map(SQLValue.int) ?? .null, record.map(SQLValue.int) ?? .null, .text(kind),
                  .text(to), .text(subject), .blob(bytes), .text(Self.now(now)), .text(Self.now(now))])
        if db.changes == 1 {
            try audit(actor: "pipeline", record: record, message: message, action: "svar sat i kø", detail: "\(kind) til \(to)")
        }
    }

    /// How many mails of `kind` were queued about record `record`.
    public func replyCount(record: Int64, kind: String) throws -> Int {
        try db.query("SELECT count(*) FROM outbox WHERE record_id = ? AND kind = ?", [.int(record), .text(kind)]).first?.first?.int.map(Int.init) ?? 0
    }

    public func hasReply(msgid: String) throws -> Bool {
        try !db.query("SELECT 1 FROM outbox WHERE msgid = ?", [.text(msgid)]).isEmpty
    }

    /// Replies queued since `since`, to `to` (case-insensitive) or to anyone, counted up to `atMost`.
    public func replyCount(to: String? = nil, since: Date, atMost: Int = .max) throws -> Int {
        var sql = "SELECT 1 FROM outbox WHERE created_at >= ?"
        var v: [SQLValue] = [.text(Self.now(since))]
        if let to { sql += " AND to_addr = ? COLLATE NOCASE"; v.append(.text(to)) }
        // Counting stops at the limit: what matters is whether it is reached, not by how much.
        v.append(.int(Int64(atMost)))
        return Int(try db.query("SELECT count(*) FROM (\(sql) LIMIT ?)", v).first?.first?.int ?? 0)
    }

    static let outboxColumns = "id, msgid, record_id, kind, to_addr, subject, bytes, status, attempts, last_error, created_at"

    static func outbox(_ r: [SQLValue]) -> OutboxItem {
        OutboxItem(id: r[0].int ?? 0, msgid: r[1].text ?? "", recordID: r[2].int, kind: r[3].text ?? "", to: r[4].text ?? "",
                   subject: r[5].text ?? "", bytes: r[6].blob ?? [], status: r[7].text ?? "", attempts: Int(r[8].int ?? 0),
                   lastError: r[9].text, createdAt: r[10].text ?? "")
    }

    /// Replies due for delivery, in order, after outbox id `after`; a page at a time, so a backlog's
    /// replies are never all in memory at once.
    public func dueReplies(now: Date = Date(), after: Int64 = 0, limit: Int = 200) throws -> [OutboxItem] {
        try db.query("""
            SELECT \(Self.outboxColumns) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? AND id > ?
              ORDER BY id LIMIT ?
            """, [.text(Self.now(now)), .int(after), .int(Int64(limit))]).map(Self.outbox)
    }

    public func outbox(status: String? = nil, record: Int64? = nil) throws -> [OutboxItem] {
        var sql = "SELECT \(Self.outboxColumns) FROM outbox WHERE 1 = 1"
        var v: [SQLValue] = []
        if let status { sql += " AND status = ?"; v.append(.text(status)) }
        if let record { sql += " AND record_id = ?"; v.append(.int(record)) }
        return try db.query(sql + " ORDER BY id", v).map(Self.outbox)
    }

    /// Claims a queued reply for sending: true for the one caller whose update changed it, so no
    /// two processes (or two pipelines) ever send the same row.
    public func claimReply(_ id: Int64) throws -> Bool {
        try db.query("UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'queued'", [.int(id)])
        return db.changes == 1
    }

    /// Claims a page of replies in one transaction (one commit, not one per reply); returns the ids it got.
    public func claimReplies(_ ids: [Int64]) throws -> Set<Int64> {
        var got: Set<Int64> = []
        try db.transaction {
            for id in ids where try claimReply(id) { got.insert(id) }
        }
        return got
    }

    /// Gives back a claim this process took and did not use (an error before the send).
    public func releaseClaim(_ id: Int64) throws {
        try db.query("UPDATE outbox SET status = 'queued' WHERE id = ? AND status = 'sending'", [.int(id)])
    }

    /// A claimed reply is wholly with the server, which takes it at the end of data sent next:
    /// from here on a crash must not send it again.
    public func markHanded(_ id: Int64) throws {
        try db.query("UPDATE outbox SET status = 'handed' WHERE id = ?", [.int(id)])
    }

    /// A reply a dead runner had claimed: its row, Message-ID and record.
    public typealias Claim = (id: Int64, msgid: String, record: Int64?)

    /// Settles the replies a dead runner left claimed, and returns them: `queued` again those it
    /// had not handed over whole (the server drops an unfinished message), `sent` those it had
    /// (the server got the end of data, or at worst the few microseconds before it). Only for a
    /// caller that knows no other live process can be sending: it holds the runner lock.
    public func recoverClaimedReplies(note: String) throws -> (requeued: [Claim], handed: [Claim]) {
        try db.transaction {
            func claims(_ status: String) throws -> [Claim] {
                try db.query("SELECT id, msgid, record_id FROM outbox WHERE status = ? ORDER BY id", [.text(status)])
                    .map { ($0[0].int ?? 0, $0[1].text ?? "", $0[2].int) }
            }
            let requeued = try claims("sending"), handed = try claims("handed")
            try db.query("UPDATE outbox SET status = 'queued' WHERE status = 'sending'")
            try db.query("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = ? WHERE status = 'handed'",
                         [.text(Self.now()), .text(note)])
            return (requeued, handed)
        }
    }

    /// The server has the reply. `at` is given by the caller, formatted before the send, so that
    /// the commit after the server's acceptance does nothing but write the row.
    public func markSent(_ id: Int64, at: String = IntakeStore.now()) throws {
        try db.query("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                     [.text(at), .int(id)])
    }

    /// A failed attempt: queued again (the claim given back) to be retried after `retryAfter`
    /// seconds, or failed for good when nil.
    public func markAttemptFailed(_ id: Int64, error: String, retryAfter: TimeInterval?, now: Date = Date()) throws {
        if let retryAfter {
            try db.query("UPDATE outbox SET status = 'queued', attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                         [.text(error), .text(Self.now(now.addingTimeInterval(retryAfter))), .int(id)])
        } else {
            try db.query("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                         [.text(error), .int(id)])
        }
    }

    /// Marks our reply with this Message-ID as bounced; true when there was one.
    public func markBounced(msgid: String, detail: String) throws -> Bool {
        try db.query("UPDATE outbox SET status = 'bounced', last_error = ? WHERE msgid = ?", [.text(detail), .text(msgid)])
        return db.changes > 0
    }
}
