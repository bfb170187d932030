import Foundation
import MailPorts
import Pipeline
import Store

/// `ssp-intake status`: the operator's health view — nothing on the server may be unrecorded.
struct StatusCommand: Command {
    static let name = "status"
    static let summary = "Driftsstatus: mails på serveren der ikke er gemt, sidste læsning, udbakken"
    static let help = """
        Brug: ssp-intake status [--json] [--config FIL]

        Sammenligner postkassen (serveren eller mappen) med databasen og nævner
        hver mail, der ligger der, men ikke er gemt. Viser også hvornår
        postkassen sidst blev læst, mails efterladt i postkassen (for store) med grunden,
        udbakken (i kø, sendes, sendt, fejlet, afvist), fejlede mails, om den
        sidste gennemgang (run) fejlede og om databasefilen er hel (SQLites
        quick_check, der læser hele filen).

        Afslutningskoder: 0 sundt, 1 noget er ikke gemt, sidste læsning er for
        gammel (over tre intervaller), sidste gennemgang fejlede eller
        databasen er beskadiget, 66 ingen database (kør først run), 75
        serveren svarer ikke, 77 login afvist, 78 konfigurationen (også en
        manglende adgangskode til postkassen).
        """

    var configPath: String?
    var json: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("status tager ingen argumenter ud over tilvalg") }
        configPath = p.values["--config"]
        json = p.flags.contains("--json")
    }

    struct Report: Encodable {
        var source: String
        var onServer: Int
        var unrecorded: [String]
        var leftOnServer: Int
        var left: [String]
        var lastPoll: String?
        var lastPollAgeSeconds: Int?
        var outbox: [String: Int]
        var failedMessages: Int
        var lastPassError: String?
        var lastPassErrorAt: String?
        /// What SQLite's quick_check found; empty when the file is sound.
        var damage: [String]
        var healthy: Bool
    }

    /// What a store too damaged to answer the other questions still tells.
    struct DamageReport: Encodable {
        var damage: [String]
        var error: String
        var lastPassError: String?
        var healthy = false
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        let health: Pipeline.Health
        do {
            // Status reads the mailbox, never sends: it needs the mailbox's password only.
            guard let h = try ws.pipeline(log: { _ in }, mail: .reading).health() else {
                throw CLIError(code: .config, message: "konfigurationen \(ws.configPath): ingen postkasse (source) er sat op")
            }
            health = h
        } catch let e as SourceError {
            throw CLIError(source: e)
        } catch let e as StoreError {
            let damage = ws.store.quickCheck()
            guard !damage.isEmpty else { throw e }
            let failure = try? ws.store.lastPassFailure()
            let r = DamageReport(damage: damage, error: DanishSystemError.database(e), lastPassError: failure?.message)
            if json {
                print(try Self.json(r))
            } else {
                print(Self.damageLines(damage) + "Fejl:              \(DanishSystemError.database(e))\n"
                      + (failure.map { Self.failureLine($0) } ?? "") + "Status:            SE EFTER\n", terminator: "")
            }
            return .failure
        }
        let age = health.lastPoll.map { Int(Date().timeIntervalSince($0)) }
        let stale = age.map { $0 > 3 * ws.settings.pollIntervalSeconds } ?? true
        let healthy = health.unrecorded.isEmpty && !stale && health.lastPassFailure == nil && health.damage.isEmpty
        let r = Report(source: health.source, onServer: health.onServer, unrecorded: health.unrecorded,
                       leftOnServer: health.leftOnServer, left: health.left, lastPoll: health.lastPoll.map { $0.formatted(.iso8601) },
                       lastPollAgeSeconds: age, outbox: health.outbox, failedMessages: health.failedMessages,
                       lastPassError: health.lastPassFailure?.message,
                       lastPassErrorAt: health.lastPassFailure?.at.map { $0.formatted(.iso8601) },
                       damage: health.damage, healthy: healthy)
        if json {
            print(try Self.json(r))
        } else {
            var s = "Postkasse:         \(r.source)\n"
            s += "På serveren:       \(r.onServer) mails\n"
            s += "Ikke gemt:         \(r.unrecorded.count)\(r.unrecorded.isEmpty ? "" : ": " + r.unrecorded.joined(separator: ", "))\n"
            s += "Efterladt (store): \(r.leftOnServer)\(r.left.isEmpty ? "" : ": " + r.left.joined(separator: "; "))\n"
            s += "Sidst læst:        " + (age.map { "\(Self.ago($0)) siden (\(r.lastPoll ?? ""))" } ?? "aldrig") + "\n"
            s += "Udbakke:           " + ["queued": "i kø", "sending": "sendes", "sent": "sendt", "failed": "fejlet", "bounced": "afvist"]
                .sorted { $0.key < $1.key }.map { "\(r.outbox[$0.key] ?? 0) \($0.value)" }.joined(separator: ", ") + "\n"
            s += "Fejlede mails:     \(r.failedMessages)\n"
            if let failure = health.lastPassFailure { s += Self.failureLine(failure) }
            s += r.damage.isEmpty ? "Databasen:         hel (quick_check ok)\n" : Self.damageLines(r.damage)
            s += healthy ? "Status:            sund\n" : "Status:            SE EFTER\n"
            print(s, terminator: "")
        }
        return healthy ? .ok : .failure
    }

    static func failureLine(_ failure: (at: Date?, message: String)) -> String {
        let when = failure.at.map { " for \(ago(Int(Date().timeIntervalSince($0)))) siden" } ?? ""
        return "Sidste gennemgang: FEJLEDE\(when): \(failure.message)\n"
    }

    /// SQLite's findings (a finding may span lines) under what to do about them.
    static func damageLines(_ damage: [String]) -> String {
        "Databasen:         BESKADIGET (quick_check); stop ssp-intake og gendan databasen fra en sikkerhedskopi\n"
            + damage.flatMap { $0.split(separator: "\n") }.map { "  \($0)\n" }.joined()
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func ago(_ seconds: Int) -> String {
        if seconds < 120 { return "\(seconds) sekunder" }
        if seconds < 7200 { return "\(seconds / 60) minutter" }
        if seconds < 172_800 { return "\(seconds / 3600) timer" }
        return "\(seconds / 86_400) dage"
    }
}
