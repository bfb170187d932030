import Foundation
import Secretariat
import Intake
import MailCore
import Secretariat
import Store

/// `ssp-intake show REF`: everything about one case — fields, mails with their text, attachments,
/// replies, decisions and history — or one mail on its own (`M-4`).
struct ShowCommand: Command {
    static let name = "show"
    static let summary = "Vis alt om én sag eller mail: felter, mails med tekst, bilag, svar, beslutninger og historik"
    static let help = """
        Brug: ssp-intake show REF [--json] [--config FIL]

        REF er en sags reference (SSP-2027-0001), et sagsnummer for en sag uden
        reference (S-12) eller en mail (M-4), som køen viser dem.

        Hver mail vises med afsender, modtagelsestid, emne og teksten, som
        reglerne læste den: "Ny tekst" er det, afsenderen skrev nu (kun den
        læses som beslutning), "Citeret" er den tidligere mail, der svares på.
        Bilag vises med deres oprindelige navn og størrelse; gem dem med
        ssp-intake attachments REF --to MAPPE.
        """

    var label: String
    var json: Bool
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: ["--config"])
        guard p.operands.count == 1 else {
            throw CLIError.usage("show skal have netop én reference, f.eks. SSP-2027-0001, S-12 eller M-4")
        }
        label = p.operands[0]
        json = p.flags.contains("--json")
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        guard let view = try RecordView.load(label, store: ws.store, config: ws.config) else {
            throw CLIError(code: .dataError, message: "ingen sag eller mail med referencen \(label) (se ssp-intake queue)")
        }
        // Mail text (subjects, names, comments, bodies) never drives the terminal.
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data: Data
            switch view {
            case .case(let d): data = try e.encode(CaseJSON(details: d, fieldSources: try Self.sources(of: d, ws)))
            case .mail(let m): data = try e.encode(m)
            }
            print(TerminalText.json(String(decoding: data, as: UTF8.self)))
        } else {
            let text: String
            switch view {
            case .case(let d): text = Self.text(d, sources: try Self.sources(of: d, ws))
            case .mail(let m): text = Self.text(m)
            }
            print(TerminalText.safe(text, keepingLines: true), terminator: "")
        }
        return .ok
    }

    /// Where a case's field was read, for `show`: how it was written, the line and the mail.
    struct CaseSource: Encodable {
        var source: String
        var line: String
        var mail: String
    }

    /// The case as `show --json` prints it: its details and `fieldSources` beside them.
    struct CaseJSON: Encodable {
        var details: CaseDetails
        var fieldSources: [String: CaseSource]

        enum CodingKeys: String, CodingKey { case fieldSources }

        func encode(to encoder: Encoder) throws {
            try details.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(fieldSources, forKey: .fieldSources)
        }
    }

    static func line(_ label: String, _ v: String?, indent: String = "  ") -> String {
        guard let v, !v.isEmpty else { return "" }
        return indent + label.padding(toLength: 14, withPad: " ", startingAt: 0) + v + "\n"
    }

    static func when(_ iso: String?) -> String? { iso.map(DanishTime.stamp) }

    static func kroner(_ v: Decimal) -> String { Money(ore: NSDecimalNumber(decimal: v * 100).intValue).danish }

    static func bytes(_ n: Int) -> String {
        n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "da_DK"))) + " bytes"
    }

    /// Where each of the case's fields was read: its mails read again by today's rules, a later
    /// mail's reading winning; a field whose value is no longer what a mail gave (a correction) has none.
    static func sources(of d: CaseDetails, _ ws: Workspace) throws -> [String: CaseSource] {
        guard let record = try ws.store.record(label: d.reference) else { return [:] }
        let engine = IntakeEngine(config: ws.config)
        var out: [String: CaseSource] = [:]
        for id in try ws.store.messageIDs(ofCase: record.id) {
            guard let m = try ws.store.message(id) else { continue }
            let r = engine.evaluate(MailMessage(bytes: m.raw), received: m.receivedAt)
            for (key, source) in r.fieldSources where r.fields[key]?.display == d.fields[key] {
                out[key] = CaseSource(source: source.source.rawValue, line: source.line, mail: StoredMessage.label(id))
            }
        }
        return out
    }

    static func text(_ d: CaseDetails, sources: [String: CaseSource] = [:]) -> String {
        var s = "\(d.reference)  \(d.kindName) · \(d.statusName)\n"
        s += line("Titel:", d.title) + line("Afsender:", d.sender) + line("Lokalområde:", d.area)
        s += line("Modtaget:", when(d.received)) + line("Beløb:", d.amount.map(kroner)) + line("Bevilget:", d.approved.map(kroner))
        s += line("Hører til:", d.belongsTo) + line("Note:", d.note)
        if !d.fieldList.isEmpty { s += "\nFelter:\n" + d.fieldList.map { "  \($0.name): \($0.value)\n" }.joined() }
        let sourced = d.fieldList.filter { sources[$0.key] != nil }
        if !sourced.isEmpty {
            s += "\nKilder (hvor værdien er læst):\n" + sourced.map { f in
                let c = sources[f.key]!
                let kind = FieldSource.Kind(rawValue: c.source)?.danish ?? c.source
                return "  \(f.name): \(kind), \(c.mail): \"\(c.line)\"\n"
            }.joined()
        }
        if !d.missingNames.isEmpty { s += "\nMangler:\n" + d.missingNames.map { "  - \($0)\n" }.joined() }
        if !d.invalid.isEmpty { s += "\nUgyldigt:\n" + d.invalid.map { "  - \($0.name): \($0.reason)\n" }.joined() }
        if !d.hints.isEmpty { s += "\nHint:\n" + d.hints.map { "  - \($0)\n" }.joined() }
        if !d.linked.isEmpty {
            s += "\nTilknyttet:\n" + d.linked.map { "  \($0.reference)  \($0.kindName) · \($0.statusName)  \($0.title)\n" }.joined()
        }
        if !d.decisions.isEmpty {
            s += "\nBeslutninger:\n" + d.decisions.map {
                var what = $0.decisionName
                if !$0.trusted { what += ", ikke troværdig" } else if !$0.applied { what += ", ikke anvendt" }
                return "  \(when($0.at) ?? "")  \(what)  fra \($0.sender ?? "ukendt afsender") (\($0.mail))"
                    + ($0.comment.map { $0.isEmpty ? "" : ": \($0)" } ?? "") + "\n"
            }.joined()
        }
        s += "\nMails (\(d.mails.count)):\n"
        s += d.mails.isEmpty ? "  Ingen.\n" : d.mails.map { "\n" + mailText($0, indent: "  ", within: d.reference) }.joined()
        s += "\nSvar:\n" + (d.replies.isEmpty ? "  Ingen.\n" : d.replies.map(replyText).joined())
        s += "\nHistorik:\n" + d.history.map(eventText).joined()
        return s
    }

    /// One mail on its own: its headers, why it failed, its text, attachments, replies and history.
    static func text(_ m: MailDetails) -> String {
        var s = "\(m.reference)  mail · \(m.kindName) · \(m.statusName)\(m.belongsTo.map { "  (hører til \($0))" } ?? "")\n"
        if let e = m.error, !e.isEmpty { s += line("Fejl:", e) }
        let headers = line("Til:", m.to) + line("Dato-felt:", when(m.date)) + line("Message-ID:", m.messageID)
            + line("Størrelse:", bytes(m.size))
        s += mailText(m, indent: "", within: nil, heading: false, headers: headers)
        if !m.replies.isEmpty { s += "\nSvar:\n" + m.replies.map(replyText).joined() }
        if !m.history.isEmpty { s += "\nHistorik:\n" + m.history.map(eventText).joined() }
        return s
    }

    /// A mail inside a case: From, Modtaget, Emne, the new text and the quote apart, the attachments.
    static func mailText(_ m: MailDetails, indent: String, within caseReference: String?, heading: Bool = true,
                         headers: String = "") -> String {
        let body = indent + "    "
        func block(_ title: String, _ text: String) -> String {
            guard !text.isEmpty else { return "" }
            return "\(indent)  \(title)\n" + text.split(separator: "\n", omittingEmptySubsequences: false).map { "\(body)\($0)\n" }.joined()
        }
        var s = !heading ? "" : "\(indent)\(m.reference)  \(m.kindName)\(m.belongsTo.flatMap { $0 == caseReference ? nil : "  (hører til \($0))" } ?? "")\n"
        s += line("Fra:", m.from.isEmpty ? "(ingen afsender)" : m.from, indent: indent + "  ")
        s += line("Modtaget:", when(m.received), indent: indent + "  ")
        s += line("Emne:", m.subject.isEmpty ? "(intet emne)" : m.subject, indent: indent + "  ")
        s += headers
        if heading, m.status != "processed" { s += line("Status:", m.statusName, indent: indent + "  ") }
        if m.newText.isEmpty && m.quoted.isEmpty && m.forwarded.isEmpty {
            s += "\(indent)  (ingen tekst)\n"
        } else {
            s += block("Ny tekst (det afsenderen skrev nu):", m.newText.isEmpty ? "(ingen ny tekst)" : m.newText)
            s += block("Videresendt:", m.forwarded)
            s += block("Citeret (tidligere mail\(m.quoteMarker.map { ", fundet ved \($0)" } ?? "")):", m.quoted)
        }
        if !m.attachments.isEmpty {
            s += "\(indent)  Bilag:\n" + m.attachments.map {
                "\(body)\($0.name.isEmpty ? "(uden navn)" : $0.name)  \(bytes($0.size))  \($0.contentType)\n"
            }.joined()
        }
        return s
    }

    static func replyText(_ r: CaseDetails.Reply) -> String {
        var s = "  \(when(r.at) ?? "")  \(r.kindName) – \(r.statusName)  til \(r.to): \(r.subject)"
        if let e = r.lastError, !e.isEmpty, r.status != "sent" { s += "  (\(e))" }
        return s + "\n"
    }

    static func eventText(_ e: CaseDetails.Event) -> String {
        "  \(when(e.at) ?? "")  \(e.actorName): \(e.action)\(e.detail.map { " – \($0)" } ?? "")\n"
    }
}
