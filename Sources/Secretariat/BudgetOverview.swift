import CaseModel
import Foundation
import Intake
import Store

/// The year's pool against what is requested, approved and spent, in total and per local area.
public struct BudgetOverview {
    /// One local area's share of the money.
    public struct Area: Equatable {
        public var name: String
        public var requested = Money.zero
        public var approved = Money.zero
        public var spent = Money.zero

        public init(name: String) { self.name = name }
    }

    /// The name used for applications that name no local area.
    public static let noArea = "(uden lokalområde)"

    public var pool: Money
    /// Applications still in play: every status but a rejection (by the leader group or the secretariat).
    public var requested = Money.zero
    public var requestedCount = 0
    /// What the secretariat approved (`approve`), for applications it has not since rejected.
    public var approved = Money.zero
    public var approvedCount = 0
    /// Receipts on time that belong to an application.
    public var spentOnProjects = Money.zero
    /// Receipts on time without an application: meetings and other shared expenses.
    public var spentOnMeetings = Money.zero
    /// Receipts still without their receipt file: not spent until the file comes.
    public var awaitingFile = Money.zero
    public var awaitingFileCount = 0
    /// What the Secretariat has paid out (`refund`).
    public var refunded = Money.zero
    /// Receipts after the deadline: shown, but not paid from this year's pool.
    public var late = Money.zero
    public var lateCount = 0
    /// The configured areas first (in config order, even when empty), then any other name the applications gave.
    public var areas: [Area] = []

    public var spent: Money { spentOnProjects + spentOnMeetings }
    /// The pool less what is granted and what meetings spent: meetings are paid from the same pool.
    public var remaining: Money { Money(ore: pool.ore - approved.ore - spentOnMeetings.ore) }

    public static let rejectedStatuses: Set<CaseStatus> = [.rejected, .leaderRejected]

    public init(records: [RecordRow], poolKroner: Int, areaOrder: [String], refunds: [Refund] = []) {
        pool = Money(kroner: poolKroner)
        refunded = refunds.reduce(Money.zero) { $0 + $1.amount }
        var byName: [String: Area] = [:]
        func add(_ area: String?, _ change: (inout Area) -> Void) {
            let name = area.flatMap { $0.isEmpty ? nil : $0 } ?? Self.noArea
            change(&byName[name, default: Area(name: name)])
        }
        let applications = Dictionary(records.filter { $0.kind == .application }.map { ($0.id, $0) }) { a, _ in a }
        for r in records {
            switch r.kind {
            case .application where !Self.rejectedStatuses.contains(r.status):
                let amount = r.amount ?? .zero
                requested = requested + amount
                requestedCount += 1
                add(r.area) { $0.requested = $0.requested + amount }
                if let a = r.approved {
                    approved = approved + a
                    approvedCount += 1
                    add(r.area) { $0.approved = $0.approved + a }
                }
            case .receipt where r.status == .closed || r.status == .conflict:
                break
            case .receipt:
                let amount = r.amount ?? .zero
                if r.late || r.status == .late {
                    late = late + amount
                    lateCount += 1
                } else if r.reading.missing.contains("attachment") {
                    awaitingFile = awaitingFile + amount
                    awaitingFileCount += 1
                } else if let p = r.projectID {
                    spentOnProjects = spentOnProjects + amount
                    // The application's area as it stands now; a follow-up may have changed it after the receipt came.
                    add(applications[p]?.area ?? r.area) { $0.spent = $0.spent + amount }
                } else {
                    spentOnMeetings = spentOnMeetings + amount
                }
            default:
                break
            }
        }
        let known = Set(areaOrder)
        areas = areaOrder.map { byName[$0] ?? Area(name: $0) }
            + byName.keys.filter { !known.contains($0) && $0 != Self.noArea }.sorted().compactMap { byName[$0] }
            + (byName[Self.noArea].map { [$0] } ?? [])
    }

    /// The overview of everything in the workspace's store.
    public static func load(_ desk: Desk) throws -> BudgetOverview {
        BudgetOverview(records: try desk.store.records(), poolKroner: desk.poolKroner,
                       areaOrder: desk.config.site.localAreas.map(\.name), refunds: try desk.store.refunds())
    }

    /// One JSON line; amounts are kroner as JSON numbers (`21000`, `1187.25`), like `queue --json`.
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(JSONForm(self))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private struct JSONForm: Encodable {
        struct AreaForm: Encodable {
            var area: String
            var requested, approved, spent: Decimal
        }
        var pool, requested, approved, spent, spentOnProjects, spentOnMeetings, late, remaining, refunded, awaitingFile: Decimal
        var requestedCount, approvedCount, lateCount, awaitingFileCount: Int
        var areas: [AreaForm]

        public init(_ b: BudgetOverview) {
            func kr(_ m: Money) -> Decimal { Decimal(m.ore) / 100 }
            pool = kr(b.pool); requested = kr(b.requested); approved = kr(b.approved); spent = kr(b.spent)
            spentOnProjects = kr(b.spentOnProjects); spentOnMeetings = kr(b.spentOnMeetings); late = kr(b.late)
            remaining = kr(b.remaining); refunded = kr(b.refunded); awaitingFile = kr(b.awaitingFile)
            requestedCount = b.requestedCount; approvedCount = b.approvedCount; lateCount = b.lateCount
            awaitingFileCount = b.awaitingFileCount
            areas = b.areas.map { AreaForm(area: $0.name, requested: kr($0.requested), approved: kr($0.approved), spent: kr($0.spent)) }
        }
    }
}
