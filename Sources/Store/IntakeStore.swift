import CaseModel
import Foundation
import Intake
import MailCore

/// One record the secretariat works with: an application, a receipt, a status report, a
/// decision that could not be applied, or a mail to look at.
public struct RecordRow: Sendable {
    public var id: Int64
    public var kind: CaseKind
    /// Changed only through a transition the case model allows (see `CaseModel`).
    public var status: CaseStatus
    public var reference: String?
    public var title: String?
    public var sender: String?
    public var area: String?
    public var reading: ApplicationReading
    public var amount: Money?
    public var approved: Money?
    public var projectID: Int64?
    public var late: Bool
    public var note: String?
    public var createdAt: String
    public var updatedAt: String
    /// The JSON of the reading as last stored or encoded; used by a save only while it `matches`.
    public var encoded: EncodedReading?

    /// A record not yet saved (id 0) of `kind` in `status`.
    public init(kind: CaseKind, status: CaseStatus, title: String?, sender: String?) {
        self.init(id: 0, kind: kind, status: status, reference: nil, title: title, sender: sender, area: nil,
                  reading: ApplicationReading(), amount: nil, approved: nil, projectID: nil, late: false, note: nil,
                  createdAt: "", updatedAt: "")
    }

    init(id: Int64, kind: CaseKind, status: CaseStatus, reference: String?, title: String?, sender: String?, area: String?,
         reading: ApplicationReading, amount: Money?, approved: Money?, projectID: Int64?, late: Bool, note: String?,
         createdAt: String, updatedAt: String) {
        self.id = id
        self.kind = kind
        self.status = status
        self.reference = reference
        self.title = title
        self.sender = sender
        self.area = area
        self.reading = reading
        self.amount = amount
        self.approved = approved
        self.projectID = projectID
        self.late = late
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The reference, or `S-<id>` for a record without one (no `#`: a shell reads it as a comment).
    public var label: String { reference ?? "S-\(id)" }
}

/// A raw message as stored.
public struct StoredMessage: Sendable {
    public var id: Int64
    public var source: String
    public var raw: [UInt8]
    public var receivedAt: Date
    public var status: String
    public var recordID: Int64?
    public var subject: String?
    public var sender: String?
    public var kind: String?
    public var error: String?
    /// The SHA-256 of `raw`, computed once when it was stored.
    public var sha256: String = ""
}

/// One reply waiting for, or past, delivery.
public struct OutboxItem: Sendable {
    public var id: Int64
    public var msgid: String
    public var recordID: Int64?
    public var kind: String
    public var to: String
    public var subject: String
    public var bytes: [UInt8]
    public var status: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: String
}

/// One line of the audit log.
public struct AuditEntry: Sendable {
    public var at: String
    public var actor: String
    public var action: String
    public var detail: String?
}

/// The product's SQLite store: the truth about every message, record, reply and decision.
public final class IntakeStore {
    public let db: Database
    /// The store's JSON: keys sorted, so the same value is always the same text.
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Opens the database at `path` (creating it unless `create` is false) and brings its schema up to date.
    public init(path: String, create: Bool = true) throws {
        db = try Database(path: path, create: create)
        try Schema.migrate(db)
        // Records from before schema 4 get their folded title once (SQLite cannot fold Danish).
        let missing = try db.query("SELECT id, title FROM records WHERE title IS NOT NULL AND title_key IS NULL")
        if !missing.isEmpty {
            try db.transaction {
                for r in missing {
                    try db.query("UPDATE records SET title_key = ? WHERE id = ?", [.text(Fold.key(r[1].text ?? "")), r[0]])
                }
            }
        }
    }

    public static func now(_ date: Date = Date()) -> String { date.formatted(.iso8601) }

    // MARK: - Ingest

    /// Stores a raw message; the same bytes or the same source key twice is a no-op (nil).
    /// `cursor` advances in the same transaction, so a crash never separates the two.
    @discardableResult
    public func ingest(source: String, key: String, raw: [UInt8], sha256: String? = nil, messageID: String?, subject: String?,
                       sender: String?, receivedAt: Date, uidvalidity: Int64? = nil, uid: Int64? = nil,
                       cursor: (uidvalidity: Int64, lastUID: Int64)? = nil) throws -> Int64? {
        try db.transaction {
            let sha = sha256 ?? SHA256.hex(raw)
            try db.query("""
                INSERT OR IGNORE INTO messages (source, source_key, uidvalidity, uid, message_id, sha256, size, subject, sender, received_at)
                VALUES (?,?,?,?,?,?,?,?,?,?)
                """, [.text(source), .text(key), uidvalidity.map(SQLValue.int) ?? .null, uid.map(SQLValue.int) ?? .null,
                      messageID.map(SQLValue.text) ?? .null, .text(sha), .int(Int64(raw.count)),
                      subject.map(SQLValue.text) ?? .null, sender.map(SQLValue.text) ?? .null, .text(Self.now(receivedAt))])
            let inserted = db.changes == 1 ? db.lastInsertID : nil
            if let inserted {
                try db.query("INSERT INTO message_raw (id, raw) VALUES (?, zeroblob(?))", [.int(inserted), .int(Int64(raw.count))])
                try db.writeBlob(table: "message_raw", column: "raw", row: inserted, raw)
            }
            if let cursor {
                try advanceCursor(source, uidValidity: cursor.uidvalidity, uid: cursor.lastUID)
            }
            if let inserted {
                try audit(actor: "pipeline", record: nil, message: inserted, action: "modtaget", detail: "\(source) \(key)")
            }
            return inserted
        }
    }

    /// The source's cursor: the UIDVALIDITY and the highest UID stored (or skipped) under it.
    public func cursor(_ source: String) throws -> (uidValidity: Int64, lastUID: Int64)? {
        guard let r = try db.query("SELECT uidvalidity, last_uid FROM cursors WHERE source = ?", [.text(source)]).first,
              let v = r[0].int, let u = r[1].int else { return nil }
        return (v, u)
    }

    /// A message left on the server (too large), reported and passed over by the cursor in one transaction.
    public func skip(source: String, uidValidity: Int64, uid: Int64, size: Int, reason: String) throws {
        try db.transaction {
            if try insertSkipped(source: source, key: "\(uidValidity)/\(uid)", uidValidity: uidValidity, uid: uid, size: size, reason: reason) {
                try audit(actor: "pipeline", record: nil, message: nil, action: "efterladt på serveren", detail: "UID \(uid): \(reason)")
            }
            try advanceCursor(source, uidValidity: uidValidity, uid: uid)
        }
    }

    /// A file a folder source leaves where it is (too large), reported under its source key.
    public func skip(source: String, key: String, size: Int, reason: String) throws {
        try db.transaction {
            if try insertSkipped(source: source, key: key, uidValidity: nil, uid: nil, size: size, reason: reason) {
                try audit(actor: "pipeline", record: nil, message: nil, action: "efterladt i mappen", detail: "\(key): \(reason)")
            }
        }
    }

    /// True when the message was not yet recorded as skipped: it is audited once, however often it is met.
    @discardableResult
    private func insertSkipped(source: String, key: String, uidValidity: Int64?, uid: Int64?, size: Int, reason: String) throws -> Bool {
        try db.query("INSERT OR IGNORE INTO skipped (source, source_key, uidvalidity, uid, size, reason, at) VALUES (?,?,?,?,?,?,?)",
                     [.text(source), .text(key), uidValidity.map(SQLValue.int) ?? .null, uid.map(SQLValue.int) ?? .null,
                      .int(Int64(size)), .text(reason), .text(Self.now())])
        return db.changes == 1
    }

    /// The reason recorded for mail over a source's size limit, in the secretariat's words (`1.234 bytes`).
    public static func tooLarge(size: Int, limit: Int) -> String {
        func bytes(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "da_DK"))) + " bytes" }
        return "for stor: \(bytes(size)) er over grænsen på \(bytes(limit))"
    }

    /// The cursor only moves forward under one UIDVALIDITY; a new UIDVALIDITY starts it again.
    private func advanceCursor(_ source: String, uidValidity: Int64, uid: Int64) throws {
        try db.query("""
            INSERT INTO cursors (source, uidvalidity, last_uid, updated_at) VALUES (?,?,?,?)
            ON CONFLICT(source) DO UPDATE SET uidvalidity = excluded.uidvalidity,
              last_uid = max(CASE WHEN cursors.uidvalidity = excluded.uidvalidity THEN cursors.last_uid ELSE 0 END, excluded.last_uid),
              updated_at = excluded.updated_at
            """, [.text(source), .int(uidValidity), .int(uid), .text(Self.now())])
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     [.text(key), .text(value)])
    }

    public func meta(_ key: String) throws -> String? {
        try db.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).first?.first?.text
    }

    /// A server message whose bytes are already stored under another key (a rescan): known, not left behind.
    public func recordDuplicate(source: String, uidValidity: Int64, uid: Int64, size: Int) throws {
        try insertSkipped(source: source, key: "\(uidValidity)/\(uid)", uidValidity: uidValidity, uid: uid, size: size,
                          reason: Self.duplicateReason)
    }

    static let duplicateReason = "dublet: samme bytes er allerede gemt"

    /// Source keys of mail left in the mailbox or known as duplicates (`uidvalidity/uid` for IMAP).
    public func skippedKeys(_ source: String) throws -> Set<String> {
        Set(try db.query("SELECT source_key FROM skipped WHERE source = ?", [.text(source)]).compactMap { $0[0].text })
    }

    /// Outbox rows per status.
    public func outboxCounts() throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try db.query("SELECT status, count(*) FROM outbox GROUP BY status").map {
            ($0[0].text ?? "", Int($0[1].int ?? 0))
        })
    }

    /// Mail left in the mailbox, oldest first: its source key, its UID (IMAP only), size and reason.
    public func skipped(_ source: String? = nil) throws -> [(key: String, uid: Int64?, size: Int, reason: String)] {
        try db.query("SELECT source_key, uid, size, reason FROM skipped WHERE reason <> ?" + (source == nil ? "" : " AND source = ?")
                     + " ORDER BY id", [.text(Self.duplicateReason)] + (source.map { [.text($0)] } ?? [])).map {
            ($0[0].text ?? "", $0[1].int, Int($0[2].int ?? 0), $0[3].text ?? "")
        }
    }

    /// Stored messages of `source` under `uidValidity` that are processed (or failed) but not yet marked on the server.
    public func unmarked(source: String, uidValidity: Int64) throws -> [(id: Int64, uid: Int64)] {
        try db.query("""
            SELECT id, uid FROM messages WHERE source = ? AND uidvalidity = ? AND server_done = 0
              AND status IN ('processed', 'failed') AND uid IS NOT NULL ORDER BY uid
            """, [.text(source), .int(uidValidity)]).map { ($0[0].int ?? 0, $0[1].int ?? 0) }
    }

    public func markServerDone(_ ids: [Int64]) throws {
        try db.transaction {
            for id in ids { try db.query("UPDATE messages SET server_done = 1 WHERE id = ?", [.int(id)]) }
        }
    }

    /// True when a message with these bytes is already stored.
    public func contains(sha256: String) throws -> Bool {
        try !db.query("SELECT 1 FROM messages WHERE sha256 = ?", [.text(sha256)]).isEmpty
    }

    /// Source keys already stored for `source` (a folder source skips them without reading).
    public func sourceKeys(_ source: String) throws -> Set<String> {
        Set(try db.query("SELECT source_key FROM messages WHERE source = ?", [.text(source)]).compactMap { $0[0].text })
    }

    /// Message ids with this status, oldest first.
    public func messages(status: String) throws -> [Int64] {
        try db.query("SELECT id FROM messages WHERE status = ? ORDER BY received_at, id", [.text(status)]).compactMap { $0[0].int }
    }

    public func message(_ id: Int64) throws -> StoredMessage? {
        guard var m = try db.query("""
            SELECT id, source, NULL, received_at, status, record_id, subject, sender, kind, error, sha256 FROM messages WHERE id = ?
            """, [.int(id)]).first.map(Self.message) else { return nil }
        m.raw = try db.readBlob(table: "message_raw", column: "raw", row: id)
        return m
    }

    /// The messages that make up a record, oldest first.
    public func messages(ofRecord id: Int64) throws -> [StoredMessage] {
        try db.query("""
            SELECT id, source, NULL, received_at, status, record_id, subject, sender, kind, error, sha256 FROM messages
            WHERE record_id = ? ORDER BY received_at, id
            """, [.int(id)]).map(Self.message).map { m in
                var m = m
                m.raw = try db.readBlob(table: "message_raw", column: "raw", row: m.id)
                return m
            }
    }

    private static func message(_ r: [SQLValue]) -> StoredMessage {
        StoredMessage(id: r[0].int ?? 0, source: r[1].text ?? "", raw: r[2].blob ?? [],
                      receivedAt: (r[3].text).flatMap { try? Date($0, strategy: .iso8601) } ?? Date(timeIntervalSince1970: 0),
                      status: r[4].text ?? "", recordID: r[5].int, subject: r[6].text, sender: r[7].text,
                      kind: r[8].text, error: r[9].text, sha256: r.count > 10 ? r[10].text ?? "" : "")
    }

    public func markProcessed(_ id: Int64, kind: String, record: Int64?, resultJSON: String, rulesVersion: Int) throws {
        try db.query("""
            UPDATE messages SET status = 'processed', kind = ?, record_id = ?, result_json = ?, rules_version = ?,
              processed_at = ?, error = NULL WHERE id = ?
            """, [.text(kind), record.map(SQLValue.int) ?? .null, .text(resultJSON), .int(Int64(rulesVersion)),
                  .text(Self.now()), .int(id)])
    }

    public func markFailed(_ id: Int64, error: String) throws {
        try db.query("UPDATE messages SET status = 'failed', error = ?, processed_at = ? WHERE id = ?",
                     [.text(error), .text(Self.now()), .int(id)])
        try audit(actor: "pipeline", record: nil, message: id, action: "fejlede", detail: error)
    }

    public func markNew(_ id: Int64) throws {
        try db.query("UPDATE messages SET status = 'new' WHERE id = ?", [.int(id)])
    }

    // MARK: - Records

    public func insertRecord(_ r: RecordRow) throws -> Int64 {
        let now = Self.now()
        try db.query("""
            INSERT INTO records (kind, status, reference, title, sender, area, fields_json, missing_json, invalid_json, hints_json,
              amount_ore, approved_ore, project_id, late, note, title_key, created_at, updated_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, try values(r) + [.text(now), .text(now)])
        indexTitle(r, id: db.lastInsertID)
        return db.lastInsertID
    }

    public func updateRecord(_ r: RecordRow) throws {
        try db.query("""
            UPDATE records SET kind = ?, status = ?, reference = ?, title = ?, sender = ?, area = ?, fields_json = ?,
              missing_json = ?, invalid_json = ?, hints_json = ?, amount_ore = ?, approved_ore = ?, project_id = ?, late = ?,
              note = ?, title_key = ?, updated_at = ? WHERE id = ?
            """, try values(r) + [.text(Self.now()), .int(r.id)])
        indexTitle(r, id: r.id)
    }

    private func values(_ r: RecordRow) throws -> [SQLValue] {
        let e = try r.encoded.flatMap { $0.matches(r.reading) ? $0 : nil } ?? EncodedReading(r.reading)
        return [.text(r.kind.rawValue), .text(r.status.rawValue), r.reference.map(SQLValue.text) ?? .null, r.title.map(SQLValue.text) ?? .null,
                r.sender.map(SQLValue.text) ?? .null, r.area.map(SQLValue.text) ?? .null, .text(e.json.fields),
                .text(e.json.missing), .text(e.json.invalid), .text(e.json.hints),
                r.amount.map { .int(Int64($0.ore)) } ?? .null, r.approved.map { .int(Int64($0.ore)) } ?? .null,
                r.projectID.map(SQLValue.int) ?? .null, .int(r.late ? 1 : 0), r.note.map(SQLValue.text) ?? .null,
                r.title.map { .text(Fold.key($0)) } ?? .null]
    }

    private static let recordColumns = """
        id, kind, status, reference, title, sender, area, fields_json, missing_json, invalid_json, hints_json,
        amount_ore, approved_ore, project_id, late, note, created_at, updated_at
        """

    private func record(_ r: [SQLValue]) -> RecordRow {
        let dec = JSONDecoder()
        var intact = true
        func decode<T: Decodable & Collection>(_ v: SQLValue, _ t: T.Type, _ d: T) -> T {
            guard let text = v.text, let value = text.utf8.count <= 2 ? d : try? dec.decode(T.self, from: Data(text.utf8)) else {
                intact = false
                return d
            }
            // "{}" and "[]" are the empty value; anything else that short is not ours.
            if text.utf8.count <= 2 && text != "{}" && text != "[]" { intact = false }
            return value
        }
        var reading = ApplicationReading()
        reading.fields = decode(r[7], [String: FieldValue].self, [:])
        reading.missing = decode(r[8], [String].self, [])
        reading.invalid = decode(r[9], [FieldIssue].self, [])
        reading.hints = decode(r[10], [String].self, [])
        // A code this program does not know (a newer version wrote it) is shown for review, never guessed.
        var row = RecordRow(id: r[0].int ?? 0, kind: r[1].text.flatMap { CaseKind(rawValue: $0) } ?? .unknown,
                         status: r[2].text.flatMap { CaseStatus(rawValue: $0) } ?? .review, reference: r[3].text,
                         title: r[4].text, sender: r[5].text, area: r[6].text, reading: reading,
                         amount: r[11].int.map { Money(ore: Int($0)) }, approved: r[12].int.map { Money(ore: Int($0)) },
                         projectID: r[13].int, late: r[14].int == 1, note: r[15].text,
                         createdAt: r[16].text ?? "", updatedAt: r[17].text ?? "")
        if intact, let f = r[7].text, let m = r[8].text, let i = r[9].text, let h = r[10].text {
            row.encoded = EncodedReading(reading, json: (f, m, i, h))
        }
        return row
    }

    public func record(_ id: Int64) throws -> RecordRow? {
        try db.query("SELECT \(Self.recordColumns) FROM records WHERE id = ?", [.int(id)]).first.map(record)
    }

    /// A record by its reference (`SSP-2027-0001`) or its label `S-12` (or `#12`, as scripts wrote it before).
    public func record(label: String) throws -> RecordRow? {
        if label.hasPrefix("#"), let id = Int64(label.dropFirst()) { return try record(id) }
        if label.hasPrefix("S-") || label.hasPrefix("s-"), let id = Int64(label.dropFirst(2)) { return try record(id) }
        return try db.query("SELECT \(Self.recordColumns) FROM records WHERE reference = ?", [.text(label.uppercased())])
            .first.map(record)
    }

    /// Records, newest first, optionally of one kind and status.
    public func records(kind: CaseKind? = nil, status: CaseStatus? = nil) throws -> [RecordRow] {
        var sql = "SELECT \(Self.recordColumns) FROM records WHERE 1 = 1"
        var v: [SQLValue] = []
        if let kind { sql += " AND kind = ?"; v.append(.text(kind.rawValue)) }
        if let status { sql += " AND status = ?"; v.append(.text(status.rawValue)) }
        return try db.query(sql + " ORDER BY id", v).map(record)
    }

    /// The records filed under the application `project`, oldest first (read through its index, not the whole table).
    public func records(project: Int64) throws -> [RecordRow] {
        try db.query("SELECT \(Self.recordColumns) FROM records WHERE project_id = ? ORDER BY id", [.int(project)]).map(record)
    }

    /// Every record's label (`SSP-2027-0004`, `S-12`) by id, without decoding a reading: the queue names
    /// the application a receipt belongs to on every line.
    public func labels() throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        for r in try db.query("SELECT id, reference FROM records") {
            if let id = r[0].int { out[id] = r[1].text ?? "S-\(id)" }
        }
        return out
    }

    /// Applications whose title (folded, at least `minLength` characters) occurs in `text` (folded).
    /// At most `limit` ids, the oldest first, so that a name shared by many records costs nothing to decode.
    public func applications(namedIn foldedText: String, minLength: Int = 6, limit: Int = 2) throws -> [Int64] {
        if titles == nil || titlesRollbacks != db.rollbacks {
            let rows = try db.query("SELECT id, title_key FROM records WHERE kind = ? AND title_key IS NOT NULL",
                                    [.text(CaseKind.application.rawValue)])
            titles = TitleIndex(rows.compactMap { r in r[0].int.map { ($0, r[1].text ?? "") } })
            titlesRollbacks = db.rollbacks
        }
        return Array(titles!.ids(in: foldedText, minLength: minLength).prefix(limit))
    }

    /// The applications' titles, kept in step with every record this store saves.
    private var titles: TitleIndex?
    private var titlesRollbacks = 0

    /// Forgets what is cached from the database: another process may have changed it since.
    public func beginPass() {
        titles = nil
    }

    private func indexTitle(_ r: RecordRow, id: Int64) {
        titles?.set(id, r.kind == .application ? r.title.map(Fold.key) : nil)
    }

    /// A decision record already made from this sender and subject about this application.
    public func approvalRecord(sender: String?, title: String?, project: Int64?) throws -> RecordRow? {
        let id = try db.query("""
            SELECT id FROM records WHERE kind = ? AND sender IS ? AND title IS ? AND project_id IS ? LIMIT 1
            """, [.text(CaseKind.approval.rawValue), sender.map(SQLValue.text) ?? .null, title.map(SQLValue.text) ?? .null, project.map(SQLValue.int) ?? .null])
            .first?.first?.int
        return try id.flatMap { try record($0) }
    }

    // MARK: - Threads and references

    public func record(forThread ids: [String]) throws -> Int64? {
        for id in ids.reversed() {
            if let r = try db.query("SELECT record_id FROM thread_ids WHERE msgid = ?", [.text(id)]).first?[0].int { return r }
        }
        return nil
    }

    public func link(threadIDs ids: [String], to record: Int64) throws {
        for id in ids where !id.isEmpty {
            try db.query("INSERT OR IGNORE INTO thread_ids (msgid, record_id) VALUES (?, ?)", [.text(id), .int(record)])
        }
    }

    /// The next `SSP-YYYY-NNNN` of `year`; numbers are never reused, even if a record goes.
    public func nextReference(year: Int) throws -> String {
        try db.query("""
            INSERT INTO reference_seq (year, last) VALUES (?, 1) ON CONFLICT(year) DO UPDATE SET last = last + 1
            """, [.int(Int64(year))])
        let n = try db.query("SELECT last FROM reference_seq WHERE year = ?", [.int(Int64(year))]).first?[0].int ?? 1
        return String(format: "SSP-%04d-%04lld", year, n)
    }

    // MARK: - Approvals

    public func recordApproval(record: Int64?, message: Int64, decision: String, trusted: Bool, applied: Bool, sender: String?,
                               decidedAt: Date, comment: String?, reasons: [String]) throws {
        try db.query("""
            INSERT OR REPLACE INTO approvals (record_id, message_id, decision, trusted, applied, sender, decided_at, comment,
              reasons_json, created_at)
            VALUES (?,?,?,?,?,?,?,?,?,?)
            """, [record.map(SQLValue.int) ?? .null, .int(message), .text(decision), .int(trusted ? 1 : 0), .int(applied ? 1 : 0),
                  sender.map(SQLValue.text) ?? .null, .text(Self.now(decidedAt)), comment.map(SQLValue.text) ?? .null,
                  .text(String(decoding: try Self.encoder.encode(reasons), as: UTF8.self)), .text(Self.now())])
    }

    /// Decisions about a record: (decision, trusted, sender, comment, when).
    public func approvals(ofRecord id: Int64) throws -> [(String, Bool, String?, String?, String)] {
        try db.query("SELECT decision, trusted, sender, comment, created_at FROM approvals WHERE record_id = ? ORDER BY id",
                     [.int(id)]).map { ($0[0].text ?? "", $0[1].int == 1, $0[2].text, $0[3].text, $0[4].text ?? "") }
    }

    /// The decisions applied to a record, oldest first.
    public func appliedDecisions(ofRecord id: Int64) throws -> [Decision] {
        try db.query("SELECT decision FROM approvals WHERE record_id = ? AND applied = 1 ORDER BY id", [.int(id)])
            .compactMap { $0[0].text.flatMap(Decision.init(rawValue:)) }
    }

    /// The record a message's decision was applied to, when it was.
    public func appliedDecision(message: Int64) throws -> Int64? {
        try db.query("SELECT record_id FROM approvals WHERE message_id = ? AND applied = 1", [.int(message)]).first?.first?.int
    }

    /// When `sender` last made a decision that was applied to the record, leaving out one message's.
    public func latestAppliedDecision(record: Int64, sender: String, excluding message: Int64) throws -> Date? {
        try db.query("""
            SELECT max(decided_at) FROM approvals WHERE record_id = ? AND sender = ? COLLATE NOCASE AND applied = 1 AND message_id != ?
            """, [.int(record), .text(sender), .int(message)]).first?.first?.text.flatMap { try? Date($0, strategy: .iso8601) }
    }

    /// When each record's first mail reached the mailbox (record id → arrival): a case's time. A
    /// decision kept beside the application its forward made has its mail only in the audit log.
    public func firstReceived() throws -> [Int64: Date] {
        var out: [Int64: Date] = [:]
        for r in try db.query("""
            SELECT rid, min(at) FROM (
              SELECT record_id AS rid, received_at AS at FROM messages WHERE record_id IS NOT NULL
              UNION ALL
              SELECT a.record_id, m.received_at FROM audit a JOIN messages m ON m.id = a.message_id WHERE a.record_id IS NOT NULL
            ) GROUP BY rid
            """) {
            if let id = r[0].int, let d = r[1].text.flatMap({ try? Date($0, strategy: .iso8601) }) { out[id] = d }
        }
        return out
    }

    /// When one record's first mail arrived: `firstReceived()[record]`, through the indexes on record_id.
    public func firstReceived(record: Int64) throws -> Date? {
        try db.query("""
            SELECT min(at) FROM (
              SELECT received_at AS at FROM messages WHERE record_id = ?1
              UNION ALL
              SELECT m.received_at FROM audit a JOIN messages m ON m.id = a.message_id WHERE a.record_id = ?1
            )
            """, [.int(record)]).first?.first?.text.flatMap { try? Date($0, strategy: .iso8601) }
    }

    /// The first stored message with this Message-ID, before `id`: the one a later copy repeats.
    public func firstMessage(withMessageID messageID: String, before id: Int64) throws -> (id: Int64, record: Int64?)? {
        try db.query("SELECT id, record_id FROM messages WHERE message_id = ? AND id < ? ORDER BY id LIMIT 1",
                     [.text(messageID), .int(id)]).first.map { ($0[0].int ?? 0, $0[1].int) }
    }

    /// True when a reply to this message, of any kind, is in the outbox (it was answered).
    public func hasReplies(forMessage id: Int64) throws -> Bool {
        try !db.query("SELECT 1 FROM outbox WHERE message_id = ? LIMIT 1", [.int(id)]).isEmpty
    }

    // MARK: - Attachments

    /// Records an attachment stored under its generated name; the original name is data only.
    public func addAttachment(message: Int64, sha256: String, storedName: String, size: Int, contentType: String,
                              filename: String?) throws {
        try db.query("INSERT OR IGNORE INTO attachments (sha256, stored_name, size, content_type) VALUES (?,?,?,?)",
                     [.text(sha256), .text(storedName), .int(Int64(size)), .text(contentType)])
        try db.query("INSERT OR IGNORE INTO message_attachments (message_id, sha256, filename) VALUES (?,?,?)",
                     [.int(message), .text(sha256), filename.map(SQLValue.text) ?? .null])
    }

    public func hasAttachment(sha256: String) throws -> Bool {
        try !db.query("SELECT 1 FROM attachments WHERE sha256 = ?", [.text(sha256)]).isEmpty
    }

    // MARK: - Audit

    public func audit(actor: String, record: Int64?, message: Int64?, action: String, detail: String?) throws {
        try db.query("INSERT INTO audit (at, actor, record_id, message_id, action, detail) VALUES (?,?,?,?,?,?)",
                     [.text(Self.now()), .text(actor), record.map(SQLValue.int) ?? .null, message.map(SQLValue.int) ?? .null,
                      .text(action), detail.map(SQLValue.text) ?? .null])
    }

    public func auditLog(record id: Int64) throws -> [AuditEntry] {
        try db.query("SELECT at, actor, action, detail FROM audit WHERE record_id = ? ORDER BY id", [.int(id)]).map {
            AuditEntry(at: $0[0].text ?? "", actor: $0[1].text ?? "", action: $0[2].text ?? "", detail: $0[3].text)
        }
    }
}
