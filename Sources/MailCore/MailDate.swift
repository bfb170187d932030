import Foundation

/// Parses the Date header of a mail (RFC 5322 §3.3, its obsolete forms, and the broken forms real clients send) into an instant.
public enum MailDate {
    /// RFC 5322 §3.3 date-time plus the obsolete (§4.3) and field-observed variants, e.g.
    /// "Fri, 04 May 2001 14:05:44 -0400", "4 maj 2001 14.05", "Fri May  4 14:05:44 2001",
    /// "2001-05-04T14:05:44+02:00". Returns nil unless a day, month and year are all present and valid.
    public static func parse(_ value: String) -> Date? {
        var value = value
        // withUTF8 is zero-copy for native strings; the whole parse reads the buffer in place.
        return value.withUTF8 { bytes in
            var lexer = DateLexer(bytes)
            guard let fields = parseFields(&lexer) else { return nil }
            return fields.instant()
        }
    }

    private static func parseFields(_ lexer: inout DateLexer) -> DateFields? {
        let first = lexer.peek()
        if first.kind == .number, first.digits == 4 {
            let second = lexer.peek(1)
            if second.isSymbol(UInt8(ascii: "-")) || second.isSymbol(UInt8(ascii: "/")) {
                return parseISO(&lexer)
            }
        }
        if first.kind == .word {
            // A leading word is a day name unless it is a month starting the asctime form;
            // "Mar," is still read as a day name because a comma only ever follows the weekday.
            let isMonth = lexer.month(first) != nil
            if !isMonth || lexer.peek(1).isSymbol(UInt8(ascii: ",")) {
                _ = lexer.next()
                _ = lexer.skip(UInt8(ascii: ","))
                _ = lexer.skip(UInt8(ascii: "."))
            }
        }
        switch lexer.peek().kind {
        case .number: return parseDayFirst(&lexer)
        case .word: return parseMonthFirst(&lexer)
        default: return nil
        }
    }

    // RFC 5322 §3.3 date = day month year, with §4.3 obs-year (2 or 3 digits) and the
    // separators clients put between the parts: "04 May 2001", "4-May-01", "4. maj 2001".
    // Followed by an optional time and zone: "04 May 2001 14:05:44 -0400".
    private static func parseDayFirst(_ lexer: inout DateLexer) -> DateFields? {
        var fields = DateFields()
        let dayToken = lexer.next()
        guard dayToken.kind == .number, dayToken.digits <= 2 else { return nil }
        fields.day = dayToken.value
        skipDateSeparators(&lexer)
        let monthToken = lexer.next()
        guard let month = lexer.month(monthToken) else { return nil }
        fields.month = month
        skipDateSeparators(&lexer)
        let yearToken = lexer.next()
        guard yearToken.kind == .number, let year = fullYear(yearToken) else { return nil }
        fields.year = year
        skipTimeIntroducer(&lexer)
        if lexer.peek().kind == .number {
            guard parseTime(&lexer, into: &fields) else { return nil }
        }
        guard let offset = parseZone(&lexer) else { return nil }
        fields.offsetSeconds = offset ?? 0
        return fields
    }

    // asctime / ctime form, and the month-first variants some clients emit:
    // "Fri May  4 14:05:44 2001", "Fri May 4 14:05:44 CEST 2001", "May 4, 2001 14:05:44 +0200".
    private static func parseMonthFirst(_ lexer: inout DateLexer) -> DateFields? {
        var fields = DateFields()
        let monthToken = lexer.next()
        guard let month = lexer.month(monthToken) else { return nil }
        fields.month = month
        skipDateSeparators(&lexer)
        let dayToken = lexer.next()
        guard dayToken.kind == .number, dayToken.digits <= 2 else { return nil }
        fields.day = dayToken.value
        _ = lexer.skip(UInt8(ascii: ","))
        _ = lexer.skip(UInt8(ascii: "."))

        var zoneOffset: Int?
        if lexer.peek().kind == .number, lexer.peek(1).isTimeSeparator {
            guard parseTime(&lexer, into: &fields) else { return nil }
            // date(1) prints the zone between the time and the year.
            if lexer.peek().kind != .number {
                guard let parsed = parseZone(&lexer) else { return nil }
                zoneOffset = parsed
            }
            let yearToken = lexer.next()
            guard yearToken.kind == .number, let year = fullYear(yearToken) else { return nil }
            fields.year = year
        } else {
            let yearToken = lexer.next()
            guard yearToken.kind == .number, let year = fullYear(yearToken) else { return nil }
            fields.year = year
            skipTimeIntroducer(&lexer)
            if lexer.peek().kind == .number {
                guard parseTime(&lexer, into: &fields) else { return nil }
            }
        }
        if let zoneOffset {
            fields.offsetSeconds = zoneOffset
        } else {
            guard let parsed = parseZone(&lexer) else { return nil }
            fields.offsetSeconds = parsed ?? 0
        }
        return fields
    }

    // ISO 8601 / RFC 3339 §5.6 as written by scripts instead of RFC 5322:
    // "2001-05-04T14:05:44+02:00", "2001-05-04 14:05:44" (no zone: UTC), "2001-05-04T14:05:44.250Z".
    private static func parseISO(_ lexer: inout DateLexer) -> DateFields? {
        var fields = DateFields()
        let yearToken = lexer.next()
        guard yearToken.kind == .number, yearToken.digits == 4 else { return nil }
        fields.year = yearToken.value
        let separator = lexer.next()
        guard separator.kind == .symbol else { return nil }
        let monthToken = lexer.next()
        guard monthToken.kind == .number, monthToken.digits <= 2 else { return nil }
        fields.month = monthToken.value
        guard lexer.skip(separator.symbol) else { return nil }
        let dayToken = lexer.next()
        guard dayToken.kind == .number, dayToken.digits <= 2 else { return nil }
        fields.day = dayToken.value
        let next = lexer.peek()
        if next.kind == .word, lexer.wordEquals(next, "t") {
            _ = lexer.next()
        }
        if lexer.peek().kind == .number {
            guard parseTime(&lexer, into: &fields) else { return nil }
        }
        guard let offset = parseZone(&lexer) else { return nil }
        fields.offsetSeconds = offset ?? 0
        return fields
    }

    // RFC 5322 §3.3 time-of-day = hour ":" minute [ ":" second ], "14:05:44"; also the
    // dotted "14.05.44", a one-digit hour "9:05", ISO fractions "14:05:44.25" and a 12-hour "2:05 PM".
    private static func parseTime(_ lexer: inout DateLexer, into fields: inout DateFields) -> Bool {
        let hourToken = lexer.next()
        guard hourToken.kind == .number, hourToken.digits <= 2 else { return false }
        let separator = lexer.next()
        guard separator.isTimeSeparator else { return false }
        let minuteToken = lexer.next()
        guard minuteToken.kind == .number, minuteToken.digits <= 2 else { return false }
        var hour = hourToken.value
        let minute = minuteToken.value
        var second = 0
        if lexer.peek().isSymbol(separator.symbol), lexer.peek(1).kind == .number {
            _ = lexer.next()
            let secondToken = lexer.next()
            guard secondToken.digits <= 2 else { return false }
            second = secondToken.value
            if separator.symbol == UInt8(ascii: ":"), lexer.peek().isSymbol(UInt8(ascii: ".")),
               lexer.peek(1).kind == .number {
                _ = lexer.next()
                let fractionToken = lexer.next()
                fields.fraction = lexer.fraction(fractionToken)
            }
        }
        let meridiem = lexer.peek()
        if meridiem.kind == .word, hour >= 1, hour <= 12 {
            if lexer.wordEquals(meridiem, "am") {
                _ = lexer.next()
                if hour == 12 { hour = 0 }
            } else if lexer.wordEquals(meridiem, "pm") {
                _ = lexer.next()
                if hour != 12 { hour += 12 }
            }
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return false }
        fields.hour = hour
        fields.minute = minute
        // A leap second cannot be represented as a distinct instant here; the mail is
        // still dated, one second early, rather than dropped.
        fields.second = min(second, 59)
        return true
    }

    // RFC 5322 §3.3 zone = ("+" / "-") 4DIGIT, "-0400"; §4.3 obs-zone "UT", "GMT", US zones and
    // military letters (those count as -0000, i.e. unknown, because their signs were historically
    // reversed); and field forms "+02:00", "+2", "GMT+0100", "CET", "Z".
    // Returns .some(nil) when no zone is written (the caller uses UTC), nil when a numeric zone is impossible.
    private static func parseZone(_ lexer: inout DateLexer) -> Int?? {
        let token = lexer.peek()
        switch token.kind {
        case .symbol where token.symbol == UInt8(ascii: "+") || token.symbol == UInt8(ascii: "-"):
            _ = lexer.next()
            guard let offset = parseNumericOffset(&lexer, sign: token.symbol) else { return nil }
            return .some(offset)
        case .word:
            _ = lexer.next()
            if lexer.wordEquals(token, "gmt") || lexer.wordEquals(token, "utc") || lexer.wordEquals(token, "ut") {
                let sign = lexer.peek()
                if sign.isSymbol(UInt8(ascii: "+")) || sign.isSymbol(UInt8(ascii: "-")),
                   lexer.peek(1).kind == .number {
                    _ = lexer.next()
                    guard let offset = parseNumericOffset(&lexer, sign: sign.symbol) else { return nil }
                    return .some(offset)
                }
                return .some(0)
            }
            // RFC 5322 §4.3: an alphabetic zone whose meaning is not known is -0000.
            return .some(lexer.namedZoneOffset(token) ?? 0)
        default:
            return .some(nil)
        }
    }

    // "+0200", "+02:00", "+02", "+2", "+200".
    private static func parseNumericOffset(_ lexer: inout DateLexer, sign: UInt8) -> Int? {
        let number = lexer.next()
        guard number.kind == .number else { return nil }
        var hours: Int
        var minutes = 0
        switch number.digits {
        case 1, 2:
            hours = number.value
            if lexer.peek().isSymbol(UInt8(ascii: ":")), lexer.peek(1).kind == .number {
                _ = lexer.next()
                let minuteToken = lexer.next()
                guard minuteToken.digits == 2 else { return nil }
                minutes = minuteToken.value
            }
        case 3, 4:
            hours = number.value / 100
            minutes = number.value % 100
        default:
            return nil
        }
        // Offsets of a day or more are not real zones; Python's timezone() refuses them too.
        guard hours <= 23, minutes <= 59 else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    // "4. maj 2001, kl. 14.05" and "May 4, 2001 at 2:05 PM": words that only announce the time.
    private static func skipTimeIntroducer(_ lexer: inout DateLexer) {
        _ = lexer.skip(UInt8(ascii: ","))
        let word = lexer.peek()
        if lexer.wordEquals(word, "kl") || lexer.wordEquals(word, "at") {
            _ = lexer.next()
            _ = lexer.skip(UInt8(ascii: "."))
        }
    }

    private static func skipDateSeparators(_ lexer: inout DateLexer) {
        while lexer.skip(UInt8(ascii: "-")) || lexer.skip(UInt8(ascii: ".")) || lexer.skip(UInt8(ascii: "/"))
            || lexer.skip(UInt8(ascii: ",")) {}
    }

    // RFC 5322 §4.3 obs-year: two digits are 2000–2049 for 00–49 and 1950–1999 for 50–99;
    // three digits are added to 1900 ("101" = 2001). One digit is read like two. Python's
    // email.utils pivots two-digit years at 69 instead, so "50" differs from it on purpose.
    private static func fullYear(_ token: DateToken) -> Int? {
        switch token.digits {
        case 1, 2: return token.value < 50 ? 2000 + token.value : 1900 + token.value
        case 3: return 1900 + token.value
        case 4: return token.value >= 1 ? token.value : nil
        default: return nil
        }
    }
}

extension MailDate {
    // RFC 3501 §9: date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE,
    // with date-day-fixed = (SP DIGIT) / 2DIGIT, time = 2DIGIT ":" 2DIGIT ":" 2DIGIT, zone = ("+" / "-") 4DIGIT:
    // `"17-Jul-1996 02:44:25 -0700"`, `" 2-Jan-2027 09:00:00 +0100"`. The INTERNALDATE of a FETCH answer,
    // read at the start of `text` (the quotes may be missing; a one-digit day may lack its space).
    // Nil unless every part is there and valid; what follows the closing quote is not looked at.
    public static func parseIMAP(_ text: ArraySlice<UInt8>) -> Date? {
        var i = text.startIndex
        func take(_ byte: UInt8) -> Bool {
            guard i < text.endIndex, text[i] == byte else { return false }
            i += 1
            return true
        }
        func digits(_ count: Int) -> Int? {
            guard text.endIndex - i >= count else { return nil }
            var v = 0
            for _ in 0..<count {
                guard isDigit(text[i]) else { return nil }
                v = v * 10 + Int(text[i] - UInt8(ascii: "0"))
                i += 1
            }
            return v
        }
        let quoted = take(UInt8(ascii: "\""))
        _ = take(UInt8(ascii: " "))
        var fields = DateFields()
        guard let d1 = digits(1) else { return nil }
        fields.day = digits(1).map { d1 * 10 + $0 } ?? d1
        guard take(UInt8(ascii: "-")), text.endIndex - i >= 3 else { return nil }
        let name = (lowercased(text[i]), lowercased(text[i + 1]), lowercased(text[i + 2]))
        guard let month = imapMonths.firstIndex(where: { $0 == name }) else { return nil }
        fields.month = month + 1
        i += 3
        guard take(UInt8(ascii: "-")), let year = digits(4), take(UInt8(ascii: " ")),
              let hour = digits(2), take(UInt8(ascii: ":")), let minute = digits(2), take(UInt8(ascii: ":")),
              let second = digits(2), take(UInt8(ascii: " ")), hour <= 23, minute <= 59, second <= 60 else { return nil }
        (fields.year, fields.hour, fields.minute, fields.second) = (year, hour, minute, second)
        let sign: Int
        if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        guard let zone = digits(4), zone % 100 <= 59, zone / 100 <= 23 else { return nil }
        fields.offsetSeconds = sign * (zone / 100 * 3600 + zone % 100 * 60)
        guard !quoted || take(UInt8(ascii: "\"")) else { return nil }
        return fields.instant()
    }

    /// An instant as RFC 3501's date-time in UTC, without the quotes (APPEND's INTERNALDATE):
    /// `17-Jul-1996 09:44:25 +0000`. Seconds are cut, as the format has none smaller.
    public static func formatIMAP(_ date: Date) -> String {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                   from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        let name = imapMonths[(c.month ?? 1) - 1]
        let month = String(decoding: [name.0 & 0xDF, name.1, name.2], as: UTF8.self)
        return "\(two(c.day))-\(month)-\(c.year ?? 1970) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}

/// RFC 3501's date-month, lower case, for comparing folded bytes.
private let imapMonths: [(UInt8, UInt8, UInt8)] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    .map { s in let b = Array(s.utf8); return (b[0], b[1], b[2]) }

private struct DateFields {
    var year = 0
    var month = 0
    var day = 0
    var hour = 0
    var minute = 0
    var second = 0
    var fraction = 0.0
    var offsetSeconds = 0

    func instant() -> Date? {
        guard (1...12).contains(month), (1...9999).contains(year),
              day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

private func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

private func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

// Howard Hinnant's days_from_civil: proleptic Gregorian date to days since 1970-01-01,
// exact for every year without a calendar object or time-zone database.
private func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

private struct DateToken {
    enum Kind { case number, word, symbol, end }
    var kind: Kind
    var start = 0
    var end = 0
    /// Numeric value, saturated so that absurd digit runs cannot overflow; `digits` tells them apart.
    var value = 0
    var digits = 0
    var symbol: UInt8 = 0

    func isSymbol(_ byte: UInt8) -> Bool { kind == .symbol && symbol == byte }
    var isTimeSeparator: Bool { isSymbol(UInt8(ascii: ":")) || isSymbol(UInt8(ascii: ".")) }
}

// Splits the header into digit runs, letter runs and single punctuation bytes. Whitespace
// (including folding CRLF) only separates, and RFC 5322 §3.2.2 comments, nested and with
// quoted-pairs, vanish, so "+0200 (CEST)" and "(GMT+01:00)" never reach the grammar.
private struct DateLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func peek(_ ahead: Int = 0) -> DateToken {
        var copy = self
        var token = copy.next()
        var remaining = ahead
        while remaining > 0 {
            token = copy.next()
            remaining -= 1
        }
        return token
    }

    mutating func skip(_ symbol: UInt8) -> Bool {
        guard peek().isSymbol(symbol) else { return false }
        _ = next()
        return true
    }

    mutating func next() -> DateToken {
        skipWhitespaceAndComments()
        guard position < bytes.count else { return DateToken(kind: .end, start: position, end: position) }
        let start = position
        let byte = bytes[position]
        if isDigit(byte) {
            var value = 0
            var digits = 0
            while position < bytes.count, isDigit(bytes[position]) {
                if digits < 9 { value = value * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                digits += 1
                position += 1
            }
            return DateToken(kind: .number, start: start, end: position, value: value, digits: digits)
        }
        if isLetter(byte) {
            while position < bytes.count, isLetter(bytes[position]) { position += 1 }
            return DateToken(kind: .word, start: start, end: position)
        }
        position += 1
        return DateToken(kind: .symbol, start: start, end: position, symbol: byte)
    }

    private mutating func skipWhitespaceAndComments() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte <= 0x20 || byte == 0x7f {
                position += 1
            } else if byte == UInt8(ascii: "(") {
                skipComment()
            } else {
                return
            }
        }
    }

    // An unterminated comment swallows the rest of the header, as it would for a strict parser.
    private mutating func skipComment() {
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\\"): position += 1
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return }
            default: break
            }
        }
        position = min(position, bytes.count)
    }

    /// Case-insensitive comparison of a word token with a lowercase ASCII literal.
    func wordEquals(_ token: DateToken, _ literal: StaticString) -> Bool {
        guard token.kind == .word, token.end - token.start == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { expected in
            for i in 0..<expected.count where lowercased(bytes[token.start + i]) != expected[i] {
                return false
            }
            return true
        }
    }

    func month(_ token: DateToken) -> Int? {
        guard token.kind == .word else { return nil }
        for (name, number) in monthNames where wordEquals(token, name) { return number }
        return nil
    }

    func namedZoneOffset(_ token: DateToken) -> Int? {
        guard token.kind == .word else { return nil }
        // Military letters (RFC 5322 §4.3): A–I, K–Z all mean -0000 in practice.
        if token.end - token.start == 1 { return 0 }
        for (name, hours) in zoneNames where wordEquals(token, name) { return hours * 3600 }
        return nil
    }

    /// Decimal fraction from the digits of a token, ignoring digits beyond nanoseconds.
    func fraction(_ token: DateToken) -> Double {
        var result = 0.0
        var scale = 0.1
        var index = token.start
        while index < token.end, index < token.start + 9 {
            result += Double(bytes[index] - UInt8(ascii: "0")) * scale
            scale /= 10
            index += 1
        }
        return result
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

// Bytes ≥ 0x80 count as letters so a Danish "lør" or "søn" is one (skippable) word.
private func isLetter(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte >= 0x80
}

private func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
}

// English abbreviations and names, and the Danish ones that differ ("maj", "okt", "marts", ...).
private let monthNames: [(StaticString, Int)] = [
    ("jan", 1), ("january", 1), ("januar", 1),
    ("feb", 2), ("february", 2), ("februar", 2),
    ("mar", 3), ("march", 3), ("marts", 3),
    ("apr", 4), ("april", 4),
    ("may", 5), ("maj", 5),
    ("jun", 6), ("june", 6), ("juni", 6),
    ("jul", 7), ("july", 7), ("juli", 7),
    ("aug", 8), ("august", 8),
    ("sep", 9), ("sept", 9), ("september", 9),
    ("oct", 10), ("october", 10), ("okt", 10), ("oktober", 10),
    ("nov", 11), ("november", 11),
    ("dec", 12), ("december", 12),
]

// RFC 5322 §4.3 obs-zone names, plus the Central European ones Danish senders use.
private let zoneNames: [(StaticString, Int)] = [
    ("ut", 0), ("gmt", 0), ("utc", 0), ("z", 0),
    ("est", -5), ("edt", -4), ("cst", -6), ("cdt", -5),
    ("mst", -7), ("mdt", -6), ("pst", -8), ("pdt", -7),
    ("cet", 1), ("cest", 2), ("met", 1), ("mest", 2),
]
