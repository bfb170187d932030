import Testing
@testable import Intake

/// Forwarded mail as the clients write it into the text, and receipts an area consultant passes on.
@Suite struct ForwardedMailTests {
    /// A forward's text (what follows the new text), the original sender's name, address and own first line.
    static let forwards: [(String, String?, String?, String)] = [
        ("""
         ---------- Videresendt besked ---------
         Fra: Ahmad Rashid <ahmad.rashid@kk.dk>
         Date: tir. 4. maj 2027 kl. 15.47
         Subject: Kvittering
         To: Lise Bang <lise.bang@kk.dk>


         Hej Lise
         """, "Ahmad Rashid", "ahmad.rashid@kk.dk", "Hej Lise"),
        ("""
         Fra: Rashid, Ahmad <ahmad.rashid@kk.dk>
         Sendt: 4. maj 2027 15:47
         Til: Bang, Lise <lise.bang@kk.dk>
         Emne: Kvittering for pizza

         Hej Lise, her er kvitteringen.
         """, "Ahmad Rashid", "ahmad.rashid@kk.dk", "Hej Lise, her er kvitteringen."),
        ("""
         Start på videresendt besked:

         Fra: Fatima Yilmaz <fatima.yilmaz@gmail.com>
         Emne: Udlæg
         Dato: 3. maj 2027 kl. 10.14.52 CEST
         Til: Lise Bang <lise.bang@kk.dk>

         Hej igen
         """, "Fatima Yilmaz", "fatima.yilmaz@gmail.com", "Hej igen"),
        ("""
         -----Original Message-----
         From: jonas.krogh@kk.dk
         Sent: Tuesday, May 4, 2027 3:47 PM
         To: Lise Bang
         Subject: receipt

         Hi Lise
         """, "Jonas Krogh", "jonas.krogh@kk.dk", "Hi Lise"),
        ("""
         From: "Mikkelsen, Jens" [mailto:jm@kk.dk]
         Sent: 4. maj 2027 15:47
         To: SSP
         Subject: Bilag

         Hej
         """, "Jens Mikkelsen", "jm@kk.dk", "Hej"),
    ]

    @Test(arguments: forwards)
    func forwardedSender(_ text: String, _ name: String?, _ address: String?, _ firstLine: String) throws {
        let m = try #require(ForwardedMail.original(in: text))
        #expect(m.fromName == name)
        #expect(m.fromAddress == address)
        #expect(m.body.split(separator: "\n").first.map(String.init) == firstLine)
    }

    @Test func aForwardOfAForwardGivesTheOriginalLast() throws {
        let text = """
            ---------- Forwarded message ---------
            From: Lise Bang <lise.bang@kk.dk>
            Date: Wed, May 5, 2027 at 9:12 AM
            Subject: Fwd: Kvittering
            To: <ssp@kk.dk>

            Se nedenfor.

            ---------- Forwarded message ---------
            From: Ahmad Rashid <ahmad.rashid@kk.dk>
            Date: Tue, May 4, 2027 at 3:47 PM
            Subject: Kvittering
            To: Lise Bang <lise.bang@kk.dk>

            Jeg har lagt 845 kr. ud.
            """
        let chain = ForwardedMail.chain(text)
        #expect(chain.map(\.fromName) == ["Lise Bang", "Ahmad Rashid"])
        #expect(chain.last?.body == "Jeg har lagt 845 kr. ud.")
    }

    static let consultantForward = """
        Hej SSP

        Videresender Ahmads kvittering fra mødet. Han har ikke noget firmakort.

        Mvh Lise Bang
        Områdeansvarlig, Bispebjerg

        ---------- Videresendt besked ---------
        Fra: Ahmad Rashid <ahmad.rashid@kk.dk>
        Date: tir. 4. maj 2027 kl. 15.47
        Subject: Kvittering
        To: Lise Bang <lise.bang@kk.dk>


        Hej Lise

        Jeg har lagt 845 kr. ud til pizza til Bispebjerg lokaludvalgsmøde d. 3. maj. Kvitteringen er vedhæftet.

        Hilsen Ahmad
        """

    @Test func aReceiptForwardedByTheAreaConsultantIsTheOriginalSenders() {
        let r = evaluate(["From: Lise Bang <lise.bang@kk.dk>", "To: ssp@kk.dk", "Subject: VS: Kvittering",
                          "Date: Wed, 5 May 2027 09:12:00 +0200"], Self.consultantForward)
        #expect(r.kind == .receipt)
        #expect(r.fields["payer"] == .text("Ahmad Rashid"))
        #expect(r.fields["amount"] == .money(Money(kroner: 845)))
        #expect(r.fields["occasion"] == .text("Bispebjerg lokaludvalgsmøde d. 3. maj"))
        #expect(r.fields["occasion.date"] == .date(DayDate(year: 2027, month: 5, day: 3)))
        #expect(r.fields["companyCard"] == .bool(false))
        #expect(!r.missing.contains("occasion"))
    }

    /// The meeting and its date cut out of the sentence that names them.
    static let meetings: [(String, String?)] = [
        ("Jeg har lagt 845 kr. ud til pizza til Bispebjerg lokaludvalgsmøde d. 3. maj. Kvitteringen er vedhæftet.",
         "Bispebjerg lokaludvalgsmøde d. 3. maj"),
        ("Kaffe til SSP-mødet i Valby den 3. maj 2027, betalt med eget kort.", "SSP-mødet i Valby den 3. maj 2027"),
        ("Kage til mødet i lokaludvalget d. 4/5.", "mødet i lokaludvalget d. 4/5"),
        ("Vedhæftet bon (Østerbro lokaludvalgsmøde d. 8. december 2027).", "Østerbro lokaludvalgsmøde d. 8. december 2027"),
        ("Pizza for the Østerbro lokaludvalgsmøde on 19 October 2027 with my own card.", "Østerbro lokaludvalgsmøde on 19 October 2027"),
        ("Fremmødet var fint d. 3. maj.", nil),
    ]

    @Test(arguments: meetings)
    func meetingInASentence(_ line: String, _ phrase: String?) {
        #expect(ReceiptRules.meetingPhrase(line) == phrase)
    }

    static let payers: [(String, String?)] = [
        ("Jeg sender kvitteringen på vegne af Jens Holm, som har lagt 1.120 kr. ud.", "Jens Holm"),
        ("Beløbet er lagt ud af Anne-Mette Bech og skal refunderes.", "Anne-Mette Bech"),
        ("Paid by Anna Schmidt with her own card.", "Anna Schmidt"),
        ("Betalt af mig.", nil),
    ]

    @Test(arguments: payers)
    func payerInASentence(_ text: String, _ name: String?) {
        #expect(ReceiptRules.payerInSentence(text)?.name == name)
    }

    @Test func aForwardedShopConfirmationWasPaidByTheSender() {
        let r = evaluate(["From: Sara Holm <sara.holm@kk.dk>", "To: ssp@kk.dk", "Subject: VS: Din ordre er modtaget",
                          "Date: Wed, 5 May 2027 09:12:00 +0200"], """
            Hej SSP – kvittering for bolde til SSP-2027-0004, betalt med mit eget kort.

            ---------- Videresendt besked ---------
            Fra: Coop Online <noreply@coop.dk>
            Date: tir. 4. maj 2027 kl. 15.47
            Subject: Din ordre er modtaget
            To: <sara.holm@kk.dk>

            Tak for din ordre. Total: 499,00 kr.
            """)
        #expect(r.kind == .receipt)
        #expect(r.fields["payer"] == .text("Sara Holm"))
        #expect(r.fields["amount"] == .money(Money(kroner: 499)))
        #expect(r.fields["companyCard"] == .bool(false))
    }

    static let sentenceAmounts: [(String, Int?)] = [
        ("Jeg har lagt 845 kr. ud til pizza.", 84_500),
        ("2 pizzaer à 120 kr., i alt 240 kr.", 24_000),
        ("Kage til 3 x 45 kr. = 135 kr.", 13_500),
        ("Beløbet er på 312,50 kr.", 31_250),
        ("Ingen beløb her, kun 20 deltagere", nil),
    ]

    @Test(arguments: sentenceAmounts)
    func amountInASentence(_ text: String, _ ore: Int?) {
        #expect(ReceiptRules.sentenceAmount(in: text)?.money.ore == ore)
    }
}
