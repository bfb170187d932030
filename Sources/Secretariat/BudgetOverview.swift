import CaseModel
import Foundation
import Intake
import Store

/// The year's pool against what is requested, granted, spent and paid out: in total, per local area and per month.
///
/// Pure over the records, the refunds and when each case's first mail arrived, so it is tested without a store.
public struct BudgetOverview {
    /// One local area's share of the money.
    public struct Area: Equatable {
        public var name: String
        public var requested = Money.zero
        public var approved = Money.zero
        public var spent = Money.zero
        public var refunded = Money.zero

        public init(name: String) { self.name = name }
    }

    /// One month: what granted projects planned to spend in it against what receipts show was spent.
    public struct Month: Equatable {
        /// Nil for money that has no month: budget lines without one, receipts without a date.
        public var month: YearMonth?
        public var planned = Money.zero
        public var spentOnProjects = Money.zero
        public var spentOnMeetings = Money.zero

        public var spent: Money { spentOnProjects + spentOnMeetings }

        public init(month: YearMonth?) { self.month = month }
    }

    /// A budget line planned in a month outside its application's period.
    public struct Warning: Equatable {
        /// The application's reference (or `#id` while it has none).
        public var reference: String
        public var heading: String
        public var amount: Money?
        public var month: YearMonth
        public var periodStart: DayDate
        public var periodEnd: DayDate

        /// The warning as the Secretariat reads it.
        public var danish: String {
            "budgetposten \"\(heading)\"\(amount.map { " (\($0.danish))" } ?? "") ligger i \(BudgetOverview.monthName(month)), "
                + "uden for perioden \(periodStart.danish) – \(periodEnd.danish)"
        }
    }

    /// The name used for applications that name no local area.
    public static let noArea = "(uden lokalområde)"

    public var pool: Money
    /// The pool's year, taken from the data (the applications' periods, then the receipts' dates); nil in an empty store.
    public var year: Int?
    /// Applications still in play: every status but a rejection (by the leader group or the secretariat).
    public var requested = Money.zero
    public var requestedCount = 0
    /// What the secretariat granted (`approve`): a granted project counts its granted amount, not what it asked for.
    public var approved = Money.zero
    public var approvedCount = 0
    /// Receipts on time, with their file, that belong to an application.
    public var spentOnProjects = Money.zero
    public var spentOnProjectsCount = 0
    /// Receipts on time, with their file, without an application: meetings and other shared expenses.
    public var spentOnMeetings = Money.zero
    public var spentOnMeetingsCount = 0
    /// Receipts still without their receipt file ("afventer kvittering"): not spent until the file comes.
    public var awaitingFile = Money.zero
    public var awaitingFileCount = 0
    /// Receipts whose reference and title name different projects: not counted until the Secretariat links them.
    public var conflicting = Money.zero
    public var conflictingCount = 0
    /// What the Secretariat has paid out (`refund`), summed over the refunds themselves.
    public var refunded = Money.zero
    public var refundedCount = 0
    /// Receipts after the deadline: shown, but not paid from this year's pool.
    public var late = Money.zero
    public var lateCount = 0
    /// The configured areas first (in config order, even when empty), then any other name the applications gave.
    public var areas: [Area] = []
    /// Refunds of receipts without a project; with the areas' refunds they make `refunded`.
    public var refundedOnMeetings = Money.zero
    /// The twelve months of `year`, then any other month with money, then (when there is any) the money without a month.
    public var months: [Month] = []
    /// Budget lines outside their application's period, in the order of the applications.
    public var warnings: [Warning] = []
    /// What each application's receipts spent (by the same rules as `spentOnProjects`), by the application's id.
    public var spentByProject: [Int64: Money] = [:]

    public var spent: Money { spentOnProjects + spentOnMeetings }
    /// The per-area rows added up, meeting expenses (which belong to no area) included: the tables' "I alt".
    public var areaTotal: Area {
        areas.reduce(into: Area(name: "I alt")) {
            $0.requested = $0.requested + $1.requested
            $0.approved = $0.approved + $1.approved
            $0.spent = $0.spent + $1.spent
            $0.refunded = $0.refunded + $1.refunded
        }
    }
    /// The per-month rows added up: the tables' "I alt".
    public var monthTotal: Month {
        months.reduce(into: Month(month: nil)) {
            $0.planned = $0.planned + $1.planned
            $0.spentOnProjects = $0.spentOnProjects + $1.spentOnProjects
            $0.spentOnMeetings = $0.spentOnMeetings + $1.spentOnMeetings
        }
    }
    /// The pool less what is granted and what meetings spent: meetings are paid from the same pool.
    public var remaining: Money { Money(ore: pool.ore - approved.ore - spentOnMeetings.ore) }

    public static let rejectedStatuses: Set<CaseStatus> = [.rejected, .leaderRejected]

    /// How a receipt counts, in the order the rules are tried: a closed receipt is gone, a conflict waits for a link,
    /// late is late whatever else, a paid one is spent, one without its file is not yet.
    public enum ReceiptState: Equatable {
        case closed, conflicting, late, awaitingFile, spent
    }

    public static func state(of r: RecordRow) -> ReceiptState {
        if r.status == .closed { return .closed }
        if r.status == .conflict { return .conflicting }
        if r.late || r.status == .late { return .late }
        if r.status == .refunded { return .spent }
        if r.reading.missing.contains("attachment") { return .awaitingFile }
        return .spent
    }

    /// A granted project: the Secretariat granted it an amount and has not since taken it back.
    public static func isGranted(_ r: RecordRow) -> Bool { r.kind == .application && r.status == .approved && r.approved != nil }

    /// - Parameter received: when each case's first mail reached the mailbox (`store.firstReceived()`), for receipts
    ///   whose occasion names no date.
    public init(records: [RecordRow], poolKroner: Int, areaOrder: [String], refunds: [Refund] = [], received: [Int64: Date] = [:]) {
        pool = Money(kroner: poolKroner)
        var byName: [String: Area] = [:]
        func add(_ area: String?, _ change: (inout Area) -> Void) {
            let name = area.flatMap { $0.isEmpty ? nil : $0 } ?? Self.noArea
            change(&byName[name, default: Area(name: name)])
        }
        let applications = Dictionary(records.filter { $0.kind == .application }.map { ($0.id, $0) }) { a, _ in a }
        let receipts = Dictionary(records.filter { $0.kind == .receipt }.map { ($0.id, $0) }) { a, _ in a }
        year = Self.poolYear(records, received)
        var byMonth: [YearMonth?: Month] = [:]
        func month(_ m: YearMonth?, _ change: (inout Month) -> Void) { change(&byMonth[m, default: Month(month: m)]) }

        for r in records {
            switch r.kind {
            case .application where !Self.rejectedStatuses.contains(r.status):
                let amount = r.amount ?? .zero
                requested = requested + amount
                requestedCount += 1
                add(r.area) { $0.requested = $0.requested + amount }
                if Self.isGranted(r), let a = r.approved {
                    approved = approved + a
                    approvedCount += 1
                    add(r.area) { $0.approved = $0.approved + a }
                    for (m, planned) in Self.plan(r, granted: a, year: year) { month(m) { $0.planned = $0.planned + planned } }
                }
                warnings += Self.outOfPeriod(r, year: year)
            case .receipt:
                let amount = r.amount ?? .zero
                switch Self.state(of: r) {
                case .closed:
                    break
                case .conflicting:
                    conflicting = conflicting + amount
                    conflictingCount += 1
                case .late:
                    late = late + amount
                    lateCount += 1
                case .awaitingFile:
                    awaitingFile = awaitingFile + amount
                    awaitingFileCount += 1
                case .spent:
                    let when = Self.receiptMonth(r, received[r.id])
                    if let p = r.projectID {
                        spentOnProjects = spentOnProjects + amount
                        spentOnProjectsCount += 1
                        spentByProject[p, default: .zero] = spentByProject[p, default: .zero] + amount
                        // The application's area as it stands now; a follow-up may have changed it after the receipt came.
                        add(applications[p]?.area ?? r.area) { $0.spent = $0.spent + amount }
                        month(when) { $0.spentOnProjects = $0.spentOnProjects + amount }
                    } else {
                        spentOnMeetings = spentOnMeetings + amount
                        spentOnMeetingsCount += 1
                        month(when) { $0.spentOnMeetings = $0.spentOnMeetings + amount }
                    }
                }
            default:
                break
            }
        }
        for f in refunds {
            refunded = refunded + f.amount
            refundedCount += 1
            if let p = receipts[f.recordID]?.projectID {
                add(applications[p]?.area ?? receipts[f.recordID]?.area) { $0.refunded = $0.refunded + f.amount }
            } else {
                refundedOnMeetings = refundedOnMeetings + f.amount
            }
        }
        let known = Set(areaOrder)
        areas = areaOrder.map { byName[$0] ?? Area(name: $0) }
            + byName.keys.filter { !known.contains($0) && $0 != Self.noArea }.sorted().compactMap { byName[$0] }
            + (byName[Self.noArea].map { [$0] } ?? [])
        let yearMonths = year.map { y in (1...12).map { YearMonth(year: y, month: $0) } } ?? []
        let others = byMonth.keys.compactMap { $0 }.filter { !yearMonths.contains($0) }
            .sorted { ($0.year ?? 0, $0.month) < ($1.year ?? 0, $1.month) }
        months = (yearMonths + others).map { byMonth[$0] ?? Month(month: $0) } + (byMonth[nil].map { [$0] } ?? [])
    }

    /// The overview of everything in the workspace's store.
    public static func load(_ desk: Desk) throws -> BudgetOverview {
        BudgetOverview(records: try desk.store.records(), poolKroner: desk.poolKroner,
                       areaOrder: desk.config.site.localAreas.map(\.name), refunds: try desk.store.refunds(),
                       received: try desk.store.firstReceived())
    }

    // MARK: - Months

    /// `amount` over `n` months in whole øre: the same in each, the remainder to the first, so the parts add up.
    public static func spread(_ amount: Money, over n: Int) -> [Money] {
        guard n > 0 else { return [] }
        let each = amount.ore / n
        return (0..<n).map { Money(ore: each + ($0 == 0 ? amount.ore - each * n : 0)) }
    }

    /// An application's granted amount by month: its budget lines, scaled to the grant when the Secretariat granted
    /// another amount than the lines add up to, each spread over its months. Lines without a month, or a grant
    /// without lines, land under nil.
    static func plan(_ r: RecordRow, granted: Money, year: Int?) -> [(YearMonth?, Money)] {
        let lines = budgetLines(r).filter { ($0.amount?.ore ?? 0) != 0 }
        let total = lines.reduce(0) { $0 + ($1.amount?.ore ?? 0) }
        guard total != 0 else { return [(nil, granted)] }
        // Scaled in øre, rounded down, the remainder to the first line: the parts add up to the grant exactly.
        var parts = lines.map { ($0.amount?.ore ?? 0) * granted.ore / total }
        parts[0] += granted.ore - parts.reduce(0, +)
        var out: [(YearMonth?, Money)] = []
        for (line, ore) in zip(lines, parts) {
            let months = line.months.map { resolve($0, r, year: year) }
            if months.isEmpty {
                out.append((nil, Money(ore: ore)))
            } else {
                out += zip(months, spread(Money(ore: ore), over: months.count)).map { ($0, $1) }
            }
        }
        return out
    }

    static func budgetLines(_ r: RecordRow) -> [BudgetLine] {
        if case .budget(let lines)? = r.reading.fields["budget.lines"] { return lines }
        return []
    }

    static func period(_ r: RecordRow) -> (start: DayDate, end: DayDate)? {
        guard case .date(let s)? = r.reading.fields["period.start"], case .date(let e)? = r.reading.fields["period.end"] else { return nil }
        return (s, e)
    }

    /// A month written without a year belongs to the project's period: the year that puts it inside the period,
    /// else the period's first year; without a period, the pool's year.
    static func resolve(_ m: YearMonth, _ r: RecordRow, year: Int?) -> YearMonth {
        if m.year != nil { return m }
        if let p = period(r) {
            let fits = (p.start.year...max(p.start.year, p.end.year)).first { inside(YearMonth(year: $0, month: m.month), p) }
            return YearMonth(year: fits ?? p.start.year, month: m.month)
        }
        return YearMonth(year: year, month: m.month)
    }

    static func inside(_ m: YearMonth, _ p: (start: DayDate, end: DayDate)) -> Bool {
        guard let y = m.year else { return true }
        return (y, m.month) >= (p.start.year, p.start.month) && (y, m.month) <= (p.end.year, p.end.month)
    }

    /// Every budget line with a month outside the application's period; nothing when the period is unknown or invalid
    /// (ending before it starts): the queue already shows that, and every month would be flagged.
    static func outOfPeriod(_ r: RecordRow, year: Int?) -> [Warning] {
        guard let p = period(r), p.start <= p.end, !r.reading.invalid.contains(where: { $0.field.hasPrefix("period") }) else { return [] }
        return budgetLines(r).flatMap { line in
            line.months.map { resolve($0, r, year: year) }.filter { !inside($0, p) }.map {
                Warning(reference: r.label, heading: line.heading, amount: line.amount, month: $0, periodStart: p.start, periodEnd: p.end)
            }
        }
    }

    /// A receipt's month: the date its occasion names, else when its first mail arrived (Copenhagen time).
    static func receiptMonth(_ r: RecordRow, _ received: Date?) -> YearMonth? {
        if case .date(let d)? = r.reading.fields["occasion.date"] { return YearMonth(year: d.year, month: d.month) }
        guard let received else { return nil }
        let c = DanishTime.components(received)
        return c.month.map { YearMonth(year: c.year, month: $0) }
    }

    /// The year most of the data is of: in-play applications' period starts, then receipts' months; the later year on a tie.
    static func poolYear(_ records: [RecordRow], _ received: [Int64: Date]) -> Int? {
        var count: [Int: Int] = [:]
        for r in records where r.kind == .application && !rejectedStatuses.contains(r.status) {
            if let p = period(r) { count[p.start.year, default: 0] += 1 }
        }
        if count.isEmpty {
            for r in records where r.kind == .receipt {
                if let y = receiptMonth(r, received[r.id])?.year { count[y, default: 0] += 1 }
            }
        }
        return count.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }

    /// "marts 2027", "marts" when the year is unknown, "uden måned" for money without a month.
    public static func monthName(_ m: YearMonth?) -> String {
        guard let m else { return "uden måned" }
        return ReportPage.monthName(m)
    }

    // MARK: - JSON

    /// One JSON line; amounts are kroner as JSON numbers (`21000`, `1187.25`), like `queue --json`.
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(JSONForm(self))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private struct JSONForm: Encodable {
        struct AreaForm: Encodable {
            var area: String
            var requested, approved, spent, refunded: Decimal
        }
        struct MonthForm: Encodable {
            /// `2027-03`; null for the money without a month.
            var month: String?
            var planned, spentOnProjects, spentOnMeetings, spent: Decimal
        }
        struct WarningForm: Encodable {
            var reference, heading, month, periodStart, periodEnd, text: String
            var amount: Decimal?
        }
        var pool, requested, approved, spent, spentOnProjects, spentOnMeetings, late, remaining, refunded, awaitingFile: Decimal
        var conflicting, refundedOnMeetings: Decimal
        var requestedCount, approvedCount, lateCount, awaitingFileCount, spentOnProjectsCount, spentOnMeetingsCount: Int
        var refundedCount, conflictingCount: Int
        var year: Int?
        var areas: [AreaForm]
        var months: [MonthForm]
        var warnings: [WarningForm]

        init(_ b: BudgetOverview) {
            func kr(_ m: Money) -> Decimal { Decimal(m.ore) / 100 }
            pool = kr(b.pool); requested = kr(b.requested); approved = kr(b.approved); spent = kr(b.spent)
            spentOnProjects = kr(b.spentOnProjects); spentOnMeetings = kr(b.spentOnMeetings); late = kr(b.late)
            remaining = kr(b.remaining); refunded = kr(b.refunded); awaitingFile = kr(b.awaitingFile)
            conflicting = kr(b.conflicting); refundedOnMeetings = kr(b.refundedOnMeetings)
            requestedCount = b.requestedCount; approvedCount = b.approvedCount; lateCount = b.lateCount
            awaitingFileCount = b.awaitingFileCount; spentOnProjectsCount = b.spentOnProjectsCount
            spentOnMeetingsCount = b.spentOnMeetingsCount; refundedCount = b.refundedCount; conflictingCount = b.conflictingCount
            year = b.year
            areas = b.areas.map {
                AreaForm(area: $0.name, requested: kr($0.requested), approved: kr($0.approved), spent: kr($0.spent), refunded: kr($0.refunded))
            }
            months = b.months.map {
                MonthForm(month: $0.month?.iso, planned: kr($0.planned), spentOnProjects: kr($0.spentOnProjects),
                          spentOnMeetings: kr($0.spentOnMeetings), spent: kr($0.spent))
            }
            warnings = b.warnings.map {
                WarningForm(reference: $0.reference, heading: $0.heading, month: $0.month.iso, periodStart: $0.periodStart.iso,
                            periodEnd: $0.periodEnd.iso, text: $0.danish, amount: $0.amount.map(kr))
            }
        }
    }
}
