import CaseModel
import Foundation
import Intake
import Secretariat
import Store

/// `ssp-intake queue`: the secretariat's queue at a glance.
struct QueueCommand: Command {
    static let name = "queue"
    static let summary = "Vis køen: sager med status, hvad der mangler og fejlede mails"
    static let help = """
        Brug: ssp-intake queue [--todo] [--kind SLAGS] [--status STATUS] [--json] [--config FIL]

        Én linje pr. sag: reference (eller #nr før den har en), slags, status,
        titel, afsender, beløb og hvad der mangler eller bør ses på. Mails, der
        ikke kunne behandles, står til sidst som "fejlet" med grunden, og mails,
        der er efterladt i postkassen (for store), som "efterladt".

          --kind     application, receipt, approval, statusReport, unknown, automatic, failed, left
          --status   fx incomplete, awaitingLeader, leaderApproved, approved, late
          --todo     kun det, der skal ses på nu: sager til gennemsyn, beslutninger
                     der ikke blev anvendt, modstridende henvisninger, ansøgninger
                     godkendt af ledergruppen og fejlede mails
          --json     én JSON-linje pr. sag
        """

    var configPath: String?
    var kind: String?
    var status: String?
    var json: Bool
    var todo: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json", "--todo"], options: ["--config", "--kind", "--status"])
        guard p.operands.isEmpty else { throw CLIError.usage("queue tager ingen argumenter ud over tilvalg (se ssp-intake queue --help)") }
        configPath = p.values["--config"]
        kind = try p.values["--kind"].map(filter(QueueFilter.kindCode))
        status = try p.values["--status"].map(filter(QueueFilter.statusCode))
        json = p.flags.contains("--json")
        todo = p.flags.contains("--todo")
    }

    func run() throws -> ExitCode {
        let desk = try Workspace.open(configPath).desk
        if json {
            for line in try QueueView.rows(desk, kind: kind, status: status).filter({ !todo || $0.needsSecretariat }) { print(QueueRow.jsonLine(line)) }
        } else {
            print(try Self.table(desk, kind: kind, status: status, todo: todo), terminator: "")
        }
        return .ok
    }

    /// The queue as a plain-text table for a terminal.
    static func table(_ desk: Desk, kind: String?, status: String?, todo: Bool = false) throws -> String {
        let rows = try QueueView.rows(desk, kind: kind, status: status).filter { !todo || $0.needsSecretariat }
        guard !rows.isEmpty else { return todo ? "Intet venter på sekretariatet.\n" : "Køen er tom.\n" }
        let header = ["Sag", "Slags", "Status", "Titel", "Afsender", "Beløb", "Bemærk"]
        let cells = rows.map { r in
            [r.reference, Danish.kind(r.kind), Danish.status(r.status), clip(r.title, 40), clip(r.sender, 28),
             r.amount.map { Money(ore: NSDecimalNumber(decimal: $0 * 100).intValue).danish } ?? "", clip(r.attention, 70)]
        }
        var widths = header.map(\.count)
        for c in cells { for (i, v) in c.enumerated() { widths[i] = max(widths[i], v.count) } }
        func line(_ c: [String]) -> String {
            c.enumerated().map { i, v in
                i == c.count - 1 ? v : v.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        var out = line(header) + line(widths.map { String(repeating: "─", count: $0) })
        for c in cells { out += line(c) }
        var counts: [String: Int] = [:]
        for r in rows { counts[r.status, default: 0] += 1 }
        out += "\n\(rows.count) sager: " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \(Danish.status($0.key))" }
            .joined(separator: ", ") + "\n"
        return out
    }

    /// One line of at most `n` characters; control characters from mail never reach the terminal.
    static func clip(_ s: String, _ n: Int) -> String {
        let one = TerminalText.safe(s)
        return one.count <= n ? one : String(one.prefix(n - 1)) + "…"
    }
}

/// A filter lookup whose refusal is a usage error (64), told in Danish with the valid values.
func filter(_ lookup: @escaping (String) throws -> String) -> (String) throws -> String {
    { text in
        do { return try lookup(text) } catch let e as UnknownValue { throw CLIError.usage(e.description) }
    }
}
