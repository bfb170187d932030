import Foundation
import Pipeline

/// `ssp-intake run --once`: one pass of the pipeline over the configured mailbox.
struct RunCommand: Command {
    static let name = "run"
    static let summary = "Læs ny post, behandl den, sæt svar i kø og lever dem (--once: én gang)"
    static let help = """
        Brug: ssp-intake run --once [--queue] [--config FIL]

        Gemmer hver ny mail fra postkassen (standard: mailbox-samples/), læser
        den efter reglerne, opretter eller opdaterer sagen, sætter svar i kø og
        leverer dem (standard: som .eml-filer i var/outbox/). Alt gemmes i
        var/ssp-intake.sqlite. En mail, der ikke kan behandles, gemmes som
        fejlet med grunden og vises i køen; resten behandles videre.

          --once         én gennemgang (til cron); vedvarende drift kommer med IMAP
          --queue        vis køen bagefter
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Log på stderr. Afslutningskoder: 0 ok, 64 forkert brug, 73/74 data-
        mappen eller databasen kan ikke bruges, 75 databasen er optaget, 78
        konfigurationen.
        """

    var configPath: String?
    var showQueue: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--once", "--queue"], options: ["--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("run takes no operands") }
        guard p.flags.contains("--once") else {
            throw CLIError.usage("continuous polling comes with the IMAP source; use run --once (e.g. from cron)")
        }
        configPath = p.values["--config"]
        showQueue = p.flags.contains("--queue")
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        let s = try ws.pipeline(log: { printError("ssp-intake: \($0)") }).runOnce()
        printError("ssp-intake: \(s.ingested) nye, \(s.processed) behandlet, \(s.failed) fejlet, \(s.delivered) svar leveret"
            + (s.deliveryFailures > 0 ? ", \(s.deliveryFailures) ikke leveret" : ""))
        if showQueue { print(try QueueCommand.table(ws, kind: nil, status: nil), terminator: "") }
        return .ok
    }
}
