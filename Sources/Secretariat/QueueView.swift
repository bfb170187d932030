import CaseModel
import Foundation
import Intake
import Store

/// One queue line's values.
public struct QueueRow: Encodable {
    public var reference: String
    public var kind: String
    public var status: String
    public var title: String
    public var sender: String
    public var amount: Decimal?
    public var attention: String
    /// The application a receipt, report or decision belongs to.
    public var belongsTo: String?

    /// True while the row waits for a person in the Secretariat: a failed mail, or a case the case model says so of.
    public var needsSecretariat: Bool { status == "failed" || CaseStatus(rawValue: status)?.needsSecretariat == true }

    public static func jsonLine(_ r: QueueRow) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(r)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// The queue's rows: every case in arrival order, then failed mails and mails left in the mailbox.
public enum QueueView {
    /// Cases in the order their first mail reached the mailbox (a backlog fetched late keeps its place), then by number.
    public static func inArrivalOrder(_ records: [RecordRow], _ received: [Int64: Date]) -> [RecordRow] {
        records.enumerated().sorted { a, b in
            let (x, y) = (received[a.element.id] ?? .distantFuture, received[b.element.id] ?? .distantFuture)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    public static func rows(_ desk: Desk, kind: String?, status: String?) throws -> [QueueRow] {
        var rows: [QueueRow] = []
        // Failed and left mail are no records: each is shown unless the filter names a record's kind or the other one.
        let mails = ["failed", "left"]
        func shows(_ k: String) -> Bool { kind == k || status == k || (kind == nil && !mails.contains { $0 != k && $0 == status }) }
        if !mails.contains(kind ?? "") && !mails.contains(status ?? "") {
            let records = try desk.store.records(kind: kind.flatMap { CaseKind(rawValue: $0) }, status: status.flatMap { CaseStatus(rawValue: $0) })
            let labels = try desk.store.labels()
            for r in inArrivalOrder(records, try desk.store.firstReceived()) {
                rows.append(QueueRow(reference: r.label, kind: r.kind.rawValue, status: r.status.rawValue, title: r.title ?? "",
                                     sender: r.sender ?? "", amount: (r.approved ?? r.amount).map { Decimal($0.ore) / 100 },
                                     attention: attention(r, desk, labels: labels),
                                     belongsTo: r.projectID.flatMap { labels[$0] }))
            }
        }
        if shows("failed") {
            for id in try desk.store.messages(status: "failed") {
                guard let m = try desk.store.message(id) else { continue }
                rows.append(QueueRow(reference: StoredMessage.label(id), kind: "failed", status: "failed", title: m.subject ?? "",
                                     sender: m.sender ?? "", amount: nil, attention: m.error ?? "", belongsTo: nil))
            }
        }
        // Mail a source left in the mailbox was never read: the secretariat knows it only from here.
        if shows("left") {
            for l in try desk.store.skipped() {
                rows.append(QueueRow(reference: "efterladt", kind: "left", status: "left", title: l.uid.map { "UID \($0)" } ?? l.key,
                                     sender: "", amount: nil, attention: l.reason, belongsTo: nil))
            }
        }
        return rows
    }

    /// What the secretariat should look at: missing fields, invalid ones, or the state of a decision.
    public static func attention(_ r: RecordRow, _ desk: Desk) -> String {
        attention(r, desk, labels: r.projectID.flatMap { p in (try? desk.store.record(p)).flatMap { $0 }.map { [p: $0.label] } } ?? [:])
    }

    /// The same, with the records' labels already read (`IntakeStore.labels()`), as the whole queue needs them.
    public static func attention(_ r: RecordRow, _ desk: Desk, labels: [Int64: String]) -> String {
        let names = desk.config.replies.fieldNames
        var parts: [String] = []
        if !r.reading.missing.isEmpty {
            parts.append("mangler: " + r.reading.missing.map { names[$0] ?? $0 }.joined(separator: ", "))
        }
        if !r.reading.invalid.isEmpty {
            parts.append("ugyldigt: " + r.reading.invalid.map { names[$0.field] ?? $0.field }.joined(separator: ", "))
        }
        if r.late { parts.append("modtaget efter fristen") }
        if let p = r.projectID, let label = labels[p] { parts.append("hører til \(label)") }
        return parts.joined(separator: "; ")
    }
}
