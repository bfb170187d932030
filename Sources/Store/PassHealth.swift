import Foundation

extension IntakeStore {
    // MARK: - What the operator's status needs to tell the truth

    static let lastPassErrorKey = "lastPassError"
    static let lastPassErrorAtKey = "lastPassErrorAt"

    /// The last pass's failure as the runner recorded it (when, what); nil after a good pass.
    public func lastPassFailure() throws -> (at: Date?, message: String)? {
        guard let message = try meta(Self.lastPassErrorKey) else { return nil }
        return (try meta(Self.lastPassErrorAtKey).flatMap { try? Date($0, strategy: .iso8601) }, message)
    }

    /// Records that a pass failed, so that `status` says so until a pass succeeds.
    public func recordPassFailure(_ message: String, at now: Date = Date()) throws {
        try db.transaction {
            try setMeta(Self.lastPassErrorKey, message)
            try setMeta(Self.lastPassErrorAtKey, Self.now(now))
        }
    }

    /// Forgets the last failure after a good pass; writes only when there was one.
    public func clearPassFailure() throws {
        guard try meta(Self.lastPassErrorKey) != nil else { return }
        try db.query("DELETE FROM meta WHERE key IN (?, ?)", [.text(Self.lastPassErrorKey), .text(Self.lastPassErrorAtKey)])
    }

    /// SQLite's `PRAGMA quick_check` (every page and b-tree of the file, without comparing indexes
    /// to their tables): empty when the file is sound, else its findings, at most `limit`. A check
    /// that cannot even run is itself the finding.
    public func quickCheck(limit: Int = 20) -> [String] {
        do {
            let rows = try db.query("PRAGMA quick_check(\(max(1, limit)))").compactMap { $0.first?.text }
            return rows == ["ok"] ? [] : rows
        } catch {
            return [String(describing: error)]
        }
    }
}
