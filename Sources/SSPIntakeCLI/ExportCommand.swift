import CaseModel
import Foundation
import Pipeline
import Secretariat
import Intake
import Store

/// `ssp-intake export --csv`: every record as one row of a CSV file that Danish Excel opens as it is; `--budget` the budget.
struct ExportCommand: Command {
    static let name = "export"
    static let summary = "Gem sagerne eller budgettet som CSV til Excel (dansk opsætning)"
    static let help = """
        Brug: ssp-intake export --csv FIL [--kind SLAGS] [--config FIL]
               ssp-intake export --budget FIL [--config FIL]

        Skriver én række pr. sag til FIL, så Excel med danske indstillinger
        kan åbne den direkte: UTF-8 (med BOM), semikolon mellem felterne,
        beløb som 21000,00 og datoer som dd-mm-åååå. Mails, der ikke kunne
        behandles, står til sidst med slags "fejlet".

        Kolonner: Sag, Slags, Status, Titel, Afsender, Lokalområde, Periode
        start, Periode slut, Tovholder, Kontaktperson, Beløb (kr.), Bevilget
        (kr.), Hører til, Mangler, Ugyldigt, Hint, Oprettet, Opdateret.

        Tekst fra mails, der begynder med =, +, -, @ eller tabulator, får et
        ' foran, så Excel ikke læser den som en formel.

          --csv FIL      filen der skrives (erstattes helt); - skriver til
                         standard output
          --budget FIL   skriver i stedet (eller også) budgettet som CSV til
                         FIL: totalerne, pr. lokalområde, pr. måned og
                         advarslerne, samme tal som ssp-intake budget
          --kind SLAGS   kun én slags: application, receipt, approval,
                         statusReport, unknown, automatic eller failed
                         (eller de danske navne: ansøgning, kvittering, …)
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 ok, 64 forkert brug, 66 ingen database (kør først
        run), 73 mappen til FIL findes
        ikke, 74 FIL kan ikke skrives (eller databasen kan ikke bruges),
        75 databasen er optaget, 78 konfigurationen.
        """


    var configPath: String?
    var file: String?
    var kind: String?
    /// Where the budget sheet goes; beside the cases' file or instead of it.
    var budgetFile: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--csv", "--kind", "--config", "--budget"])
        guard p.operands.isEmpty else { throw CLIError.usage("export tager ingen argumenter ud over tilvalg (giv filen med --csv FIL)") }
        file = p.values["--csv"]
        budgetFile = p.values["--budget"]
        guard file.map({ !$0.isEmpty }) ?? true, budgetFile.map({ !$0.isEmpty }) ?? true, file != nil || budgetFile != nil else {
            throw CLIError.usage("export skal have --csv FIL eller --budget FIL (- for standard output)")
        }
        guard !(file == "-" && budgetFile == "-") else { throw CLIError.usage("kun én af --csv og --budget kan skrive til standard output") }
        configPath = p.values["--config"]
        if let k = p.values["--kind"] {
            kind = try filter(QueueFilter.kindCode)(k)
            guard file != nil else { throw CLIError.usage("--kind gælder kun sagerne (--csv FIL), ikke budgettet") }
        }
    }

    func run() throws -> ExitCode {
        let desk = try Workspace.open(configPath).desk
        if let file {
            let rows = try CaseExport.rows(desk, kind: kind)
            try OutputFile.write(CaseExport.document(rows), to: file)
            if file != "-" { printError("ssp-intake: \(rows.count) sager skrevet til \(file)") }
        }
        if let budgetFile {
            try OutputFile.write(BudgetExport.document(try BudgetOverview.load(desk)), to: budgetFile)
            if budgetFile != "-" { printError("ssp-intake: budgettet skrevet til \(budgetFile)") }
        }
        return .ok
    }
}

/// Writes a command's result file whole or not at all; `-` is standard output.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError(code: .cantCreate, message: "kan ikke skrive \(path): mappen \(folder.path) findes ikke")
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw CLIError(code: .ioError, message: "kan ikke skrive \(path): \(DanishSystemError.reason(error))")
        }
    }
}
