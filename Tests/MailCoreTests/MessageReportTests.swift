import Foundation
import Testing
@testable import MailCore

private func json(_ r: MessageReport) throws -> [String: Any] {
    let data = Data(r.jsonLine().utf8)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("MessageReport")
struct MessageReportTests {
    static let message = """
        From: =?utf-8?Q?Mette_S=C3=B8rensen?= <ms@kk.dk>\r
        To: "Hansen, Jørgen" <jh@kk.dk>, tovholder@kk.dk\r
        Subject: =?iso-8859-1?Q?Ans=F8gning?=\r
        Date: Mon, 04 Jan 2027 10:00:00 +0100\r
        Message-ID: <m1@kk.dk>\r
        In-Reply-To: <m0@kk.dk>\r
        References: <root@kk.dk>\r
         <m0@kk.dk>\r
        Content-Type: multipart/mixed; boundary="b"\r
        \r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Linje 1\r
        Linje 2\r
        --b\r
        Content-Type: application/pdf; name="budget.pdf"\r
        Content-Disposition: attachment\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERg==\r
        --b\r
        Content-Type: text/plain; charset=x-unknown-cs\r
        Content-Disposition: attachment; filename="noter.txt"\r
        \r
        x\r
        --b--\r
        """

    @Test func keysAndValues() throws {
        let m = parseMail(Self.message)
        let o = try json(MessageReport(m, file: "a.eml"))
        for key in ["file", "size", "messageId", "subject", "from", "to", "cc", "date", "inReplyTo", "references",
                    "headers", "parts", "text", "textSource", "attachments", "findings"] {
            #expect(o[key] != nil, "missing key \(key)")
        }
        #expect(o["file"] as? String == "a.eml")
        #expect(o["size"] as? Int == Self.message.utf8.count)
        #expect(o["messageId"] as? String == "m1@kk.dk")
        #expect(o["subject"] as? String == "Ansøgning")
        let from = try #require(o["from"] as? [String: Any])
        #expect(from["name"] as? String == "Mette Sørensen")
        #expect(from["address"] as? String == "ms@kk.dk")
        let to = try #require(o["to"] as? [[String: Any]])
        #expect(to.map { $0["address"] as? String } == ["jh@kk.dk", "tovholder@kk.dk"])
        #expect(to.map { $0["name"] as? String } == ["Hansen, Jørgen", ""])
        #expect((o["cc"] as? [Any])?.isEmpty == true)
        #expect(o["date"] as? String == "2027-01-04T09:00:00Z")
        #expect(o["inReplyTo"] as? String == "m0@kk.dk")
        #expect(o["references"] as? [String] == ["root@kk.dk", "m0@kk.dk"])
        #expect(o["text"] as? String == "Linje 1\nLinje 2")
        #expect(o["textSource"] as? String == "text/plain")

        let headers = try #require(o["headers"] as? [[String: Any]])
        #expect(headers.first { $0["name"] as? String == "Subject" }?["value"] as? String == "Ansøgning")

        let parts = try #require(o["parts"] as? [[String: Any]])
        #expect(parts.count == 3)
        #expect(parts.map { $0["contentType"] as? String } == ["text/plain", "application/pdf", "text/plain"])
        #expect(parts[0]["charset"] as? String == "utf-8")
        #expect(parts[0]["depth"] as? Int == 1)
        #expect(parts[0]["size"] as? Int == "Linje 1\r\nLinje 2".utf8.count)
        #expect(parts[0]["sha256"] as? String == SHA256.hex(Array("Linje 1\r\nLinje 2".utf8)))
        // The text hash is over LF line endings; the byte hash is over the bytes as sent.
        #expect(parts[0]["textSha256"] as? String == SHA256.hex(Array("Linje 1\nLinje 2".utf8)))
        #expect(parts[1]["sha256"] as? String == SHA256.hex(Array("%PDF".utf8)))
        #expect(parts[1]["textSha256"] is NSNull)
        #expect(parts[1]["filename"] as? String == "budget.pdf")
        #expect(parts[1]["disposition"] as? String == "attachment")
        #expect(parts[1]["charset"] is NSNull)
        for p in parts {
            for key in ["contentType", "charset", "filename", "disposition", "size", "sha256", "textSha256", "depth"] {
                #expect(p[key] != nil, "part key \(key)")
            }
            #expect((p["sha256"] as? String)?.count == 64)
        }

        let attachments = try #require(o["attachments"] as? [[String: Any]])
        #expect(attachments.map { $0["filename"] as? String } == ["budget.pdf", "noter.txt"])
        #expect(attachments.map { $0["contentType"] as? String } == ["application/pdf", "text/plain"])
        #expect(attachments.map { $0["size"] as? Int } == [4, 1])
        for a in attachments {
            for key in ["filename", "contentType", "disposition", "size"] { #expect(a[key] != nil) }
        }

        let findings = try #require(o["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["code"] as? String == "unknown-charset" && $0["detail"] as? String == "x-unknown-cs" })
        #expect(findings.allSatisfy { $0["code"] is String && $0["detail"] is String })
    }

    @Test func absentValuesAreNull() throws {
        let o = try json(MessageReport(parseMail("X-Nothing: here\r\n\r\n")))
        for key in ["file", "messageId", "subject", "from", "date", "inReplyTo"] {
            #expect(o[key] is NSNull, "\(key) should be null")
        }
        #expect((o["to"] as? [Any])?.isEmpty == true)
        #expect((o["references"] as? [Any])?.isEmpty == true)
        #expect((o["attachments"] as? [Any])?.isEmpty == true)
        #expect(o["text"] as? String == "")
    }

    @Test func textHashOverLFNormalisedDecodedText() {
        // windows-1252 bytes with CRLF: the hash is over the UTF-8 of "Beløb\nslut".
        let bytes = utf8Bytes("Content-Type: text/plain; charset=windows-1252\r\n\r\nBel") + [0xF8] + utf8Bytes("b\r\nslut")
        let r = MessageReport(MailMessage(bytes: bytes))
        #expect(r.parts.count == 1)
        #expect(r.parts[0].textSha256 == SHA256.hex(Array("Beløb\nslut".utf8)))
        #expect(r.parts[0].sha256 == SHA256.hex(Array(bytes.suffix(11))))
        #expect(r.parts[0].depth == 0)
    }

    @Test func jsonLineIsOneLineWithSortedKeys() throws {
        let line = MessageReport(parseMail(Self.message)).jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix("{\"attachments\":"))
        let file = try #require(line.range(of: "\"file\":"))
        let subject = try #require(line.range(of: "\"subject\":"))
        #expect(file.lowerBound < subject.lowerBound)
    }
}
