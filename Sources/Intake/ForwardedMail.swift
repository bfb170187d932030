import Foundation
import MailCore

/// A mail inside a forward, as the forwarding client wrote it into the text: the original
/// sender's `Fra:`/`From:` line, its subject and date, and what the original sender wrote.
public struct ForwardedMail: Sendable, Hashable {
    /// The original sender's name as people say it ("Rashid, Ahmad" → "Ahmad Rashid"); nil when only an address was given.
    public var fromName: String?
    public var fromAddress: String?
    public var subject: String?
    /// The original's own words: its text above any quote it carries.
    public var body: String
    /// The `Fra:` line as written.
    public var fromLine: String?

    /// The forwarded mails in `forwarded` (`TextSections.forwarded`), the outermost first and the
    /// original last, at most four deep: an area consultant forwards what a coordinator forwarded.
    public static func chain(_ forwarded: String) -> [ForwardedMail] {
        var out: [ForwardedMail] = []
        var text = forwarded
        while out.count < 4, !text.isEmpty, let m = parse(text) {
            out.append(m.mail)
            text = m.rest
        }
        return out
    }

    /// The original mail of a forward: the last of `chain`.
    public static func original(in forwarded: String) -> ForwardedMail? { chain(forwarded).last }

    private static let separators = ["videresendt besked", "videresendt meddelelse", "forwarded message", "videresendt e-mail",
                                     "videresendt mail", "oprindelig meddelelse", "original message", "oprindelig besked"]
    private static let leads = ["begin forwarded message:", "start pa videresendt besked:", "videresendt besked:",
                                "videresendt meddelelse:"]
    private enum Field { case from, date, to, subject }
    private static let labels: [(String, Field)] = [
        ("fra", .from), ("from", .from), ("afsender", .from), ("sendt", .date), ("sent", .date), ("dato", .date), ("date", .date),
        ("til", .to), ("to", .to), ("cc", .to), ("bcc", .to), ("emne", .subject), ("subject", .subject),
    ]

    /// The header field a forward block's line starts with ("Fra: …", "*From:* …"), and its value.
    private static func headerLine(_ line: Substring) -> (Field, String)? {
        let t = line.drop { $0 == " " || $0 == "\t" || $0 == "*" || $0 == ">" }
        guard let colon = t.prefix(12).firstIndex(of: ":") else { return nil }
        let name = Fold.key(t[..<colon].filter { $0 != "*" }).trimmingWhitespace()
        guard let field = labels.first(where: { $0.0 == name })?.1 else { return nil }
        let value = t[t.index(after: colon)...].drop { $0 == " " || $0 == "*" || $0 == "\t" }
        return (field, String(value).trimmingWhitespace())
    }

    /// The first forwarded mail in `text` and the text after its own words (a forward inside it).
    private static func parse(_ text: String) -> (mail: ForwardedMail, rest: String)? {
        let lines = text.lineSlices()
        var i = 0
        func blank(_ k: Int) -> Bool { lines[k].allSatisfy { $0 == " " || $0 == "\t" } }
        // Up to the separator or the block's first field, past blank lines and the forwarder's own words.
        var start: Int?
        while i < lines.count, start == nil {
            let f = Fold.key(lines[i]).trimmingWhitespace()
            let core = f.trimmingEdges(of: "-_ ")
            if (f.hasPrefix("--") || f.hasPrefix("__")) && separators.contains(core) || leads.contains(f) {
                start = i + 1
            } else if let (field, _) = headerLine(lines[i]), field == .from, i + 1 < lines.count,
                      (i + 1..<min(lines.count, i + 8)).contains(where: { headerLine(lines[$0]) != nil }) {
                start = i
            }
            i += 1
        }
        guard let first = start else { return nil }
        i = first
        while i < lines.count, blank(i) { i += 1 }
        var mail = ForwardedMail(body: "")
        var sawField = false
        var lastField: Field?
        while i < lines.count {
            if blank(i) {
                // Gmail leaves a blank line inside its block only before the next field.
                var k = i
                while k < lines.count, blank(k) { k += 1 }
                if k < lines.count, headerLine(lines[k]) != nil, mail.subject == nil { i = k; continue }
                break
            }
            guard let (field, value) = headerLine(lines[i]) else {
                // A long Til: line wraps; anything else ends the block.
                if lastField == .to, mail.subject == nil { i += 1; continue }
                break
            }
            sawField = true
            lastField = field
            switch field {
            case .from:
                if mail.fromLine == nil {
                    mail.fromLine = String(lines[i]).trimmingWhitespace()
                    mail.fromAddress = DanishValues.email(in: value)
                    mail.fromName = Self.name(value)
                }
            case .subject: if mail.subject == nil { mail.subject = value }
            case .date, .to: break
            }
            i += 1
        }
        guard sawField, mail.fromLine != nil else { return nil }
        let body = text.joining(lines: lines[min(i, lines.count)...])
        let inner = QuoteSplitter.split(body, subject: mail.subject.map { "VS: " + $0 })
        mail.body = inner.newText
        return (mail, inner.forwarded)
    }

    /// The name of a `Fra:` value: `Ahmad Rashid <ahmad@kk.dk>`, `"Rashid, Ahmad" [mailto:…]`, or the
    /// address's own words (`ahmad.rashid@kk.dk` → "Ahmad Rashid").
    static func name(_ value: String) -> String? {
        var v = Substring(value)
        for cut in ["<", "[mailto:", "[", "(mailto:"] {
            if let r = v.range(of: cut) { v = v[..<r.lowerBound] }
        }
        let n = PersonName.natural(String(v).trimmingEdges(of: " \"'"))
        if !n.isEmpty, n.contains(where: \.isLetter), !n.contains("@") { return n }
        guard let address = DanishValues.email(in: value), let at = address.firstIndex(of: "@") else { return nil }
        let parts = address[..<at].split { $0 == "." || $0 == "_" || $0 == "-" }
        guard parts.count >= 2, parts.allSatisfy({ $0.count >= 2 && $0.allSatisfy(\.isLetter) }) else { return nil }
        return parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}
