import Testing
@testable import MailCore

private func params(_ s: String) -> ParameterizedValue {
    var findings: [Finding] = []
    return ParameterizedValue.parse(utf8Bytes(s), findings: &findings)
}

@Suite("RFC 2045/2231 parameters")
struct ParameterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let raw: String
        let name: String
        let value: String
        var testDescription: String { raw }
    }

    static let cases: [Case] = [
        Case(raw: "attachment; filename*=utf-8''Ans%C3%B8gning%202027.docx",
             name: "filename", value: "Ansøgning 2027.docx"),
        // Continuations, percent-encoded; only the first carries the charset.
        Case(raw: "attachment; filename*0*=utf-8''Ans%C3%B8; filename*1*=gning.docx",
             name: "filename", value: "Ansøgning.docx"),
        // Continuations out of order are put in order.
        Case(raw: "attachment; filename*1*=gning.docx; filename*0*=utf-8''Ans%C3%B8",
             name: "filename", value: "Ansøgning.docx"),
        // Plain continuations, quoted.
        Case(raw: "application/pdf; name*0=\"Tryg i \"; name*1=\"Tingbjerg.pdf\"",
             name: "name", value: "Tryg i Tingbjerg.pdf"),
        Case(raw: "text/plain; name*0=\"a\"; name*1=\"b\"", name: "name", value: "ab"),
        // Mixed: an encoded first section, a plain quoted second one.
        Case(raw: "attachment; filename*0*=utf-8''%C3%86bler; filename*1=\" og p%C3%A6rer.txt\"",
             name: "filename", value: "Æbler og p%C3%A6rer.txt"),
        // charset'language'value.
        Case(raw: "attachment; filename*=iso-8859-1'da'K%F8benhavn.txt", name: "filename", value: "København.txt"),
        Case(raw: "attachment; filename*=UTF-8'da-DK'%C3%85rhus.pdf", name: "filename", value: "Århus.pdf"),
        Case(raw: "attachment; filename*=''plain.txt", name: "filename", value: "plain.txt"),
        // RFC 2047 inside a quoted value, as Outlook and Gmail write it.
        Case(raw: "application/pdf; name=\"=?utf-8?B?QW5zw7hnbmluZy5wZGY=?=\"", name: "name", value: "Ansøgning.pdf"),
        Case(raw: "application/pdf; name=\"=?iso-8859-1?Q?Ans=F8gning?= 2027.pdf\"", name: "name",
             value: "Ansøgning 2027.pdf"),
        // Quoted-string with backslash escapes.
        Case(raw: #"attachment; filename="Tryg \"i\" Tingbjerg \\ 2027.txt""#, name: "filename",
             value: #"Tryg "i" Tingbjerg \ 2027.txt"#),
        Case(raw: "attachment; filename=\"a;b.txt\"; size=3", name: "filename", value: "a;b.txt"),
        // Blanks around '=' and parameter names in any case.
        Case(raw: "text/plain; CHARSET = \"ISO-8859-1\" ; Format=flowed", name: "charset", value: "ISO-8859-1"),
        Case(raw: "text/plain; CHARSET = \"ISO-8859-1\" ; Format=flowed", name: "format", value: "flowed"),
        // Comments are skipped.
        Case(raw: "text/plain (plain text); charset=us-ascii", name: "charset", value: "us-ascii"),
    ]

    @Test(arguments: cases)
    func parameterValue(_ c: Case) {
        #expect(params(c.raw).parameters[c.name] == c.value)
    }

    @Test(arguments: [
        "attachment; filename=\"fallback.docx\"; filename*=utf-8''Ans%C3%B8gning.docx",
        "attachment; filename*=utf-8''Ans%C3%B8gning.docx; filename=\"fallback.docx\"",
        "attachment; filename*0*=utf-8''Ans%C3%B8gning; filename=\"fallback.docx\"; filename*1=.docx",
    ])
    func extendedFilenameWinsOverPlain(_ raw: String) {
        #expect(params(raw).parameters["filename"] == "Ansøgning.docx")
    }

    @Test func leadingTokenIsLowercased() {
        let pv = params("  Multipart/Mixed; Boundary=\"XyZ\"")
        #expect(pv.value == "multipart/mixed")
        // Parameter names are lowercased, values kept (boundaries are case-sensitive).
        #expect(pv.parameters == ["boundary": "XyZ"])
    }

    @Test func missingSemicolonBeforeParameter() {
        let pv = params("multipart/mixed\tboundary=\"b1\"")
        #expect(pv.value == "multipart/mixed")
        #expect(pv.parameters["boundary"] == "b1")
    }

    @Test func unterminatedQuotedString() {
        var findings: [Finding] = []
        let pv = ParameterizedValue.parse(utf8Bytes("attachment; filename=\"open.txt"), findings: &findings)
        #expect(pv.parameters["filename"] == "open.txt")
        #expect(findingCodes(findings).contains("unterminated-quoted-string"))
    }

    @Test func contentTypeDefaultsAndCharset() {
        let m = parseMail("Content-Type: Text/HTML; Charset=\"UTF-8\"\r\n\r\n<p>x</p>")
        #expect(m.root.contentType.mimeType == "text/html")
        #expect(m.root.contentType.type == "text" && m.root.contentType.subtype == "html")
        #expect(m.root.contentType.charset == "utf-8")
        #expect(parseMail("Subject: x\r\n\r\nbody").root.contentType == .textPlain)
    }

    @Test func invalidContentTypeFallsBackToTextPlain() {
        let m = parseMail("Content-Type: garbage; charset=utf-8\r\n\r\nbody")
        #expect(m.root.contentType.mimeType == "text/plain")
        #expect(m.root.contentType.charset == "utf-8")
        #expect(findingCodes(m.findings).contains("invalid-content-type"))
    }

    @Test func partFilenameFromDispositionThenContentType() throws {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: application/pdf; name="type-name.pdf"\r
            Content-Disposition: attachment; filename*=utf-8''Ans%C3%B8gning%202027.pdf\r
            \r
            x\r
            --b\r
            Content-Type: application/pdf; name="=?utf-8?Q?K=C3=B8benhavn.pdf?="\r
            \r
            y\r
            --b--\r
            """)
        let leaves = m.leafParts
        try #require(leaves.count == 2)
        #expect(leaves.map(\.filename) == ["Ansøgning 2027.pdf", "København.pdf"])
        #expect(leaves.map(\.dispositionType) == ["attachment", nil])
        #expect(m.content().attachments.map(\.filename) == ["Ansøgning 2027.pdf", "København.pdf"])
    }
}
