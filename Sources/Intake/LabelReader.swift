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
    /// The index of the line the label stands on, in the text read.
    public var line: Int = 0
    /// How the value was written: after a label, in a table row, or as prose under a heading.
    public var form: FieldSource.Kind = .label
    /// The label's line as written, for showing where a value came from.
    public var sourceLine: String = ""
    /// The part of the mail that held it when that is not the new text (forwarded mail, a Word file).
    public var part: FieldSource.Kind?
}

/// Reads `Label: value` texts in the layouts people use: one line, a label line followed by a
/// paragraph, numbered (`1.`, `1)`, `Punkt 1`), bulleted, and table rows (`Label\tValue`).
struct LabelReader {
    private struct Label {
        var folded: String
        var key: String
        /// The folded label's bytes when they are ASCII, so it can be matched byte for byte.
        var ascii: [UInt8]?
    }

    /// The labels by their folded first word, longest first: a line is tried only against those of its own first word.
    private let byFirstWord: [String: [Label]]
    /// The longest ASCII label in bytes: how much of a line needs folding to match them all.
    private let longestASCII: Int

    init(_ fields: [IntakeRules.FieldLabels]) {
        var all: [Label] = []
        for f in fields {
            for l in f.labels {
                let folded = Fold.key(l)
                let bytes = Array(folded.utf8)
                all.append(Label(folded: folded, key: f.key, ascii: !bytes.isEmpty && bytes.allSatisfy { $0 < 0x80 } ? bytes : nil))
            }
        }
        // Longest first, so "Navn på indsatsen" wins over "Navn"; a line starting with another word is no label line.
        let labels = all.sorted { $0.folded.count > $1.folded.count }
        byFirstWord = Dictionary(grouping: labels, by: { Self.firstWord($0.folded) })
        longestASCII = all.compactMap { $0.ascii?.count }.max() ?? 0
    }

    private static func firstWord(_ s: some StringProtocol) -> String {
        String(s.prefix { $0 != " " && $0 != "\t" && $0 != ":" && $0 != "(" && $0 != "\u{A0}" && $0 != "*" && $0 != "." && $0 != "/" })
    }

    /// `Fold.key(firstWord(body.prefix(40)))`, read off the bytes when every Character on the way
    /// is one ASCII or Latin scalar; nil sends the caller the Character way.
    private static func firstWordKey(_ body: Substring) -> String? {
        let end: Int? = body.utf8.withContiguousStorageIfAvailable { u -> Int? in
            var i = 0, characters = 0
            while i < u.count && characters < 40 {
                let b = u[i]
                let width: Int
                if b < 0x80 {
                    if b == 0x0D { return nil }
                    width = 1
                } else if b >= 0xC2 && b <= 0xCB {
                    width = 2
                } else {
                    return nil
                }
                if i + width < u.count && !PlainText.startsCharacter(u[i + width]) { return nil }
                if b == 0x20 || b == 0x09 || b == 0x3A || b == 0x28 || b == 0x2A || b == 0x2E || b == 0x2F || (b == 0xC2 && u[i + 1] == 0xA0) { break }
                i += width
                characters += 1
            }
            return i
        } ?? nil
        guard let end else { return nil }
        return Fold.key(body[..<body.utf8.index(body.startIndex, offsetBy: end)])
    }

    /// Every field found, first occurrence of each key, in text order.
    func read(_ text: String) -> [LabeledValue] {
        let lines = text.lineSlices()
        var heads: [(line: Int, key: String, label: String, inline: String)] = []
        for (i, line) in lines.enumerated() {
            if let h = head(of: line) { heads.append((i, h.key, h.label, h.value)) }
        }
        return values(heads, lines)
    }

    /// The value under each label head (`line` its index in `lines`), first occurrence of each key.
    func values(_ heads: [(line: Int, key: String, label: String, inline: String)], _ lines: [Substring],
                form: FieldSource.Kind? = nil) -> [LabeledValue] {
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
                    // A label line's paragraph may start after one blank line; a value ends at one,
                    // except a budget whose items stand apart ("Leje 1.500 kr.", blank, "Flyers 300 kr.").
                    if h.key == "budget", !valueLines.isEmpty, blanks == 1, i + 1 < next,
                       Self.looksLikeAmount(lines[i + 1]), Self.looksLikeAmount(Substring(valueLines[valueLines.count - 1])) {
                        i += 1
                        continue
                    }
                    if !valueLines.isEmpty || blanks > 1 { break }
                } else {
                    blanks = 0
                    if Self.endsValue(l) { break }
                    valueLines.append(l)
                }
                i += 1
            }
            let headLine = lines[h.line]
            let kind = form ?? (PlainText.contains(headLine, "\t") ? .table : .label)
            // The line the value was read from: the label's own, or the first under it.
            let source = h.inline.isEmpty ? valueLines.first ?? String(headLine) : String(headLine)
            found.append(LabeledValue(key: h.key, label: h.label, value: valueLines.joined(separator: "\n"),
                                      lines: valueLines, line: h.line, form: kind,
                                      sourceLine: source.trimmingWhitespace()))
        }
        return found
    }

    /// A line with a digit and a kroner word or ",-": cheap, for telling a budget's next item.
    static func looksLikeAmount(_ line: Substring) -> Bool {
        guard line.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        let f = Fold.key(line)
        return f.contains("kr") || f.contains("dkk") || f.contains(",-") || f.contains(".-")
    }

    private static let closings = ["med venlig hilsen", "venlig hilsen", "venlige hilsner", "mange hilsner", "mvh", "vh",
                                   "de bedste hilsner", "bedste hilsner", "hilsen", "kh", "kaerlig hilsen", "god dag",
                                   "pa forhand tak", "tak for hjaelpen", "best regards", "kind regards", "regards",
                                   "best wishes", "sincerely", "yours sincerely", "thank you", "thanks", "--"]

    /// A greeting or signature separator ends any value.
    static func endsValue(_ line: String) -> Bool {
        guard line.utf8.count <= 40 else { return false }   // closings are short; long lines need no folding
        let f = Fold.key(line).trimmingTrailingPunctuation()
        return closings.contains(f)
    }

    /// The label at the start of `line`, and the value after it on the same line.
    func head(of line: String) -> (key: String, label: String, value: String)? { head(of: line[...]) }

    func head(of line: Substring) -> (key: String, label: String, value: String)? {
        var body = Self.strippingNumbering(line)
        // Gmail's plain text writes bold as "*Periode:*": the stars are no part of the label.
        if body.first == "*" || body.first == "_" {
            body = Self.strippingNumbering(body.drop { $0 == "*" || $0 == "_" })
        }
        guard !body.isEmpty, body.utf8.count < 800 else { return nil }
        guard let candidates = byFirstWord[Self.firstWordKey(body) ?? Fold.key(Self.firstWord(body.prefix(40)))] else { return nil }
        let ends = PlainText.isPlain(body) ? labelEnds(body) : nil
        var folded: String?
        for l in candidates {
            var end = body.startIndex
            if let ends, let t = l.ascii {
                // Plain text: Characters are scalars, so the label ends where its folding does.
                guard t.count < ends.folded.count || (t.count == ends.folded.count && ends.complete),
                      ends.folded.starts(with: t), let e = ends.at[t.count] else { continue }
                end = body.utf8.index(body.startIndex, offsetBy: e)
            } else {
                if folded == nil { folded = Fold.key(body) }
                guard folded!.hasPrefix(l.folded) else { continue }
                // Where the label ends in the original text (folding may change lengths: æ → ae).
                var matched = false
                while end < body.endIndex {
                    end = body.index(after: end)
                    let f = Fold.key(body[..<end])
                    if f == l.folded { matched = true; break }
                    if f.count > l.folded.count { break }
                }
                guard matched else { continue }
            }
            var rest = body[end...]
            if rest.first == "*" || rest.first == "_" { rest = rest.drop { $0 == "*" || $0 == "_" } }
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
            // "Evaluering. Logbog og en opsamling": the label as a sentence of its own, then the value.
            if c == ".", afterSpaces.count == rest.count, let n = afterSpaces.dropFirst().first, n == " ",
               let v = afterSpaces.dropFirst().drop(while: { $0 == " " }).first, v.isUppercase || v.isNumber {
                return (l.key, String(body[..<end]), String(afterSpaces.dropFirst()).trimmingWhitespace())
            }
            switch c {
            case ":", "\t", "-", "–", "—", "=":
                if c == "-", afterSpaces.count == rest.count { continue }   // "Mål-gruppe"
                let value = afterSpaces.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == ":" || $0 == "\u{A0}" || $0 == "*" }
                return (l.key, String(body[..<end]), String(value).trimmingWhitespace())
            default:
                // "Budget for indsatsen:", "Budgettet er nu:": a few words of the label's own before the colon.
                guard afterSpaces.count < rest.count || c == "/", let colon = afterSpaces.prefix(32).firstIndex(of: ":") else { continue }
                let words = afterSpaces[..<colon]
                guard words.allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" || $0 == "/" }), words.split(separator: " ").count <= 4 else { continue }
                let value = afterSpaces[afterSpaces.index(after: colon)...].drop { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "*" }
                return (l.key, String(body[..<end]), String(value).trimmingWhitespace())
            }
        }
        return nil
    }

    /// The start of `body` folded as far as the longest label reaches, and for each length of that
    /// folding the byte offset in `body` where the folding of the text before it has exactly that
    /// length (nil where one character's folding jumps over it, as æ → ae can).
    private func labelEnds(_ body: Substring) -> (folded: [UInt8], at: [Int?], complete: Bool)? {
        body.utf8.withContiguousStorageIfAvailable { u in
            var out = Fold.Output(capacity: longestASCII + 8)
            var at = [Int?](repeating: nil, count: longestASCII + 2)
            at[0] = 0
            var i = 0
            while i < u.count && out.bytes.count <= longestASCII {
                Fold.fold(u, at: &i, into: &out)
                let n = out.bytes.count
                if n < at.count && at[n] == nil { at[n] = i }
            }
            return (out.bytes, at, i == u.count)
        }
    }

    /// The line without leading blanks, bullets and numbering: "1.", "1)", "(1)", "Punkt 1:", "•".
    static func strippingNumbering(_ line: String) -> Substring { strippingNumbering(line[...]) }

    static func strippingNumbering(_ line: Substring) -> Substring {
        // A line that starts with a letter other than P has nothing to strip, whatever follows it.
        if let b = line.utf8.first, b | 0x20 >= 0x61 && b | 0x20 <= 0x7A && b | 0x20 != 0x70 { return line }
        if let quick = line.utf8.withContiguousStorageIfAvailable(strippedStart), let start = quick {
            return line[line.utf8.index(line.startIndex, offsetBy: start)...]
        }
        return strippingNumberingByCharacters(line)
    }

    /// `strippingNumbering` Character by Character: for text the byte path does not decide.
    static func strippingNumberingByCharacters(_ line: Substring) -> Substring {
        var s = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
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
        // "7.200 kr." is an amount, not point 7.
        if t.first == ".", let d = t.dropFirst().first, d.isASCII && d.isNumber { return s }
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

    /// Where `strippingNumbering` lets the line start, worked out on the bytes as long as every
    /// Character it looks at is one ASCII or Latin scalar; nil sends the caller the Character way.
    private static func strippedStart(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        // The Character at `i`: its scalar and width, (-1, 0) at the end, nil when unsure.
        func at(_ i: Int) -> (c: Int, width: Int)? {
            guard i < u.count else { return (-1, 0) }
            let b = u[i]
            let c: Int, width: Int
            if b < 0x80 {
                guard b != 0x0D else { return nil }
                (c, width) = (Int(b), 1)
            } else if b >= 0xC2 && b <= 0xCB {
                (c, width) = (Int(b & 0x1F) << 6 | Int(u[i + 1] & 0x3F), 2)
            } else {
                return nil
            }
            guard i + width == u.count || PlainText.startsCharacter(u[i + width]) else { return nil }
            return (c, width)
        }
        let space = 0x20, tab = 0x09, nbsp = 0xA0
        // Past the spaces at `from`, and past tabs and NBSP too unless `onlySpaces`.
        func dropping(_ from: Int, onlySpaces: Bool = false) -> Int? {
            var i = from
            while true {
                guard let (c, w) = at(i) else { return nil }
                guard c == space || (!onlySpaces && (c == tab || c == nbsp)) else { return i }
                i += w
            }
        }
        guard var s = dropping(0) else { return nil }
        guard let (f, fw) = at(s) else { return nil }
        if f == 0x2D || f == 0x2A || f == 0xB7 {   // "-", "*", "·"; "•", "▪" and "–" are not Latin and never get here
            guard let (next, _) = at(s + fw) else { return nil }
            if next == space {
                guard let d = dropping(s + fw, onlySpaces: true) else { return nil }
                s = d
            }
        }
        var t = s
        var isPunkt = true
        for (k, p) in "punkt ".utf8.enumerated() {
            guard let (c, _) = at(s + k) else { return nil }
            let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            if lower != Int(p) { isPunkt = false; break }
        }
        if isPunkt {
            t += 6
        } else {
            guard let (c, _) = at(t) else { return nil }
            if c == 0x28 { t += 1 }
        }
        var digits = 0
        while true {
            guard let (c, _) = at(t + digits) else { return nil }
            guard c >= 0x30 && c <= 0x39 else { break }
            digits += 1
        }
        guard digits > 0, digits <= 2 else { return s }
        t += digits
        guard let (c, _) = at(t) else { return nil }
        if c == 0x2E {
            guard let (d, _) = at(t + 1) else { return nil }
            if d >= 0x30 && d <= 0x39 { return s }
        }
        if c == 0x2E || c == 0x29 || c == 0x3A {
            t += 1
        } else if c != space && !isPunkt {
            return s
        }
        guard let d = dropping(t) else { return nil }
        t = d
        guard let (e, _) = at(t) else { return nil }
        if e == 0x2D || e == 0x3A {
            guard let d = dropping(t + 1, onlySpaces: true) else { return nil }
            t = d
        }
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
