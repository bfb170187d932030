import Foundation
import Testing
@testable import Intake

@Suite struct DanishValuesTests {
    // MARK: date

    static let dates: [(String, Int?, String?)] = [
        ("1. marts 2027", nil, "2027-03-01"),
        ("1 marts 2027", nil, "2027-03-01"),
        ("d. 2. februar 2027", nil, "2027-02-02"),
        ("2. feb. 2027", nil, "2027-02-02"),
        ("2. Feb 2027", nil, "2027-02-02"),
        ("10. okt. 2027", nil, "2027-10-10"),
        ("1 March 2027", nil, "2027-03-01"),
        ("Mødet er den 15. JUNI 2027 kl. 10", nil, "2027-06-15"),
        ("1.\u{00A0}marts\u{00A0}2027", nil, "2027-03-01"),
        ("01.02.2027", nil, "2027-02-01"),
        ("1.2.2027", nil, "2027-02-01"),
        ("01-02-2027", nil, "2027-02-01"),
        ("1/2-2027", nil, "2027-02-01"),
        ("1/2 2027", nil, "2027-02-01"),
        ("01/02/2027", nil, "2027-02-01"),
        ("2027-02-01", nil, "2027-02-01"),
        ("1/2-27", nil, "2027-02-01"),
        ("1.6.27", nil, "2027-06-01"),
        ("2. februar", 2027, "2027-02-02"),
        ("2. februar", nil, nil),
        ("1/2", 2026, "2026-02-01"),
        ("1.6.", 2027, "2027-06-01"),
        ("29. februar 2028", nil, "2028-02-29"),
        ("29/2-2000", nil, "2000-02-29"),
        ("1. marts 2027 – 30. juni 2027", nil, "2027-03-01"),
        ("31. februar 2027", nil, nil),
        ("29. februar 2027", nil, nil),
        ("29/2-2100", nil, nil),
        ("31/4-2027", nil, nil),
        ("1/13-2027", nil, nil),
        ("SSP-2027-0007", 2027, nil),
        ("1.234,50 kr.", 2027, nil),
        ("kl. 10.30", 2027, nil),
        ("ingen dato her", 2027, nil),
    ]

    @Test(arguments: dates)
    func date(_ text: String, _ year: Int?, _ expected: String?) {
        #expect(DanishValues.date(in: text, defaultYear: year)?.iso == expected)
    }

    // MARK: period

    static let periods: [(String, Int?, String?)] = [
        ("1. marts 2027 – 30. juni 2027", nil, "2027-03-01..2027-06-30"),
        ("Periode: 1. marts 2027 — 30. juni 2027", nil, "2027-03-01..2027-06-30"),
        ("1. marts - 30. juni 2027", nil, "2027-03-01..2027-06-30"),
        ("01.04.2027-31.12.2027", nil, "2027-04-01..2027-12-31"),
        ("1/6-2027 til 31/12-2027", nil, "2027-06-01..2027-12-31"),
        ("fra 1/6 til 31/12 2027", nil, "2027-06-01..2027-12-31"),
        ("fra 1.6. til og med 31.12.2027", nil, "2027-06-01..2027-12-31"),
        ("fra d. 1. marts til d. 30. juni 2027", nil, "2027-03-01..2027-06-30"),
        ("1. november - 31. januar 2028", nil, "2027-11-01..2028-01-31"),
        ("2027-03-01 - 2027-06-30", nil, "2027-03-01..2027-06-30"),
        ("1/2-27/2 2027", nil, "2027-02-01..2027-02-27"),
        ("1.-30. juni 2027", nil, "2027-06-01..2027-06-30"),
        ("juni-august 2027", nil, "2027-06-01..2027-08-31"),
        ("juni – august 2027", nil, "2027-06-01..2027-08-31"),
        ("fra juni til august 2027", nil, "2027-06-01..2027-08-31"),
        ("maj–november 2027", nil, "2027-05-01..2027-11-30"),
        ("marts 2027", nil, "2027-03-01..2027-03-31"),
        ("februar 2028", nil, "2028-02-01..2028-02-29"),
        ("januar 2027 - marts 2028", nil, "2027-01-01..2028-03-31"),
        ("november - februar 2028", nil, "2027-11-01..2028-02-29"),
        ("marts - juni", 2027, "2027-03-01..2027-06-30"),
        ("marts - juni", nil, nil),
        ("uge 10-22 2027", nil, "2027-03-08..2027-06-06"),
        ("uger 10–22, 2027", nil, "2027-03-08..2027-06-06"),
        ("uge 10 til uge 22 2027", nil, "2027-03-08..2027-06-06"),
        ("Uge 10", 2027, "2027-03-08..2027-03-14"),
        ("uge 53 2026", nil, "2026-12-28..2027-01-03"),
        ("uge 53 2027", nil, nil),
        ("2027", nil, "2027-01-01..2027-12-31"),
        ("2027-2028", nil, "2027-01-01..2028-12-31"),
        ("skoleåret 2027/28", nil, "2027-08-01..2028-06-30"),
        ("Skoleår 2027-2028", nil, "2027-08-01..2028-06-30"),
        ("15. maj 2027", nil, "2027-05-15..2027-05-15"),
        ("30. juni 2027 - 1. marts 2027", nil, "2027-06-30..2027-03-01"),
        ("31. februar 2027", nil, nil),
        ("hele året", nil, nil),
        ("", 2027, nil),
    ]

    @Test(arguments: periods)
    func period(_ text: String, _ year: Int?, _ expected: String?) {
        let p = DanishValues.period(in: text, defaultYear: year)
        #expect(p.map { "\($0.start.iso)..\($0.end.iso)" } == expected)
    }

    /// The week arithmetic against Foundation's ISO 8601 calendar, first and last week of each year.
    @Test(arguments: 2015...2035)
    func weeksMatchFoundation(_ year: Int) throws {
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = try #require(TimeZone(identifier: "UTC"))
        let dec28 = try #require(cal.date(from: DateComponents(year: year, month: 12, day: 28)))
        let last = cal.component(.weekOfYear, from: dec28)
        for week in [1, last] {
            let monday = try #require(cal.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year)))
            let c = cal.dateComponents([.year, .month, .day], from: monday)
            let p = try #require(DanishValues.period(in: "uge \(week) \(year)", defaultYear: nil))
            #expect(p.start == DayDate(year: c.year!, month: c.month!, day: c.day!))
        }
        #expect(DanishValues.period(in: "uge \(last + 1) \(year)", defaultYear: nil) == nil)
    }

    // MARK: money

    static let moneys: [(String, Bool, Int?)] = [
        ("1.234,50 kr.", false, 123_450),
        ("1.234,50 kr", false, 123_450),
        ("kr. 1.234", false, 123_400),
        ("Kr. 500", false, 50_000),
        ("kr.1.234", false, 123_400),
        ("kr 1.234,-", false, 123_400),
        ("1.500,-", false, 150_000),
        ("1.500,- kr.", false, 150_000),
        ("1234 DKK", false, 123_400),
        ("DKK 1.234,50", false, 123_450),
        ("12.000 kr.", false, 1_200_000),
        ("12 000 kr.", false, 1_200_000),
        ("12\u{00A0}000\u{00A0}kr.", false, 1_200_000),
        ("Beløb: 1.000.000 kr.", false, 100_000_000),
        ("4.500,00", false, 450_000),
        ("12,5 kr", false, 1250),
        ("12.50 kr", false, 1250),
        ("500 kroner", false, 50_000),
        ("Dato 1.2.2027, beløb 450,00 kr.", false, 45_000),
        ("250 € (1.865 kr.)", false, 186_500),
        ("1234", true, 123_400),
        ("1.234", true, 123_400),
        ("12,5", true, 1250),
        ("Beløb: 2.000", true, 200_000),
        ("10 stk. á 250 kr.", true, 25_000),
        ("ca. 6.000 kr.", false, 600_000),
        ("cirka kr. 6.000,-", false, 600_000),
        ("6.000.-", false, 600_000),
        ("6000,-", false, 600_000),
        ("6.000kr", false, 600_000),
        ("DKK 6,000", false, 600_000),
        ("6,000 DKK", false, 600_000),
        ("DKK 1,200,000", false, 120_000_000),
        ("6.000,00 DKK", false, 600_000),
        ("har lagt 845 kr. ud", false, 84_500),
        ("1234", false, nil),
        ("1.234", false, nil),
        ("250 €", false, nil),
        ("EUR 250", true, nil),
        ("25,00 %", false, nil),
        ("1,234 kr", false, nil),
        ("1.2.2027", true, nil),
        ("1. marts 2027", true, nil),
        ("23 45 67 89", true, nil),
        ("tlf. 23456789", true, nil),
        ("2027", true, nil),
        ("SSP-2027-0007", true, nil),
        ("010203-1234", true, nil),
        ("1.5 mio", true, nil),
        ("ingenting", true, nil),
    ]

    @Test(arguments: moneys)
    func money(_ text: String, _ allowBare: Bool, _ ore: Int?) {
        #expect(DanishValues.money(in: text, allowBare: allowBare)?.ore == ore)
    }

    static let amountLists: [(String, [Int])] = [
        ("12.000 kr. + 3.000 kr. = 15.000 kr.", [1_200_000, 300_000, 1_500_000]),
        ("Leje 2.500 kr, mad 1.234,50 kr og 20 deltagere", [250_000, 123_450]),
        ("250 € og 100 kr", [10_000]),
        ("uge 10-22 2027, 20 deltagere", []),
        ("", []),
    ]

    @Test(arguments: amountLists)
    func amounts(_ text: String, _ ore: [Int]) {
        #expect(DanishValues.amounts(in: text).map(\.ore) == ore)
    }

    // MARK: months

    static let monthLists: [(String, Int?, [String])] = [
        ("marts", nil, ["03"]),
        ("marts", 2027, ["2027-03"]),
        ("marts 2027", nil, ["2027-03"]),
        ("mar.", 2027, ["2027-03"]),
        ("03/2027", nil, ["2027-03"]),
        ("3/2027", nil, ["2027-03"]),
        ("marts-maj 2027", nil, ["2027-03", "2027-04", "2027-05"]),
        ("jan.–feb.", 2027, ["2027-01", "2027-02"]),
        ("juni og august", nil, ["06", "08"]),
        ("juni og august 2027", nil, ["2027-06", "2027-08"]),
        ("1. marts 2027", nil, ["2027-03"]),
        ("1. marts - 30. juni 2027", nil, ["2027-03", "2027-04", "2027-05", "2027-06"]),
        ("november - februar 2028", nil, ["2027-11", "2027-12", "2028-01", "2028-02"]),
        ("november-februar", 2027, ["2027-11", "2027-12", "2028-01", "2028-02"]),
        ("december 2027 og januar", nil, ["2027-12", "2028-01"]),
        ("Husleje 12.000 kr. i marts", nil, ["03"]),
        ("marts, marts", nil, ["03"]),
        ("løbende", 2027, []),
        ("hele perioden", 2027, []),
        ("20 deltagere á 150 kr.", 2027, []),
    ]

    @Test(arguments: monthLists)
    func months(_ text: String, _ year: Int?, _ expected: [String]) {
        #expect(DanishValues.months(in: text, defaultYear: year).map(\.iso) == expected)
    }

    // MARK: phone

    static let phones: [(String, String?)] = [
        ("23 45 67 89", "23456789"),
        ("2345 6789", "23456789"),
        ("23456789", "23456789"),
        ("+45 23 45 67 89", "23456789"),
        ("+4523456789", "23456789"),
        ("0045 23456789", "23456789"),
        ("(+45) 2345 6789", "23456789"),
        ("tlf. 23 45 67 89", "23456789"),
        ("mobil: 23-45-67-89", "23456789"),
        ("Ring på 23\u{00A0}45\u{00A0}67\u{00A0}89 efter kl. 16.", "23456789"),
        ("Dato 01.02.2027, tlf 2345 6789", "23456789"),
        ("SSP-2027-0007", nil),
        ("010203-1234", nil),
        ("01.02.2027", nil),
        ("01-02-2027", nil),
        ("1.234,50 kr.", nil),
        ("12 000 000 kr", nil),
        ("23456789 kr", nil),
        ("2345 678", nil),
        ("234567890", nil),
        ("23 45 67 89 10", nil),
        ("+46 23456789", nil),
        ("CVR 23456789", nil),
        ("+45 12 34 56 78", "12345678"),
        ("tlf. 12 34 56 78", "12345678"),
        ("12 34 56 78", nil),
        ("12345678", nil),
        ("", nil),
    ]

    @Test(arguments: phones)
    func phone(_ text: String, _ expected: String?) {
        #expect(DanishValues.phone(in: text) == expected)
    }

    // MARK: email

    static let emails: [(String, String?)] = [
        ("anna@example.dk", "anna@example.dk"),
        ("Anna.Hansen@Example.DK", "Anna.Hansen@example.dk"),
        ("<anna@ssp.kk.dk>", "anna@ssp.kk.dk"),
        ("mailto:anna@ssp.kk.dk", "anna@ssp.kk.dk"),
        ("Skriv til anna-b+ssp_1@kk.dk.", "anna-b+ssp_1@kk.dk"),
        ("Anna Hansen <anna@kk.dk>, tlf. 23456789", "anna@kk.dk"),
        ("anna@", nil),
        ("@kk.dk", nil),
        ("anna@kk", nil),
        ("anna@kk.d", nil),
        ("søren@kk.dk", nil),
        ("ingen mail", nil),
    ]

    @Test(arguments: emails)
    func email(_ text: String, _ expected: String?) {
        #expect(DanishValues.email(in: text) == expected)
    }

    // MARK: robustness

    /// Random junk must not crash any reader, and what they return must still be well-formed.
    @Test func randomInputDoesNotCrash() {
        var rng = SplitMix64(seed: 20_270_301)
        let alphabet = Array("0123456789012345678901234567890123456789abcdekrmajunitægø .,-/–:+()@€%'\u{00A0}\n")
        for _ in 0..<500 {
            let length = Int(rng.next() % 40)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            if let d = DanishValues.date(in: text, defaultYear: 2027) {
                #expect(d.day >= 1 && d.day <= DanishValues.daysIn(d.month, d.year), "\(text)")
            }
            _ = DanishValues.period(in: text, defaultYear: 2027)
            if let m = DanishValues.money(in: text, allowBare: true) { #expect(m.ore >= 0, "\(text)") }
            #expect(DanishValues.amounts(in: text).allSatisfy { $0.ore >= 0 }, "\(text)")
            #expect(DanishValues.months(in: text, defaultYear: nil).allSatisfy { (1...12).contains($0.month) }, "\(text)")
            if let p = DanishValues.phone(in: text) { #expect(p.count == 8 && p.allSatisfy(\.isNumber), "\(text)") }
            if let e = DanishValues.email(in: text) { #expect(e.contains("@"), "\(text)") }
        }
    }
}

