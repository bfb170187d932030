import CaseModel
import Foundation
import Intake
import Store

/// `ssp-intake queue`: the secretariat's queue at a glance.
struct QueueCommand: Command {
    static let name = "queue"
    static let summary = "Vis køen: sager med status, hvad der mangler og fejlede mails"
    static let help = """
        Brug: ssp-intake queue [--kind SLAGS] [--status STATUS] [--json] [--config FIL]

        Én linje pr. sag: reference (eller #nr før den har en), slags, status,
        titel, afsender, beløb og hvad der mangler eller bør ses på. Mails, der
        ikke kunne behandles, står til sidst som "fejlet" med grunden, og mails,
        der er efterladt i postkassen (for store), som "efterladt".

          --kind     application, receipt, approval, statusReport, unknown, automatic, failed, left
          --status   fx incomplete, awaitingLeader, leaderApproved, approved, late
          --json     én JSON-linje pr. sag
        """

    var configPath: String?
    var kind: String?
    var status: String?
    var json: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config", "--kind", "--status"])
        guard p.operands.isEmpty else { throw CLIError.usage("queue takes no operands") }
        configPath = p.values["--config"]
        kind = try p.values["--kind"].map(Self.kindCode)
        status = try p.values["--status"].map(Self.statusCode)
        json = p.flags.contains("--json")
    }

    /// The code of a kind the user named by code or in Danish; failed and left mail have codes of their own.
    static func kindCode(_ text: String) throws -> String {
        try code(text, "slags", mailWord: { $0.kind }, named: { CaseKind(named: $0)?.rawValue }, names: CaseKind.allCases.map(\.danish))
    }

    /// The code of a status the user named by code or in Danish.
    static func statusCode(_ text: String) throws -> String {
        try code(text, "status", mailWord: { $0.status }, named: { CaseStatus(named: $0)?.rawValue },
                 names: CaseStatus.allCases.map(\.danish))
    }

    private static func code(_ text: String, _ what: String, mailWord: ((kind: String, status: String)) -> String,
                             named: (String) -> String?, names: [String]) throws -> String {
        let t = text.lowercased()
        if let mail = Danish.mails.first(where: { $0.key == t || mailWord($0.value) == t }) { return mail.key }
        guard let code = named(text) else {
            let all = names + Danish.mails.values.map(mailWord).sorted()
            throw CLIError.usage("ukendt \(what) '\(text)' (en af \(all.joined(separator: ", ")))")
        }
        return code
    }

    /// Cases in the order their first mail reached the mailbox (a backlog fetched late keeps its place), then by number.
    static func inArrivalOrder(_ records: [RecordRow], _ received: [Int64: Date]) -> [RecordRow] {
        records.enumerated().sorted { a, b in
            let (x, y) = (received[a.element.id] ?? .distantFuture, received[b.element.id] ?? .distantFuture)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        if json {
            for line in try Self.rows(ws, kind: kind, status: status) { print(QueueRow.jsonLine(line)) }
        } else {
            print(try Self.table(ws, kind: kind, status: status), terminator: "")
        }
        return .ok
    }

    /// One queue line's values.
    struct QueueRow: Encodable {
        var reference: String
        var kind: String
        var status: String
        var title: String
        var sender: String
        var amount: Decimal?
        var attention: String
        /// The application a receipt, report or decision belongs to.
        var belongsTo: String?

        static func jsonLine(_ r: QueueRow) -> String {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? e.encode(r)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    static func rows(_ ws: Workspace, kind: String?, status: String?) throws -> [QueueRow] {
        var rows: [QueueRow] = []
        // Failed and left mail are no records: each is shown unless the filter names a record's kind or the other one.
        let mails = ["failed", "left"]
        func shows(_ k: String) -> Bool { kind == k || status == k || (kind == nil && !mails.contains { $0 != k && $0 == status }) }
        if !mails.contains(kind ?? "") && !mails.contains(status ?? "") {
            let records = try ws.store.records(kind: kind.flatMap { CaseKind(rawValue: $0) }, status: status.flatMap { CaseStatus(rawValue: $0) })
            for r in inArrivalOrder(records, try ws.store.firstReceived()) {
                rows.append(QueueRow(reference: r.label, kind: r.kind.rawValue, status: r.status.rawValue, title: r.title ?? "",
                                     sender: r.sender ?? "", amount: r.amount.map { Decimal($0.ore) / 100 },
                                     attention: attention(r, ws),
                                     belongsTo: try r.projectID.flatMap { try ws.store.record($0)?.label }))
            }
        }
        if shows("failed") {
            for id in try ws.store.messages(status: "failed") {
                guard let m = try ws.store.message(id) else { continue }
                rows.append(QueueRow(reference: StoredMessage.label(id), kind: "failed", status: "failed", title: m.subject ?? "",
                                     sender: m.sender ?? "", amount: nil, attention: m.error ?? "", belongsTo: nil))
            }
        }
        // Mail a source left in the mailbox was never read: the secretariat knows it only from here.
        if shows("left") {
            for l in try ws.store.skipped() {
                rows.append(QueueRow(reference: "efterladt", kind: "left", status: "left", title: l.uid.map { "UID \($0)" } ?? l.key,
                                     sender: "", amount: nil, attention: l.reason, belongsTo: nil))
            }
        }
        return rows
    }

    /// What the secretariat should look at: missing fields, invalid ones, or the state of a decision.
    static func attention(_ r: RecordRow, _ ws: Workspace) -> String {
        let names = ws.config.replies.fieldNames
        var parts: [String] = []
        if !r.reading.missing.isEmpty {
            parts.append("mangler: " + r.reading.missing.map { names[$0] ?? $0 }.joined(separator: ", "))
        }
        if !r.reading.invalid.isEmpty {
            parts.append("ugyldigt: " + r.reading.invalid.map { names[$0.field] ?? $0.field }.joined(separator: ", "))
        }
        if r.late { parts.append("modtaget efter fristen") }
        if let p = r.projectID, let proj = try? ws.store.record(p) { parts.append("hører til \(proj.label)") }
        return parts.joined(separator: "; ")
    }

    /// The queue as a plain-text table for a terminal.
    static func table(_ ws: Workspace, kind: String?, status: String?) throws -> String {
        let rows = try Self.rows(ws, kind: kind, status: status)
        guard !rows.isEmpty else { return "Køen er tom.\n" }
        let header = ["Sag", "Slags", "Status", "Titel", "Afsender", "Beløb", "Bemærk"]
        let cells = rows.map { r in
            [r.reference, Danish.kind(r.kind), Danish.status(r.status), clip(r.title, 40), clip(r.sender, 28),
             r.amount.map { Money(ore: NSDecimalNumber(decimal: $0 * 100).intValue).danish } ?? "", clip(r.attention, 70)]
        }
        var widths = header.map(\.count)
        for c in cells { for (i, v) in c.enumerated() { widths[i] = max(widths[i], v.count) } }
        func line(_ c: [String]) -> String {
            c.enumerated().map { i, v in
                i == c.count - 1 ? v : v.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        var out = line(header) + line(widths.map { String(repeating: "─", count: $0) })
        for c in cells { out += line(c) }
        var counts: [String: Int] = [:]
        for r in rows { counts[r.status, default: 0] += 1 }
        out += "\n\(rows.count) sager: " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \(Danish.status($0.key))" }
            .joined(separator: ", ") + "\n"
        return out
    }

    /// One line of at most `n` characters; control characters from mail never reach the terminal.
    static func clip(_ s: String, _ n: Int) -> String {
        let one = TerminalText.safe(s)
        return one.count <= n ? one : String(one.prefix(n - 1)) + "…"
    }
}
