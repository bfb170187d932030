/// The store's numbered migrations; each runs once, in order, in its own transaction.
enum Schema {
    static let migrations: [String] = [
        // 1: the first schema.
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            reference TEXT UNIQUE,
            title TEXT,
            sender TEXT,
            area TEXT,
            fields_json TEXT NOT NULL DEFAULT '{}',
            missing_json TEXT NOT NULL DEFAULT '[]',
            invalid_json TEXT NOT NULL DEFAULT '[]',
            hints_json TEXT NOT NULL DEFAULT '[]',
            amount_ore INTEGER,
            approved_ore INTEGER,
            project_id INTEGER REFERENCES records(id),
            late INTEGER NOT NULL DEFAULT 0,
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            uidvalidity INTEGER,
            uid INTEGER,
            message_id TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            raw BLOB NOT NULL,
            subject TEXT,
            sender TEXT,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new',
            kind TEXT,
            error TEXT,
            rules_version INTEGER,
            result_json TEXT,
            processed_at TEXT,
            record_id INTEGER REFERENCES records(id),
            UNIQUE (source, source_key)
        );
        CREATE INDEX messages_status ON messages(status);
        CREATE INDEX messages_message_id ON messages(message_id);
        CREATE TABLE cursors (
            source TEXT PRIMARY KEY,
            uidvalidity INTEGER,
            last_uid INTEGER,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE thread_ids (
            msgid TEXT PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES records(id)
        );
        CREATE TABLE reference_seq (
            year INTEGER PRIMARY KEY,
            last INTEGER NOT NULL
        );
        CREATE TABLE approvals (
            id INTEGER PRIMARY KEY,
            record_id INTEGER REFERENCES records(id),
            message_id INTEGER NOT NULL REFERENCES messages(id),
            decision TEXT NOT NULL,
            trusted INTEGER NOT NULL,
            sender TEXT,
            comment TEXT,
            reasons_json TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            UNIQUE (message_id)
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            msgid TEXT NOT NULL UNIQUE,
            message_id INTEGER REFERENCES messages(id),
            record_id INTEGER REFERENCES records(id),
            kind TEXT NOT NULL,
            to_addr TEXT NOT NULL,
            subject TEXT NOT NULL,
            bytes BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX outbox_status ON outbox(status);
        CREATE TABLE attachments (
            sha256 TEXT PRIMARY KEY,
            stored_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL
        );
        CREATE TABLE message_attachments (
            message_id INTEGER NOT NULL REFERENCES messages(id),
            sha256 TEXT NOT NULL REFERENCES attachments(sha256),
            filename TEXT,
            PRIMARY KEY (message_id, sha256)
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            record_id INTEGER REFERENCES records(id),
            message_id INTEGER REFERENCES messages(id),
            action TEXT NOT NULL,
            detail TEXT
        );
        CREATE INDEX audit_record ON audit(record_id);
        """,
        // 2: an IMAP source marks or moves processed mail on the server, and reports mail it leaves there.
        """
        ALTER TABLE messages ADD COLUMN server_done INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE skipped (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            size INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (source, uidvalidity, uid)
        );
        """,
        // 3: small facts about the running service, such as the last good poll per source.
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
        // 4: what a backlog of thousands needs to stay linear: a folded title to match names
        // against, and indexes for the reply limits and a record's mails.
        """
        ALTER TABLE records ADD COLUMN title_key TEXT;
        CREATE INDEX records_kind ON records(kind, title_key);
        CREATE INDEX records_project ON records(project_id);
        CREATE INDEX messages_record ON messages(record_id);
        CREATE INDEX approvals_record ON approvals(record_id);
        CREATE INDEX outbox_created ON outbox(created_at);
        CREATE INDEX outbox_to_created ON outbox(to_addr COLLATE NOCASE, created_at);
        """,
        // 5: the raw bytes in a table of their own, as the row's last column, so that SQLite streams
        // a 30 MB mail in and out through its pages instead of building it in memory.
        """
        CREATE TABLE message_raw (
            id INTEGER PRIMARY KEY REFERENCES messages(id),
            raw BLOB NOT NULL
        );
        INSERT INTO message_raw (id, raw) SELECT id, raw FROM messages;
        ALTER TABLE messages DROP COLUMN raw;
        """,
        // 6: skipped mail known by its source key, so a folder source can record mail it leaves.
        transportMigration,
        // 7: decisions know when the leader made them and whether they were applied: per leader and
        // case the latest stands, and reading one again never applies it twice.
        """
        ALTER TABLE approvals ADD COLUMN decided_at TEXT;
        ALTER TABLE approvals ADD COLUMN applied INTEGER NOT NULL DEFAULT 0;
        UPDATE approvals SET applied = trusted, decided_at = created_at;
        CREATE INDEX outbox_message ON outbox(message_id);
        """,
        // 8: what the Secretariat decided by hand, kept apart from what the rules read, so reading the
        // mails again (reprocess) lays the same corrections and links over the new reading.
        """
        CREATE TABLE refunds (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES records(id),
            paid_on TEXT NOT NULL,
            amount_ore INTEGER NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX refunds_record ON refunds(record_id);
        CREATE TABLE corrections (
            record_id INTEGER NOT NULL REFERENCES records(id),
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (record_id, field)
        );
        CREATE TABLE manual_links (
            record_id INTEGER PRIMARY KEY REFERENCES records(id),
            project_id INTEGER REFERENCES records(id),
            actor TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """,
        // 9: the workbench's accounts (see Accounts.swift).
        accountsMigration,
    ]

    /// Mail left in a folder source (too large) is recorded beside mail left on an IMAP server: a
    /// skipped message is known by its source key (`uidvalidity/uid` for IMAP, the file for a
    /// folder), and only IMAP has a UID. SQLite cannot drop a UNIQUE constraint, so the table is made again.
    static let transportMigration = """
        CREATE TABLE skipped_new (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            uidvalidity INTEGER,
            uid INTEGER,
            size INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (source, source_key)
        );
        INSERT INTO skipped_new (id, source, source_key, uidvalidity, uid, size, reason, at)
            SELECT id, source, uidvalidity || '/' || uid, uidvalidity, uid, size, reason, at FROM skipped;
        DROP TABLE skipped;
        ALTER TABLE skipped_new RENAME TO skipped;
        """

    /// Brings `db` to the newest schema; `PRAGMA user_version` holds the number applied.
    static func migrate(_ db: Database) throws {
        let current = Int(try db.query("PRAGMA user_version").first?.first?.int ?? 0)
        guard current <= migrations.count else {
            throw StoreError(code: 0, message: "the database has schema \(current), newer than this program's \(migrations.count)",
                             context: "migrate")
        }
        for n in current..<migrations.count {
            try db.transaction {
                try db.execute(migrations[n])
                try db.execute("PRAGMA user_version = \(n + 1)")
            }
        }
    }
}
