import Foundation
import Intake

/// A receipt the Secretariat paid out.
public struct Refund: Sendable, Equatable {
    public var recordID: Int64
    public var paidOn: DayDate
    public var amount: Money
    public var actor: String
    public var at: String
}

/// A field the Secretariat corrected by hand, as typed; the rules read it again on every reprocess.
public struct Correction: Sendable, Equatable {
    public var field: String
    public var value: String
    public var actor: String
    public var at: String
}

/// What the Secretariat decides by hand beside the rules' reading: refunds, corrected fields and links.
extension IntakeStore {
    public func addRefund(record: Int64, paidOn: DayDate, amount: Money, actor: String) throws {
        try db.query("INSERT INTO refunds (record_id, paid_on, amount_ore, actor, at) VALUES (?,?,?,?,?)",
                     [.int(record), .text(paidOn.iso), .int(Int64(amount.ore)), .text(actor), .text(Self.now())])
    }

    /// Every refund, oldest first; a record's own when `record` is given.
    public func refunds(record: Int64? = nil) throws -> [Refund] {
        let rows = try record.map {
            try db.query("SELECT record_id, paid_on, amount_ore, actor, at FROM refunds WHERE record_id = ? ORDER BY id", [.int($0)])
        } ?? db.query("SELECT record_id, paid_on, amount_ore, actor, at FROM refunds ORDER BY id")
        return rows.compactMap { row in
            guard let id = row[0].int, let day = row[1].text.flatMap(Self.day), let ore = row[2].int else { return nil }
            return Refund(recordID: id, paidOn: day, amount: Money(ore: Int(ore)), actor: row[3].text ?? "", at: row[4].text ?? "")
        }
    }

    /// Records a correction; a later one of the same field replaces it.
    public func setCorrection(record: Int64, field: String, value: String, actor: String) throws {
        try db.query("INSERT OR REPLACE INTO corrections (record_id, field, value, actor, at) VALUES (?,?,?,?,?)",
                     [.int(record), .text(field), .text(value), .text(actor), .text(Self.now())])
    }

    /// A record's corrections in the order they were made.
    public func corrections(record: Int64) throws -> [Correction] {
        try db.query("SELECT field, value, actor, at FROM corrections WHERE record_id = ? ORDER BY at, rowid", [.int(record)]).map {
            Correction(field: $0[0].text ?? "", value: $0[1].text ?? "", actor: $0[2].text ?? "", at: $0[3].text ?? "")
        }
    }

    /// The project the Secretariat linked a record to by hand: `.some(nil)` when it unlinked it, nil when it never did.
    public func manualLink(record: Int64) throws -> Int64?? {
        guard let row = try db.query("SELECT project_id FROM manual_links WHERE record_id = ?", [.int(record)]).first else { return nil }
        return .some(row[0].int)
    }

    public func setManualLink(record: Int64, project: Int64?, actor: String) throws {
        try db.query("INSERT OR REPLACE INTO manual_links (record_id, project_id, actor, at) VALUES (?,?,?,?)",
                     [.int(record), project.map(SQLValue.int) ?? .null, .text(actor), .text(Self.now())])
    }

    /// `yyyy-mm-dd` as this file writes it.
    private static func day(_ iso: String) -> DayDate? {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        return p.count == 3 ? DayDate(year: p[0], month: p[1], day: p[2]) : nil
    }
}

extension RecordRow {
    /// The columns the queue shows, taken from an application's reading: its name, local area and requested total.
    public mutating func takeApplicationColumns() {
        if case .text(let name)? = reading.fields["name"] { title = name }
        if case .text(let a)? = reading.fields["anchoring.geographic"] { area = a }
        if case .money(let m)? = reading.fields["budget.total"] { amount = m }
    }
}
