import Testing
@testable import MailCore

@Suite("Body choice and attachments")
struct BodyChoiceTests {
    @Test func alternativePrefersPlain() {
        let m = parseMail("""
            Content-Type: multipart/alternative; boundary="a"\r
            \r
            --a\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Projektnavn: Tryg i Tingbjerg\r
            --a\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <p>Projektnavn: <b>HTML-udgaven</b></p>\r
            --a--\r
            """)
        let c = m.content()
        #expect(c.text == "Projektnavn: Tryg i Tingbjerg")
        #expect(c.textSource == "text/plain")
        #expect(c.attachments.isEmpty)
    }

    @Test func alternativeWithEmptyPlainUsesHTML() {
        let m = parseMail("""
            Content-Type: multipart/alternative; boundary="a"\r
            \r
            --a\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            \r
            \r
            --a\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <html><body><p>Projektnavn: Tryg&nbsp;i Tingbjerg</p><p>Bel&oslash;b: 50.000 kr.</p></body></html>\r
            --a--\r
            """)
        let c = m.content()
        #expect(c.text == "Projektnavn: Tryg i Tingbjerg\nBeløb: 50.000 kr.")
        #expect(c.textSource == "text/html")
        #expect(!c.text.contains("<"))
    }

    @Test func alternativeWithStubPlainUsesHTML() {
        let html = "<p>" + Array(repeating: "Ansøgningen handler om tryghed i Tingbjerg.", count: 5).joined(separator: " ") + "</p>"
        let m = parseMail("""
            Content-Type: multipart/alternative; boundary="a"\r
            \r
            --a\r
            Content-Type: text/plain\r
            \r
            Denne mail kan kun vises som HTML.\r
            --a\r
            Content-Type: text/html; charset=utf-8\r
            \r
            \(html)\r
            --a--\r
            """)
        #expect(m.content().textSource == "text/html")
        #expect(m.content().text.hasPrefix("Ansøgningen handler om tryghed"))
    }

    @Test func htmlOnlyTableBecomesTabSeparatedLines() {
        let m = parseMail("""
            Content-Type: text/html; charset=windows-1252\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            <html><body><p>Ans=F8gning</p>\r
            <table><tr><td>Projektnavn</td><td>Tryg i Tingbjerg</td></tr>\r
            <tr><td>Bel=F8b</td><td>50.000 kr.</td></tr></table></body></html>\r
            """)
        let c = m.content()
        #expect(c.textSource == "text/html")
        #expect(c.text.contains("Projektnavn\tTryg i Tingbjerg\nBeløb\t50.000 kr."))
        #expect(c.text.hasPrefix("Ansøgning\n"))
    }

    @Test func mixedWithTwoInlineTextsReadsBothInOrder() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="m"\r
            \r
            --m\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Første del\r
            --m\r
            Content-Type: image/png; name="logo.png"\r
            Content-Transfer-Encoding: base64\r
            \r
            iVBORw0KGgo=\r
            --m\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Disposition: inline\r
            \r
            Anden del\r
            --m--\r
            """)
        let c = m.content()
        #expect(c.text == "Første del\nAnden del")
        #expect(c.attachments.map(\.contentType) == ["image/png"])
        #expect(c.attachments.first?.filename == "logo.png")
        #expect(c.attachments.first?.size == 8)
    }

    @Test func textPlainWithFilenameIsAttachment() throws {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="m"\r
            \r
            --m\r
            Content-Type: text/plain\r
            \r
            Se vedhæftede.\r
            --m\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Disposition: inline; filename="budget.txt"\r
            \r
            Budget: 50.000 kr.\r
            --m\r
            Content-Type: text/html\r
            Content-Disposition: attachment\r
            \r
            <p>HTML-bilag</p>\r
            --m--\r
            """)
        let c = m.content()
        #expect(c.text == "Se vedhæftede.")
        #expect(!c.text.contains("Budget"))
        #expect(c.attachments.count == 2)
        let a = try #require(c.attachments.first)
        #expect(a.filename == "budget.txt")
        #expect(a.contentType == "text/plain")
        #expect(a.disposition == "inline")
        #expect(m.data(of: a) == utf8Bytes("Budget: 50.000 kr."))
        #expect(c.attachments[1].contentType == "text/html")
        #expect(c.attachments[1].disposition == "attachment")
        #expect(c.attachments[1].filename == nil)
    }

    @Test func inlineImageIsAttachmentWithInlineDisposition() throws {
        let m = parseMail("""
            Content-Type: multipart/related; boundary="r"\r
            \r
            --r\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <p>Logo: <img src="cid:logo@kk"></p>\r
            --r\r
            Content-Type: image/png\r
            Content-ID: <logo@kk>\r
            Content-Disposition: inline; filename="logo.png"\r
            Content-Transfer-Encoding: base64\r
            \r
            iVBORw0KGgo=\r
            --r--\r
            """)
        let c = m.content()
        #expect(c.text == "Logo:")
        let a = try #require(c.attachments.first)
        #expect(c.attachments.count == 1)
        #expect(a.contentType == "image/png")
        #expect(a.disposition == "inline")
        #expect(a.filename == "logo.png")
        #expect(m.data(of: a) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func relatedWithStartReadsNamedRoot() {
        let m = parseMail("""
            Content-Type: multipart/related; boundary="r"; start="<root@kk>"\r
            \r
            --r\r
            Content-Type: text/plain\r
            Content-ID: <other@kk>\r
            \r
            ikke roden\r
            --r\r
            Content-Type: text/plain\r
            Content-ID: <root@kk>\r
            \r
            roden\r
            --r--\r
            """)
        #expect(m.content().text == "roden")
    }

    @Test func crlfNormalisedToLF() {
        let m = parseMail("""
            Content-Type: text/plain; charset=utf-8\r
            \r
            Linje 1\r
            Linje 2\rLinje 3\r
            \r
            Slut
            """)
        let c = m.content()
        #expect(c.text == "Linje 1\nLinje 2\nLinje 3\n\nSlut")
        #expect(!c.text.contains("\r"))
        // `text(_:)` keeps the mail's line endings.
        #expect(m.text(m.root).contains("\r\n"))
    }

    @Test func mailWithoutTextHasNoSource() {
        let m = parseMail("Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n")
        let c = m.content()
        #expect(c.text == "")
        #expect(c.textSource == nil)
        #expect(c.attachments.map(\.contentType) == ["application/pdf"])
        #expect(c.attachments.first?.size == 4)
        #expect(c.attachments.first?.disposition == nil)
    }
}
