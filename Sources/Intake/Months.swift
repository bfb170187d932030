/// Danish month names for what the product writes (replies, reports), and the year a month
/// written without one belongs to.
enum Months {
    static let names = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                        "september", "oktober", "november", "december"]

    /// "marts 2027", or "marts" when the year is unknown.
    static func danishName(_ m: YearMonth) -> String {
        guard (1...12).contains(m.month) else { return m.iso }
        return names[m.month - 1] + (m.year.map { " \($0)" } ?? "")
    }

    /// `m` with the year that puts it inside `period` when the text gave none ("juni" in a budget
    /// for 1. august 2027 – 30. juni 2028 is June 2028). A month before the start month is in the
    /// period's later year only when that is inside the period, else in whichever year is; a month
    /// that no year puts inside keeps the start year, so the budget check can point it out.
    static func placed(_ m: YearMonth, in period: DatePeriod) -> YearMonth {
        guard m.year == nil, (1...12).contains(m.month) else { return m }
        let start = (period.start.year, period.start.month), end = (period.end.year, period.end.month)
        func inside(_ y: Int) -> Bool { (y, m.month) >= start && (y, m.month) <= end }
        let first = period.start.year
        var candidates = m.month < period.start.month ? [first + 1] : [first]
        if period.end.year > first { candidates += Array(first...min(period.end.year, first + 10)) }
        let year = candidates.first(where: inside) ?? first
        return YearMonth(year: year, month: m.month)
    }
}
