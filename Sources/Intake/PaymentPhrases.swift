import MailCore

/// How a receipt says it was paid: with the municipality's card ("firmakort", "kommunens kort",
/// "indkøbskortet") or privately ("lagt ud", "betalt privat", "med mit eget kort"), as people
/// phrase it, with a negation read ("ikke med firmakortet", "har intet firmakort").
struct PaymentPhrases: Sendable {
    /// One phrase as words; an empty word stands for a gap of up to four words ("lagt … ud").
    struct Phrase: Sendable, Hashable {
        var words: [String]
        var written: String
    }

    /// What a text says about the card, and the phrase and line that say it.
    struct Finding: Sendable, Hashable {
        var companyCard: Bool
        var phrase: String
        var line: String
    }

    let company: [Phrase]
    let privately: [Phrase]
    let negations: Set<String>

    init(company: [String], privately: [String], negations: [String]) {
        func phrase(_ s: String) -> Phrase {
            let words = Self.tokens(s.replacingOccurrences(of: "…", with: " \u{1} ").replacingOccurrences(of: "...", with: " \u{1} "))
                .map { $0.word == "\u{1}" ? "" : $0.word }
            return Phrase(words: words, written: s)
        }
        self.company = company.map(phrase).filter { !$0.words.isEmpty }
        self.privately = privately.map(phrase).filter { !$0.words.isEmpty }
        self.negations = Set(negations.map { Fold.key($0) })
        var index: [String: [(phrase: Phrase, company: Bool)]] = [:]
        for (list, isCompany) in [(self.company, true), (self.privately, false)] {
            for p in list where !p.words[0].isEmpty { index[p.words[0], default: []].append((p, isCompany)) }
        }
        byFirstWord = index
    }

    /// The phrases by their first word: a text word is tried only against those it can start.
    private let byFirstWord: [String: [(phrase: Phrase, company: Bool)]]

    /// The first words a text word can stand for: itself, without a Danish ending, and "kort" in a compound.
    private static func stems(_ w: String) -> [String] {
        var out = [w]
        for e in endings where w.count > e.count + 1 && w.hasSuffix(e) { out.append(String(w.dropLast(e.count))) }
        if out.contains(where: { $0.hasSuffix("kort") && $0 != "kort" }) { out.append("kort") }
        return out
    }

    /// A word of the text and whether a clause ends after it ("," "." ";" ":" "(" or a blank line).
    struct Token: Hashable {
        var word: String
        var line: Int
        var endsClause = false
        var colonAfter = false
    }

    /// The folded words of `text`; a dot ends a clause only before a capital letter or a line's end,
    /// so "lagt 845 kr. ud" stays one clause.
    static func tokens(_ text: String) -> [Token] {
        var out: [Token] = []
        var word = ""
        var line = 0
        let chars = Array(text)
        func flush() {
            if !word.isEmpty { out.append(Token(word: Fold.key(word), line: line)) }
            word = ""
        }
        for (i, c) in chars.enumerated() {
            if c.isLetter || c.isNumber || c == "\u{1}" {
                word.append(c)
                continue
            }
            flush()
            switch c {
            case ",", ";", ":", "!", "?", "(", ")", "–":
                if let l = out.indices.last {
                    out[l].endsClause = true
                    if c == ":" { out[l].colonAfter = true }
                }
            case ".":
                var k = i + 1
                while k < chars.count, chars[k] == " " { k += 1 }
                if k >= chars.count || chars[k].isNewline || chars[k].isUppercase, let l = out.indices.last { out[l].endsClause = true }
            case "\n":
                if i + 1 < chars.count, chars[i + 1] == "\n" || chars[i + 1] == "\r", let l = out.indices.last { out[l].endsClause = true }
                line += 1
            default:
                break
            }
        }
        flush()
        return out
    }

    /// Whether text word `w` is pattern word `p`, also with a Danish ending: kort → kortet, kortene.
    @inline(__always) static func same(_ w: String, _ p: String) -> Bool {
        if w.hasPrefix(p) {
            let rest = w.dropFirst(p.count)
            if rest.isEmpty || endings.contains(String(rest)) { return true }
        }
        // A card in a compound: "kort" is also "betalingskortet", "dankort" (cards are what these phrases name).
        guard p.hasSuffix("kort"), w.count > p.count, w.utf8.count < 40 else { return false }
        return cardForms(p).contains { w.hasSuffix($0) }
    }

    private static func cardForms(_ p: String) -> [String] {
        p == "kort" ? kortForms : [p] + endings.map { p + $0 }
    }

    private static let kortForms = ["kort"] + endings.map { "kort" + $0 }

    private static let endings: Set<String> = ["et", "en", "ene", "e", "s", "ets", "ens", "t"]

    /// The first match of `p` starting at token `i`: the index after it, or nil.
    private static func match(_ p: Phrase, _ t: [Token], at i: Int) -> Int? {
        var k = i
        var n = 0
        while n < p.words.count {
            let w = p.words[n]
            if w.isEmpty {
                // A gap: the rest of the phrase within four words, in the same clause.
                let rest = Phrase(words: Array(p.words[(n + 1)...]), written: p.written)
                var j = k
                while j <= min(t.count - 1, k + 4) {
                    if let end = match(rest, t, at: j) { return end }
                    if t[j].endsClause { return nil }
                    j += 1
                }
                return nil
            }
            guard k < t.count, same(t[k].word, w) else { return nil }
            if n + 1 < p.words.count, t[k].endsClause, !p.words[n + 1].isEmpty { return nil }
            k += 1
            n += 1
        }
        return k
    }

    /// A negation among the three words before `i` in the same clause ("har ikke et firmakort"),
    /// or a "nej" right after the phrase ("Firmakort: nej").
    private func negated(_ t: [Token], _ i: Int, _ end: Int) -> Bool {
        var k = i - 1
        while k >= 0, k >= i - 3, !t[k].endsClause {
            if negations.contains(t[k].word) { return true }
            k -= 1
        }
        if end < t.count, t[end - 1].colonAfter || !t[end - 1].endsClause, ["nej", "no", "ikke"].contains(t[end].word) { return true }
        return false
    }

    /// What `text` says, the last statement winning ("Firmakortet virkede ikke, så jeg betalte selv").
    func finding(in text: String) -> Finding? {
        let t = Self.tokens(text)
        guard !t.isEmpty else { return nil }
        var found: [(start: Int, company: Bool, phrase: String)] = []
        for i in t.indices {
            var tried = Set<String>()
            for stem in Self.stems(t[i].word) where tried.insert(stem).inserted {
                for (p, isCompany) in byFirstWord[stem] ?? [] {
                    guard Self.same(t[i].word, p.words[0]), let end = Self.match(p, t, at: i) else { continue }
                    found.append((i, negated(t, i, end) ? !isCompany : isCompany, p.written))
                }
            }
        }
        guard let last = found.last else { return nil }
        // The last statement decides; the first that says the same is the line to show.
        let shown = found.first { $0.company == last.company } ?? last
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = t[shown.start].line < lines.count ? String(lines[t[shown.start].line]).trimmingWhitespace() : ""
        return Finding(companyCard: last.company, phrase: shown.phrase, line: line)
    }
}
