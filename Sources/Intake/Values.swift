/// A calendar day without a time zone: what a Danish application means by "1. marts 2027".
public struct DayDate: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `yyyy-mm-dd`.
    public var iso: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// `dd-mm-yyyy`, as the secretariat's Excel shows dates.
    public var danish: String {
        "\(day < 10 ? "0" : "")\(day)-\(month < 10 ? "0" : "")\(month)-\(year)"
    }

    public var description: String { iso }

    public static func < (a: DayDate, b: DayDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A start and end day, both inclusive.
public struct DatePeriod: Hashable, Sendable, Codable {
    public var start: DayDate
    public var end: DayDate

    public init(start: DayDate, end: DayDate) {
        self.start = start
        self.end = end
    }
}

/// A month of a year; `year` is nil when the text named only the month ("marts").
public struct YearMonth: Hashable, Sendable, Codable {
    public var year: Int?
    public var month: Int

    public init(year: Int?, month: Int) {
        self.year = year
        self.month = month
    }

    /// `yyyy-mm`, or `mm` when the year is unknown.
    public var iso: String {
        let m = "\(month < 10 ? "0" : "")\(month)"
        return year.map { "\($0)-\(m)" } ?? m
    }
}

/// An amount of Danish kroner kept in øre, so sums are exact.
public struct Money: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var ore: Int

    public init(ore: Int) { self.ore = ore }
    public init(kroner: Int) { self.ore = kroner * 100 }

    public static let zero = Money(ore: 0)

    /// The amount as a JSON number: `1234.5`, `12000`.
    public var jsonNumber: String {
        let sign = ore < 0 ? "-" : ""
        let a = abs(ore)
        let kr = a / 100, o = a % 100
        if o == 0 { return "\(sign)\(kr)" }
        return o % 10 == 0 ? "\(sign)\(kr).\(o / 10)" : "\(sign)\(kr).\(o < 10 ? "0" : "")\(o)"
    }

    /// Danish form with thousands dots and comma decimals: `1.234,50 kr.`.
    public var danish: String {
        let sign = ore < 0 ? "-" : ""
        let a = abs(ore)
        var digits = String(a / 100)
        var grouped = ""
        while digits.count > 3 {
            grouped = "." + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        let o = a % 100
        return "\(sign)\(digits)\(grouped),\(o < 10 ? "0" : "")\(o) kr."
    }

    public var description: String { danish }

    public static func + (a: Money, b: Money) -> Money { Money(ore: a.ore + b.ore) }
    public static func < (a: Money, b: Money) -> Bool { a.ore < b.ore }
}
