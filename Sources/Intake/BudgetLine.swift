import MailCore

/// One line of an application's budget: what the money is for, how much and in which month(s).
public struct BudgetLine: Sendable, Hashable, Codable {
    public var heading: String
    public var amount: Money?
    public var months: [YearMonth]
}

/// What a budget section gave: its items, the total it states, and where each item came from.
struct BudgetReading: Sendable, Hashable {
    var lines: [BudgetLine] = []
    var total: Money?
    /// The written line each item was read from, in the order of `lines`.
    var sourceLines: [String] = []
    /// True when a row of a table (tab-separated cells) gave an item.
    var fromTable = false
    /// True when an item was cut out of a sentence or a one-line list rather than read from its own line.
    var fromSentence = false
}

/// Reads a budget as people write it: one item a line or a table row, several items on one line
/// or in one sentence (`Instruktører 6.000 kr. (august), Materialer 1.200 kr. (juni)`,
/// `Leje 1.500 kr. april; Flyers 300 kr. april`, `6.000 kr. til instruktører i august og …`), and
/// a total row or a total in the sentence, which is never counted as an item.
struct BudgetReader: Sendable {
    /// Folded total labels ("i alt", "total", …), longest first.
    let totalLabels: [String]

    init(totalLabels: [String]) {
        self.totalLabels = totalLabels.map { Fold.key($0) }.sorted { $0.count > $1.count }
    }

    /// The items of a budget section's lines. Months written without a year go in the year that
    /// puts them inside `period` (`Months.placed`); without a period, in `year` and on from there.
    func read(_ lines: [String], period: DatePeriod?, year: Int?) -> BudgetReading {
        var r = BudgetReading()
        func add(_ heading: String, _ amount: Money, _ text: String, source: String) {
            r.lines.append(BudgetLine(heading: heading.isEmpty ? "(uden overskrift)" : heading, amount: amount,
                                      months: Self.months(in: text, period: period, year: year)))
            r.sourceLines.append(source)
        }
        for raw in Self.joiningWrapped(lines) {
            let body = String(LabelReader.strippingNumbering(raw))
            let isRow = PlainText.contains(body, "\t")
            if isTotalLine(body) {
                if let m = ApplicationRules.amount(in: body) ?? DanishValues.amounts(in: body).last
                    ?? DanishValues.money(in: body, allowBare: true) {
                    r.total = m
                }
                continue
            }
            if isRow {
                guard let amount = ApplicationRules.amount(in: body) else { continue }
                add(ApplicationRules.budgetHeading(body), amount, body, source: raw)
                r.fromTable = true
                continue
            }
            let spans = DanishValues.amountSpans(in: body)
            guard !spans.isEmpty else { continue }
            if spans.count == 1 {
                let heading = ApplicationRules.budgetHeading(body)
                let clean = Self.cleanHeading(heading)
                add(clean == heading ? heading : Self.capitalized(clean), spans[0].money, body, source: raw)
                continue
            }
            let cut = Self.items(body, spans)
            if let t = cut.total { r.total = t }
            for item in cut.items {
                add(Self.capitalized(Self.cleanHeading(ApplicationRules.budgetHeading(item.text))), item.money, item.text, source: raw)
            }
            if cut.items.count > 1 || cut.total != nil { r.fromSentence = true }
        }
        // A row without a heading, or one named as a sum, that equals the other items together is
        // the total written as an item: it is the total, never a second count of the same money.
        if r.lines.count >= 3 {
            for (k, l) in r.lines.enumerated() {
                let f = Fold.key(l.heading)
                guard l.heading == "(uden overskrift)" || Self.namesASum(f), let a = l.amount else { continue }
                let others = r.lines.enumerated().filter { $0.offset != k }.reduce(Money.zero) { $0 + ($1.element.amount ?? .zero) }
                if others == a {
                    r.total = r.total ?? a
                    r.lines.remove(at: k)
                    r.sourceLines.remove(at: k)
                    break
                }
            }
        }
        return r
    }

    /// A line that states the total: "I alt 9.700 kr.", "Budget i alt: 9.700", "Total\t9.700".
    func isTotalLine(_ body: String) -> Bool {
        var f = Substring(Fold.key(body))
        f = f.drop { $0 == " " || $0 == "\t" || $0 == "*" }
        for lead in ["det samlede budget", "samlet budget", "budgettet", "budget", "udgifter"] where f.hasPrefix(lead + " ") {
            f = f.dropFirst(lead.count + 1)
            break
        }
        f = f.drop { $0 == " " || $0 == ":" || $0 == "\t" }
        for label in totalLabels where f.hasPrefix(label) {
            let rest = f.dropFirst(label.count)
            // "Sum" is not "Summer camp": the label must end as a word.
            if let c = rest.first, c.isLetter { continue }
            return true
        }
        return false
    }

    private static func namesASum(_ folded: String) -> Bool {
        let words = folded.split { !$0.isLetter }
        return words.contains { ["total", "totalt", "ialt", "sum", "samlet", "sammenlagt"].contains($0) }
            || Fold.contains(folded, phrase: "i alt")
    }

    // MARK: - One line, several items

    struct Item: Hashable {
        var text: String
        var money: Money
    }

    /// Cuts a line with several amounts into its items. Unit prices ("à 500 kr.") are no items,
    /// and an amount named as the total ("i alt 9.700 kr.", "= 9.700 kr.") or equal to the others
    /// together at the start or the end is the total.
    static func items(_ body: String, _ spans: [(money: Money, bytes: Range<Int>)]) -> (items: [Item], total: Money?) {
        let u = Array(body.utf8)
        func text(_ r: Range<Int>) -> String { String(decoding: u[r], as: UTF8.self) }
        func wordsBefore(_ at: Int, _ n: Int) -> [String] {
            let before = Fold.key(text(max(0, at - 40)..<at))
            return Array(before.split { !$0.isLetter && !$0.isNumber }.suffix(n)).map(String.init)
        }
        func wordAfter(_ at: Int) -> String {
            let after = Fold.key(text(at..<min(u.count, at + 16)))
            return after.split { !$0.isLetter && $0 != "/" }.first.map(String.init) ?? ""
        }
        var kept: [(money: Money, bytes: Range<Int>)] = []
        var total: (money: Money, bytes: Range<Int>, cue: Int)?
        var afterUnitPrice = false
        var units: [Range<Int>] = []
        for s in spans {
            let before = wordsBefore(s.bytes.lowerBound, 3)
            let last = before.last ?? ""
            let byteBefore = s.bytes.lowerBound > 0 ? Self.lastNonBlank(u, before: s.bytes.lowerBound) : nil
            if ["a", "pr", "per", "x", "gange"].contains(last) || byteBefore == UInt8(ascii: "@")
                || byteBefore == UInt8(ascii: "x") || ["pr", "per", "/"].contains(wordAfter(s.bytes.upperBound)) {
                afterUnitPrice = true
                units.append(Self.unitClause(u, s.bytes))
                continue   // a unit price: the item's amount is written elsewhere
            }
            let cue = before.suffix(2).joined(separator: " ")
            // "3 møder à 500 kr. = 1.500 kr." is the item's own sum; an "i alt" after the items is the line's.
            if !afterUnitPrice, cue.hasSuffix("i alt") || last == "ialt" || last == "total" || last == "totalt" || last == "samlet"
                || last == "sammenlagt" || byteBefore == UInt8(ascii: "=") {
                total = (s.money, s.bytes, Self.cueStart(u, before: s.bytes.lowerBound))
                continue
            }
            afterUnitPrice = false
            kept.append(s)
        }
        if total == nil, kept.count >= 3 {
            let sum = { (xs: ArraySlice<(money: Money, bytes: Range<Int>)>) in xs.reduce(Money.zero) { $0 + $1.money } }
            if kept[0].money == sum(kept.dropFirst()) {
                total = (kept[0].money, kept[0].bytes, kept[0].bytes.lowerBound)
                kept.removeFirst()
            } else if let l = kept.last, l.money == sum(kept.dropLast()) {
                total = (l.money, l.bytes, Self.cueStart(u, before: l.bytes.lowerBound))
                kept.removeLast()
            }
        }
        if kept.isEmpty, let t = total {
            return ([], t.money)
        }
        // Only unit prices and nothing else: they are the amounts there are.
        if kept.isEmpty { kept = spans }
        guard !kept.isEmpty else { return ([], nil) }
        var lower = 0, upper = u.count
        if let t = total {
            if t.bytes.upperBound <= kept[0].bytes.lowerBound { lower = t.bytes.upperBound }
            if let l = kept.last, t.bytes.lowerBound >= l.bytes.upperBound { upper = t.cue }
        }
        // The heading comes before the amount ("Leje 1.500 kr.") or after it ("1.500 kr. til leje").
        let lead = cleanHeading(ApplicationRules.budgetHeading(text(lower..<kept[0].bytes.lowerBound)))
        let headingFirst = lead.contains { $0.isLetter }
        var bounds: [Int] = [lower]
        for k in 0..<(kept.count - 1) {
            bounds.append(boundary(u, kept[k].bytes.upperBound, kept[k + 1].bytes.lowerBound, headingFirst: headingFirst))
        }
        bounds.append(upper)
        // "12 gange á 250 kr. =" says how the amount was reached; it names nothing.
        var blanked = u
        for r in units { for i in r where i < blanked.count { blanked[i] = 0x20 } }
        var items: [Item] = []
        for k in kept.indices {
            let a = min(bounds[k], kept[k].bytes.lowerBound), b = max(bounds[k + 1], kept[k].bytes.upperBound)
            items.append(Item(text: String(decoding: blanked[a..<b], as: UTF8.self).trimmingWhitespace(), money: kept[k].money))
        }
        return (items, total.map(\.money))
    }

    /// The bytes of a unit price's clause: the count before it, the "à"/"x" and the price, and an "=" after.
    static func unitClause(_ u: [UInt8], _ span: Range<Int>) -> Range<Int> {
        func wordStart(before i: Int) -> Int? {
            var k = i
            while k > 0, u[k - 1] == 0x20 { k -= 1 }
            guard k > 0 else { return nil }
            var w = k
            while w > 0, u[w - 1] != 0x20, u[w - 1] != 0x2C, u[w - 1] != 0x3B, u[w - 1] != 0x28 { w -= 1 }
            return w == k ? nil : w
        }
        var start = span.lowerBound
        // The "à"/"x" word, then up to two words back to a count ("12 gange", "3 møder").
        if let cue = wordStart(before: start) { start = cue }
        var back = start
        for _ in 0..<2 {
            guard let w = wordStart(before: back) else { break }
            back = w
            if u[w] >= 0x30 && u[w] <= 0x39 { start = w; break }
        }
        var end = span.upperBound
        var k = end
        while k < u.count, u[k] == 0x20 { k += 1 }
        if k < u.count, u[k] == UInt8(ascii: "=") { end = k + 1 }
        return start..<end
    }

    private static func lastNonBlank(_ u: [UInt8], before i: Int) -> UInt8? {
        var k = i - 1
        while k >= 0, u[k] == 0x20 || u[k] == 0x09 { k -= 1 }
        return k >= 0 ? u[k] : nil
    }

    /// Where the words naming a total ("i alt", "total", "=") start before byte `i`.
    private static func cueStart(_ u: [UInt8], before i: Int) -> Int {
        var k = i
        for _ in 0..<3 {
            var j = k
            while j > 0, u[j - 1] == 0x20 || u[j - 1] == 0x3A { j -= 1 }
            var w = j
            while w > 0, u[w - 1] != 0x20, u[w - 1] != 0x2C, u[w - 1] != 0x3B, u[w - 1] != 0x28 { w -= 1 }
            let word = String(decoding: u[w..<j], as: UTF8.self).lowercased()
            guard ["i", "alt", "ialt", "total", "totalt", "samlet", "sammenlagt", "=", "kr", "kr."].contains(word) else { break }
            k = w
        }
        return k
    }

    /// Where one item ends and the next begins between byte `from` (the end of an amount) and `to`
    /// (the start of the next): at the strongest separator outside parentheses — ";", then a sentence
    /// end, then ",", then "og"/"samt"/"+" — the first one when headings come first, else the last.
    static func boundary(_ u: [UInt8], _ from: Int, _ to: Int, headingFirst: Bool) -> Int {
        var best: (strength: Int, at: Int)?
        var depth = 0
        var i = from
        func consider(_ strength: Int, _ at: Int) {
            if let b = best {
                if strength > b.strength || (strength == b.strength && !headingFirst) { best = (strength, at) }
            } else {
                best = (strength, at)
            }
        }
        func word(_ w: String, at k: Int) -> Bool {
            let bytes = Array(w.utf8)
            guard k > from, k + bytes.count + 1 <= to, u[k - 1] == 0x20 else { return false }
            for (n, b) in bytes.enumerated() where u[k + n] | 0x20 != b { return false }
            return u[k + bytes.count] == 0x20
        }
        while i < to {
            let b = u[i]
            if b == 0x28 {
                depth += 1
            } else if b == 0x29 {
                // "(6.000 kr., august), materialer": the amount stood in a parenthesis, so what came before its end was inside it.
                if depth == 0 { best = nil }
                depth = max(0, depth - 1)
            }
            if depth == 0 {
                if b == 0x3B {
                    consider(4, i)
                } else if b == 0x2E, i + 2 < to, u[i + 1] == 0x20, u[i + 2] >= 0x41, u[i + 2] <= 0x5A || u[i + 2] >= 0xC3 {
                    consider(3, i)
                } else if b == 0x2C, i + 1 < u.count, !(u[i + 1] >= 0x30 && u[i + 1] <= 0x39) {
                    consider(2, i)
                } else if b == 0x2B || b == 0x26 || word("og", at: i) || word("samt", at: i) || word("and", at: i)
                            || word("plus", at: i) {
                    consider(1, i)
                }
            }
            i += 1
        }
        if let best { return best.at }
        if !headingFirst { return to }
        // No separator: the item goes on over its month or parenthesis ("6.000 kr. (august) Leje …").
        var k = from
        while k < to, u[k] == 0x20 { k += 1 }
        if k < to, u[k] == 0x28, let close = u[k..<to].firstIndex(of: 0x29) { return close + 1 }
        return from
    }

    // MARK: - Headings and months

    private static let leadWords: Set<String> = [
        "vi", "jeg", "soger", "ansoger", "om", "forventer", "regner", "med", "at", "bruge", "bruger", "bruges", "anvende",
        "anvendes", "gar", "der", "til", "pa", "for", "og", "samt", "budget", "budgettet", "er", "belob", "belobet", "et",
        "en", "heraf", "hvoraf", "derudover", "desuden", "endelig", "sa", "fordelt", "fordeler", "sig", "som", "folger",
        "saledes", "pengene", "midlerne", "udgifterne", "afsat", "afsaetter", "afsaettes", "plus", "ogsa", "nemlig",
        "we", "apply", "expect", "to", "spend", "use", "the", "on", "and", "of", "in", "plus", "af", "i", "ca", "cirka",
        "omkring", "ialt", "alt", "total", "samlet", "resten", "sidst",
    ]
    private static let trailWords: Set<String> = [
        "i", "til", "pa", "og", "samt", "ca", "cirka", "omkring", "for", "in", "on", "and", "at", "med", "i alt", "ialt",
        "alt", "lobet", "af", "maneden", "maned", "kr", "kroner", "dkk", "a", "pr", "per",
    ]

    /// A heading without the words of the sentence around it: "til instruktører" → "instruktører".
    static func cleanHeading(_ heading: String) -> String {
        var words = heading.split(separator: " ").map(String.init)
        func key(_ w: String) -> String { Fold.key(w).filter { $0.isLetter } }
        while let f = words.first, leadWords.contains(key(f)) || key(f).isEmpty { words.removeFirst() }
        while let l = words.last, trailWords.contains(key(l)) || key(l).isEmpty { words.removeLast() }
        var s = Substring(words.joined(separator: " "))
        let edge: Set<Character> = [" ", ",", ";", ":", "-", "–", "+", "&", "=", ".", "(", "/"]
        while let c = s.first, edge.contains(c) { s = s.dropFirst() }
        while let c = s.last, edge.contains(c) || (c == ")" && s.filter({ $0 == "(" }).count < s.filter({ $0 == ")" }).count) {
            s = s.dropLast()
        }
        return String(s)
    }

    static func capitalized(_ s: String) -> String {
        guard let f = s.first, f.isLowercase else { return s }
        return f.uppercased() + s.dropFirst()
    }

    static func months(in text: String, period: DatePeriod?, year: Int?) -> [YearMonth] {
        guard let period else { return DanishValues.months(in: text, defaultYear: year) }
        var seen = Set<YearMonth>()
        return DanishValues.months(in: text, defaultYear: nil).map { Months.placed($0, in: period) }.filter { seen.insert($0).inserted }
    }

    /// A budget sentence wrapped over several lines, read as one line: a line that ends in ","/"og"
    /// or a long line without an end, followed by one that starts in lower case.
    static func joiningWrapped(_ lines: [String]) -> [String] {
        var out: [String] = []
        for l in lines {
            let t = l.trimmingWhitespace()
            if let prev = out.last, let first = t.first, first.isLowercase, !PlainText.contains(prev, "\t") {
                let p = prev.trimmingWhitespace()
                let lastWord = Fold.key(p.split(separator: " ").last ?? "")
                let open = p.hasSuffix(",") || ["og", "samt", "til", "pa", "i", "for", "med"].contains(lastWord)
                    || (p.split(separator: " ").count >= 8 && !(p.last.map { ".:;!?".contains($0) } ?? true))
                if open {
                    out[out.count - 1] = p + " " + t
                    continue
                }
            }
            out.append(l)
        }
        return out
    }
}
