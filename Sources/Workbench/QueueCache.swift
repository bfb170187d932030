import Foundation
import Secretariat
import Store

/// One queue line with what the page filters on beyond the row: the case's local area, and the
/// title, sender and reference folded once for the free-text search.
struct QueueEntry {
    var row: QueueRow
    var area: String?
    var haystack: String

    init(row: QueueRow, area: String?) {
        self.row = row
        self.area = area
        haystack = [row.title, row.sender, row.reference].joined(separator: "\u{1F}").lowercased()
    }
}

/// The whole queue in the order the page shows it (what needs the Secretariat now first, then the rest
/// by status), with its counts.
struct QueueSnapshot {
    var ordered: [QueueEntry]
    /// How many of `ordered`, from the start, wait for the Secretariat now.
    var waiting: Int
    var counts: [String: Int]

    init(_ entries: [QueueEntry]) {
        let order = Dictionary(ReportPage.statusOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let now = entries.filter(\.row.needsSecretariat)
        let rest = entries.enumerated().filter { !$0.element.row.needsSecretariat }.sorted { a, b in
            let (x, y) = (order[a.element.row.status] ?? order.count, order[b.element.row.status] ?? order.count)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        ordered = now + rest
        waiting = now.count
        counts = entries.reduce(into: [:]) { $0[$1.row.status, default: 0] += 1 }
    }
}

/// The queue, built again only when a case may have changed: building it reads and decodes every
/// case, which a page of 100 must not pay for on each view. Shared by the server's threads (each
/// asks with its own store connection), so a change costs one rebuild, not one per thread.
final class QueueCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stamp: [Int64]?
    private var snapshot: QueueSnapshot?

    /// What says a queue line may differ: every change to a case is audited (the case model's rule),
    /// failed mails and mail left on the server are the queue's other lines. Sessions and logins
    /// change none of these, so a login or a page view never throws the queue away.
    static func stamp(_ store: IntakeStore) throws -> [Int64] {
        let row = try store.db.query("""
            SELECT (SELECT coalesce(max(id), 0) FROM audit), (SELECT count(*) FROM messages WHERE status = 'failed'),
                   (SELECT coalesce(max(id), 0) FROM skipped), (SELECT count(*) FROM skipped)
            """).first ?? []
        return row.map { $0.int ?? -1 }
    }

    func snapshot(_ desk: Desk) throws -> QueueSnapshot {
        let now = try Self.stamp(desk.store)
        lock.lock()
        if let snapshot, stamp == now {
            lock.unlock()
            return snapshot
        }
        lock.unlock()
        // Built outside the lock: a slow rebuild must not hold up threads that serve other pages.
        let areas = Dictionary(try desk.store.db.query("SELECT id, reference, area FROM records").compactMap { r -> (String, String?)? in
            guard let id = r[0].int else { return nil }
            return (r[1].text ?? "S-\(id)", r[2].text)
        }, uniquingKeysWith: { a, _ in a })
        let built = QueueSnapshot(try QueueView.rows(desk, kind: nil, status: nil).map { QueueEntry(row: $0, area: areas[$0.reference] ?? nil) })
        lock.lock()
        snapshot = built
        stamp = now
        lock.unlock()
        return built
    }
}
