import CaseModel
import Foundation
import Secretariat
import Intake
import Store

/// `ssp-intake report --html`: one static page with the pool, the queue and every application.
struct ReportCommand: Command {
    static let name = "report"
    static let summary = "Skriv en HTML-rapport: puljen, køen efter status og alle ansøgninger"
    static let help = """
        Brug: ssp-intake report --html FIL [--config FIL]

        Skriver én selvstændig HTML-side (ingen scripts, ingen eksterne filer),
        som kan åbnes i en browser, sendes som bilag eller printes:

          - overblik: dato og antal sager pr. status
          - budget: puljen over for ansøgt, bevilget, brugt, udbetalt og
            tilbage, i alt, pr. lokalområde og pr. måned, og advarsler om
            budgetposter uden for perioden (samme tal som ssp-intake budget)
          - køen grupperet efter status, med farvede statusmærker
          - hver ansøgning med felterne i skemaets rækkefølge, hvad der
            mangler, hvad der er ugyldigt og hvorfor, hint og beslutninger
          - kvitteringer modtaget efter fristen og kvitteringer uden indsats
          - mails, der ikke kunne behandles

          --html FIL     filen der skrives (erstattes helt); - skriver til
                         standard output
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 ok, 64 forkert brug, 66 ingen database (kør først
        run), 73 mappen til FIL findes
        ikke, 74 FIL kan ikke skrives (eller databasen kan ikke bruges),
        75 databasen er optaget, 78 konfigurationen.
        """

    var configPath: String?
    var file: String

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--html", "--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("report tager ingen argumenter ud over tilvalg (giv filen med --html FIL)") }
        guard let file = p.values["--html"], !file.isEmpty else { throw CLIError.usage("report skal have --html FIL (- for standard output)") }
        self.file = file
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        let page = try ReportPage(ws.desk, now: Date()).html()
        try OutputFile.write(Data(page.utf8), to: file)
        if file != "-" { printError("ssp-intake: rapport skrevet til \(file)") }
        return .ok
    }
}
