import MailCore

/// One labelled value found in a text: "Periode: 1. marts – 30. juni 2027".
public struct LabeledValue: Sendable, Hashable {
    /// The field key the label belongs to (`period`).
    public var key: String
    /// The label as written.
    public var label: String
    /// The value's lines joined by "\n"; table cells stay separated by "\t".
    public var value: String
    /// The value's lines, for line-by-line readers such as the budget.
    public var lines: [String]
}

/// Reads `Label: value` texts in the layouts people use: one line, a label line followed by a
/// paragraph, numbered (`1.`, `1)`, `Punkt 1`), bulleted, and table rows (`Label\tValue`).
struct LabelReader {
    private struct Label {
        var folded: String
        var key: String
    }

    private let labels: [Label]
    /// The folded first word of every label: a line starting with another word is no label line.
    private let firstWords: Set<String>

    init(_ fields: [IntakeRules.FieldLabels]) {
        var all: [Label] = []
        for f in fields {
            for l in f.labels { all.append(Label(folded: Fold.key(l), key: f.key)) }
        }
        // Longest first, so "Navn på indsatsen" wins over "Navn".
        labels = all.sorted { $0.folded.count > $1.folded.count }
        firstWords = Set(all.map { Self.firstWord($0.folded) })
    }

    private static func firstWord(_ s: some StringProtocol) -> String {
        String(s.prefix { $0 != " " && $0 != "\t" && $0 != ":" && $0 != "(" && $0 != "\u{A0}" })
    }

    /// Every field found, first occurrence of each key, in text order.
    func read(_ text: String) -> [LabeledValue] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var heads: [(line: Int, key: String, label: String, inline: String)] = []
        for (i, line) in lines.enumerated() {
            if let h = head(of: line) { heads.append((i, h.key, h.label, h.value)) }
        }
        var found: [LabeledValue] = []
        var seen = Set<String>()
        for (n, h) in heads.enumerated() {
            let next = n + 1 < heads.count ? heads[n + 1].line : lines.count
            guard seen.insert(h.key).inserted else { continue }
            var valueLines: [String] = []
            if !h.inline.isEmpty { valueLines.append(h.inline) }
            var i = h.line + 1
            var blanks = 0
            while i < next {
                let l = lines[i].trimmingWhitespace()
                if l.isEmpty {
                    blanks += 1
                    // A label line's paragraph may start after one blank line; a value ends at one.
                    if !valueLines.isEmpty || blanks > 1 { break }
                } else {
                    if Self.endsValue(l) { break }
                    valueLines.append(l)
                }
                i += 1
            }
            found.append(LabeledValue(key: h.key, label: h.label, value: valueLines.joined(separator: "\n"),
                                      lines: valueLines))
        }
        return found
    }

    private static let closings = ["med venlig hilsen", "venlig hilsen", "mvh", "de bedste hilsner", "bedste hilsner",
                                   "hilsen", "kh", "best regards", "kind regards", "--"]

    /// A greeting or signature separator ends any value.
    static func endsValue(_ line: String) -> Bool {
        guard line.utf8.count <= 40 else { return false }   // closings are short; long lines need no folding
        let f = Fold.key(line).trimmingTrailingPunctuation()
        return closings.contains(f)
    }

    /// The label at the start of `line`, and the value after it on the same line.
    func head(of line: String) -> (key: String, label: String, value: String)? {
        let body = Self.strippingNumbering(line)
        guard !body.isEmpty, body.utf8.count < 800 else { return nil }
        guard firstWords.contains(Fold.key(Self.firstWord(body.prefix(40)))) else { return nil }
        let folded = Fold.key(body)
        for l in labels where folded.hasPrefix(l.folded) {
            // Where the label ends in the original text (folding may change lengths: æ → ae).
            var end = body.startIndex
            var matched = false
            while end < body.endIndex {
                end = body.index(after: end)
                let f = Fold.key(body[..<end])
                if f == l.folded { matched = true; break }
                if f.count > l.folded.count { break }
            }
            guard matched else { continue }
            var rest = body[end...]
            // "Tovholder (navn, mail og telefon):"
            let restTrim = rest.drop { $0 == " " }
            if restTrim.first == "(", let close = restTrim.firstIndex(of: ")") {
                rest = restTrim[restTrim.index(after: close)...]
            }
            let afterSpaces = rest.drop { $0 == " " || $0 == "\u{A0}" }
            guard let c = afterSpaces.first else {
                return (l.key, String(body[..<end]), "")
            }
            // The next character must separate label and value, or this is a word that merely starts like a label.
            switch c {
            case ":", "\t", "-", "–", "—", "=":
                if c == "-", afterSpaces.count == rest.count { continue }   // "Mål-gruppe"
                let value = afterSpaces.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == ":" || $0 == "\u{A0}" }
                return (l.key, String(body[..<end]), String(value).trimmingWhitespace())
            default:
                continue
            }
        }
        return nil
    }

    /// The line without leading blanks, bullets and numbering: "1.", "1)", "(1)", "Punkt 1:", "•".
    static func strippingNumbering(_ line: String) -> Substring {
        var s = line[...].drop { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
        if let f = s.first, "-•*·▪–".contains(f), s.dropFirst().first == " " {
            s = s.dropFirst().drop { $0 == " " }
        }
        var t = s
        let isPunkt = t.prefix(6).lowercased() == "punkt "
        if isPunkt {
            t = t.dropFirst(6)
        } else if t.first == "(" {
            t = t.dropFirst()
        }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2 else { return s }
        t = t.dropFirst(digits.count)
        if let c = t.first, c == "." || c == ")" || c == ":" {
            t = t.dropFirst()
        } else if t.first != " " && !isPunkt {
            return s
        }
        t = t.drop { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
        if let c = t.first, c == "-" || c == "–" || c == ":" { t = t.dropFirst().drop { $0 == " " } }
        // "1. marts 2027" is a date, not a numbered line: numbering needs a label after it anyway.
        return t
    }
}

extension StringProtocol {
    func trimmingTrailingPunctuation() -> String {
        var s = self[...]
        while let l = s.last, l == "," || l == "." || l == "!" || l == ":" || l == " " { s = s.dropLast() }
        return String(s)
    }
}
