import Foundation
import Intake
import Pipeline
import Secretariat

/// The name the audit log records for a secretariat action: `--user`, `$SSP_USER`, else the login name.
func secretariatUser(_ explicit: String?) -> String {
    let env = ProcessInfo.processInfo.environment
    return explicit ?? env["SSP_USER"] ?? env["USER"] ?? "ukendt bruger"
}

/// Runs a secretariat action on the configured store and prints what it did; a refused action is a data
/// error (65), told in one line. `runner`: the action runs the pipeline (reprocessing), so it takes the runner lock first.
func withSecretariatActions(_ configPath: String?, runner: Bool = false, _ body: (SecretariatActions) throws -> ActionOutcome?) throws -> ExitCode {
    let ws = try Workspace.open(configPath)
    if runner { _ = try ws.runnerLock() }
    do {
        let actions = SecretariatActions(pipeline: try ws.pipeline(log: { printError("ssp-intake: \($0)") }, mail: []), poolKroner: ws.settings.poolKroner)
        if let outcome = try body(actions) {
            print(TerminalText.safe(outcome.summary))
            for m in outcome.mailed { print(TerminalText.safe(m)) }
            for w in outcome.warnings { printError("ssp-intake: advarsel: \(TerminalText.safe(w))") }
        }
        return .ok
    } catch let e as ActionError {
        throw CLIError(code: .dataError, message: TerminalText.safe(e.description))
    }
}

/// An amount as the Secretariat types it (`21000`, `21.000,00 kr.`); a minus is refused, not dropped.
func parsedAmount(_ text: String, _ option: String) throws -> Money {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard !t.hasPrefix("-"), let m = DanishValues.money(in: t, allowBare: true) else {
        throw CLIError.usage("\(option) \(text) er ikke et beløb (fx 21000 eller 21.000,00)")
    }
    guard m.ore > 0 else { throw CLIError.usage("\(option) skal være over 0 kr.") }
    return m
}

/// `ssp-intake approve REF`: the secretariat grants the project its budget.
struct ApproveCommand: Command {
    static let name = "approve"
    static let summary = "Bevilg en ansøgning med dens budget (efter ledergruppens godkendelse)"
    static let help = """
        Brug: ssp-intake approve REF [--amount KR] [--note TEKST] [--force] [--above-requested] [--user NAVN] [--config FIL]

        Sekretariatets bevilling: sagen får status "bevilget" med budgettets
        beløb i alt (eller --amount). Tovholderen får besked i ansøgningens tråd.

          --amount KR         bevil et andet beløb end det ansøgte (over 0 kr.)
          --above-requested   tillad et beløb over det ansøgte
          --force             bevilg alligevel, hvis ledergruppen ikke har
                              godkendt, ansøgningen mangler oplysninger, eller
                              den allerede er bevilget (den nye bevilling
                              erstatter den gamle, og det står i loggen)
          --note TEKST        en bemærkning på sagen
          --user NAVN         navnet i loggen (ellers $SSP_USER eller login-navnet)

        En bevilling over det, der er tilbage i puljen, gives med en advarsel.
        Afslutningskoder: 0 ok, 64 forkert brug, 65 sagen kan ikke bevilges,
        66 ingen database, 75 databasen er optaget, 78 konfigurationen.
        """

    var label: String
    var note: String?
    var amount: Money?
    var force: Bool
    var aboveRequested: Bool
    var user: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--force", "--above-requested"], options: ["--note", "--amount", "--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("approve skal have præcis én reference, fx SSP-2027-0001") }
        label = p.operands[0]
        note = p.values["--note"]
        amount = try p.values["--amount"].map { try parsedAmount($0, "--amount") }
        force = p.flags.contains("--force")
        aboveRequested = p.flags.contains("--above-requested")
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) {
            try $0.approve(label, user: secretariatUser(user), note: note, amount: amount, force: force, aboveRequested: aboveRequested)
        }
    }
}

/// `ssp-intake reject REF --reason`: the secretariat turns a project down.
struct RejectCommand: Command {
    static let name = "reject"
    static let summary = "Afvis en ansøgning med en begrundelse"
    static let help = """
        Brug: ssp-intake reject REF --reason TEKST [--user NAVN] [--config FIL]

        Sekretariatets afvisning: sagen får status "afvist" med begrundelsen,
        og tovholderen får besked med begrundelsen i ansøgningens tråd.
        Registreres i loggen med brugerens navn.
        """

    var label: String
    var reason: String
    var user: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--reason", "--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("reject skal have præcis én reference, fx SSP-2027-0001") }
        guard let reason = p.values["--reason"], !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError.usage("reject skal have en begrundelse: --reason TEKST")
        }
        label = p.operands[0]
        self.reason = reason
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { try $0.reject(label, user: secretariatUser(user), reason: reason) }
    }
}

/// `ssp-intake reprocess REF | --failed`: today's rules over stored mail again.
struct ReprocessCommand: Command {
    static let name = "reprocess"
    static let summary = "Behandl en sags mails (eller alle fejlede) igen med dagens regler"
    static let help = """
        Brug: ssp-intake reprocess REF [--user NAVN] [--config FIL]   (REF: SSP-2027-0001, S-12 eller M-4)
              ssp-intake reprocess --failed [--user NAVN] [--config FIL]

        Læser de gemte mails igen med de nuværende regler. Historikken bevares,
        sekretariatets rettelser og flytninger lægges oven på igen, og svar,
        der allerede er sat i kø, sendes ikke igen. Kører en anden ssp-intake
        (run) på samme datamappe, afsluttes med 75.
        """

    var label: String?
    var user: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--failed"], options: ["--user", "--config"])
        if p.flags.contains("--failed") {
            guard p.operands.isEmpty else { throw CLIError.usage("giv enten en reference eller --failed, ikke begge") }
        } else {
            guard p.operands.count == 1 else { throw CLIError.usage("reprocess skal have en reference eller --failed") }
            label = p.operands[0]
        }
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath, runner: true) { actions in
            if let label {
                let n = try actions.reprocess(label, user: secretariatUser(user))
                print("\(label): \(n) mails behandlet igen")
            } else {
                let (ok, failed) = try actions.reprocessFailed(user: secretariatUser(user))
                print("\(ok) behandlet, \(failed) fejlede igen")
            }
            return nil
        }
    }
}
