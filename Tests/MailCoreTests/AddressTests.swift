import Testing
@testable import MailCore

private func addresses(_ s: String) -> [MailAddress] {
    AddressParser.parseList(utf8Bytes(s))
}

private func A(_ name: String, _ address: String) -> MailAddress {
    MailAddress(name: name, address: address)
}

@Suite("Address lists")
struct AddressTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let raw: String
        let expected: [MailAddress]
        var testDescription: String { raw }
    }

    static let cases: [Case] = [
        Case(raw: "jh@kk.dk", expected: [A("", "jh@kk.dk")]),
        Case(raw: "  <jh@kk.dk>  ", expected: [A("", "jh@kk.dk")]),
        Case(raw: "Jørgen Hansen <jh@kk.dk>", expected: [A("Jørgen Hansen", "jh@kk.dk")]),
        Case(raw: "=?utf-8?Q?J=C3=B8rgen_Hansen?= <jh@kk.dk>", expected: [A("Jørgen Hansen", "jh@kk.dk")]),
        Case(raw: "=?iso-8859-1?Q?J=F8rgen?= =?iso-8859-1?Q?_Hansen?= <jh@kk.dk>",
             expected: [A("Jørgen Hansen", "jh@kk.dk")]),
        Case(raw: "\"=?utf-8?B?SsO4cmdlbiBIYW5zZW4=?=\" <jh@kk.dk>", expected: [A("Jørgen Hansen", "jh@kk.dk")]),
        // A quoted name holding a comma, then a comment after the address.
        Case(raw: "\"Hansen, Jørgen (BUF)\" <jh@buf.kk.dk> (BUF)", expected: [A("Hansen, Jørgen (BUF)", "jh@buf.kk.dk")]),
        Case(raw: #""Hansen, \"JH\" Jørgen" <jh@kk.dk>"#, expected: [A(#"Hansen, "JH" Jørgen"#, "jh@kk.dk")]),
        // Groups: the name goes, the members stay.
        Case(raw: "Team: a@kk.dk, b@kk.dk;", expected: [A("", "a@kk.dk"), A("", "b@kk.dk")]),
        Case(raw: "Team: Anne <a@kk.dk>, b@kk.dk;, c@kk.dk",
             expected: [A("Anne", "a@kk.dk"), A("", "b@kk.dk"), A("", "c@kk.dk")]),
        Case(raw: "undisclosed-recipients:;", expected: []),
        Case(raw: "undisclosed-recipients: ;", expected: []),
        // The legacy comment name: the address is read and the comment, whose meaning
        // RFC 5322 §3.4 leaves unspecified, is not taken as the name (as Python's
        // `policy.default`, and mailbox-samples/10's reviewed report, have it).
        Case(raw: "jh@kk.dk (Jørgen)", expected: [A("", "jh@kk.dk")]),
        Case(raw: "jh@kk.dk (Jørgen Hansen, BUF), b@kk.dk", expected: [A("", "jh@kk.dk"), A("", "b@kk.dk")]),
        Case(raw: "MAILER-DAEMON@smtp-out.kk.dk (Mail Delivery System)",
             expected: [A("", "MAILER-DAEMON@smtp-out.kk.dk")]),
        Case(raw: "(Jørgen) jh@kk.dk", expected: [A("", "jh@kk.dk")]),
        // The null reverse-path of bounces.
        Case(raw: "<>", expected: [A("", "<>")]),
        Case(raw: "Mail Delivery System <>", expected: [A("Mail Delivery System", "<>")]),
        Case(raw: "<>, a@kk.dk", expected: [A("", "<>"), A("", "a@kk.dk")]),
        Case(raw: "<;>", expected: []),
        // Several.
        Case(raw: "a@kk.dk, \"B, Bent\" <b@kk.dk>, Carl <c@kk.dk>,d@kk.dk",
             expected: [A("", "a@kk.dk"), A("B, Bent", "b@kk.dk"), A("Carl", "c@kk.dk"), A("", "d@kk.dk")]),
        Case(raw: "a@kk.dk,, ,b@kk.dk,", expected: [A("", "a@kk.dk"), A("", "b@kk.dk")]),
        // Obsolete route and comments inside the addr-spec.
        Case(raw: "<@relay.kk.dk:jh@kk.dk>", expected: [A("", "jh@kk.dk")]),
        Case(raw: "Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>",
             expected: [A("Pete", "pete@silly.test")]),
        Case(raw: "", expected: []),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) {
        #expect(addresses(c.raw) == c.expected)
    }

    @Test func nullSenderOfABounce() {
        let m = parseMail("Return-Path: <>\r\nFrom: <>\r\n\r\n")
        #expect(m.from == [A("", "<>")])
        #expect(m.addresses("return-path") == [A("", "<>")])
    }

    @Test func headerAccessors() {
        let m = parseMail("""
            From: =?utf-8?Q?Mette_S=C3=B8rensen?= <ms@kk.dk>\r
            To: Team: a@kk.dk,\r
             b@kk.dk;\r
            Cc: "Hansen, Jørgen" <jh@kk.dk>\r
            Reply-To: svar@kk.dk\r
            \r
            """)
        #expect(m.from == [A("Mette Sørensen", "ms@kk.dk")])
        #expect(m.to.map(\.address) == ["a@kk.dk", "b@kk.dk"])
        #expect(m.cc == [A("Hansen, Jørgen", "jh@kk.dk")])
        #expect(m.replyTo == [A("", "svar@kk.dk")])
        #expect(m.addresses("bcc").isEmpty)
        #expect(m.from.first?.formatted == "Mette Sørensen <ms@kk.dk>")
        #expect(m.replyTo.first?.formatted == "svar@kk.dk")
    }
}

@Suite("Message-ID lists")
struct MessageIDTests {
    @Test func messageIDInReplyToAndFoldedReferences() {
        let m = parseMail("""
            Message-ID: <CAF1x=abc@mail.gmail.com>\r
            In-Reply-To: <a1b2@kk.dk> (Mette's mail)\r
            References: <root@kk.dk>\r
             <a1b2@kk.dk>\r
            \t<CAF1x=abc@mail.gmail.com>\r
            \r
            body
            """)
        #expect(m.messageID == "CAF1x=abc@mail.gmail.com")
        #expect(m.inReplyTo == ["a1b2@kk.dk"])
        #expect(m.references == ["root@kk.dk", "a1b2@kk.dk", "CAF1x=abc@mail.gmail.com"])
    }

    @Test(arguments: [
        ("<a@kk.dk>", ["a@kk.dk"]),
        ("<a@kk.dk><b@kk.dk>", ["a@kk.dk", "b@kk.dk"]),
        ("  <a@kk.dk>   <b@kk.dk>  ", ["a@kk.dk", "b@kk.dk"]),
        ("(comment <c@kk.dk>) <a@kk.dk>", ["a@kk.dk"]),
        ("<a@\r\n kk.dk>", ["a@kk.dk"]),
        ("<>", []),
        ("bare@kk.dk", ["bare@kk.dk"]),
        ("", []),
    ] as [(String, [String])])
    func parsesIDs(_ raw: String, _ ids: [String]) {
        #expect(MessageIDParser.parse(utf8Bytes(raw)) == ids)
    }

    @Test func absentFields() {
        let m = parseMail("Subject: x\r\n\r\n")
        #expect(m.messageID == nil)
        #expect(m.inReplyTo.isEmpty)
        #expect(m.references.isEmpty)
    }
}
