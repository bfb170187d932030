import Testing
@testable import MailCore

@Suite("Multipart structure")
struct MultipartTests {
    @Test func preambleAndEpilogueIgnored() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="=_b1"\r
            \r
            This is a multi-part message in MIME format.\r
            --=_b1\r
            Content-Type: text/plain\r
            \r
            en\r
            --=_b1  \r
            Content-Type: text/plain\r
            \r
            to\r
            \r
            --=_b1--\r
            Epilogue that nobody reads.\r
            --=_b1\r
            Content-Type: text/plain\r
            \r
            not a part\r
            """)
        let leaves = m.leafParts
        #expect(leaves.count == 2)
        #expect(leaves.map { m.text($0) } == ["en", "to\r\n"])
        #expect(m.root.children.count == 2)
        #expect(m.content().text == "en\nto\n")
        #expect(!m.content().text.contains("multi-part"))
        #expect(!m.content().text.contains("Epilogue"))
        #expect(m.findings.isEmpty)
    }

    @Test func nestedBoundariesIncludingPrefixes() {
        // The inner boundary starts with the outer one: "--outer-alt" is no delimiter of the outer part.
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary=outer\r
            \r
            --outer\r
            Content-Type: multipart/alternative; boundary="outer-alt"\r
            \r
            --outer-alt\r
            Content-Type: text/plain\r
            \r
            plain\r
            --outer-alt\r
            Content-Type: text/html\r
            \r
            <p>html</p>\r
            --outer-alt--\r
            --outer\r
            Content-Type: application/pdf; name="a.pdf"\r
            \r
            %PDF\r
            --outer--\r
            """)
        #expect(m.root.children.count == 2)
        #expect(m.root.children[0].contentType.mimeType == "multipart/alternative")
        #expect(m.root.children[0].children.count == 2)
        let leaves = m.leafParts
        #expect(leaves.map(\.contentType.mimeType) == ["text/plain", "text/html", "application/pdf"])
        #expect(leaves.map(\.depth) == [2, 2, 1])
        #expect(leaves.map { m.text($0) } == ["plain", "<p>html</p>", "%PDF"])
        #expect(m.findings.isEmpty)
    }

    @Test func missingClosingBoundary() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            en\r
            --b\r
            Content-Type: text/plain\r
            \r
            to (truncated mail)\r
            """)
        #expect(m.leafParts.map { m.text($0) } == ["en", "to (truncated mail)"])
        #expect(m.findings.contains(Finding("missing-closing-boundary", "b")))
    }

    @Test func boundaryNotFound() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="nowhere"\r
            \r
            --elsewhere\r
            Content-Type: text/plain\r
            \r
            text\r
            """)
        #expect(m.leafParts.count == 1)
        #expect(m.root.children.isEmpty)
        #expect(m.text(m.root).contains("text"))
        #expect(m.findings.contains(Finding("boundary-not-found", "nowhere")))
    }

    @Test func multipartWithoutBoundaryParameter() {
        let m = parseMail("Content-Type: multipart/mixed\r\n\r\nbody")
        #expect(m.leafParts.count == 1)
        #expect(findingCodes(m.findings).contains("multipart-without-boundary"))
    }

    @Test func emptyPartsBetweenBackToBackDelimitersSkipped() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            --b\r
            Content-Type: text/plain\r
            \r
            eneste\r
            --b\r
            --b--\r
            """)
        #expect(m.leafParts.map { m.text($0) } == ["eneste"])
    }

    @Test func lfOnlyMultipart() {
        let m = parseMail("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nen\n--b\n\nto\n--b--\n")
        #expect(m.leafParts.map { m.text($0) } == ["en", "to"])
        // A part without headers is text/plain by default.
        #expect(m.leafParts.map(\.contentType.mimeType) == ["text/plain", "text/plain"])
    }

    static let forwarded = """
        Content-Type: multipart/mixed; boundary="outer"\r
        Subject: Fwd: Ansøgning\r
        \r
        --outer\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Se den videresendte mail.\r
        --outer\r
        Content-Type: message/rfc822\r
        Content-Disposition: attachment; filename="Ansøgning.eml"\r
        \r
        Subject: Ansøgning\r
        From: Mette <ms@kk.dk>\r
        Content-Type: multipart/mixed; boundary="inner"\r
        \r
        --inner\r
        Content-Type: text/plain\r
        \r
        Indre tekst\r
        --inner\r
        Content-Type: application/pdf; name="budget.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERg==\r
        --inner--\r
        --outer--\r
        """

    @Test func messageRFC822IsDescendedInto() throws {
        let m = parseMail(Self.forwarded)
        let leaves = m.leafParts
        #expect(leaves.map(\.contentType.mimeType) == ["text/plain", "text/plain", "application/pdf"])
        #expect(leaves.map(\.depth) == [1, 3, 3])
        #expect(m.text(leaves[1]) == "Indre tekst")
        #expect(m.decodedBody(leaves[2]) == utf8Bytes("%PDF"))

        let rfc822 = m.root.children[1]
        #expect(rfc822.contentType == .messageRFC822)
        #expect(rfc822.children.count == 1)
        #expect(rfc822.children[0].headers.first("subject")?.decodedValue == "Ansøgning")

        let c = m.content()
        // The forwarded message is one attachment; its own parts are not listed again.
        #expect(c.attachments.count == 1)
        let a = try #require(c.attachments.first)
        #expect(a.contentType == "message/rfc822")
        #expect(a.filename == "Ansøgning.eml")
        #expect(a.disposition == "attachment")
        let eml = String(decoding: m.data(of: a), as: UTF8.self)
        #expect(eml.hasPrefix("Subject: Ansøgning\r\n"))
        #expect(eml.hasSuffix("--inner--"))
        #expect(c.text == "Se den videresendte mail.")
        #expect(findingCodes(m.findings) == ["8bit-header"])
    }

    @Test func deliveryStatusBlocks() throws {
        let m = parseMail("""
            Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r
            \r
            --r\r
            Content-Type: text/plain\r
            \r
            Din mail kunne ikke leveres.\r
            --r\r
            Content-Type: message/delivery-status\r
            \r
            Reporting-MTA: dns; mx.kk.dk\r
            \r
            Final-Recipient: rfc822; tovholder@kk.dk\r
            Action: failed\r
            Status: 5.1.1\r
            \r
            Final-Recipient: rfc822; andre@kk.dk\r
            Action: delayed\r
            --r\r
            Content-Type: text/rfc822-headers\r
            \r
            Subject: Ansøgning\r
            --r--\r
            """)
        let ds = m.root.children[1]
        #expect(ds.contentType.mimeType == "message/delivery-status")
        #expect(ds.children.count == 3)
        #expect(ds.children[0].headers["reporting-mta"] == "dns; mx.kk.dk")
        #expect(ds.children[1].headers["final-recipient"] == "rfc822; tovholder@kk.dk")
        #expect(ds.children[1].headers["status"] == "5.1.1")
        #expect(ds.children[2].headers["final-recipient"] == "rfc822; andre@kk.dk")
        #expect(ds.children[2].headers["action"] == "delayed")
        #expect(m.leafParts.count == 5)

        let c = m.content()
        #expect(c.text == "Din mail kunne ikke leveres.")
        #expect(c.attachments.map(\.contentType) == ["message/delivery-status", "text/rfc822-headers"])
    }

    @Test func digestDefaultsToMessageRFC822() {
        let m = parseMail("""
            Content-Type: multipart/digest; boundary="d"\r
            \r
            --d\r
            \r
            Subject: Første\r
            \r
            en\r
            --d\r
            Content-Type: text/plain\r
            \r
            eksplicit tekst\r
            --d\r
            \r
            Subject: Anden\r
            \r
            to\r
            --d--\r
            """)
        let kids = m.root.children
        #expect(kids.map(\.contentType.mimeType) == ["message/rfc822", "text/plain", "message/rfc822"])
        #expect(kids[0].children.first?.headers.first("subject")?.decodedValue == "Første")
        #expect(kids[2].children.first?.headers.first("subject")?.decodedValue == "Anden")
        // Inside the embedded messages the default is text/plain again.
        #expect(m.leafParts.map(\.contentType.mimeType) == ["text/plain", "text/plain", "text/plain"])
        #expect(m.leafParts.map { m.text($0) } == ["en", "eksplicit tekst", "to"])
    }

    @Test func partRangesPointIntoMessage() {
        let m = parseMail(Self.forwarded)
        for p in m.leafParts {
            #expect(p.range.lowerBound <= p.bodyRange.lowerBound)
            #expect(p.bodyRange.upperBound <= p.range.upperBound)
            #expect(p.range.upperBound <= m.bytes.count)
        }
    }
}
