import Foundation
import Testing
@testable import Intake
@testable import MailCore

/// The replies: which one, and that the composed message is well-formed, threaded, automatic and safe.
@Suite struct ReplyTests {
    static let date = Date(timeIntervalSince1970: 1_804_000_000)

    static func compose(_ r: IntakeResult, _ original: MailMessage) -> (String, MailMessage) {
        guard let plan = r.reply else { return ("", MailMessage(bytes: [])) }
        let bytes = ReplyComposer.compose(plan, inReplyTo: original, from: testConfig.site.mailbox, date: date,
                                          messageID: ReplyComposer.messageID(seed: "test", domain: "kk.dk"))
        return (String(decoding: bytes, as: UTF8.self), MailMessage(bytes: bytes))
    }

    @Test func missingFieldNoticeSaysExactlyWhatIsMissing() {
        let original = mail(["From: Mette Sørensen <mette@kk.dk>", "To: ssp@kk.dk", "Subject: Ansøgning: Ung-til-ung",
                             "Message-ID: <orig@kk.dk>", "References: <a@kk.dk>"],
                            completeApplication.replacingOccurrences(of: "6. Evaluering: Optælling og interview i juni\n", with: ""))
        let r = testEngine.evaluate(original)
        #expect(r.missing == ["evaluation"])
        #expect(r.reply?.kind == .missingFields)
        let (wire, parsed) = Self.compose(r, original)
        #expect(parsed.subject == "SV: Ansøgning: Ung-til-ung")
        #expect(parsed.headers["auto-submitted"] == "auto-replied")
        #expect(parsed.headers["x-auto-response-suppress"] == "All")
        #expect(parsed.inReplyTo == ["orig@kk.dk"])
        #expect(parsed.references == ["a@kk.dk", "orig@kk.dk"])
        #expect(parsed.messageID?.hasSuffix("@kk.dk") == true)
        #expect(parsed.from.first?.address == "ssp@kk.dk")
        #expect(parsed.from.first?.name == "SSP København")
        #expect(parsed.to.first?.address == "mette@kk.dk")
        #expect(parsed.headers["content-transfer-encoding"] == "quoted-printable")
        let body = parsed.content().text
        #expect(body.contains("Kære Mette Sørensen"))
        #expect(body.contains("- Evaluering: mangler"))
        #expect(body.contains("\nEvaluering:\n") || body.hasSuffix("Evaluering:") || body.contains("\nEvaluering:"))
        #expect(body.contains("- Navn på indsatsen: Tryghedsvandringer i Sydhavnen"))
        #expect(!body.contains("{{"))
        // Wire form: CRLF only, no line over 78 in the head or 76 in the body.
        #expect(!wire.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(wire.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(wire.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func completeApplicationGetsTheReceiptWithItsReference() {
        let original = mail(["From: Ali Demir <ali.demir@kk.dk>", "Subject: Ansøgning", "Message-ID: <o@kk.dk>"], completeApplication)
        let r = testEngine.evaluate(original, reference: "SSP-2027-0042")
        #expect(r.reply?.kind == .applicationReceived)
        #expect(r.reply?.body.contains("SSP-2027-0042") == true)
    }

    @Test func crlfInSubjectOrNameNeverAddsAHeader() {
        let plan = ReplyPlan(kind: .mailReceived, to: MailAddress(name: "Evil\r\nBcc: victim@x.dk", address: "a@kk.dk\r\nBcc: v@x.dk"),
                             subject: ReplyComposer.replySubject("Hej\r\nBcc: victim@x.dk\nX-Evil: 1"), body: "x")
        let bytes = ReplyComposer.compose(plan, inReplyTo: nil, from: testConfig.site.mailbox, date: Self.date, messageID: "m@kk.dk")
        let parsed = MailMessage(bytes: bytes)
        #expect(parsed.headers.first("bcc") == nil)
        #expect(parsed.headers.first("x-evil") == nil)
        #expect(parsed.subject == "SV: Hej Bcc: victim@x.dk X-Evil: 1")
    }

    @Test func replySubjectStripsPrefixesOnce() {
        #expect(ReplyComposer.replySubject("SV: Re: Ansøgning") == "SV: Ansøgning")
        #expect(ReplyComposer.replySubject("VS: Ansøgning") == "SV: VS: Ansøgning")
        #expect(ReplyComposer.replySubject(nil) == "SV: Din mail til SSP København")
    }

    @Test func longDanishSubjectIsEncodedAndDecodesBack() {
        let subject = String(repeating: "Ansøgning om æøå-indsats på Østerbro ", count: 4)
        let plan = ReplyPlan(kind: .mailReceived, to: MailAddress(name: "Åse Ørum", address: "a@kk.dk"),
                             subject: ReplyComposer.replySubject(subject), body: String(repeating: "Æblegrød og øl – ", count: 20))
        let bytes = ReplyComposer.compose(plan, inReplyTo: nil, from: testConfig.site.mailbox, date: Self.date, messageID: "m@kk.dk")
        let parsed = MailMessage(bytes: bytes)
        #expect(parsed.subject == ReplyComposer.replySubject(subject))
        #expect(parsed.to.first?.name == "Åse Ørum")
        #expect(parsed.content().text == String(repeating: "Æblegrød og øl – ", count: 20).trimmingCharacters(in: .whitespaces) + " " || parsed.content().text.hasPrefix("Æblegrød og øl – Æblegrød"))
        #expect(String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func quotedPrintableRoundTripsTrailingBlanksAndEquals() {
        let text = "a = b \nlinje med æ\t\n" + String(repeating: "x", count: 200)
        let qp = ReplyComposer.quotedPrintable(text)
        var findings: [Finding] = []
        let decoded = QuotedPrintable.decode(qp[...], findings: &findings)
        #expect(String(decoding: decoded, as: UTF8.self) == text.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
    }

    /// Any text, any line length: quoted-printable decodes back to it, in lines of at most 76.
    @Test func quotedPrintableRoundTripsAnyText() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", " ", "=", "æ", "ø", "Å", "\t", "\n", "\r\n", "–", "x", "€", "  ", "="]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...400, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let qp = ReplyComposer.quotedPrintable(text)
            var findings: [Finding] = []
            let decoded = QuotedPrintable.decode(qp[...], findings: &findings)
            #expect(String(decoding: decoded, as: UTF8.self) == text.replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
            #expect(String(decoding: qp, as: UTF8.self).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        }
    }

    /// Header folding works on bytes for ASCII lines: the same lines as folding by characters.
    @Test func foldingASCIIMatchesFoldingByCharacters() {
        var rng = SystemRandomNumberGenerator()
        let words = ["<a1b2c3d4e5f6@kk.dk>", " ", "x", "", "References:", String(repeating: "y", count: 90), "\r\n", "<s@sof.kk.dk>"]
        for _ in 0..<500 {
            let line = (0..<Int.random(in: 0...30, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
            #expect(ReplyComposer.fold(line) == ReplyComposer.foldCharacters(line))
        }
        let refs = "References: " + (1...12).map { "<ssp-intake.\($0)abcdef0123456789@kk.dk>" }.joined(separator: " ")
        #expect(ReplyComposer.fold(refs).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func sameReplyComposedTwiceIsTheSameBytes() {
        let original = mail(["From: Ali Demir <ali.demir@kk.dk>", "Subject: Ansøgning", "Message-ID: <o@kk.dk>"], completeApplication)
        let r = testEngine.evaluate(original)
        #expect(Self.compose(r, original).0 == Self.compose(r, original).0)
        #expect(ReplyComposer.messageID(seed: "a", domain: "kk.dk") != ReplyComposer.messageID(seed: "b", domain: "kk.dk"))
    }

    @Test func approvalRequestGoesToTheLeader() {
        let r = ApplicationRules(config: testConfig).read(completeApplication, year: 2027)
        let plan = ReplyPlanner(config: testConfig).approvalRequest(fields: r.fields, reference: "SSP-2027-0042",
                                                                    to: MailAddress(name: "Pernille Skov", address: "pernille.skov@sof.kk.dk"))
        #expect(plan.subject == "Godkendelse af SSP-indsats SSP-2027-0042: Tryghedsvandringer i Sydhavnen")
        #expect(plan.body.contains("\"Godkendt\" eller \"Ikke godkendt\""))
    }

    @Test func receiptReplies() {
        let base = ["From: Søren Østergaard <s@kk.dk>", "To: ssp@kk.dk", "Date: Mon, 1 Mar 2027 10:00:00 +0100",
                    "Content-Type: multipart/mixed; boundary=b"]
        func body(_ text: String, pdf: Bool) -> String {
            "--b\nContent-Type: text/plain; charset=utf-8\n\n\(text)\n" +
            (pdf ? "--b\nContent-Type: application/pdf; name=k.pdf\nContent-Disposition: attachment; filename=k.pdf\n\n%PDF-1.4\n" : "") + "--b--\n"
        }
        let ok = evaluate(base + ["Subject: Kvittering"], body("Kvittering for Valby lokaludvalgsmøde d. 2. februar 2027. Beløb: 250 kr. Firmakort.", pdf: true))
        #expect(ok.kind == .receipt)
        #expect(ok.missing.isEmpty)
        #expect(ok.fields["companyCard"] == .bool(true))
        #expect(ok.fields["amount"] == .money(Money(kroner: 250)))
        #expect(ok.fields["occasion.date"] == .date(DayDate(year: 2027, month: 2, day: 2)))
        #expect(ok.reply?.kind == .receiptRegistered)
        let missing = evaluate(base + ["Subject: Kvittering"], body("Hermed kvittering for kage.", pdf: false))
        #expect(missing.missing.contains("attachment") && missing.missing.contains("occasion"))
        #expect(missing.reply?.kind == .receiptMissing)
        var lateHeaders = base
        lateHeaders[2] = "Date: Fri, 17 Dec 2027 10:00:00 +0100"
        let late = evaluate(lateHeaders + ["Subject: Udlæg"], body("Udlæg for Valby lokaludvalgsmøde d. 2. december 2027", pdf: true))
        #expect(late.late == true)
        #expect(late.reply?.kind == .receiptLate)
        #expect(late.reply?.body.contains("15. december 2027") == true)
    }
}

@Test(arguments: [
    ("Hansen, Jørgen (BUF)", "Jørgen Hansen"),
    ("Jørgen Hansen", "Jørgen Hansen"),
    ("Grønbæk Nielsen, Line [KK]", "Line Grønbæk Nielsen"),
    ("\"Søren Østergaard\"", "Søren Østergaard"),
    ("jh@buf.kk.dk", ""),
])
func greetingNamesAreFirstNameFirst(display: String, expected: String) {
    #expect(PersonName.natural(display) == expected)
}
