import Testing
@testable import Intake

/// How Danish municipal staff say how they paid, with the company card or privately, and negations.
@Suite struct PaymentPhrasesTests {
    let phrases = PaymentPhrases(company: testConfig.rules.companyCardWords, privately: testConfig.rules.privateCardWords,
                                 negations: testConfig.rules.negationWords ?? [])

    static let texts: [(String, Bool?)] = [
        ("Betalt med firmakort.", true),
        ("Jeg brugte firmakortet.", true),
        ("Betalt med kommunens kort", true),
        ("Købt på indkøbskortet", true),
        ("Vi har betalt med klubbens betalingskort.", true),
        ("Betalt med betalingskort fra kommunen.", true),
        ("Betalt med Firma-Dankort", true),
        ("Betalt med mit arbejdskort", true),
        ("Paid with the company card", true),
        ("Jeg har lagt beløbet ud.", false),
        ("Jeg har lagt 845 kr. ud til pizza.", false),
        ("Lagt ud privat", false),
        ("Betalt privat – refunderes til min NemKonto", false),
        ("Betalt af egen lomme", false),
        ("Betalt med mit eget kort", false),
        ("Jeg betalte med mit private kort", false),
        ("Betalte med MobilePay", false),
        ("Jeg har ikke noget firmakort, så jeg har betalt selv.", false),
        ("Firmakortet virkede ikke, så jeg betalte med mit eget kort.", false),
        ("Ikke lagt ud privat – betalt med firmakortet", true),
        ("Firmakort: nej", false),
        ("Firmakort: ja", true),
        ("Betalt med eget kort i stedet for firmakort", false),
        ("I paid out of my own pocket", false),
        ("Betalt med institutionens betalingskort", true),
        ("Betalt med mit eget dankort", false),
        ("Betalt af egne midler", false),
        ("Hermed kvittering for kage til mødet.", nil),
        ("Kvittering for udlæg vedhæftet", nil),
        ("", nil),
    ]

    @Test(arguments: texts)
    func payment(_ text: String, _ companyCard: Bool?) {
        #expect(phrases.finding(in: text)?.companyCard == companyCard, "\(text)")
    }
}
