import Accounts
import Foundation
import Intake
import Secretariat

/// Budget: the same figures as `ssp-intake budget` (one `BudgetOverview`), per local area, per month, and a bar chart made here as SVG.
struct BudgetPage {
    let session: Session
    let budget: BudgetOverview

    func html() -> String {
        let h = Pages.h
        let b = budget
        // The ids the browser test reads: the six figures a newcomer asks about first.
        let ids: [(String, String, Money)] = [
            ("pool", "Puljen", b.pool), ("requested", "Ansøgt (alle undtagen afviste)", b.requested),
            ("granted", "Bevilget af sekretariatet", b.approved), ("spent", "Brugt i alt", b.spent),
            ("refunded", "Udbetalt af sekretariatet", b.refunded), ("left", "Tilbage (puljen minus bevilget og mødeudgifter)", b.remaining),
        ]
        let counted = Dictionary(BudgetExport.totals(b).map { ($0.label, $0.counted) }, uniquingKeysWith: { a, _ in a })
        var totals = ids.map { id, label, m in
            "<tr><th scope=\"row\">\(h(label))</th><td id=\"\(id)\" class=\"num\">\(h(m.danish))</td><td>\(h(counted[label] ?? ""))</td></tr>\n"
        }.joined()
        // The rest of the command's lines, without ids: spent split into projects and meetings, and money counted nowhere.
        for t in BudgetExport.totals(b) where !ids.contains(where: { $0.1 == t.label }) {
            totals += "<tr class=\"part\"><th scope=\"row\">\(h(t.label))</th><td class=\"num\">\(h(t.amount.danish))</td><td>\(h(t.counted))</td></tr>\n"
        }
        for t in BudgetExport.apart(b) {
            totals += "<tr class=\"apart\"><th scope=\"row\">Ikke medregnet: \(h(t.label))</th><td class=\"num\">\(h(t.amount.danish))</td><td>\(h(t.counted))</td></tr>\n"
        }

        func row(_ cells: [String], _ cls: String = "") -> String {
            "<tr\(cls.isEmpty ? "" : " class=\"\(cls)\"")><th scope=\"row\">\(h(cells[0]))</th>"
                + cells.dropFirst().map { "<td class=\"num\">\(h($0))</td>" }.joined() + "</tr>\n"
        }
        func head(_ cells: [String]) -> String { "<thead><tr>" + cells.map { "<th scope=\"col\">\(h($0))</th>" }.joined() + "</tr></thead>" }
        var areas = b.areas.map { row([$0.name, $0.requested.danish, $0.approved.danish, $0.spent.danish, $0.refunded.danish]) }.joined()
        areas += row([BudgetExport.meetingsRow, "", "", b.spentOnMeetings.danish, b.refundedOnMeetings.danish], "meetings")
        let a = b.areaTotal
        let areaFoot = row(["I alt", a.requested.danish, a.approved.danish, (a.spent + b.spentOnMeetings).danish,
                            (a.refunded + b.refundedOnMeetings).danish])
        let months = b.months.map {
            row([BudgetOverview.monthName($0.month), $0.planned.danish, $0.spentOnProjects.danish, $0.spentOnMeetings.danish, $0.spent.danish])
        }.joined()
        let m = b.monthTotal
        let monthFoot = row(["I alt", m.planned.danish, m.spentOnProjects.danish, m.spentOnMeetings.danish, m.spent.danish])

        var warnings = ""
        if !b.warnings.isEmpty {
            warnings = "<section id=\"budget-warnings\"><h2>Advarsler: budgetposter uden for ansøgningens periode</h2><ul>"
                + b.warnings.map { "<li><a class=\"case-link\" href=\"/sag/\(h($0.reference))\">\(h($0.reference))</a>: \(h($0.danish))</li>" }.joined()
                + "</ul></section>\n"
        }
        let body = """
            <h1>Budget\(b.year.map { " \($0)" } ?? "")</h1>
            <table id="budget-totals"><thead><tr><th scope="col">Post</th><th scope="col">Beløb</th><th scope="col">Antal</th></tr></thead>
            <tbody>
            \(totals)</tbody></table>
            <h2>Pr. lokalområde</h2>
            <table id="budget-areas">\(head(["Lokalområde", "Ansøgt", "Bevilget", "Brugt", "Udbetalt"]))<tbody>
            \(areas)</tbody><tfoot>\(areaFoot)</tfoot></table>
            <h2>Pr. måned: planlagt af bevilgede indsatser over for brugt</h2>
            \(Self.chart(b.months))
            <table id="budget-months">\(head(["Måned", "Planlagt", "Brugt, indsatser", "Mødeudgifter", "Brugt i alt"]))<tbody>
            \(months)</tbody><tfoot>\(monthFoot)</tfoot></table>
            \(warnings)
            """
        return Pages.layout(title: "Budget", session: session, body: body)
    }

    /// Planned against spent per month as grouped bars. Colours come from the stylesheet by class (no inline style under the CSP).
    static func chart(_ months: [BudgetOverview.Month]) -> String {
        let h = Pages.h
        let (width, height, top, bottom, left) = (760.0, 260.0, 16.0, 48.0, 8.0)
        let plot = height - top - bottom
        let peak = max(1, months.map { max($0.planned.ore, $0.spent.ore) }.max() ?? 1)
        let slot = months.isEmpty ? 0 : (width - left * 2) / Double(months.count)
        let bar = max(2, min(28, slot / 2 - 4))
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        var shapes = ""
        for (i, m) in months.enumerated() {
            let x = left + Double(i) * slot + slot / 2
            for (j, (cls, what, value)) in [("planned", "Planlagt", m.planned), ("spent", "Brugt", m.spent)].enumerated() {
                let hgt = plot * Double(value.ore) / Double(peak)
                let bx = j == 0 ? x - bar - 1 : x + 1
                shapes += "<rect class=\"\(cls)\" x=\"\(f(bx))\" y=\"\(f(top + plot - hgt))\" width=\"\(f(bar))\" height=\"\(f(hgt))\">"
                    + "<title>\(h(BudgetOverview.monthName(m.month))): \(what) \(h(value.danish))</title></rect>"
            }
            let name = BudgetOverview.monthName(m.month)
            shapes += "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(h(String(name.prefix(3))))</text>"
            if let y = m.month?.year { shapes += "<text class=\"year\" x=\"\(f(x))\" y=\"\(f(height - bottom + 30))\" text-anchor=\"middle\">\(y)</text>" }
        }
        return """
            <figure class="chart">
            <svg id="month-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-labelledby="month-chart-title">
            <title id="month-chart-title">Planlagt og brugt pr. måned (højeste søjle \(h(Money(ore: peak).danish)))</title>
            <line class="axis" x1="\(f(left))" y1="\(f(top + plot))" x2="\(f(width - left))" y2="\(f(top + plot))"/>
            \(shapes)
            </svg>
            <figcaption><span class="key planned"></span> Planlagt <span class="key spent"></span> Brugt</figcaption>
            </figure>
            """
    }
}
