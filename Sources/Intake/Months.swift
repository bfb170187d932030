/// Danish month names for what the product writes (replies, reports).
enum Months {
    static let names = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                        "september", "oktober", "november", "december"]

    /// "marts 2027", or "marts" when the year is unknown.
    static func danishName(_ m: YearMonth) -> String {
        guard (1...12).contains(m.month) else { return m.iso }
        return names[m.month - 1] + (m.year.map { " \($0)" } ?? "")
    }
}
