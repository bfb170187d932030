import Testing
@testable import Intake
import MailCore

/// The new readers on junk: nothing traps, and what they return is well-formed.
@Suite struct ReaderRobustnessTests {
    @Test func junkNeverTrapsAnyReader() {
        var rng = SplitMix64(seed: 20_271_203)
        let pieces = ["1. ", "2) ", "Budget: ", "Tovholder: ", "Navn på indsatsen", "Hvem er tovholder?", " kr.", " DKK ", "6.000",
                      ",-", "à 50 kr.", " = ", "i alt ", "(", ")", "; ", ", ", " og ", "august", "juni 2027", "/", " | ", " - ", "–",
                      "@", "sara@kk.dk", "+45 23 45 67 89", "Fra: Ahmad <a@kk.dk>\nSendt: i går\nEmne: x\n\n", "lagt ", " ud",
                      "ikke ", "firmakort", "mit eget kort", "møde d. 3. maj", "\n", "\n\n", "»", "«", "\"", "Vi kalder den ", "æøå",
                      "\t", "*", "Evaluering. ", "på vegne af ", "Jens Holm", "Periode: 1. juni - ", "31. august 2027"]
        let rules = ApplicationRules(config: testConfig)
        let receipts = ReceiptRules(config: testConfig)
        let budget = BudgetReader(totalLabels: testConfig.rules.budgetTotalLabels)
        let payment = PaymentPhrases(company: testConfig.rules.companyCardWords, privately: testConfig.rules.privateCardWords,
                                     negations: testConfig.rules.negationWords ?? [])
        for _ in 0..<500 {
            let n = Int(rng.next() % 30)
            let text = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let a = rules.read(text, year: 2027)
            #expect(a.fields.keys.allSatisfy { !$0.isEmpty }, "\(text)")
            _ = rules.name(fromSubject: text)
            _ = ApplicationRules.title(inProse: text)
            let r = receipts.read(text, subject: text, sender: MailAddress(name: "Sara Holm", address: "sara@kk.dk"),
                                  attachmentTypes: [], received: DayDate(year: 2027, month: 5, day: 1), forwarded: text)
            if case .money(let m)? = r.fields["amount"] { #expect(m.ore >= 0, "\(text)") }
            let b = budget.read(text.split(separator: "\n").map(String.init), period: nil, year: 2027)
            #expect(b.lines.allSatisfy { ($0.amount?.ore ?? 0) >= 0 && $0.months.allSatisfy { (1...12).contains($0.month) } }, "\(text)")
            let c = ContactLine.read(text)
            if let p = c.phone { #expect(p.count == 8, "\(text)") }
            _ = payment.finding(in: text)
            _ = ForwardedMail.chain(text)
            _ = ReceiptRules.meetingPhrase(text)
            _ = ReceiptRules.payerInSentence(text)
        }
    }
}
