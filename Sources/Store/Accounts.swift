import Foundation

/// A person who may log in to the workbench, as stored: the role as its name, the password only as a crypt(3) hash.
public struct UserRecord: Sendable, Equatable {
    public var name: String
    public var role: String
    public var passwordHash: String
    public var created: Date

    public init(name: String, role: String, passwordHash: String, created: Date) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.created = created
    }
}

/// A login as stored: the token only as its SHA-256, so the file alone opens no session.
public struct SessionRecord: Sendable, Equatable {
    public var tokenHash: String
    public var user: String
    public var csrf: String
    public var created: Date
    public var lastSeen: Date

    public init(tokenHash: String, user: String, csrf: String, created: Date, lastSeen: Date) {
        self.tokenHash = tokenHash
        self.user = user
        self.csrf = csrf
        self.created = created
        self.lastSeen = lastSeen
    }
}

extension Schema {
    /// Failed logins are kept by the name tried, whether or not it is a user, so the throttle
    /// answers the same for both and tells no one which names exist.
    static let accountsMigration = """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(user);
        CREATE INDEX sessions_last_seen ON sessions(last_seen);
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX login_failures_user ON login_failures(user, at);
        """
}

/// The workbench's users, sessions and failed logins. Times are ISO 8601 in UTC to the second,
/// which sort as text, so the expiry and the throttle's window are plain comparisons in SQL.
extension IntakeStore {
    /// Adds `user`; false when the name is taken (the existing user is left as it is).
    public func addUser(_ user: UserRecord) throws -> Bool {
        try db.query("INSERT OR IGNORE INTO users (name, role, password_hash, created) VALUES (?,?,?,?)",
                     [.text(user.name), .text(user.role), .text(user.passwordHash), .text(Self.now(user.created))])
        return db.changes == 1
    }

    public func user(named name: String) throws -> UserRecord? {
        try db.query("SELECT name, role, password_hash, created FROM users WHERE name = ?", [.text(name)]).first.map(Self.user)
    }

    /// Every user, by name.
    public func users() throws -> [UserRecord] {
        try db.query("SELECT name, role, password_hash, created FROM users ORDER BY name").map(Self.user)
    }

    /// A new password ends every session of the user: whoever knew the old one is logged out.
    public func setPasswordHash(user: String, _ hash: String) throws {
        try db.transaction {
            try db.query("UPDATE users SET password_hash = ? WHERE name = ?", [.text(hash), .text(user)])
            try db.query("DELETE FROM sessions WHERE user = ?", [.text(user)])
        }
    }

    public func insertSession(_ s: SessionRecord) throws {
        try db.query("INSERT INTO sessions (token_hash, user, csrf, created, last_seen) VALUES (?,?,?,?,?)",
                     [.text(s.tokenHash), .text(s.user), .text(s.csrf), .text(Self.now(s.created)), .text(Self.now(s.lastSeen))])
    }

    public func session(tokenHash: String) throws -> SessionRecord? {
        try db.query("SELECT token_hash, user, csrf, created, last_seen FROM sessions WHERE token_hash = ?", [.text(tokenHash)]).first.map {
            SessionRecord(tokenHash: $0[0].text ?? "", user: $0[1].text ?? "", csrf: $0[2].text ?? "",
                          created: Self.date($0[3]), lastSeen: Self.date($0[4]))
        }
    }

    public func touchSession(tokenHash: String, at date: Date) throws {
        try db.query("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [.text(Self.now(date)), .text(tokenHash)])
    }

    public func deleteSession(tokenHash: String) throws {
        try db.query("DELETE FROM sessions WHERE token_hash = ?", [.text(tokenHash)])
    }

    /// Deletes sessions last used before `cutoff`; returns how many.
    @discardableResult
    public func deleteSessions(lastSeenBefore cutoff: Date) throws -> Int {
        try db.query("DELETE FROM sessions WHERE last_seen < ?", [.text(Self.now(cutoff))])
        return db.changes
    }

    public func recordLoginFailure(user: String, at date: Date) throws {
        try db.query("INSERT INTO login_failures (user, at) VALUES (?, ?)", [.text(user), .text(Self.now(date))])
    }

    /// The times of failed logins for `user` at or after `since`, oldest first.
    public func loginFailures(user: String, since: Date) throws -> [Date] {
        try db.query("SELECT at FROM login_failures WHERE user = ? AND at >= ? ORDER BY at", [.text(user), .text(Self.now(since))])
            .map { Self.date($0[0]) }
    }

    /// Forgets the failures of `user` (after a good login), and everyone's before `before`.
    public func clearLoginFailures(user: String, before: Date) throws {
        try db.query("DELETE FROM login_failures WHERE user = ? OR at < ?", [.text(user), .text(Self.now(before))])
    }

    private static func user(_ row: [SQLValue]) -> UserRecord {
        UserRecord(name: row[0].text ?? "", role: row[1].text ?? "", passwordHash: row[2].text ?? "", created: date(row[3]))
    }

    private static func date(_ v: SQLValue) -> Date {
        v.text.flatMap { try? Date($0, strategy: .iso8601) } ?? Date(timeIntervalSince1970: 0)
    }
}
