import Foundation
import Secretariat
import Intake
import MailCore
import Store

/// `ssp-intake show REF`: everything about one record — fields, mails, replies, decisions and history.
struct ShowCommand: Command {
    static let name = "show"
    static let summary = "Vis alt om én sag: felter, mangler, mails, svar, beslutninger og historik"
    static let help = """
        Brug: ssp-intake show REF [--json] [--config FIL]

        REF er en reference (SSP-2027-0001) eller et sagsnummer (#12).
        """

    var label: String
    var json: Bool
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard p.operands.count == 1 else { throw CLIError.usage("show needs exactly one reference, e.g. SSP-2027-0001 or #12") }
        label = p.operands[0]
        json = p.flags.contains("--json")
        configPath = p.values["--config"]
    }

    /// The record as `show --json` prints it.
    struct Details: Encodable {
        struct Mail: Encodable { var id: Int64; var received: String; var from: String; var subject: String; var kind: String; var status: String }
        struct Reply: Encodable { var kind: String; var to: String; var subject: String; var status: String; var attempts: Int; var lastError: String? }
        struct Decision: Encodable { var decision: String; var trusted: Bool; var sender: String?; var comment: String?; var at: String }
        struct Event: Encodable { var at: String; var actor: String; var action: String; var detail: String? }
        struct Linked: Encodable { var reference: String; var kind: String; var status: String; var title: String }
        var reference: String
        var kind: String
        var status: String
        var title: String?
        var sender: String?
        var area: String?
        /// When the case's first mail reached the mailbox (ISO 8601).
        var received: String?
        var amount: Decimal?
        var approved: Decimal?
        var belongsTo: String?
        var fields: [String: String]
        var missing: [String]
        var invalid: [FieldIssue]
        var hints: [String]
        var note: String?
        var linked: [Linked]
        var mails: [Mail]
        var replies: [Reply]
        var decisions: [Decision]
        var history: [Event]
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        guard let r = try ws.store.record(label: label) else {
            throw CLIError(code: .dataError, message: "no record \(label) (see ssp-intake queue)")
        }
        let d = try Self.details(r, ws)
        // Mail text (subjects, names, comments) never drives the terminal.
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(TerminalText.json(String(decoding: try e.encode(d), as: UTF8.self)))
        } else {
            print(TerminalText.safe(Self.text(d, ws), keepingLines: true), terminator: "")
        }
        return .ok
    }

    static func details(_ r: RecordRow, _ ws: Workspace) throws -> Details {
        let dec = { (m: Money?) in m.map { Decimal($0.ore) / 100 } }
        let linked = try ws.store.records().filter { $0.projectID == r.id }.map {
            Details.Linked(reference: $0.label, kind: $0.kind.rawValue, status: $0.status.rawValue, title: $0.title ?? "")
        }
        var mails: [Details.Mail] = []
        for m in try ws.store.messages(ofRecord: r.id) {
            mails.append(.init(id: m.id, received: m.receivedAt.formatted(.iso8601), from: m.sender ?? "",
                               subject: m.subject ?? "", kind: m.kind ?? "", status: m.status))
        }
        let replies = try ws.store.outbox(record: r.id).map {
            Details.Reply(kind: $0.kind, to: $0.to, subject: $0.subject, status: $0.status, attempts: $0.attempts, lastError: $0.lastError)
        }
        let decisions = try ws.store.approvals(ofRecord: r.id).map {
            Details.Decision(decision: $0.0, trusted: $0.1, sender: $0.2, comment: $0.3, at: $0.4)
        }
        let history = try ws.store.auditLog(record: r.id).map { Details.Event(at: $0.at, actor: $0.actor, action: $0.action, detail: $0.detail) }
        return Details(reference: r.label, kind: r.kind.rawValue, status: r.status.rawValue, title: r.title, sender: r.sender, area: r.area,
                       received: try ws.store.firstReceived()[r.id]?.formatted(.iso8601),
                       amount: dec(r.amount), approved: dec(r.approved),
                       belongsTo: try r.projectID.flatMap { try ws.store.record($0)?.label },
                       fields: r.reading.fields.mapValues(\.display), missing: r.reading.missing, invalid: r.reading.invalid,
                       hints: r.reading.hints, note: r.note, linked: linked, mails: mails, replies: replies,
                       decisions: decisions, history: history)
    }

    static func text(_ d: Details, _ ws: Workspace) -> String {
        let names = ws.config.replies.fieldNames
        var s = "\(d.reference)  \(Danish.kind(d.kind)) · \(Danish.status(d.status))\n"
        func line(_ label: String, _ v: String?) {
            guard let v, !v.isEmpty else { return }
            s += "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + v + "\n"
        }
        line("Titel:", d.title)
        line("Afsender:", d.sender)
        line("Lokalområde:", d.area)
        line("Modtaget:", d.received.flatMap { try? Date($0, strategy: .iso8601) }.map(DanishTime.stamp))
        let kr = { (v: Decimal) in Money(ore: NSDecimalNumber(decimal: v * 100).intValue).danish }
        line("Beløb:", d.amount.map(kr))
        line("Bevilget:", d.approved.map(kr))
        line("Hører til:", d.belongsTo)
        line("Note:", d.note)
        if !d.fields.isEmpty {
            s += "\nFelter:\n"
            let order = ["name", "period.start", "period.end", "targetGroup", "goals", "partners", "evaluation", "financeOwner",
                         "coordinator.name", "coordinator.email", "coordinator.phone", "leaderContact.name", "leaderContact.email",
                         "anchoring.geographic", "anchoring.organisational", "method", "experienceSharing", "budget.lines",
                         "budget.total", "payer", "occasion", "occasion.date", "companyCard", "amount"]
            for k in order + d.fields.keys.sorted().filter({ !order.contains($0) }) {
                if let v = d.fields[k] { s += "  \(names[k] ?? k): \(v)\n" }
            }
        }
        if !d.missing.isEmpty { s += "\nMangler:\n" + d.missing.map { "  - \(names[$0] ?? $0)\n" }.joined() }
        if !d.invalid.isEmpty { s += "\nUgyldigt:\n" + d.invalid.map { "  - \(names[$0.field] ?? $0.field): \($0.reason)\n" }.joined() }
        if !d.hints.isEmpty { s += "\nHint:\n" + d.hints.map { "  - \($0)\n" }.joined() }
        if !d.linked.isEmpty {
            s += "\nTilknyttet:\n" + d.linked.map { "  \($0.reference)  \(Danish.kind($0.kind)) · \(Danish.status($0.status))  \($0.title)\n" }.joined()
        }
        if !d.decisions.isEmpty {
            s += "\nBeslutninger:\n" + d.decisions.map {
                "  \($0.at)  \($0.decision)\($0.trusted ? "" : " (ikke troværdig)")  \($0.sender ?? "")  \($0.comment ?? "")\n"
            }.joined()
        }
        s += "\nMails:\n" + d.mails.map { m in
            let when = (try? Date(m.received, strategy: .iso8601)).map(DanishTime.stamp) ?? m.received
            return "  \(when)  \(m.from)  \(m.subject)  [\(Danish.kind(m.kind))]\n"
        }.joined()
        if !d.replies.isEmpty {
            s += "\nSvar:\n" + d.replies.map { "  \($0.kind) til \($0.to): \($0.subject) [\($0.status)]\n" }.joined()
        }
        s += "\nHistorik:\n" + d.history.map { "  \($0.at)  \($0.actor): \($0.action)\($0.detail.map { " – \($0)" } ?? "")\n" }.joined()
        return s
    }
}
