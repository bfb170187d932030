import Accounts
import Foundation

/// `ssp-intake user add NAVN --role R` and `user list`: the workbench's accounts.
struct UserCommand: Command {
    static let name = "user"
    static let summary = "Opret og vis brugere af arbejdsbordet i browseren"
    static let help = """
        Brug: ssp-intake user add NAVN --role sekretariat|læser [--config FIL]
              ssp-intake user list [--json] [--config FIL]

        add opretter en bruger af arbejdsbordet (ssp-intake web). Adgangskoden
        læses som én linje fra standardinput, aldrig som argument, så den ikke
        står i skallens historik eller i proceslisten:

          printf '%s\\n' "$KODE" | ssp-intake user add anne --role sekretariat

        Fra en terminal spørges der uden at vise det skrevne. Adgangskoden skal
        have mindst \(AccountRules.minimumPasswordLength) tegn; den gemmes kun som yescrypt-hash.
        Brugernavnet gemmes med små bogstaver og må have bogstaver, tal og . _ -

          --role sekretariat   må se alt og handle (bevilge, afvise, rette, …)
          --role læser         må se alt og ændrer intet

        list viser brugerne med rolle og oprettelsestid.

          --json         én JSON-linje: [{"name":…,"role":…,"created":…}]
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 ok, 64 forkert brug, 65 ugyldigt navn eller
        adgangskode eller brugeren findes allerede, 73/74 databasen kan ikke
        bruges, 75 databasen er optaget, 78 konfigurationen.
        """

    enum Action { case add(name: String, role: Role), list(json: Bool) }

    var action: Action
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--role", "--config"])
        configPath = p.values["--config"]
        switch p.operands.first {
        case "add":
            guard p.operands.count == 2 else { throw CLIError.usage("user add skal have præcis ét brugernavn (se ssp-intake user --help)") }
            guard let r = p.values["--role"] else { throw CLIError.usage("user add skal have --role sekretariat eller --role læser") }
            guard let role = Role(rawValue: r.lowercased()) else {
                throw CLIError.usage("ukendt rolle '\(r)': brug sekretariat eller læser")
            }
            guard !p.flags.contains("--json") else { throw CLIError.usage("--json hører til user list") }
            action = .add(name: p.operands[1], role: role)
        case "list":
            guard p.operands.count == 1, p.values["--role"] == nil else { throw CLIError.usage("user list tager kun --json og --config") }
            action = .list(json: p.flags.contains("--json"))
        case let other?:
            throw CLIError.usage("ukendt underkommando '\(other)': brug user add eller user list")
        case nil:
            throw CLIError.usage("user skal have add eller list (se ssp-intake user --help)")
        }
    }

    func run() throws -> ExitCode {
        switch action {
        case .add(let name, let role):
            // Read before the store is opened: a wrong config is then reported after the prompt, not instead of it.
            let password = try Self.readPassword()
            // The first user is often added before the service has run once: adding one may start the store.
            let book = AccountBook(store: try Workspace.open(configPath, store: .create).store, log: printError)
            do {
                let user = try book.addUser(name: name, role: role, password: password)
                print("Brugeren '\(TerminalText.safe(user.name))' er oprettet med rollen \(role.rawValue).")
                return .ok
            } catch let e as AccountError {
                throw CLIError(code: .dataError, message: e.message)
            }
        case .list(let json):
            let users: [(name: String, role: Role, created: Date)]
            do {
                users = try AccountBook(store: try Workspace.open(configPath).store).users()
            } catch let e as CLIError where e.code == .noInput {
                // No store yet: no one has been added, which is what the list says.
                users = []
            }
            if json {
                let rows = users.map { ["name": $0.name, "role": $0.role.rawValue, "created": $0.created.formatted(.iso8601)] }
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else if users.isEmpty {
                print("Ingen brugere endnu: opret en med ssp-intake user add NAVN --role sekretariat")
            } else {
                let width = max(4, users.map(\.name.count).max() ?? 0)
                print("Navn".padding(toLength: width, withPad: " ", startingAt: 0) + "  Rolle        Oprettet")
                for u in users {
                    print(TerminalText.safe(u.name).padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                          + u.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + u.created.formatted(.iso8601))
                }
            }
            return .ok
        }
    }

    /// One line from standard input, without its line end; from a terminal, asked for with echo off.
    static func readPassword() throws -> String {
        let terminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if terminal {
            FileHandle.standardError.write(Data("Adgangskode: ".utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        let line = readLine(strippingNewline: true)
        if terminal {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard var password = line else {
            throw CLIError(code: .dataError, message: "ingen adgangskode på standardinput: skriv den som én linje")
        }
        // A line written on Windows ends in CR LF.
        if password.hasSuffix("\r") { password.removeLast() }
        return password
    }
}
