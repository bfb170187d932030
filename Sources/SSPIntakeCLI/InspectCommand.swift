import Foundation
import Pipeline
import Intake
import MailCore

/// `ssp-intake inspect`: shows how the program reads one or more .eml files.
struct InspectCommand: Command {
    static let name = "inspect"
    static let summary = "Vis hvordan en mail læses: headere, dele, tekst, vedhæftninger, fund"
    static let help = """
        Brug: ssp-intake inspect FIL.eml… [--json] [--config FIL]

        Læser hver fil som en mail (RFC 5322/MIME) og viser, hvad den er
        (ansøgning, kvittering, beslutning, status, automatisk, ukendt) og
        hvorfor, felterne, hvad der mangler eller er ugyldigt, sekretariatets
        hint og hvilket svar der ville blive sendt. Derefter headerne, træet af
        dele, den tekst der læses, vedhæftede filer og parserens fund.

          --json         én JSON-linje pr. fil (kontrakten står i README.md)
          --config FIL   konfigurationen (standard: $SSP_INTAKE_CONFIG eller
                         config/ssp-intake.json)
          --help         denne hjælp

        Afslutningskoder: 0 ok, 64 forkert brug, 66 en fil kunne ikke læses,
        78 konfigurationen mangler eller er ugyldig.
        """

    var files: [String]
    var json: Bool
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard !p.operands.isEmpty else { throw CLIError.usage("inspect skal have mindst én .eml-fil") }
        files = p.operands
        json = p.flags.contains("--json")
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let engine = IntakeEngine(config: try ConfigLoader.load(configPath))
        var result = ExitCode.ok
        for (n, path) in files.enumerated() {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                printError("ssp-intake: kan ikke læse \(path): \(DanishSystemError.reason(error))")
                result = .noInput
                continue
            }
            let message = MailMessage(data: data)
            let report = MessageReport(message, file: path)
            let intake = IntakeReport(engine.evaluate(message))
            // What the mail says is shown, never obeyed: no escape sequence or bidi control reaches the terminal.
            if json {
                print(TerminalText.json(InspectJSON(message: report, intake: intake).jsonLine()))
            } else {
                if n > 0 { print("") }
                print(TerminalText.safe(Self.human(report, intake.result), keepingLines: true), terminator: "")
            }
        }
        return result
    }

    /// The report as a Danish, human-readable page.
    static func human(_ r: MessageReport, _ intake: IntakeResult) -> String {
        var s = "== \(r.file ?? "-") (\(r.size) bytes)\n"
        func line(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            s += label.padding(toLength: 12, withPad: " ", startingAt: 0) + value + "\n"
        }
        line("Emne:", r.subject)
        line("Fra:", r.from?.formatted)
        line("Til:", r.to.map(\.formatted).joined(separator: ", "))
        line("Cc:", r.cc.map(\.formatted).joined(separator: ", "))
        line("Dato:", r.date)
        line("Message-ID:", r.messageId)
        line("Svar på:", r.inReplyTo)
        line("Referencer:", r.references.joined(separator: " "))
        s += IntakeSummary.text(intake)
        let sourced = intake.fieldSources.keys.filter { intake.fields[$0] != nil }.sorted()
        if !sourced.isEmpty {
            s += "Kilder:\n" + sourced.map { k in
                let c = intake.fieldSources[k]!
                return "  \(k): \(c.source.danish): \"\(c.line)\"\n"
            }.joined()
        }
        s += "\nHeadere:\n"
        for h in r.headers {
            s += "  \(h.name): \(h.value)\n"
        }
        s += "\nDele:\n"
        var leaves = r.parts.makeIterator()
        for (n, node) in r.tree.enumerated() {
            // A node is a leaf when the next node is not deeper.
            let isLeaf = n + 1 == r.tree.count || r.tree[n + 1].depth <= node.depth
            var d = String(repeating: "  ", count: node.depth + 1) + node.contentType
            if isLeaf, let p = leaves.next() {
                if let c = p.charset { d += "; charset=\(c)" }
                if let disp = p.disposition { d += "; \(disp)" }
                if let f = p.filename { d += "; \"\(f)\"" }
                d += " (\(p.size) bytes)"
            } else if let f = node.filename {
                d += "; \"\(f)\""
            }
            s += d + "\n"
        }
        s += "\nVedhæftninger:"
        if r.attachments.isEmpty { s += " ingen" }
        s += "\n"
        for a in r.attachments {
            s += "  \(a.filename ?? "(uden navn)") (\(a.contentType), \(a.size) bytes)\n"
        }
        s += "\nFund:"
        if r.findings.isEmpty { s += " ingen" }
        s += "\n"
        for f in r.findings { s += "  \(f)\n" }
        s += "\nTekst (\(r.textSource ?? "ingen")):\n"
        for l in r.text.split(separator: "\n", omittingEmptySubsequences: false) {
            s += "  │ \(l)\n"
        }
        return s
    }
}

/// The object `inspect --json` prints: the message report and the intake report side by side.
struct InspectJSON: Encodable {
    var message: MessageReport
    var intake: IntakeReport

    func encode(to encoder: Encoder) throws {
        try message.encode(to: encoder)
        try intake.encode(to: encoder)
    }

    func jsonLine() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
