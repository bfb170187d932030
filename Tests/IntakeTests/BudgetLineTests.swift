import Testing
@testable import Intake

/// Budgets as people write them, and the year a month without one is placed in.
@Suite struct BudgetLineTests {
    let reader = BudgetReader(totalLabels: testConfig.rules.budgetTotalLabels)
    static let summer = DatePeriod(start: DayDate(year: 2027, month: 6, day: 1), end: DayDate(year: 2027, month: 9, day: 30))
    static let schoolYear = DatePeriod(start: DayDate(year: 2027, month: 8, day: 1), end: DayDate(year: 2028, month: 6, day: 30))

    /// A budget's lines, its period, and the items as "heading|kroner|months" plus the total.
    static let budgets: [([String], DatePeriod?, [String], Int?)] = [
        (["Instruktører 6.000 kr. (august), Materialer 1.200 kr. (juni), Forplejning 2.500 kr. (september)"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06", "Forplejning|2500|2027-09"], nil),
        (["Leje 1.500 kr. april; Flyers 300 kr. april"], nil, ["Leje|1500|2027-04", "Flyers|300|2027-04"], nil),
        (["Vi søger 6.000 kr. til instruktører i august, 1.200 kr. til materialer i juni og 2.500 kr. til forplejning i september."], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06", "Forplejning|2500|2027-09"], nil),
        (["Vi søger i alt 9.700 kr.: instruktører 6.000 kr. (august), materialer 1.200 kr. (juni) og forplejning 2.500 kr. (september)."], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06", "Forplejning|2500|2027-09"], 9700),
        (["Instruktører 6.000 kr. i august, materialer 1.200 kr. i juni – i alt 7.200 kr."], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], 7200),
        (["- Instruktører: 6.000 kr. (august)", "- Materialer: 1.200 kr. (juni)", "I alt: 7.200 kr."], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], 7200),
        (["Udgiftspost\tBeløb\tMåned", "Instruktører\t6.000\taugust", "Materialer\t1.200\tjuni", "I alt\t7.200"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], 7200),
        (["Instruktører\t6.000 kr.\taugust", "Materialer\t1.200 kr.\tjuni", "\t7.200 kr.\t"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], 7200),
        (["Budget i alt: 7.200 kr.", "Instruktører 6.000 kr. august", "Materialer 1.200 kr. juni"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], 7200),
        (["Forplejning 3 møder à 500 kr. = 1.500 kr. i marts, leje 2.000 kr. i april"], nil,
         ["Forplejning|1500|2027-03", "Leje|2000|2027-04"], nil),
        (["Instruktører ca. 6.000 kr. i august, materialer kr. 1.200,- i juni, forplejning DKK 2.500 i september"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06", "Forplejning|2500|2027-09"], nil),
        (["Tur 2.000 kr. januar, leje 1.000 kr. oktober"], schoolYear, ["Tur|2000|2028-01", "Leje|1000|2027-10"], nil),
        (["Instructors DKK 6,000 (August), materials DKK 1,200 (June)"], summer,
         ["Instructors|6000|2027-08", "Materials|1200|2027-06"], nil),
        (["Summer camp 3.000 kr. juli"], summer, ["Summer camp|3000|2027-07"], nil),
        (["Instruktører (6.000 kr., august), materialer (1.200 kr., juni)"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], nil),
        (["Instruktører 6.000 kr august, Materialer 1.200 kr juni, Forplejning 2.500 kr september"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06", "Forplejning|2500|2027-09"], nil),
        (["I august bruger vi 6.000 kr. på instruktører, i juni 1.200 kr. på materialer"], summer,
         ["Instruktører|6000|2027-08", "Materialer|1200|2027-06"], nil),
        (["Forplejning 4.500,00 kr. marts 2027"], nil, ["Forplejning|4500|2027-03"], nil),
    ]

    @Test(arguments: budgets)
    func budget(_ lines: [String], _ period: DatePeriod?, _ items: [String], _ total: Int?) {
        let b = reader.read(lines, period: period, year: 2027)
        let got = b.lines.map { "\($0.heading)|\(($0.amount?.ore ?? 0) / 100)|\($0.months.map(\.iso).joined(separator: ","))" }
        #expect(got == items, "\(lines)")
        #expect(b.total.map { $0.ore / 100 } == total, "\(lines)")
    }

    /// Months without a year go where the period puts them (DOMAIN.md: the money is valid for one year).
    static let placements: [(Int, DatePeriod, String)] = [
        (8, summer, "2027-08"),
        (5, summer, "2027-05"),
        (11, summer, "2027-11"),
        (10, schoolYear, "2027-10"),
        (1, schoolYear, "2028-01"),
        (6, schoolYear, "2028-06"),
        (7, schoolYear, "2027-07"),
        (3, DatePeriod(start: DayDate(year: 2027, month: 11, day: 1), end: DayDate(year: 2029, month: 2, day: 28)), "2028-03"),
    ]

    @Test(arguments: placements)
    func monthPlacement(_ month: Int, _ period: DatePeriod, _ expected: String) {
        #expect(Months.placed(YearMonth(year: nil, month: month), in: period).iso == expected)
        #expect(Months.placed(YearMonth(year: 2030, month: month), in: period).iso == "2030-\(month < 10 ? "0" : "")\(month)")
    }
}
