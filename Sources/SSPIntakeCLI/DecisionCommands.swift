import Foundation
import Intake
import Pipeline
import Secretariat

/// The name the audit log records for a secretariat action: `--user`, `$SSP_USER`, else the login name.
func secretariatUser(_ explicit: String?) -> String {
    let env = ProcessInfo.processInfo.environment
    return explicit ?? env["SSP_USER"] ?? env["USER"] ?? "ukendt bruger"
}

/// Runs a secretariat action on the configured store; a refused action is a data error (65), told in one line.
/// `runner`: the action runs the pipeline (reprocessing), so it takes the runner lock first.
func withSecretariatActions(_ configPath: String?, runner: Bool = false, _ body: (SecretariatActions) throws -> Void) throws -> ExitCode {
    let ws = try Workspace.open(configPath)
    if runner { _ = try ws.runnerLock() }
    do {
        try body(SecretariatActions(pipeline: ws.pipeline(log: { printError("ssp-intake: \($0)") })))
        return .ok
    } catch let e as ActionError {
        throw CLIError(code: .dataError, message: e.description)
    }
}

/// `ssp-intake approve REF`: the secretariat grants the project its budget.
struct ApproveCommand: Command {
    static let name = "approve"
    static let summary = "Bevilg en ansøgning med dens budget (efter ledergruppens godkendelse)"
    static let help = """
        Brug: ssp-intake approve REF [--note TEKST] [--amount KR] [--force] [--user NAVN] [--config FIL]

        Sekretariatets bevilling: sagen får status "bevilget" med budgettets
        beløb (eller --amount). Kræver ledergruppens godkendelse, medmindre
        --force gives. Registreres i loggen med brugerens navn (--user,
        $SSP_USER eller login-navnet).
        """

    var label: String
    var note: String?
    var amount: Money?
    var force: Bool
    var user: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--force"], options: ["--note", "--amount", "--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("approve needs exactly one reference, e.g. SSP-2027-0001") }
        label = p.operands[0]
        note = p.values["--note"]
        if let a = p.values["--amount"] {
            guard let m = DanishValues.money(in: a, allowBare: true) else { throw CLIError.usage("--amount \(a) is not an amount") }
            amount = m
        }
        force = p.flags.contains("--force")
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { actions in
            let r = try actions.approve(label, user: secretariatUser(user), note: note, amount: amount, force: force)
            print("\(r.label) bevilget: \(r.approved?.danish ?? "")")
        }
    }
}

/// `ssp-intake reject REF --reason`: the secretariat turns a project down.
struct RejectCommand: Command {
    static let name = "reject"
    static let summary = "Afvis en ansøgning med en begrundelse"
    static let help = """
        Brug: ssp-intake reject REF --reason TEKST [--user NAVN] [--config FIL]

        Sekretariatets afvisning: sagen får status "afvist" med begrundelsen.
        Registreres i loggen med brugerens navn.
        """

    var label: String
    var reason: String
    var user: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--reason", "--user", "--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("reject needs exactly one reference") }
        guard let reason = p.values["--reason"], !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError.usage("reject needs --reason")
        }
        label = p.operands[0]
        self.reason = reason
        user = p.values["--user"]
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        try withSecretariatActions(configPath) { actions in
            let r = try actions.reject(label, user: secretariatUser(user), reason: reason)
            print("\(r.label) afvist: \(reason)")
        }
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
        og svar, der allerede er sat i kø, sendes ikke igen. Kører en anden
        ssp-intake (run) på samme datamappe, afsluttes med 75.
        """

    var label: String?
    var user: String?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--failed"], options: ["--user", "--config"])
        if p.flags.contains("--failed") {
            guard p.operands.isEmpty else { throw CLIError.usage("give a reference or --failed, not both") }
        } else {
            guard p.operands.count == 1 else { throw CLIError.usage("reprocess needs a reference or --failed") }
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
        }
    }
}
