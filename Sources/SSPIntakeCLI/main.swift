import Foundation
import Pipeline
import Store

// The thin executable: pick the subcommand, let it validate and run, map errors to sysexits.
let commands: [any Command.Type] = [
    RunCommand.self, StatusCommand.self, QueueCommand.self, ExportCommand.self, ReportCommand.self, BudgetCommand.self,
    ShowCommand.self, AttachmentsCommand.self, MailCommand.self, ApproveCommand.self, RejectCommand.self, EditCommand.self,
    LinkCommand.self, UnlinkCommand.self, CloseCommand.self, RefundCommand.self, ReprocessCommand.self,
    InspectCommand.self, BenchParseCommand.self, BenchIntakeCommand.self, BenchPollCommand.self,
    UserCommand.self, WebCommand.self,
]

@MainActor func usage() -> String {
    var s = """
        ssp-intake: læser SSP Københavns fælles postkasse og gør den til en kø.

        Brug: ssp-intake KOMMANDO [ARGUMENTER] [--help]

        Kommandoer:

        """
    for c in commands where !c.summary.isEmpty {
        s += "  " + c.name.padding(toLength: 12, withPad: " ", startingAt: 0) + c.summary + "\n"
    }
    s += "\nssp-intake KOMMANDO --help viser hjælp til en kommando."
    return s
}

let args = Array(CommandLine.arguments.dropFirst())
guard let first = args.first, first != "--help", first != "-h", first != "help" else {
    print(usage())
    exit(args.isEmpty ? ExitCode.usage.rawValue : 0)
}
guard let command = commands.first(where: { $0.name == first }) else {
    printError("ssp-intake: ukendt kommando \"\(TerminalText.safe(first))\" (se ssp-intake --help)")
    exit(ExitCode.usage.rawValue)
}
let rest = Array(args.dropFirst())
if rest.contains("--help") || rest.contains("-h") {
    print(command.help)
    exit(0)
}
do {
    let c = try command.init(arguments: rest)
    exit(try c.run().rawValue)
} catch let e as CLIError {
    // Every usage error points at the command's help, unless it already names what to type.
    let hint = e.code == .usage && !e.message.contains("--help") ? " (se ssp-intake \(command.name) --help)" : ""
    printError("ssp-intake: \(e.message)\(hint)")
    exit(e.code.rawValue)
} catch let e as StoreError {
    // The database went wrong mid-run: another process holds it (75, try later) or the disk failed (74).
    printError("ssp-intake: databasen: \(DanishSystemError.database(e))")
    exit(e.isBusy ? ExitCode.tempFail.rawValue : ExitCode.ioError.rawValue)
} catch {
    printError("ssp-intake: \(command.name) stoppede uventet: \(DanishSystemError.describe(error))")
    exit(ExitCode.software.rawValue)
}
