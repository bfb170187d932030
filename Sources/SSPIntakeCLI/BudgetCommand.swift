import Foundation
import Secretariat
import Intake

/// `ssp-intake budget`: the pool against what is requested, granted, spent and paid out; per area, per month, with warnings.
struct BudgetCommand: Command {
    static let name = "budget"
    static let summary = "Vis puljen: ansøgt, bevilget, brugt, udbetalt og tilbage, pr. lokalområde og pr. måned"
    static let help = """
        Brug: ssp-intake budget [--json] [--config FIL]

        Viser årets pulje (poolKroner i konfigurationen) over for:

          Ansøgt       beløbet på alle ansøgninger, der ikke er afvist af
                       ledergruppen eller sekretariatet
          Bevilget     det sekretariatet har bevilget (ssp-intake approve); en
                       bevilget indsats tæller med det bevilgede beløb
          Brugt        kvitteringer med bilag modtaget til tiden: dem, der
                       hører til en indsats, og mødeudgifter uden indsats
                       hver for sig
          Udbetalt     det sekretariatet har udbetalt (ssp-intake refund)
          Tilbage      puljen minus det bevilgede og mødeudgifterne

        Kvitteringer uden bilag (afventer kvittering), kvitteringer modtaget
        efter fristen og kvitteringer med modstridende henvisning vises for
        sig og tælles ikke med. Afsluttede kvitteringer tælles ikke.

        Derefter samme tal pr. lokalområde, og pr. måned: det bevilgede
        fordelt på budgetposternes måneder (et beløb over flere måneder
        deles ligeligt; er der bevilget et andet beløb end posterne giver,
        skaleres de til bevillingen) over for det brugte efter kvitteringens
        dato (mødets dato, ellers da mailen kom). Til sidst advarsler om
        budgetposter, hvis måned ligger uden for ansøgningens periode.

        Samme tal står i rapporten (ssp-intake report) og kan gemmes som CSV
        (ssp-intake export --budget FIL).

          --json         én JSON-linje; beløb i kroner som tal (fx 1187.25),
                         måneder som "2027-03"
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 ok, 64 forkert brug, 66 ingen database (kør først
        run), 74 databasen kan ikke bruges, 75 databasen er optaget,
        78 konfigurationen.
        """

    var configPath: String?
    var json: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("budget tager ingen argumenter ud over tilvalg (se ssp-intake budget --help)") }
        configPath = p.values["--config"]
        json = p.flags.contains("--json")
    }

    func run() throws -> ExitCode {
        let budget = try BudgetOverview.load(try Workspace.open(configPath).desk)
        // Area names and budget headings come from mails.
        print(json ? TerminalText.json(budget.json) : TerminalText.safe(Self.table(budget), keepingLines: true),
              terminator: json ? "\n" : "")
        return .ok
    }

    /// The overview as aligned plain text; amounts right-aligned so the columns add up by eye.
    static func table(_ b: BudgetOverview) -> String {
        var out = b.year.map { "Puljen for \($0)\n\n" } ?? ""
        func labelled(_ t: BudgetExport.Total) -> (String, Money) { (t.label + (t.count == nil ? "" : ", \(t.counted)"), t.amount) }
        let totals = BudgetExport.totals(b).map(labelled)
        let apart = BudgetExport.apart(b).map(labelled)
        let labelWidth = (totals + apart).map(\.0.count).max() ?? 0
        let moneyWidth = (totals + apart).map(\.1.danish.count).max() ?? 0
        func line(_ label: String, _ m: Money) -> String {
            label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + pad(m.danish, moneyWidth) + "\n"
        }
        for (label, m) in totals { out += line(label, m) }
        if !apart.isEmpty {
            out += "\nIkke medregnet i brugt:\n"
            for (label, m) in apart { out += line(label, m) }
        }

        let a = b.areaTotal
        out += "\nPr. lokalområde\n" + grid(
            ["Lokalområde", "Ansøgt", "Bevilget", "Brugt", "Udbetalt"],
            b.areas.map { [$0.name, $0.requested.danish, $0.approved.danish, $0.spent.danish, $0.refunded.danish] }
                + [[BudgetExport.meetingsRow, "", "", b.spentOnMeetings.danish, b.refundedOnMeetings.danish]],
            footer: ["I alt", a.requested.danish, a.approved.danish, (a.spent + b.spentOnMeetings).danish,
                     (a.refunded + b.refundedOnMeetings).danish])

        let m = b.monthTotal
        out += "\nPr. måned: planlagt af bevilgede indsatser over for brugt\n" + grid(
            ["Måned", "Planlagt", "Brugt, indsatser", "Mødeudgifter", "Brugt i alt"],
            b.months.map { [BudgetOverview.monthName($0.month), $0.planned.danish, $0.spentOnProjects.danish,
                            $0.spentOnMeetings.danish, $0.spent.danish] },
            footer: ["I alt", m.planned.danish, m.spentOnProjects.danish, m.spentOnMeetings.danish, m.spent.danish])

        if !b.warnings.isEmpty {
            out += "\nAdvarsler: budgetposter uden for ansøgningens periode\n"
            for (reference, ws) in grouped(b.warnings) {
                out += "  \(reference):\n" + ws.map { "    - \($0.danish)\n" }.joined()
            }
        }
        return out
    }

    /// The warnings by application, in the order the applications came.
    static func grouped(_ ws: [BudgetOverview.Warning]) -> [(String, [BudgetOverview.Warning])] {
        var out: [(String, [BudgetOverview.Warning])] = []
        for w in ws {
            if out.last?.0 == w.reference { out[out.count - 1].1.append(w) } else { out.append((w.reference, [w])) }
        }
        return out
    }

    /// A table with the first column left-aligned and the amounts right-aligned, rules above and below the rows.
    static func grid(_ header: [String], _ rows: [[String]], footer: [String]) -> String {
        var widths = header.map(\.count)
        for r in rows + [footer] { for (i, v) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], v.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, v in
                i == 0 ? v.padding(toLength: widths[0], withPad: " ", startingAt: 0) : pad(v, widths[i])
            }.joined(separator: "  ") + "\n"
        }
        let rule = line(widths.map { String(repeating: "─", count: $0) })
        return line(header) + rule + rows.map(line).joined() + rule + line(footer)
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
