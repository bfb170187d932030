import Foundation
import MailPorts
import Pipeline

/// `ssp-intake status`: the operator's health view — nothing on the server may be unrecorded.
struct StatusCommand: Command {
    static let name = "status"
    static let summary = "Driftsstatus: mails på serveren der ikke er gemt, sidste læsning, udbakken"
    static let help = """
        Brug: ssp-intake status [--json] [--config FIL]

        Sammenligner postkassen (serveren eller mappen) med databasen og nævner
        hver mail, der ligger der, men ikke er gemt. Viser også hvornår
        postkassen sidst blev læst, mails efterladt i postkassen (for store)
        med grunden, udbakken (i kø, sendt, fejlet, afvist) og fejlede mails.

        Afslutningskoder: 0 sundt, 1 noget er ikke gemt eller sidste læsning er
        for gammel (over tre intervaller), 75 serveren svarer ikke, 77 login
        afvist, 78 konfigurationen.
        """

    var configPath: String?
    var json: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("status takes no operands") }
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
        var healthy: Bool
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        let health: Pipeline.Health
        do {
            guard let h = try ws.pipeline(log: { _ in }).health() else {
                throw CLIError(code: .config, message: "no source configured")
            }
            health = h
        } catch let e as SourceError {
            throw CLIError(source: e)
        }
        let age = health.lastPoll.map { Int(Date().timeIntervalSince($0)) }
        let stale = age.map { $0 > 3 * ws.settings.pollIntervalSeconds } ?? true
        let healthy = health.unrecorded.isEmpty && !stale
        let r = Report(source: health.source, onServer: health.onServer, unrecorded: health.unrecorded,
                       leftOnServer: health.leftOnServer, left: health.left, lastPoll: health.lastPoll.map { $0.formatted(.iso8601) },
                       lastPollAgeSeconds: age, outbox: health.outbox, failedMessages: health.failedMessages, healthy: healthy)
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(r), as: UTF8.self))
        } else {
            var s = "Postkasse:         \(r.source)\n"
            s += "På serveren:       \(r.onServer) mails\n"
            s += "Ikke gemt:         \(r.unrecorded.count)\(r.unrecorded.isEmpty ? "" : ": " + r.unrecorded.joined(separator: ", "))\n"
            s += "Efterladt (store): \(r.leftOnServer)\(r.left.isEmpty ? "" : ": " + r.left.joined(separator: "; "))\n"
            s += "Sidst læst:        " + (age.map { "\(Self.ago($0)) siden (\(r.lastPoll ?? ""))" } ?? "aldrig") + "\n"
            s += "Udbakke:           " + ["queued": "i kø", "sent": "sendt", "failed": "fejlet", "bounced": "afvist"]
                .sorted { $0.key < $1.key }.map { "\(r.outbox[$0.key] ?? 0) \($0.value)" }.joined(separator: ", ") + "\n"
            s += "Fejlede mails:     \(r.failedMessages)\n"
            s += healthy ? "Status:            sund\n" : "Status:            SE EFTER\n"
            print(s, terminator: "")
        }
        return healthy ? .ok : .failure
    }

    static func ago(_ seconds: Int) -> String {
        if seconds < 120 { return "\(seconds) sekunder" }
        if seconds < 7200 { return "\(seconds / 60) minutter" }
        if seconds < 172_800 { return "\(seconds / 3600) timer" }
        return "\(seconds / 86_400) dage"
    }
}
