import Foundation
import Secretariat
import Store

/// One queue line with what the page filters on beyond the row: the case's local area.
struct QueueEntry {
    var row: QueueRow
    var area: String?
}

/// The queue's lines, read again only when the store has changed since: the queue is read on every
/// page view, and building it reads every case, which a page of 100 must not pay for each time.
/// One per server thread, like the store connection it asks.
final class QueueCache {
    private var version: [Int64]?
    private var entries: [QueueEntry] = []

    func entries(_ desk: Desk) throws -> [QueueEntry] {
        // data_version moves when another connection (the service, another thread) commits;
        // total_changes when this one does. Together they say whether anything could differ.
        let now = [try desk.store.db.query("PRAGMA data_version").first?.first?.int ?? -1,
                   try desk.store.db.query("SELECT total_changes()").first?.first?.int ?? -1]
        if let version, version == now { return entries }
        let areas = Dictionary(try desk.store.records().map { ($0.label, $0.area) }, uniquingKeysWith: { a, _ in a })
        entries = try QueueView.rows(desk, kind: nil, status: nil).map { QueueEntry(row: $0, area: areas[$0.reference] ?? nil) }
        version = now
        return entries
    }
}
