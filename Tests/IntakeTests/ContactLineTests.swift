import Testing
@testable import Intake

/// Contact lines as coordinators write them: every common separator, any order, or a sentence.
@Suite struct ContactLineTests {
    static let lines: [(String, String?, String?, String?)] = [
        ("Sara Holm / sara.holm@kk.dk / +45 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Navn Efternavn / navn@kk.dk / +45 12 34 56 78", "Navn Efternavn", "navn@kk.dk", "12345678"),
        ("Sara Holm | sara.holm@kk.dk | 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm, sara.holm@kk.dk, 23456789", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm; sara.holm@kk.dk; tlf. 2345 6789", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm - sara.holm@kk.dk - 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm – sara.holm@kk.dk – 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm (sara.holm@kk.dk, 23 45 67 89)", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm (SSP-konsulent), sara.holm@kk.dk, mobil 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("sara.holm@kk.dk / 23 45 67 89 / Sara Holm", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Anne-Mette Bech-Olsen, anne-mette@kk.dk, 23-45-67-89", "Anne-Mette Bech-Olsen", "anne-mette@kk.dk", "23456789"),
        ("SSP-konsulent Sara Holm, sara.holm@kk.dk", "Sara Holm", "sara.holm@kk.dk", nil),
        ("Klubleder Sara Holm (tlf. 23 45 67 89)", "Sara Holm", nil, "23456789"),
        ("Vores tovholder er Sara Holm, som kan træffes på 23 45 67 89 eller sara.holm@kk.dk.", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm kan kontaktes på sara.holm@kk.dk eller på tlf. 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Sara Holm\nsara.holm@kk.dk\nTlf. 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Navn: Sara Holm, Mail: sara.holm@kk.dk, Tlf: 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("Mette (SSP Valby)", "Mette", nil, nil),
        ("Ludwig van Dijk, ludwig@kk.dk", "Ludwig van Dijk", "ludwig@kk.dk", nil),
        ("Project coordinator Sara Holm / sara.holm@kk.dk / +45 23 45 67 89", "Sara Holm", "sara.holm@kk.dk", "23456789"),
        ("sara.holm@kk.dk", nil, "sara.holm@kk.dk", nil),
        ("", nil, nil, nil),
    ]

    @Test(arguments: lines)
    func contactLine(_ text: String, _ name: String?, _ email: String?, _ phone: String?) {
        let c = ContactLine.read(text)
        #expect(c.name == name, "\(text)")
        #expect(c.email == email, "\(text)")
        #expect(c.phone == phone, "\(text)")
    }
}
