import CaseModel
import Foundation
import Intake
import Store

/// Every case as one CSV row for Danish Excel, in the queue's order, then the failed mails.
public enum CaseExport {
    /// The header row and the rows, as one document.
    public static func document(_ rows: [[CSV.Cell]]) -> Data {
        CSV.document([header.map(CSV.Cell.text)] + rows)
    }

    public static let header = [
        "Sag", "Slags", "Status", "Titel", "Afsender", "Lokalområde", "Periode start", "Periode slut", "Tovholder",
        "Kontaktperson", "Beløb (kr.)", "Bevilget (kr.)", "Hører til", "Mangler", "Ugyldigt", "Hint", "Modtaget", "Oprettet", "Opdateret",
    ]

    /// The rows in the queue's order: records by when their first mail arrived, then the failed mails.
    public static func rows(_ desk: Desk, kind: String?) throws -> [[CSV.Cell]] {
        var rows: [[CSV.Cell]] = []
        if kind != "failed" {
            let received = try desk.store.firstReceived()
            let all = QueueView.inArrivalOrder(try desk.store.records(), received)
            let labels = Dictionary(all.map { ($0.id, $0.label) }) { a, _ in a }
            let names = desk.config.replies.fieldNames
            for r in all where kind == nil || r.kind.rawValue == kind {
                let f = r.reading.fields
                rows.append([
                    .text(r.label), .text(r.kind.danish), .text(r.status.danish), .text(r.title ?? ""),
                    .text(r.sender ?? ""), .text(r.area ?? ""), .text(day(f["period.start"])), .text(day(f["period.end"])),
                    .text(f["coordinator.name"]?.display ?? ""), .text(f["leaderContact.name"]?.display ?? ""),
                    .money(r.amount), .money(r.approved), .text(r.projectID.map { labels[$0] ?? "S-\($0)" } ?? ""),
                    .text(r.reading.missing.map { names[$0] ?? $0 }.joined(separator: ", ")),
                    .text(r.reading.invalid.map { "\(names[$0.field] ?? $0.field): \($0.reason)" }.joined(separator: "; ")),
                    .text(r.reading.hints.joined(separator: "; ")),
                    .text(received[r.id].map(DanishTime.stamp) ?? ""), .text(DanishTime.stamp(r.createdAt)), .text(DanishTime.stamp(r.updatedAt)),
                ])
            }
        }
        if kind == nil || kind == "failed" {
            for id in try desk.store.messages(status: "failed") {
                guard let m = try desk.store.message(id) else { continue }
                rows.append([
                    .text(StoredMessage.label(id)), .text(Danish.kind("failed")), .text(Danish.status("failed")), .text(m.subject ?? ""),
                    .text(m.sender ?? ""), .text(""), .text(""), .text(""), .text(""), .text(""), .money(nil), .money(nil),
                    .text(""), .text(""), .text(""), .text(m.error ?? ""), .text(DanishTime.stamp(m.receivedAt)),
                    .text(DanishTime.stamp(m.receivedAt)), .text(""),
                ])
            }
        }
        return rows
    }

    /// A date field as dd-mm-yyyy; a value the rules could not read as a date stays as written.
    static func day(_ v: FieldValue?) -> String {
        if case .date(let d)? = v { return d.danish }
        return v?.display ?? ""
    }
}
