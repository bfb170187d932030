import MailCore

/// Reads an application written as prose rather than `Label: value`: numbered points with a
/// heading line of their own words ("2) Hvornår løber indsatsen?", "1. Indsatsens navn og idé")
/// and a paragraph under it, question headings without a number, and numbered paragraphs
/// ("3. Vi henvender os til drenge på 12–15 år …") that take the field of the form's point with
/// that number (seed 000: 1 navn … 8 tovholder) when their words name none.
struct ProseReader: Sendable {
    private struct Cue {
        var key: String
        /// Folded words; the last may be a stem ("samarbejd" for "samarbejder", "samarbejdspartnere").
        var words: [String]
    }

    private let cues: [Cue]
    private let points: [String]
    private let labels: LabelReader

    init(headingWords: [IntakeRules.FieldLabels], points: [String], labels: LabelReader) {
        cues = headingWords.flatMap { f in
            f.labels.map { Cue(key: f.key, words: Fold.key($0).split(separator: " ").map(String.init)) }
        }
        self.points = points
        self.labels = labels
    }

    /// Whether any heading words are configured: without them prose is not read.
    var hasCues: Bool { !cues.isEmpty }

    private static let questionWords: Set<String> = ["hvordan", "hvad", "hvem", "hvor", "hvornar", "hvilke", "hvilken", "hvorfor",
                                                      "how", "what", "who", "where", "when", "which", "why"]

    /// The field a heading names: by the earliest cue in it, a content word ("evaluere") before a
    /// question ("hvordan vil I …"); nil when it names none.
    func key(ofHeading heading: some StringProtocol) -> String? {
        let words = Fold.key(heading).split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init)
        var best: (weak: Bool, at: Int, order: Int, key: String)?
        for (order, cue) in cues.enumerated() {
            guard let at = Self.find(cue.words, in: words) else { continue }
            let weak = Self.questionWords.contains(cue.words[0])
            let better = best.map { b in (weak ? 1 : 0, at, order) < (b.weak ? 1 : 0, b.at, b.order) } ?? true
            if better { best = (weak, at, order, cue.key) }
        }
        return best?.key
    }

    /// Where `phrase` starts in `words`: every word equal, the last one a prefix.
    private static func find(_ phrase: [String], in words: [String]) -> Int? {
        guard !phrase.isEmpty, words.count >= phrase.count else { return nil }
        for i in 0...(words.count - phrase.count) {
            var ok = true
            for (n, p) in phrase.enumerated() {
                let w = words[i + n]
                if n == phrase.count - 1 ? !stem(p, matches: w) : w != p { ok = false; break }
            }
            if ok { return i }
        }
        return nil
    }

    /// A cue's last word matches as a stem ("samarbejd" → "samarbejdspartnere"); a short one only
    /// as a word with a Danish ending ("mål" → "målet", never "måler" or "målgruppe").
    private static func stem(_ p: String, matches w: String) -> Bool {
        guard w.hasPrefix(p) else { return false }
        if p.count >= 4 { return true }
        return ["", "et", "ene", "en", "e", "s", "ets"].contains(String(w.dropFirst(p.count)))
    }

    /// A numbered line: its number and the text after it ("1. Navn…", "2) …", "(3) …", "Punkt 4: …").
    static func numbered(_ line: Substring) -> (number: Int, rest: Substring)? {
        var t = line.drop { $0 == " " || $0 == "\t" || $0 == "*" || $0 == "_" }
        let f = t.prefix(6).lowercased()
        if f.hasPrefix("punkt ") { t = t.dropFirst(6) } else if f.hasPrefix("ad ") { t = t.dropFirst(3) }
        if t.first == "(" { t = t.dropFirst() }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let n = Int(digits), (1...20).contains(n) else { return nil }
        t = t.dropFirst(digits.count)
        guard let c = t.first, c == "." || c == ")" || c == ":" || c == " " || c == "\t" else { return nil }
        if c != " " && c != "\t" { t = t.dropFirst() }
        // "1. marts 2027" and "1.500 kr." are no points: a point's text starts with a letter after a blank.
        guard let b = t.first, b == " " || b == "\t" || b == "\u{A0}" else { return nil }
        t = t.drop { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "-" || $0 == "–" || $0 == "*" || $0 == "_" }
        guard let l = t.first, l.isLetter else { return nil }
        if DanishValues.monthNumbers[Fold.key(t.prefix { $0.isLetter })] != nil { return nil }
        return (n, t)
    }

    /// Whether `rest` is a heading (a short title or a question) rather than the paragraph itself.
    static func isHeading(_ rest: Substring) -> Bool {
        let t = rest.trimmingWhitespace().filter { $0 != "*" && $0 != "_" }
        let words = t.split(separator: " ").count
        if t.hasSuffix("?") || t.hasSuffix(":") { return words <= 16 }
        return words <= 8 && !t.hasSuffix(".") && t.count <= 80
    }

    /// The first and last byte of `line` that are no blank, as a cheap test of what it can be.
    private static func ends(_ line: Substring) -> (first: UInt8, last: UInt8)? {
        let u = line.utf8
        guard let f = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }), let l = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D })
        else { return nil }
        return (u[f], u[l])
    }

    /// The prose sections of `lines` for the fields not in `known`, in text order; nothing when the
    /// labels gave every field in `required` (an application written with labels is not prose).
    func read(_ lines: [Substring], known: Set<String>, required: [String] = []) -> [LabeledValue] {
        guard cues.contains(where: { !known.contains($0.key) }), required.isEmpty || required.contains(where: { !known.contains($0) })
        else { return [] }
        // Heads: numbered lines, and question lines of their own that name a field.
        struct Head { var line: Int; var number: Int?; var rest: Substring; var heading: Bool }
        var heads: [Head] = []
        for (i, line) in lines.enumerated() {
            guard let (first, last) = Self.ends(line) else { continue }
            let digitFirst = first >= 0x30 && first <= 0x39
            if digitFirst || first == 0x28 || first == 0x2A || first == 0x5F || first | 0x20 == 0x70 || first | 0x20 == 0x61,
               let (n, rest) = Self.numbered(line) {
                heads.append(Head(line: i, number: n, rest: rest, heading: Self.isHeading(rest)))
            } else if last == UInt8(ascii: "?") {
                let t = line.trimmingWhitespace()
                if t.split(separator: " ").count <= 14, key(ofHeading: t) != nil, labels.head(of: line) == nil {
                    heads.append(Head(line: i, number: nil, rest: line, heading: true))
                }
            }
        }
        guard !heads.isEmpty else { return [] }
        // The form's numbering counts only when the points run 1, 2, 3 … as the form's do.
        let numbers = heads.compactMap(\.number)
        let follows = numbers.count >= 4 && numbers.first == 1 && zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 + 1 }
        var out: [LabeledValue] = []
        var seen = known
        for (k, h) in heads.enumerated() {
            let next = k + 1 < heads.count ? heads[k + 1].line : lines.count
            var body: [String] = []
            if !h.heading { body.append(h.rest.trimmingWhitespace()) }
            var i = h.line + 1
            var blanks = 0
            while i < next {
                let l = lines[i].trimmingWhitespace()
                if l.isEmpty {
                    blanks += 1
                    if !body.isEmpty || blanks > 1 { break }
                } else {
                    if LabelReader.endsValue(l) || labels.head(of: lines[i]) != nil { break }
                    body.append(l)
                }
                i += 1
            }
            guard !body.isEmpty else { continue }
            var key = h.heading ? key(ofHeading: h.rest) : key(ofHeading: h.rest.split(separator: " ").prefix(6).joined(separator: " "))
            if !h.heading, follows, let n = h.number, n <= points.count { key = points[n - 1] }
            if key == nil, follows, let n = h.number, n <= points.count { key = points[n - 1] }
            guard let key, seen.insert(key).inserted else { continue }
            out.append(LabeledValue(key: key, label: String(h.rest), value: body.joined(separator: "\n"), lines: body,
                                    line: h.line, form: .sentence, sourceLine: body[0]))
        }
        return out
    }
}
