import CaseModel
import Foundation
@testable import Intake
import Pipeline
import Testing
@testable import Secretariat
@testable import Store

/// The budget overview over hand-made cases (each rule on its own) and over the demo mailbox (sums equal to the rows).
@Suite struct BudgetTests {
    // MARK: - Hand-made cases

    static func application(_ id: Int64, area: String, requested: Int, granted: Int? = nil, status: CaseStatus? = nil,
                            period: (DayDate, DayDate)? = nil, lines: [BudgetLine] = []) -> RecordRow {
        var r = RecordRow(kind: .application, status: status ?? (granted == nil ? .awaitingLeader : .approved), title: "Indsats \(id)", sender: nil)
        r.id = id
        r.reference = "SSP-2027-\(String(format: "%04d", id))"
        r.area = area
        r.amount = Money(kroner: requested)
        r.approved = granted.map { Money(kroner: $0) }
        if let period {
            r.reading.fields["period.start"] = .date(period.0)
            r.reading.fields["period.end"] = .date(period.1)
        }
        if !lines.isEmpty { r.reading.fields["budget.lines"] = .budget(lines) }
        return r
    }

    static func receipt(_ id: Int64, ore: Int, project: Int64? = nil, status: CaseStatus = .registered, late: Bool = false,
                        withoutFile: Bool = false, on day: DayDate? = nil) -> RecordRow {
        var r = RecordRow(kind: .receipt, status: status, title: "Kvittering \(id)", sender: nil)
        r.id = id
        r.amount = Money(ore: ore)
        r.projectID = project
        r.late = late
        if withoutFile { r.reading.missing = ["attachment"] }
        if let day { r.reading.fields["occasion.date"] = .date(day) }
        return r
    }

    static func line(_ heading: String, _ kroner: Int?, _ months: [(Int?, Int)]) -> BudgetLine {
        BudgetLine(heading: heading, amount: kroner.map { Money(kroner: $0) }, months: months.map { YearMonth(year: $0.0, month: $0.1) })
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> DayDate { DayDate(year: y, month: m, day: d) }

    static func overview(_ records: [RecordRow], refunds: [Refund] = [], received: [Int64: Date] = [:]) -> BudgetOverview {
        BudgetOverview(records: records, poolKroner: 300_000, areaOrder: ["Bispebjerg", "Valby"], refunds: refunds, received: received)
    }

    static func month(_ b: BudgetOverview, _ y: Int, _ m: Int) -> BudgetOverview.Month? {
        b.months.first { $0.month == YearMonth(year: y, month: m) }
    }

    @Test func aReceiptWithoutItsFileIsNotSpentButShownApart() {
        let b = Self.overview([
            Self.application(1, area: "Valby", requested: 10_000),
            Self.receipt(2, ore: 50_000, project: 1),
            Self.receipt(3, ore: 12_345, project: 1, status: .incomplete, withoutFile: true),
            Self.receipt(4, ore: 20_000, status: .incomplete, withoutFile: true),
        ])
        #expect(b.spentOnProjects == Money(ore: 50_000))
        #expect(b.spentOnMeetings == .zero)
        #expect(b.awaitingFile == Money(ore: 32_345) && b.awaitingFileCount == 2)
        #expect(b.areas.first { $0.name == "Valby" }?.spent == Money(ore: 50_000))
        #expect(b.spentByProject[1] == Money(ore: 50_000))
        #expect(BudgetExport.apart(b).contains { $0.label.hasPrefix("Afventer kvittering") && $0.amount == Money(ore: 32_345) })
    }

    @Test func lateClosedAndConflictingReceiptsAreNotSpent() {
        let b = Self.overview([
            Self.receipt(1, ore: 10_000, late: true),
            Self.receipt(2, ore: 20_000, status: .late, withoutFile: true),
            Self.receipt(3, ore: 40_000, status: .closed),
            Self.receipt(4, ore: 80_000, status: .conflict),
        ])
        #expect(b.spent == .zero && b.awaitingFile == .zero)
        #expect(b.late == Money(ore: 30_000) && b.lateCount == 2)
        #expect(b.conflicting == Money(ore: 80_000) && b.conflictingCount == 1)
        #expect(b.remaining == Money(kroner: 300_000))
    }

    @Test func meetingExpensesReduceTilbage() {
        let b = Self.overview([
            Self.application(1, area: "Bispebjerg", requested: 27_000, granted: 20_000),
            Self.receipt(2, ore: 154_700),
            Self.receipt(3, ore: 99_900, project: 1),
        ])
        #expect(b.spentOnMeetings == Money(ore: 154_700))
        // The project's receipt is inside its grant, so only the meeting comes off on top of the grant.
        #expect(b.remaining == Money(ore: 30_000_000 - 2_000_000 - 154_700))
        #expect(BudgetExport.totals(b).contains { $0.label == "Tilbage (puljen minus bevilget og mødeudgifter)" && $0.amount == b.remaining })
    }

    @Test func aGrantedProjectCountsItsGrantAndKeepsItsRequest() {
        let b = Self.overview([
            Self.application(1, area: "Bispebjerg", requested: 27_000, granted: 20_000),
            Self.application(2, area: "Valby", requested: 5_000),
            Self.application(3, area: "Valby", requested: 9_000, status: .rejected),
        ])
        #expect(b.approved == Money(kroner: 20_000) && b.approvedCount == 1)
        #expect(b.requested == Money(kroner: 32_000) && b.requestedCount == 2)
        #expect(b.areas.first { $0.name == "Bispebjerg" }?.approved == Money(kroner: 20_000))
        #expect(b.areas.first { $0.name == "Bispebjerg" }?.requested == Money(kroner: 27_000))
    }

    @Test func aRefundedReceiptIsSpentAndCountedAsUdbetalt() {
        let refunds = [
            Refund(recordID: 2, paidOn: Self.day(2027, 4, 2), amount: Money(ore: 118_725), actor: "t", at: ""),
            Refund(recordID: 3, paidOn: Self.day(2027, 4, 3), amount: Money(ore: 30_000), actor: "t", at: ""),
        ]
        let b = Self.overview([
            Self.application(1, area: "Bispebjerg", requested: 21_000),
            Self.receipt(2, ore: 118_725, project: 1, status: .refunded),
            Self.receipt(3, ore: 31_250, status: .refunded),
        ], refunds: refunds)
        #expect(b.spentOnProjects == Money(ore: 118_725) && b.spentOnMeetings == Money(ore: 31_250))
        #expect(b.refunded == Money(ore: 148_725) && b.refundedCount == 2)
        #expect(b.areas.first { $0.name == "Bispebjerg" }?.refunded == Money(ore: 118_725))
        #expect(b.refundedOnMeetings == Money(ore: 30_000))
        #expect(b.areaTotal.refunded + b.refundedOnMeetings == b.refunded)
    }

    @Test func spreadSplitsEvenlyInOreWithTheRemainderFirst() {
        #expect(BudgetOverview.spread(Money(ore: 100_001), over: 3) == [Money(ore: 33_335), Money(ore: 33_333), Money(ore: 33_333)])
        #expect(BudgetOverview.spread(Money(kroner: 600), over: 2) == [Money(kroner: 300), Money(kroner: 300)])
        #expect(BudgetOverview.spread(Money(kroner: 1), over: 0).isEmpty)
    }

    @Test func grantedLinesAreSpreadOverTheirMonthsAndReceiptsByTheirDate() {
        let app = Self.application(1, area: "Valby", requested: 3_000, granted: 3_000, period: (Self.day(2027, 3, 1), Self.day(2027, 12, 31)),
                                   lines: [Self.line("Forplejning", 1_000, [(2027, 3), (2027, 4), (2027, 5)]),
                                           Self.line("Leje", 2_000, [(nil, 6)])])
        let pending = Self.application(2, area: "Valby", requested: 50_000, lines: [Self.line("Tur", 50_000, [(2027, 6)])])
        // 14 May 2027 10:00 UTC: no date in the occasion, so the mail's arrival decides.
        let arrived = Date(timeIntervalSince1970: 1_810_288_800)
        let b = Self.overview([app, pending,
                               Self.receipt(3, ore: 12_500, project: 1, on: Self.day(2027, 3, 20)),
                               Self.receipt(4, ore: 7_000, project: 1),
                               Self.receipt(5, ore: 4_000, on: Self.day(2027, 6, 2))],
                              received: [4: arrived])
        #expect(b.year == 2027)
        #expect(b.months.prefix(12).map(\.month) == (1...12).map { YearMonth(year: 2027, month: $0) })
        #expect(Self.month(b, 2027, 3)?.planned == Money(ore: 33_334))
        #expect(Self.month(b, 2027, 4)?.planned == Money(ore: 33_333))
        #expect(Self.month(b, 2027, 5)?.planned == Money(ore: 33_333))
        // "juni" without a year is the period's June; the application not yet granted plans nothing.
        #expect(Self.month(b, 2027, 6)?.planned == Money(kroner: 2_000))
        #expect(Self.month(b, 2027, 3)?.spentOnProjects == Money(ore: 12_500))
        #expect(Self.month(b, 2027, 5)?.spentOnProjects == Money(ore: 7_000))
        #expect(Self.month(b, 2027, 6)?.spentOnMeetings == Money(ore: 4_000))
        #expect(b.monthTotal.planned == b.approved)
        #expect(b.monthTotal.spent == b.spent)
    }

    @Test func aSmallerGrantScalesTheLinesSoThePlanAddsUpToIt() {
        let app = Self.application(1, area: "Valby", requested: 27_000, granted: 20_000,
                                   lines: [Self.line("Materialer", 3_000, [(2027, 8)]), Self.line("Honorar", 24_000, [(2027, 9), (2027, 10)])])
        let noLines = Self.application(2, area: "Valby", requested: 1_000, granted: 1_000)
        let b = Self.overview([app, noLines])
        #expect(b.monthTotal.planned == Money(kroner: 21_000))
        // 3.000 and 24.000 of 27.000 scaled to 20.000: 2.222,22 and 17.777,77, the øre left over to the first line.
        #expect(Self.month(b, 2027, 8)?.planned == Money(ore: 222_223))
        #expect(Self.month(b, 2027, 9)?.planned == Money(ore: 888_889))
        #expect(Self.month(b, 2027, 10)?.planned == Money(ore: 888_888))
        // A grant with no lines to spread has no month; it is shown as such, not dropped.
        #expect(b.months.last?.month == nil && b.months.last?.planned == Money(kroner: 1_000))
    }

    @Test func everyLineOutsideThePeriodIsFlaggedByReference() {
        let inside = Self.application(1, area: "Valby", requested: 1_000, period: (Self.day(2027, 5, 1), Self.day(2027, 11, 30)),
                                      lines: [Self.line("Forplejning", 1_000, [(2027, 5), (nil, 11)])])
        let outside = Self.application(2, area: "Valby", requested: 6_500, period: (Self.day(2027, 5, 1), Self.day(2027, 11, 30)),
                                       lines: [Self.line("Uddannelsesdag", 3_500, [(2027, 4)]),
                                               Self.line("Tur", 3_000, [(nil, 6), (nil, 12)])])
        var invalid = Self.application(3, area: "Valby", requested: 1_000, period: (Self.day(2027, 9, 1), Self.day(2027, 6, 30)),
                                       lines: [Self.line("Honorar", 1_000, [(2027, 11)])])
        invalid.reading.invalid = [FieldIssue(field: "period", reason: "slutdatoen ligger før startdatoen")]
        let b = Self.overview([inside, outside, invalid])
        #expect(b.warnings.count == 2)
        #expect(b.warnings.allSatisfy { $0.reference == "SSP-2027-0002" })
        #expect(b.warnings.map(\.month) == [YearMonth(year: 2027, month: 4), YearMonth(year: 2027, month: 12)])
        #expect(b.warnings[0].danish == "budgetposten \"Uddannelsesdag\" (3.500,00 kr.) ligger i april 2027, uden for perioden 01-05-2027 – 30-11-2027")
        #expect(b.json.contains("\"warnings\":[{"))
    }

    @Test func theCSVHasEveryBlockWithDanishAmounts() {
        let b = Self.overview([
            Self.application(1, area: "Bispebjerg", requested: 27_000, granted: 20_000, lines: [Self.line("Tur", 27_000, [(2027, 8)])]),
            Self.receipt(2, ore: 154_700, on: Self.day(2027, 2, 2)),
        ])
        let text = String(decoding: BudgetExport.document(b), as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}Budget, SSP København;Puljen 2027\r\n"))
        #expect(text.contains("\r\nPuljen;300000,00;\r\n"))
        #expect(text.contains("\r\nTilbage (puljen minus bevilget og mødeudgifter);278453,00;\r\n"))
        #expect(text.contains("\r\nBispebjerg;27000,00;20000,00;0,00;0,00\r\n"))
        #expect(text.contains("\r\naugust 2027;20000,00;0,00;0,00;0,00\r\n"))
        #expect(text.contains("\r\nfebruar 2027;0,00;0,00;1547,00;1547,00\r\n"))
    }

    // MARK: - The demo mailbox

    /// The totals are sums over the store's own rows, filtered by the rules as the brief states them.
    @Test func overTheDemoMailboxTheSumsEqualTheCaseRows() throws {
        let (actions, store) = try ActionTests.week()
        _ = try actions.approve("SSP-2027-0007", user: "t", note: nil, amount: Money(kroner: 20_000), force: false)
        let receipt = try #require(try store.records(kind: .receipt).first { $0.status == .registered && $0.projectID != nil })
        _ = try actions.refund(receipt.label, date: Self.day(2027, 4, 2), amount: try #require(receipt.amount), user: "t")

        let records = try store.records()
        let b = BudgetOverview(records: records, poolKroner: 300_000, areaOrder: ActionTests.config.site.localAreas.map(\.name),
                               refunds: try store.refunds(), received: try store.firstReceived())
        func sum(_ keep: (RecordRow) -> Bool, _ amount: (RecordRow) -> Money? = { $0.amount }) -> Money {
            records.filter(keep).reduce(.zero) { $0 + (amount($1) ?? .zero) }
        }
        let receipts = records.filter { $0.kind == .receipt }
        func spent(_ r: RecordRow) -> Bool {
            r.kind == .receipt && !r.late && ![.late, .closed, .conflict].contains(r.status)
                && (r.status == .refunded || !r.reading.missing.contains("attachment"))
        }
        #expect(b.requested == sum { $0.kind == .application && ![.rejected, .leaderRejected].contains($0.status) })
        #expect(b.approved == sum({ $0.kind == .application && $0.status == .approved }, { $0.approved }))
        #expect(b.approved == Money(kroner: 20_000))
        #expect(b.spentOnProjects == sum { spent($0) && $0.projectID != nil })
        #expect(b.spentOnMeetings == sum { spent($0) && $0.projectID == nil })
        #expect(b.awaitingFile == sum { $0.kind == .receipt && !$0.late && ![.late, .closed, .conflict].contains($0.status) && !spent($0) })
        #expect(b.late == sum { $0.kind == .receipt && ($0.late || $0.status == .late) })
        #expect(b.refunded == receipt.amount)
        #expect(b.spentOnProjects > .zero && b.spentOnMeetings > .zero && b.awaitingFile > .zero && b.late > .zero)
        #expect(b.spentOnProjectsCount + b.spentOnMeetingsCount + b.awaitingFileCount + b.lateCount + b.conflictingCount
            == receipts.filter { $0.status != .closed }.count)
        #expect(b.remaining == b.pool.adding(-b.approved.ore - b.spentOnMeetings.ore))
        #expect(b.areaTotal.requested == b.requested && b.areaTotal.approved == b.approved && b.areaTotal.spent == b.spentOnProjects)
        #expect(b.monthTotal.planned == b.approved && b.monthTotal.spent == b.spent)
        #expect(b.warnings.contains { $0.reference == "SSP-2027-0006" && $0.month == YearMonth(year: 2027, month: 4) })
    }
}

private extension Money {
    func adding(_ ore: Int) -> Money { Money(ore: self.ore + ore) }
}
