/// Finds dates, periods, amounts, months, phone numbers and e-mail addresses in Danish free text.
///
/// Everything works on a small token list (numbers, words, single symbols, and how much space
/// preceded each) instead of regular expressions: the forms overlap ("1.2.2027" is a date, "1.234"
/// an amount, "23-45-67-89" a phone number) and reading them from the same tokens keeps the
/// precedence between them explicit.
public enum DanishValues {
    /// The first calendar date in `text`; a date written without a year takes `defaultYear`.
    public static func date(in text: String, defaultYear: Int?) -> DayDate? {
        let t = Tokens(text)
        var i = 0
        while i < t.count {
            guard t.free(i), let p = t.point(at: i) else { i += 1; continue }
            if let d = p.day, let y = p.year ?? defaultYear, let day = day(y, p.month, d) { return day }
            i = p.end
        }
        return nil
    }

    /// Every calendar date in `text`, in order; a date written without a year takes `defaultYear`.
    public static func dates(in text: String, defaultYear: Int?) -> [DayDate] {
        let t = Tokens(text)
        var out: [DayDate] = []
        var i = 0
        while i < t.count {
            guard t.free(i), let p = t.point(at: i) else { i += 1; continue }
            if let d = p.day, let y = p.year ?? defaultYear, let day = day(y, p.month, d) { out.append(day) }
            i = p.end
        }
        return out
    }

    /// The first period in `text`: a range of dates, months or ISO weeks, a school year, one day or month, or a bare year.
    public static func period(in text: String, defaultYear: Int?) -> DatePeriod? {
        let t = Tokens(text)
        var i = 0, sawInvalid = false
        while i < t.count {
            if let y = t.schoolYear(at: i) {
                return DatePeriod(start: DayDate(year: y, month: 8, day: 1), end: DayDate(year: y + 1, month: 6, day: 30))
            }
            if let w = t.weeks(at: i) {
                if let y = w.year ?? defaultYear, let s = mondayOfWeek(w.from, y), let e = mondayOfWeek(w.to, y) {
                    return DatePeriod(start: civil(s), end: civil(e + 6))
                }
                sawInvalid = true
                i = w.end
                continue
            }
            guard t.free(i) else { i += 1; continue }
            if let r = t.range(at: i), let p = span(r.a, r.b, defaultYear) { return p }
            if let a = t.point(at: i) {
                if let p = span(a, a, defaultYear) { return p }
                sawInvalid = true
                i = a.end
                continue
            }
            i += 1
        }
        // A year alone is the weakest reading: it only counts when nothing more precise was written,
        // not even an invalid "31. februar 2027", whose year alone would pass for a valid period.
        guard !sawInvalid else { return nil }
        for i in 0..<t.count where t.free(i) && t.currency(at: i + 1) == nil {
            guard let y = t.year(i) else { continue }
            let last = t.connector(i + 1).flatMap { t.year($0) } ?? y
            return DatePeriod(start: DayDate(year: y, month: 1, day: 1), end: DayDate(year: last, month: 12, day: 31))
        }
        return nil
    }

    /// The first kroner amount in `text`; a number without "kr", ",-" or øre counts only with `allowBare`.
    public static func money(in text: String, allowBare: Bool = false) -> Money? {
        scanMoney(text, allowBare: allowBare, all: false).first
    }

    /// Every kroner amount in `text`, in order (for "i alt" lines that add up several).
    public static func amounts(in text: String) -> [Money] {
        scanMoney(text, allowBare: false, all: true)
    }

    /// Every kroner amount in `text` with where it is written (UTF-8 offsets, currency included),
    /// for readers that cut a line into the items around its amounts.
    static func amountSpans(in text: String) -> [(money: Money, bytes: Range<Int>)] {
        let t = Tokens(text)
        var found: [(Money, Range<Int>)] = []
        var i = 0
        while i < t.count {
            if let p = t.dateAt(i) { i = p.end; continue }
            if let a = t.amount(at: i) {
                if a.kind == .kroner {
                    var first = i
                    // "kr. 1.234" and "DKK 1.234": the currency before the number is part of it.
                    var b = i - 1
                    if t.sym(b, ":") { b -= 1 }
                    if t.sym(b, ".") { b -= 1 }
                    if b >= 0, t.currency(at: b) == .kroner { first = b }
                    found.append((Money(ore: a.ore), t.tokens[first].start..<t.tokens[a.end - 1].end))
                }
                i = a.end
                continue
            }
            if let p = t.phone(at: i) { i = p.end; continue }
            i += 1
        }
        return found
    }

    /// The months a budget line names, in order; months without a year take the nearest written year, else `defaultYear`.
    public static func months(in text: String, defaultYear: Int?) -> [YearMonth] {
        let t = Tokens(text)
        var items: [YearMonth] = []
        var i = 0
        while i < t.count {
            guard t.free(i) else { i += 1; continue }
            if let r = t.range(at: i), r.a.isValid, r.b.isValid {
                items += expand(r.a, r.b)
                i = r.end
            } else if let p = t.point(at: i) {
                if p.isValid { items.append(YearMonth(year: p.year, month: p.month)) }
                i = p.end
            } else {
                i += 1
            }
        }
        // Months are listed chronologically, so a month earlier in the calendar than the one
        // before it belongs to the next year ("november, december og januar 2028").
        var next: YearMonth?
        for k in items.indices.reversed() {
            if items[k].year == nil, let n = next, let y = n.year {
                items[k].year = items[k].month > n.month ? y - 1 : y
            }
            if items[k].year != nil { next = items[k] }
        }
        var previous: YearMonth?
        for k in items.indices {
            if items[k].year == nil, let y = previous?.year ?? defaultYear {
                items[k].year = previous.map { items[k].month < $0.month ? y + 1 : y } ?? y
            }
            previous = items[k]
        }
        var seen = Set<YearMonth>()
        return items.filter { seen.insert($0).inserted }
    }

    /// The first Danish phone number in `text` as its eight digits, without +45.
    public static func phone(in text: String) -> String? {
        let t = Tokens(text)
        var i = 0
        while i < t.count {
            if let p = t.dateAt(i) { i = p.end; continue }
            if let p = t.phone(at: i) { return p.digits }
            i += 1
        }
        return nil
    }

    /// The first e-mail address in `text`, with the domain lowercased.
    public static func email(in text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "@")) else { return nil }
        if let found = text.utf8.withContiguousStorageIfAvailable(email(bytes:)) { return found }
        var copy = text
        return copy.withUTF8(email(bytes:))
    }

    /// On the UTF-8 bytes: the address itself is ASCII, so only its neighbours need decoding.
    private static func email(bytes s: UnsafeBufferPointer<UInt8>) -> String? {
        func isAlnum(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        func isLocal(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x2B || c == 0x2D }
        func isDomain(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x2E || c == 0x2D }
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: s[r]), as: UTF8.self) }
        // Whether the scalar that ends just before `end` (or starts at `i`) is a letter of any script.
        func alphabetic(endingAt end: Int) -> Bool {
            var a = end - 1
            while a > 0, s[a] & 0xC0 == 0x80 { a -= 1 }
            return alphabetic(startingAt: a)
        }
        func alphabetic(startingAt i: Int) -> Bool {
            let b = s[i]
            if b < 0x80 { return b | 0x20 >= 0x61 && b | 0x20 <= 0x7A }
            return Unicode.Scalar(PlainText.scalar(s, at: i).value)?.properties.isAlphabetic ?? false
        }
        for k in s.indices where s[k] == 0x40 {
            var a = k, b = k + 1
            while a > 0, isLocal(s[a - 1]) { a -= 1 }
            while b < s.count, isDomain(s[b]) { b += 1 }
            while a < k, s[a] == 0x2E { a += 1 }
            while b > k + 1, s[b - 1] == 0x2E || s[b - 1] == 0x2D { b -= 1 }
            // "søren@x.dk" must not come out as "ren@x.dk": skip addresses that are not plain ASCII.
            if a > 0, alphabetic(endingAt: a) { continue }
            if b < s.count, alphabetic(startingAt: b) { continue }
            let local = text(a..<k)
            let domain = text((k + 1)..<b).lowercased()
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            guard !local.isEmpty, !local.hasSuffix("."), !PlainText.contains(local, ".."), labels.count >= 2,
                  labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
                  let tld = labels.last, tld.count >= 2, tld.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic })
            else { continue }
            return local + "@" + domain
        }
        return nil
    }

    // MARK: - Calendar arithmetic

    static let years = 1900...2199

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        case 1...12: return 31
        default: return 0
        }
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> DayDate? {
        d >= 1 && d <= daysIn(m, y) ? DayDate(year: y, month: m, day: d) : nil
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func dayNumber(_ year: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func civil(_ n: Int) -> DayDate {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let m = mp < 10 ? mp + 3 : mp - 9
        return DayDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: doy - (153 * mp + 2) / 5 + 1)
    }

    /// Day number of the Monday of ISO week `week`; week 1 is the one holding 4 January.
    static func mondayOfWeek(_ week: Int, _ year: Int) -> Int? {
        func firstMonday(_ y: Int) -> Int {
            let jan4 = dayNumber(y, 1, 4)
            return jan4 - ((jan4 % 7 + 10) % 7)  // 1970-01-01 was a Thursday
        }
        let start = firstMonday(year)
        guard week >= 1, week <= (firstMonday(year + 1) - start) / 7 else { return nil }
        return start + (week - 1) * 7
    }

    /// The years of a range whose ends may lack one: a missing year comes from the other end,
    /// one year apart when the range runs over new year ("november – februar 2028").
    static func years(_ a: Point, _ b: Point, _ fallback: Int?) -> (Int, Int)? {
        let wraps = (a.month, a.day ?? 0) > (b.month, b.day ?? 99)
        switch (a.year, b.year) {
        case let (ay?, by?): return (ay, by)
        case let (nil, by?): return (wraps ? by - 1 : by, by)
        case let (ay?, nil): return (ay, wraps ? ay + 1 : ay)
        case (nil, nil): return fallback.map { ($0, wraps ? $0 + 1 : $0) }
        }
    }

    static func span(_ a: Point, _ b: Point, _ fallback: Int?) -> DatePeriod? {
        guard case let (ay, by)? = years(a, b, fallback) else { return nil }
        guard let s = day(ay, a.month, a.day ?? 1), let e = day(by, b.month, b.day ?? daysIn(b.month, by)) else { return nil }
        return DatePeriod(start: s, end: e)
    }

    static func expand(_ a: Point, _ b: Point) -> [YearMonth] {
        guard case let (ay, by)? = years(a, b, nil) else {
            // No year anywhere: walk the calendar round, the caller fills in years.
            var out = [YearMonth(year: nil, month: a.month)], m = a.month
            while m != b.month { m = m % 12 + 1; out.append(YearMonth(year: nil, month: m)) }
            return out
        }
        var out: [YearMonth] = [], y = ay, m = a.month
        while (y, m) <= (by, b.month), out.count < 120 {
            out.append(YearMonth(year: y, month: m))
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        return out.isEmpty ? [YearMonth(year: ay, month: a.month), YearMonth(year: by, month: b.month)] : out
    }

    static func scanMoney(_ text: String, allowBare: Bool, all: Bool) -> [Money] {
        let t = Tokens(text)
        var found: [Money] = [], bare: Money?
        var i = 0
        while i < t.count {
            if let p = t.dateAt(i) { i = p.end; continue }
            let a = t.amount(at: i)
            if let a, a.kind == .kroner {
                found.append(Money(ore: a.ore))
                if !all { return found }
            }
            if let a, a.kind != .plain { i = a.end; continue }
            if let p = t.phone(at: i) { i = p.end; continue }
            if let a {
                // A marked amount later on ("10 stk. á 250 kr.") beats a bare number first.
                if allowBare && a.bare && bare == nil { bare = Money(ore: a.ore) }
                i = a.end
            } else {
                i += 1
            }
        }
        return found.isEmpty ? bare.map { [$0] } ?? [] : found
    }

    static let monthNumbers: [String: Int] = {
        let names = [
            ["januar", "jan", "january"], ["februar", "feb", "february"], ["marts", "mar", "march"],
            ["april", "apr"], ["maj", "may"], ["juni", "jun", "june"], ["juli", "jul", "july"],
            ["august", "aug"], ["september", "sep", "sept"], ["oktober", "okt", "october", "oct"],
            ["november", "nov"], ["december", "dec"],
        ]
        var table: [String: Int] = [:]
        for (k, words) in names.enumerated() { for w in words { table[w] = k + 1 } }
        return table
    }()

    enum Currency { case kroner, other }

    /// "%" and "pct." are here too: a percentage is as much not-kroner as euros are.
    static let currencyWords: [String: Currency] = [
        "kr": .kroner, "dkk": .kroner, "kroner": .kroner, "krone": .kroner,
        "eur": .other, "euro": .other, "euros": .other, "usd": .other, "sek": .other, "nok": .other,
        "gbp": .other, "pct": .other, "procent": .other,
    ]

    /// Words that say a phone number follows.
    static let phoneWords: Set<String> = ["tlf", "telefon", "telefonnummer", "mobil", "mobilnummer", "mob", "tel", "phone", "mobile", "cell"]

    /// Labels of other eight-digit numbers that look like phone numbers.
    static let numberLabels: Set<String> = ["cvr", "cpr", "ean", "se", "konto", "kontonr", "reg", "regnr"]
}

extension DanishValues {
    /// A day or a whole month as written; `year` is nil when the text left it out.
    struct Point {
        var day: Int?
        var month: Int
        var year: Int?
        var end: Int

        var isValid: Bool {
            (1...12).contains(month) && (day.map { $0 >= 1 && $0 <= DanishValues.daysIn(month, year ?? 2000) } ?? true)
        }
    }

    struct Amount {
        enum Kind { case kroner, plain, other }
        var ore: Int
        var end: Int
        var kind: Kind
        /// Whether a number without currency still looks like an amount (not a year, code or decimal point).
        var bare: Bool
    }

    struct Tokens {
        enum Kind { case number, word, symbol }
        struct Token {
            var kind: Kind
            var text: String
            var scalar: Unicode.Scalar
            /// Whitespace characters before the token; 0 means glued to the one before.
            var gap: Int
            /// Where the token starts and ends in the text's UTF-8 bytes.
            var start: Int
            var end: Int
        }

        let tokens: [Token]
        var count: Int { tokens.count }

        init(_ text: String) {
            if let t = text.utf8.withContiguousStorageIfAvailable(Self.tokens) {
                tokens = t
            } else {
                var copy = text
                tokens = copy.withUTF8(Self.tokens)
            }
        }

        /// Scalar by scalar on the UTF-8 bytes; a token's text is made once from its bytes.
        private static func tokens(_ u: UnsafeBufferPointer<UInt8>) -> [Token] {
            var out: [Token] = []
            var i = 0, gap = 0
            func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            while i < u.count {
                let (c, width) = scalar(u, i)
                if isWhitespace(c) { gap += 1; i += width; continue }
                var j = i + width
                var kind = Kind.symbol
                if c.value < 0x80 && digit(UInt8(c.value)) {
                    kind = .number
                    while j < u.count, digit(u[j]) { j += 1 }
                } else if isAlphabetic(c) {
                    kind = .word
                    while j < u.count {
                        let (d, w) = scalar(u, j)
                        guard isAlphabetic(d) else { break }
                        j += w
                    }
                }
                var text = String(decoding: UnsafeBufferPointer(rebasing: u[i..<j]), as: UTF8.self)
                var scalar = c
                if kind == .word { text = text.lowercased() }
                // All dashes and the minus sign read alike: "1. marts – 30. juni".
                if (0x2010...0x2015).contains(c.value) || c.value == 0x2212 { text = "-"; scalar = "-" }
                out.append(Token(kind: kind, text: text, scalar: scalar, gap: gap, start: i, end: j))
                gap = 0
                i = j
            }
            return out
        }

        /// The scalar starting at `i` of valid UTF-8, and its length in bytes.
        @inline(__always) private static func scalar(_ u: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
            let (v, width) = PlainText.scalar(u, at: i)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", width)
        }

        /// The Unicode properties, answered without the property tables for ASCII.
        @inline(__always) private static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x80 ? c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D) : c.properties.isWhitespace
        }

        @inline(__always) private static func isAlphabetic(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x80 ? (c.value | 0x20 >= 0x61 && c.value | 0x20 <= 0x7A) : c.properties.isAlphabetic
        }

        func at(_ i: Int) -> Token? { i >= 0 && i < tokens.count ? tokens[i] : nil }

        func num(_ i: Int, _ digits: ClosedRange<Int>, glued: Bool = false) -> Int? {
            guard let t = at(i), t.kind == .number, digits.contains(t.text.utf8.count), !glued || t.gap == 0 else { return nil }
            return Int(t.text)
        }

        func sym(_ i: Int, _ chars: String, glued: Bool = false) -> Bool {
            guard let t = at(i), t.kind == .symbol, !glued || t.gap == 0 else { return false }
            return chars.unicodeScalars.contains(t.scalar)
        }

        func word(_ i: Int) -> String? { at(i).flatMap { $0.kind == .word ? $0.text : nil } }

        func year(_ i: Int, glued: Bool = false) -> Int? {
            num(i, 4...4, glued: glued).flatMap { DanishValues.years.contains($0) ? $0 : nil }
        }

        /// Whether token `i` starts a value rather than continuing a code or number ("SSP-2027", "1.234", "+45").
        func free(_ i: Int) -> Bool {
            guard let t = at(i), t.gap == 0, let p = at(i - 1) else { return true }
            guard p.kind == .symbol else { return false }
            if p.scalar == "+" { return false }
            guard p.gap == 0, let q = at(i - 2), q.kind != .symbol else { return true }
            switch p.scalar {
            case "-", "/": return false
            case ".", ",": return q.kind != .number
            default: return true
            }
        }

        /// Whether a separator and more digits follow at `j`, as in a code or a longer number.
        func continues(_ j: Int) -> Bool { sym(j, ".-/,", glued: true) && num(j + 1, 1...99, glued: true) != nil }

        /// The index after "-", "til" or "til og med", and after a "d."/"den" that may follow it.
        func connector(_ j: Int) -> Int? {
            var k: Int
            if sym(j, "-") {
                k = j + 1
            } else if let w = word(j), w == "til" || w == "to" || w == "until" {
                k = word(j + 1) == "og" && word(j + 2) == "med" ? j + 3 : j + 1
            } else {
                return nil
            }
            if word(k) == "den" { k += 1 } else if word(k) == "d", sym(k + 1, ".", glued: true) { k += 2 }
            return k
        }

        func monthWord(_ i: Int) -> (month: Int, end: Int)? {
            guard let w = word(i), let m = DanishValues.monthNumbers[w] else { return nil }
            return (m, sym(i + 1, ".", glued: true) ? i + 2 : i + 1)
        }

        func yearAfter(_ j: Int) -> (Int?, Int) {
            if let y = year(j) { return (y, j + 1) }
            if sym(j, ","), let y = year(j + 1) { return (y, j + 2) }
            return (nil, j)
        }

        func point(at i: Int) -> Point? { iso(i) ?? numeric(i) ?? written(i) ?? month(i) }

        /// A valid date or month starting at number token `i`, which amounts and phones must not eat.
        func dateAt(_ i: Int) -> Point? {
            guard at(i)?.kind == .number, let p = point(at: i), p.isValid else { return nil }
            return p
        }

        func iso(_ i: Int) -> Point? {
            guard let y = year(i), sym(i + 1, "-", glued: true), let m = num(i + 2, 1...2, glued: true),
                  sym(i + 3, "-", glued: true), let d = num(i + 4, 1...2, glued: true) else { return nil }
            return Point(day: d, month: m, year: y, end: i + 5)
        }

        /// 01.02.2027, 1/2-27, 1/2 2027, 1/2, 1.2.
        func numeric(_ i: Int) -> Point? {
            guard let d = num(i, 1...2), sym(i + 1, ".-/", glued: true), let sep = at(i + 1)?.scalar,
                  let m = num(i + 2, 1...2, glued: true) else { return nil }
            let j = i + 3
            if sym(j, ".-/", glued: true), let t = at(j + 1), t.kind == .number, t.gap == 0 {
                let n = Int(t.text) ?? 0
                // A two-digit year that goes on ("12-10-67-89", "1/2-27/2") is a phone or a range.
                if t.text.utf8.count == 2, !continues(j + 2) { return Point(day: d, month: m, year: 2000 + n, end: j + 2) }
                if t.text.utf8.count == 4, DanishValues.years.contains(n) { return Point(day: d, month: m, year: n, end: j + 2) }
            }
            if sep == "-" { return nil }
            let k = sep == "." && sym(j, ".", glued: true) ? j + 1 : j
            if let y = year(k) { return Point(day: d, month: m, year: y, end: k + 1) }
            // "1.2" without a closing dot is more likely a decimal number than a date.
            return sep == "/" || k > j ? Point(day: d, month: m, year: nil, end: k) : nil
        }

        /// 1. marts 2027, 2. feb., 1 March 2027.
        func written(_ i: Int) -> Point? {
            guard let d = num(i, 1...2) else { return nil }
            let j = sym(i + 1, ".", glued: true) ? i + 2 : i + 1
            guard let w = monthWord(j) else { return nil }
            let (y, end) = yearAfter(w.end)
            return Point(day: d, month: w.month, year: y, end: end)
        }

        /// marts 2027, mar., 03/2027.
        func month(_ i: Int) -> Point? {
            if let m = num(i, 1...2), sym(i + 1, "/-", glued: true), let y = year(i + 2, glued: true), !continues(i + 3) {
                return Point(day: nil, month: m, year: y, end: i + 3)
            }
            guard let w = monthWord(i) else { return nil }
            let (y, end) = yearAfter(w.end)
            return Point(day: nil, month: w.month, year: y, end: end)
        }

        func range(at i: Int) -> (a: Point, b: Point, end: Int)? {
            if let a = point(at: i) {
                guard let c = connector(a.end), let b = point(at: c) else { return nil }
                return (a, b, b.end)
            }
            // "1.-30. juni 2027": the start is a bare day in the end's month.
            guard let d = num(i, 1...2) else { return nil }
            let j = sym(i + 1, ".", glued: true) ? i + 2 : i + 1
            guard let c = connector(j), let b = point(at: c), b.day != nil else { return nil }
            return (Point(day: d, month: b.month, year: b.year, end: j), b, b.end)
        }

        func weeks(at i: Int) -> (from: Int, to: Int, year: Int?, end: Int)? {
            let names: Set<String> = ["uge", "uger", "week", "weeks"]
            guard let w = word(i), names.contains(w), let a = num(i + 1, 1...2) else { return nil }
            var b = a, j = i + 2
            if let c = connector(j) {
                let k = word(c).map(names.contains) == true ? c + 1 : c
                if let n = num(k, 1...2) { b = n; j = k + 1 }
            }
            let (y, end) = yearAfter(j)
            return (a, b, y, end)
        }

        /// "skoleåret 2027/28", or just "2027/28", returning the autumn's year.
        func schoolYear(at i: Int) -> Int? {
            let named = word(i).map { $0.hasPrefix("skoleår") } == true
            let j = named ? i + 1 : i
            guard named || free(i), let y = year(j), sym(j + 1, named ? "/-" : "/", glued: true),
                  let n = num(j + 2, 2...4, glued: true), n == y + 1 || n == (y + 1) % 100 else { return nil }
            return y
        }

        func currency(at j: Int) -> DanishValues.Currency? { currencyEnd(j)?.0 }

        func currencyEnd(_ j: Int) -> (DanishValues.Currency, Int)? {
            guard let t = at(j) else { return nil }
            if t.kind == .symbol { return "€$£%".unicodeScalars.contains(t.scalar) ? (.other, j + 1) : nil }
            guard t.kind == .word, let c = DanishValues.currencyWords[t.text] else { return nil }
            return (c, sym(j + 1, ".", glued: true) ? j + 2 : j + 1)
        }

        /// 1.234,50 kr., kr. 1.234, 1.500,-, 12 000 kr., 1234 DKK, 12,5.
        func amount(at i: Int) -> Amount? {
            guard let first = at(i), first.kind == .number, first.text.utf8.count <= 12, var kr = Int(first.text) else { return nil }
            var j = i + 1, groups = 0, ore = 0, dashed = false, cents = false, dotDecimal = false
            if first.text.utf8.count <= 3 {
                while groups < 4 {
                    if sym(j, ".", glued: true), let g = num(j + 1, 3...3, glued: true) {
                        kr = kr * 1000 + g; j += 2
                    } else if let g = num(j, 3...3), at(j)?.gap == 1 {
                        kr = kr * 1000 + g; j += 1
                    } else { break }
                    groups += 1
                }
            }
            if groups == 0, first.text.utf8.count <= 3, sym(j, ",", glued: true), num(j + 1, 3...3, glued: true) != nil,
               dkkAround(i, j) {
                // "DKK 6,000" in an English text: DKK makes the comma a thousands separator.
                while groups < 4, sym(j, ",", glued: true), let g = num(j + 1, 3...3, glued: true) {
                    kr = kr * 1000 + g; j += 2; groups += 1
                }
            }
            if sym(j, ".", glued: true), sym(j + 1, "-", glued: true), groups > 0 || first.text.utf8.count > 3 || at(j + 2).map({ $0.kind != .number }) ?? true {
                // "1.500.-": a dash after a dot closes the amount as ",-" does.
                return Amount(ore: kr * 100, end: currencyEnd(j + 2)?.1 ?? j + 2, kind: .kroner, bare: true)
            }
            if sym(j, ",", glued: true), let t = at(j + 1), t.gap == 0 {
                if t.kind == .number {
                    // "1,234" is no Danish amount; skip it whole so its tail is not read either.
                    guard t.text.utf8.count <= 2 else { return Amount(ore: 0, end: j + 2, kind: .other, bare: false) }
                    ore = (Int(t.text) ?? 0) * (t.text.utf8.count == 1 ? 10 : 1)
                    cents = t.text.utf8.count == 2
                    j += 2
                } else if t.scalar == "-" {
                    dashed = true
                    j += sym(j + 2, "-", glued: true) ? 3 : 2
                }
            } else if groups == 0, sym(j, ".", glued: true), let o = num(j + 1, 1...2, glued: true) {
                ore = o * (at(j + 1)?.text.utf8.count == 1 ? 10 : 1)
                dotDecimal = true
                j += 2
            }
            var before: Currency?
            var b = i - 1
            if sym(b, ":") { b -= 1 }
            if sym(b, ".") { b -= 1 }
            if b >= 0 { before = currency(at: b) }
            let after = currencyEnd(j)
            let end = after?.1 ?? j
            let ore100 = kr * 100 + ore
            if before == .other || after?.0 == .other { return Amount(ore: ore100, end: end, kind: .other, bare: false) }
            if before == .kroner || after?.0 == .kroner || dashed || cents {
                return Amount(ore: ore100, end: end, kind: .kroner, bare: true)
            }
            let yearLike = groups == 0 && ore == 0 && year(i) != nil && !sym(i + 1, ",", glued: true)
            let glued = at(j).map { $0.gap == 0 && ($0.kind != .symbol || continues(j)) } ?? false
            return Amount(ore: ore100, end: j, kind: .plain, bare: free(i) && !glued && !yearLike && !dotDecimal)
        }

        /// Whether a phone word ("tlf.", "mobil") is among the three tokens before `i`.
        func phoneLabelled(_ i: Int) -> Bool {
            var k = i - 1
            while k >= 0, k >= i - 3, let t = at(k), t.kind != .number {
                if t.kind == .word && DanishValues.phoneWords.contains(t.text) { return true }
                k -= 1
            }
            return false
        }

        /// Whether "DKK" is written just before the number at `i` or just after the groups ending before `j`.
        func dkkAround(_ i: Int, _ j: Int) -> Bool {
            var b = i - 1
            if sym(b, ":") { b -= 1 }
            if word(b) == "dkk" { return true }
            var k = j
            while sym(k, ",", glued: true), num(k + 1, 3...3, glued: true) != nil { k += 2 }
            return word(k) == "dkk"
        }

        /// +45 23 45 67 89, (+45) 2345 6789, 0045 23456789, 23-45-67-89, 23456789.
        func phone(at i: Int) -> (digits: String, end: Int)? {
            var j = i, digits = "", prefixed = false
            let paren = sym(j, "(")
            if paren { j += 1 }
            if sym(j, "+"), let t = at(j + 1), t.kind == .number, t.gap == 0, t.text.hasPrefix("45") {
                prefixed = true; digits = String(t.text.dropFirst(2)); j += 2
            } else if let t = at(j), t.kind == .number, t.text.hasPrefix("0045") {
                prefixed = true; digits = String(t.text.dropFirst(4)); j += 1
            }
            if paren {
                guard prefixed, digits.isEmpty, sym(j, ")", glued: true) else { return nil }
                j += 1
            }
            if !prefixed {
                // Attached to a code ("SSP-2027-0007") or after a foreign country code ("+46 ...").
                guard free(i), !(sym(i - 2, "+") && num(i - 1, 1...3) != nil) else { return nil }
                // The tail of a longer digit run ("23 45 67 89 10" read from "45") is no number of its own.
                if at(i - 1)?.kind == .number, at(i)?.gap == 1 { return nil }
            }
            if digits.isEmpty {
                guard let t = at(j), t.kind == .number else { return nil }
                digits = t.text; j += 1
            }
            guard [2, 4, 8].contains(digits.utf8.count) else { return nil }
            var sep: Unicode.Scalar?
            while digits.utf8.count < 8 {
                let dash = sym(j, "-", glued: true)
                let k = dash ? j + 1 : j
                let s: Unicode.Scalar = dash ? "-" : " "
                guard let g = at(k), g.kind == .number, [2, 4].contains(g.text.utf8.count),
                      g.gap == (dash ? 0 : 1), sep == nil || sep == s else { break }
                sep = s; digits += g.text; j = k + 1
            }
            // Danish numbers start with 2–9; "+45 12 34 56 78" or "tlf. 12 34 56 78" is meant as one all the same.
            guard digits.utf8.count == 8, let f = digits.unicodeScalars.first,
                  ("2"..."9").contains(f) || (f != "0" && (prefixed || phoneLabelled(i))) else { return nil }
            if let n = at(j) {
                // More digits in the same rhythm ("23 45 67 89 10", CPR "010203-1234") or a price.
                if n.gap == 0 && (n.kind != .symbol || continues(j)) { return nil }
                if sep == " " && n.kind == .number && n.gap == 1 { return nil }
                if currency(at: j) != nil { return nil }
            }
            var k = i - 1
            while k >= 0, k >= i - 3, let t = at(k), t.kind != .number {
                if t.kind == .word && DanishValues.numberLabels.contains(t.text) { return nil }
                k -= 1
            }
            return (digits, j)
        }
    }
}
