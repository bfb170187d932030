import Foundation
import Intake

/// The budget as one CSV sheet for Danish Excel: the totals, then per local area, per month and the warnings,
/// each block with its own header row and an empty row between them.
public enum BudgetExport {
    /// One line of the totals: a label, the amount, and how many cases make it (nil where that means nothing).
    public struct Total {
        public var label: String
        public var amount: Money
        public var count: Int?
        /// The cases counted, in the singular and the plural: "ansøgning"/"ansøgninger".
        public var noun: (one: String, many: String)

        /// "8 ansøgninger", "1 kvittering"; empty without a count.
        public var counted: String { count.map { "\($0) \($0 == 1 ? noun.one : noun.many)" } ?? "" }
    }

    static let applications = (one: "ansøgning", many: "ansøgninger")
    static let receipts = (one: "kvittering", many: "kvitteringer")
    static let refunds = (one: "udbetaling", many: "udbetalinger")

    /// The totals as the budget command, the report and this sheet all label them.
    public static func totals(_ b: BudgetOverview) -> [Total] {
        [
            Total(label: "Puljen", amount: b.pool, count: nil, noun: ("", "")),
            Total(label: "Ansøgt (alle undtagen afviste)", amount: b.requested, count: b.requestedCount, noun: applications),
            Total(label: "Bevilget af sekretariatet", amount: b.approved, count: b.approvedCount, noun: applications),
            Total(label: "Brugt på indsatser (kvitteringer med bilag)", amount: b.spentOnProjects, count: b.spentOnProjectsCount, noun: receipts),
            Total(label: "Mødeudgifter (kvitteringer uden indsats)", amount: b.spentOnMeetings, count: b.spentOnMeetingsCount, noun: receipts),
            Total(label: "Brugt i alt", amount: b.spent, count: b.spentOnProjectsCount + b.spentOnMeetingsCount, noun: receipts),
            Total(label: "Udbetalt af sekretariatet", amount: b.refunded, count: b.refundedCount, noun: refunds),
            Total(label: "Tilbage (puljen minus bevilget og mødeudgifter)", amount: b.remaining, count: nil, noun: ("", "")),
        ]
    }

    /// Money shown beside the totals but counted in none of them; only the kinds there are any of.
    public static func apart(_ b: BudgetOverview) -> [Total] {
        [
            Total(label: "Afventer kvittering (uden bilag)", amount: b.awaitingFile, count: b.awaitingFileCount, noun: receipts),
            Total(label: "Modtaget efter fristen", amount: b.late, count: b.lateCount, noun: receipts),
            Total(label: "Modstridende henvisning (afventer sekretariatet)", amount: b.conflicting, count: b.conflictingCount, noun: receipts),
        ].filter { ($0.count ?? 0) > 0 }
    }

    /// The label of the row that holds meeting expenses in the per-area tables: they belong to no area.
    public static let meetingsRow = "Mødeudgifter (uden indsats)"

    public static func rows(_ b: BudgetOverview) -> [[CSV.Cell]] {
        func t(_ s: String) -> CSV.Cell { .text(s) }
        func count(_ n: Int?) -> CSV.Cell { .text(n.map(String.init) ?? "") }
        var rows: [[CSV.Cell]] = [[t("Budget, SSP København"), t(b.year.map { "Puljen \($0)" } ?? "")], []]
        rows.append([t("Post"), t("Beløb (kr.)"), t("Antal")])
        rows += totals(b).map { [t($0.label), .money($0.amount), count($0.count)] }
        let aside = apart(b)
        if !aside.isEmpty {
            rows += [[], [t("Ikke medregnet"), t("Beløb (kr.)"), t("Antal")]]
            rows += aside.map { [t($0.label), .money($0.amount), count($0.count)] }
        }

        rows += [[], [t("Lokalområde"), t("Ansøgt (kr.)"), t("Bevilget (kr.)"), t("Brugt (kr.)"), t("Udbetalt (kr.)")]]
        rows += b.areas.map { [t($0.name), .money($0.requested), .money($0.approved), .money($0.spent), .money($0.refunded)] }
        rows.append([t(meetingsRow), .money(nil), .money(nil), .money(b.spentOnMeetings), .money(b.refundedOnMeetings)])
        let a = b.areaTotal
        rows.append([t("I alt"), .money(a.requested), .money(a.approved), .money(a.spent + b.spentOnMeetings), .money(a.refunded + b.refundedOnMeetings)])

        rows += [[], [t("Måned"), t("Planlagt af bevilgede indsatser (kr.)"), t("Brugt på indsatser (kr.)"), t("Mødeudgifter (kr.)"),
                      t("Brugt i alt (kr.)")]]
        rows += b.months.map {
            [t(BudgetOverview.monthName($0.month)), .money($0.planned), .money($0.spentOnProjects), .money($0.spentOnMeetings), .money($0.spent)]
        }
        let m = b.monthTotal
        rows.append([t("I alt"), .money(m.planned), .money(m.spentOnProjects), .money(m.spentOnMeetings), .money(m.spent)])

        if !b.warnings.isEmpty {
            rows += [[], [t("Advarsel: sag"), t("Budgetpost"), t("Beløb (kr.)"), t("Måned"), t("Periode start"), t("Periode slut")]]
            rows += b.warnings.map {
                [t($0.reference), t($0.heading), .money($0.amount), t(BudgetOverview.monthName($0.month)), t($0.periodStart.danish), t($0.periodEnd.danish)]
            }
        }
        return rows
    }

    public static func document(_ b: BudgetOverview) -> Data { CSV.document(rows(b)) }
}
