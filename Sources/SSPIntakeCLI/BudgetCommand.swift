import Foundation
import Secretariat
import Intake

/// `ssp-intake budget`: the pool against what is requested, approved and spent.
struct BudgetCommand: Command {
    static let name = "budget"
    static let summary = "Vis puljen: ansøgt, bevilget, brugt og tilbage, i alt og pr. lokalområde"
    static let help = """
        Brug: ssp-intake budget [--json] [--config FIL]

        Viser årets pulje (poolKroner i konfigurationen) over for:

          Ansøgt     beløbet på alle ansøgninger, der ikke er afvist af
                     ledergruppen eller sekretariatet
          Bevilget   det sekretariatet har bevilget (ssp-intake approve)
          Brugt      kvitteringer med bilag modtaget til tiden: dem, der hører
                     til en indsats, og mødeudgifter uden indsats hver for sig
          Udbetalt   det sekretariatet har udbetalt (ssp-intake refund)
          Tilbage    puljen minus det bevilgede og mødeudgifterne

        Kvitteringer modtaget efter fristen og kvitteringer uden bilag vises
        for sig og tælles ikke med.
        Derefter samme tal for hvert lokalområde. Samme tal står i rapporten
        (ssp-intake report).

          --json         én JSON-linje; beløb i kroner som tal (fx 1187.25)
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 ok, 64 forkert brug, 73/74 databasen kan ikke
        bruges, 75 databasen er optaget, 78 konfigurationen.
        """

    var configPath: String?
    var json: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("budget takes no operands") }
        configPath = p.values["--config"]
        json = p.flags.contains("--json")
    }

    func run() throws -> ExitCode {
        let budget = try BudgetOverview.load(try Workspace.open(configPath).desk)
        print(json ? budget.json : Self.table(budget), terminator: json ? "\n" : "")
        return .ok
    }

    /// The overview as aligned plain text; amounts right-aligned so the columns add up by eye.
    static func table(_ b: BudgetOverview) -> String {
        let totals: [(String, Money)] = [
            ("Puljen", b.pool),
            ("Ansøgt (\(b.requestedCount) ansøgninger, ikke afviste)", b.requested),
            ("Bevilget af sekretariatet (\(b.approvedCount))", b.approved),
            ("Brugt på indsatser (kvitteringer)", b.spentOnProjects),
            ("Mødeudgifter (kvitteringer uden indsats)", b.spentOnMeetings),
            ("Udbetalt (ssp-intake refund)", b.refunded),
            ("Tilbage (puljen minus bevilget og mødeudgifter)", b.remaining),
        ]
        let labelWidth = totals.map(\.0.count).max() ?? 0
        let moneyWidth = totals.map(\.1.danish.count).max() ?? 0
        var out = ""
        for (label, m) in totals {
            out += label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + pad(m.danish, moneyWidth) + "\n"
        }
        if b.awaitingFileCount > 0 {
            out += "\n\(b.awaitingFileCount) kvittering\(b.awaitingFileCount == 1 ? "" : "er") på i alt \(b.awaitingFile.danish) afventer bilaget og er ikke medregnet som brugt.\n"
        }
        if b.lateCount > 0 {
            out += "\n\(b.lateCount) kvittering\(b.lateCount == 1 ? "" : "er") efter fristen på i alt \(b.late.danish) er ikke medregnet.\n"
        }

        let header = ["Lokalområde", "Ansøgt", "Bevilget", "Brugt"]
        var rows = b.areas.map { [$0.name, $0.requested.danish, $0.approved.danish, $0.spent.danish] }
        let sum = b.areas.reduce(into: BudgetOverview.Area(name: "I alt")) {
            $0.requested = $0.requested + $1.requested
            $0.approved = $0.approved + $1.approved
            $0.spent = $0.spent + $1.spent
        }
        let footer = [sum.name, sum.requested.danish, sum.approved.danish, sum.spent.danish]
        var widths = header.map(\.count)
        for r in rows + [footer] { for (i, v) in r.enumerated() { widths[i] = max(widths[i], v.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, v in
                i == 0 ? v.padding(toLength: widths[0], withPad: " ", startingAt: 0) : pad(v, widths[i])
            }.joined(separator: "  ") + "\n"
        }
        rows.insert(widths.map { String(repeating: "─", count: $0) }, at: 0)
        out += "\n" + line(header)
        for r in rows { out += line(r) }
        out += line(widths.map { String(repeating: "─", count: $0) }) + line(footer)
        return out
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
