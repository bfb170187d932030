import CSQLite
import Foundation

/// An SQLite error with the code, the message and what was being done.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var context: String

    public var description: String { "\(context): \(message) (sqlite \(code))" }

    /// True for SQLITE_BUSY/LOCKED: another process holds the database.
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// A value bound to or read from a statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])
    case real(Double)
}

/// One SQLite connection. Not Sendable: owned by one task, closed in deinit.
public final class Database {
    let handle: OpaquePointer

    /// Opens the file with WAL, foreign keys and a busy timeout; creating it unless `create` is false
    /// (then a missing file is SQLITE_CANTOPEN, and nothing is left behind).
    public init(path: String, busyTimeoutMs: Int32 = 5000, create: Bool = true) throws {
        var db: OpaquePointer?
        // One thread uses a connection (it is not Sendable): SQLite need not lock around every call.
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw StoreError(code: rc, message: msg, context: "open \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMs)
        try execute("PRAGMA foreign_keys = ON")
        // WAL keeps readers (the CLI) and the writer (the service) out of each other's way.
        _ = try query("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
        // A backlog touches the same index pages again and again: keep them (8 MB at most) and
        // checkpoint less often, so each page is written a few times per pass, not once per message.
        try execute("PRAGMA cache_size = -8000")
        // Each message is a savepoint inside its batch; its undo pages stay in memory, not in a temporary file.
        try execute("PRAGMA temp_store = MEMORY")
        _ = try query("PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)")
    }

    /// WAL pages after which a commit also checkpoints.
    static let autocheckpointPages = 4000

    /// Runs `body` with this connection's automatic checkpoints off: a commit inside it appends
    /// its frames to the WAL and returns (no fsync at `synchronous = NORMAL`), never also copying
    /// the WAL into the database. The next commit outside catches up.
    public func withoutAutomaticCheckpoints<T>(_ body: () throws -> T) throws -> T {
        _ = try query("PRAGMA wal_autocheckpoint = 0")
        defer { _ = try? query("PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)") }
        return try body()
    }

    deinit {
        for stmt in statements.values { sqlite3_finalize(stmt) }
        sqlite3_close_v2(handle)
    }

    /// Prepared statements by their SQL: the store runs a few dozen statements thousands of times.
    private var statements: [String: OpaquePointer] = [:]

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let stmt = statements[sql] { return stmt }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, "prepare \(sql.prefix(60))") }
        statements[sql] = stmt
        return stmt
    }

    private func error(_ rc: Int32, _ context: String) -> StoreError {
        StoreError(code: rc, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? ""
            sqlite3_free(err)
            throw StoreError(code: rc, message: msg, context: String(sql.prefix(60)))
        }
    }

    /// Runs one statement with bound values and returns every row.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let stmt = try prepared(sql)
        defer {
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
        }
        var rc: Int32
        for (i, v) in values.enumerated() {
            let n = Int32(i + 1)
            switch v {
            case .null: rc = sqlite3_bind_null(stmt, n)
            case .int(let x): rc = sqlite3_bind_int64(stmt, n, x)
            case .real(let x): rc = sqlite3_bind_double(stmt, n, x)
            // With its length, so text from mail with an embedded NUL is kept whole.
            case .text(let s): rc = sqlite3_bind_text(stmt, n, s, Int32(s.utf8.count), csqlite_transient())
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob64(stmt, n, $0.baseAddress, sqlite3_uint64(b.count), csqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw error(rc, "bind \(sql.prefix(60))") }
        }
        var rows: [[SQLValue]] = []
        while true {
            rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, String(sql.prefix(60))) }
            let cols = sqlite3_column_count(stmt)
            var row: [SQLValue] = []
            row.reserveCapacity(Int(cols))
            for c in 0..<cols {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(stmt, c)))
                case SQLITE_TEXT:
                    let n = Int(sqlite3_column_bytes(stmt, c))
                    let p = sqlite3_column_text(stmt, c)
                    row.append(.text(p.map { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) } ?? ""))
                case SQLITE_BLOB:
                    let n = Int(sqlite3_column_bytes(stmt, c))
                    if n > 0, let p = sqlite3_column_blob(stmt, c) {
                        row.append(.blob(Array(UnsafeRawBufferPointer(start: p, count: n))))
                    } else {
                        row.append(.blob([]))
                    }
                default: row.append(.null)
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Fills a blob made with `zeroblob(n)` from `bytes`, through SQLite's pages: a 30 MB mail is
    /// not copied once more for the statement, as a bound blob would be.
    public func writeBlob(table: String, column: String, row: Int64, _ bytes: [UInt8]) throws {
        var blob: OpaquePointer?
        var rc = sqlite3_blob_open(handle, "main", table, column, row, 1, &blob)
        guard rc == SQLITE_OK, let blob else { throw error(rc, "blob_open \(table).\(column)") }
        defer { sqlite3_blob_close(blob) }
        var offset = 0
        while offset < bytes.count {
            let n = min(1 << 20, bytes.count - offset)
            rc = bytes.withUnsafeBytes { sqlite3_blob_write(blob, $0.baseAddress! + offset, Int32(n), Int32(offset)) }
            guard rc == SQLITE_OK else { throw error(rc, "blob_write \(table).\(column)") }
            offset += n
        }
    }

    /// Reads a blob straight into one array, without SQLite assembling its own copy first.
    public func readBlob(table: String, column: String, row: Int64) throws -> [UInt8] {
        var blob: OpaquePointer?
        var rc = sqlite3_blob_open(handle, "main", table, column, row, 0, &blob)
        guard rc == SQLITE_OK, let blob else { throw error(rc, "blob_open \(table).\(column)") }
        defer { sqlite3_blob_close(blob) }
        let size = Int(sqlite3_blob_bytes(blob))
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            if size > 0 {
                rc = sqlite3_blob_read(blob, buffer.baseAddress, Int32(size), 0)
                guard rc == SQLITE_OK else { throw error(rc, "blob_read \(table).\(column)") }
            }
            count = size
        }
    }

    /// The rowid of the last insert on this connection.
    public var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// How many transactions (or savepoints) were rolled back: what was cached from them is void.
    public private(set) var rollbacks = 0

    /// Runs `body` in one IMMEDIATE transaction: all of it is stored, or none of it. Inside another
    /// transaction it is a savepoint, so a batch of steps commits once and a failed step undoes only itself.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let nested = sqlite3_get_autocommit(handle) == 0
        // Prepared once, like any statement: a backlog opens a savepoint for every message.
        try query(nested ? "SAVEPOINT step" : "BEGIN IMMEDIATE")
        do {
            let v = try body()
            try query(nested ? "RELEASE step" : "COMMIT")
            return v
        } catch {
            rollbacks += 1
            try? execute(nested ? "ROLLBACK TO step; RELEASE step" : "ROLLBACK")
            throw error
        }
    }
}

extension SQLValue {
    public var int: Int64? { if case .int(let x) = self { return x }; return nil }
    public var text: String? { if case .text(let s) = self { return s }; return nil }
    public var blob: [UInt8]? { if case .blob(let b) = self { return b }; return nil }
}
