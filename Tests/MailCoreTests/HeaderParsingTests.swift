import Testing
@testable import MailCore

@Suite("Header parsing")
struct HeaderParsingTests {
    @Test func foldedFieldIsUnfolded() {
        let m = parseMail("Subject: Ansøgning om\r\n lokal SSP-indsats\r\n\tTingbjerg\r\nTo: a@kk.dk\r\n\r\nbody")
        // Unfolding removes only the line breaks (RFC 5322 §2.2.3); the blanks stay.
        #expect(m.subject == "Ansøgning om lokal SSP-indsats\tTingbjerg")
        #expect(m.headers.fields.map(\.name) == ["Subject", "To"])
        #expect(m.to.map(\.address) == ["a@kk.dk"])
        #expect(m.text(m.root) == "body")
    }

    @Test func repeatedFieldsKeptInOrder() {
        let m = parseMail("""
            Received: from mx2.kk.dk by mx1.kk.dk\r
            Subject: x\r
            Received: from client by mx2.kk.dk\r
            \r
            body
            """)
        let received = m.headers.all("received").map(\.value)
        #expect(received == ["from mx2.kk.dk by mx1.kk.dk", "from client by mx2.kk.dk"])
        #expect(m.headers.first("received")?.value == "from mx2.kk.dk by mx1.kk.dk")
        #expect(m.headers.fields.map(\.name) == ["Received", "Subject", "Received"])
    }

    @Test(arguments: ["subject", "SUBJECT", "Subject", "sUbJeCt"])
    func lookupIgnoresCase(_ name: String) {
        let m = parseMail("SuBjEcT: Hej\r\n\r\n")
        #expect(m.headers.first(name)?.value == "Hej")
        #expect(m.headers[name] == "Hej")
        #expect(m.headers.all(name).count == 1)
        #expect(m.subject == "Hej")
    }

    @Test func lookupOfAbsentField() {
        let m = parseMail("Subject: Hej\r\n\r\n")
        #expect(m.headers.first("subjec") == nil)
        #expect(m.headers["x-missing"] == nil)
        #expect(m.subject != nil && m.messageID == nil && m.date == nil)
    }

    @Test func rawUTF8HeaderDecodedAsUTF8() {
        let m = parseMail("Subject: Ansøgning – Tryg i Tingbjerg\r\nFrom: Jørgen Hansen <jh@kk.dk>\r\n\r\n")
        #expect(m.subject == "Ansøgning – Tryg i Tingbjerg")
        #expect(m.from == [MailAddress(name: "Jørgen Hansen", address: "jh@kk.dk")])
        #expect(findingCodes(m.findings).contains("8bit-header"))
    }

    @Test func rawWindows1252HeaderDecodedAsWindows1252() {
        // "Tryg i Tingbjerg for b\xF8rn" with a bare 0xF8, as a Danish Outlook writes it.
        let bytes = utf8Bytes("Subject: Tryg i Tingbjerg for b") + [0xF8] + utf8Bytes("rn ")
            + utf8Bytes("\r\nFrom: J") + [0xF8] + utf8Bytes("rgen <jh@kk.dk>\r\n\r\nx")
        let m = MailMessage(bytes: bytes)
        #expect(m.subject == "Tryg i Tingbjerg for børn ")
        #expect(m.from.first?.name == "Jørgen")
        #expect(m.headers.first("subject")?.value == "Tryg i Tingbjerg for børn ")
        #expect(findingCodes(m.findings).contains("8bit-header"))
    }

    @Test func windows1252PunctuationInRawHeader() {
        // 0x96 is an en dash and 0x80 the euro sign in windows-1252.
        let bytes = utf8Bytes("Subject: 500 ") + [0x80] + utf8Bytes(" ") + [0x96] + utf8Bytes(" budget\r\n\r\n")
        #expect(MailMessage(bytes: bytes).subject == "500 € – budget")
    }

    @Test func mboxFromLineSkipped() {
        let m = parseMail("From jh@kk.dk Mon Jan  4 10:00:00 2027\r\nFrom: Jørgen <jh@kk.dk>\r\nSubject: Hej\r\n\r\nbody")
        #expect(m.headers.fields.map(\.name) == ["From", "Subject"])
        #expect(m.from.map(\.address) == ["jh@kk.dk"])
        #expect(m.subject == "Hej")
        #expect(!findingCodes(m.findings).contains("missing-header-body-separator"))
    }

    @Test func fromHeaderIsNotMistakenForEnvelope() {
        let m = parseMail("From: jh@kk.dk\r\nSubject: Hej\r\n\r\n")
        #expect(m.from.map(\.address) == ["jh@kk.dk"])
        #expect(m.headers.fields.count == 2)
    }

    @Test func lineWithoutColonEndsHeaders() {
        let m = parseMail("Subject: Hej\r\nDette er brødteksten\r\nTo: not-a-header@kk.dk\r\n")
        #expect(m.headers.fields.map(\.name) == ["Subject"])
        #expect(m.to.isEmpty)
        #expect(m.text(m.root) == "Dette er brødteksten\r\nTo: not-a-header@kk.dk\r\n")
        #expect(findingCodes(m.findings).contains("missing-header-body-separator"))
    }

    @Test func lfOnlyMessage() {
        let m = parseMail("Subject: Hej\n med dig\nTo: a@kk.dk\nContent-Type: text/plain; charset=utf-8\n\nLinje 1\nLinje 2\n")
        #expect(m.subject == "Hej med dig")
        #expect(m.to.map(\.address) == ["a@kk.dk"])
        #expect(m.root.contentType.charset == "utf-8")
        #expect(m.text(m.root) == "Linje 1\nLinje 2\n")
        #expect(m.content().text == "Linje 1\nLinje 2\n")
    }

    @Test func headersOnlyMessageHasEmptyBody() {
        let m = parseMail("Subject: Hej\r\nTo: a@kk.dk\r\n")
        #expect(m.headers.fields.count == 2)
        #expect(m.root.bodyRange.isEmpty)
        #expect(m.content().text == "")
    }

    @Test func blanksBeforeColonAndAfterItAreTrimmed() {
        let m = parseMail("Subject  :   Hej  \r\n\r\n")
        #expect(m.headers.first("subject")?.name == "Subject")
        // Leading blanks go; trailing ones are part of the value.
        #expect(m.subject == "Hej  ")
    }

    @Test func headerFieldLimit() {
        var limits = MIMELimits()
        limits.maxHeaderFields = 3
        let m = parseMail((1...10).map { "X-N: \($0)\r\n" }.joined() + "\r\nbody", limits: limits)
        #expect(m.headers.fields.map(\.value) == ["1", "2", "3"])
        #expect(findingCodes(m.findings).contains("header-limit"))
        #expect(m.text(m.root) == "body")
    }
}
