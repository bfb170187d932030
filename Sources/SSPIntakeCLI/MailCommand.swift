import Foundation
import Pipeline
import Secretariat
import Store

/// `ssp-intake mail N --eml`: one stored mail exactly as it arrived, as an .eml file Outlook opens.
struct MailCommand: Command {
    static let name = "mail"
    static let summary = "Gem én mail præcis som den blev modtaget (.eml), eller vis den"
    static let help = """
        Brug: ssp-intake mail N --eml [--to FIL] [--config FIL]
              ssp-intake mail N [--json] [--config FIL]

        N er mailens nummer (M-4 eller 4), som show og køen viser det.
        Med --eml gemmes mailens bytes uændret i FIL (standard: mail-N.eml i
        den aktuelle mappe), så den kan åbnes i Outlook. En fil, der findes i
        forvejen, overskrives aldrig. Uden --eml vises mailen som med show M-N.
        """

    var id: Int64
    var eml: Bool
    var json: Bool
    var target: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--eml", "--json"], options: ["--to", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("mail skal have netop ét mailnummer, f.eks. M-4") }
        let n = p.operands[0]
        guard let id = StoredMessage.id(label: n) ?? Int64(n).flatMap({ $0 > 0 ? $0 : nil }) else {
            throw CLIError.usage("\(n) er ikke et mailnummer; skriv f.eks. M-4 eller 4")
        }
        self.id = id
        eml = p.flags.contains("--eml")
        json = p.flags.contains("--json")
        target = p.values["--to"]
        guard !(eml && json) else { throw CLIError.usage("vælg --eml eller --json, ikke begge") }
        guard target == nil || eml else { throw CLIError.usage("--to hører sammen med --eml") }
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        guard eml else {
            return try ShowCommand(arguments: [StoredMessage.label(id)] + (json ? ["--json"] : [])
                                   + (configPath.map { ["--config", $0] } ?? [])).run()
        }
        let ws = try Workspace.open(configPath)
        guard let m = try ws.store.message(id) else {
            throw CLIError(code: .dataError, message: "ingen mail \(StoredMessage.label(id)) (se ssp-intake queue)")
        }
        let path = target ?? "mail-\(id).eml"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CLIError(code: .cantCreate, message: "\(path) findes allerede; vælg et andet navn med --to FIL")
        }
        do {
            try Data(m.raw).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw CLIError(code: .cantCreate, message: "kan ikke skrive \(path): \(DanishSystemError.reason(error))")
        }
        print("\(m.label) gemt i \(path) (\(ShowCommand.bytes(m.raw.count)))")
        return .ok
    }
}
