import Testing
@testable import MailCore

private func qp(_ s: String) -> (String, Set<String>) {
    var findings: [Finding] = []
    let out = QuotedPrintable.decode(utf8Bytes(s)[...], findings: &findings)
    return (String(decoding: out, as: UTF8.self), findingCodes(findings))
}

private func b64(_ s: String) -> ([UInt8], Set<String>) {
    var findings: [Finding] = []
    let out = Base64.decode(utf8Bytes(s)[...], findings: &findings)
    return (out, findingCodes(findings))
}

@Suite("Transfer encodings")
struct TransferEncodingTests {
    /// An attachment's size is counted, not decoded: the count and the findings are the decoder's,
    /// whatever the input (clean, unpadded, padded early, junk, blanks, a lone last character).
    @Test func base64CountMatchesTheDecoder() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let odd: [UInt8] = [UInt8(ascii: "="), 0x0D, 0x0A, 0x20, 0x09, UInt8(ascii: "!"), 0xC3, 0x00]
        for round in 0..<2000 {
            let length = Int.random(in: 0...(round < 1000 ? 24 : 400), using: &rng)
            let input = (0..<length).map { _ in
                Int.random(in: 0..<10, using: &rng) == 0 ? odd.randomElement(using: &rng)! : alphabet.randomElement(using: &rng)!
            }
            var decodeFindings: [Finding] = [], countFindings: [Finding] = []
            let decoded = Base64.decode(input[...], findings: &decodeFindings)
            let count = TransferEncoding.base64.decodedCount(input[...], findings: &countFindings)
            #expect(count == decoded.count && countFindings == decodeFindings, "\(input)")
        }
    }

    @Test(arguments: [
        ("Tovholder: Mette S=C3=B8rensen, tlf. 23 45 =\r\n67 89", "Tovholder: Mette Sørensen, tlf. 23 45 67 89"),
        ("soft=\nbreak with LF", "softbreak with LF"),
        ("soft= \t\r\nbreak after blanks", "softbreak after blanks"),
        ("S=c3=b8ren og S=C3=b8ren", "Søren og Søren"),
        ("hard\r\nbreak", "hard\r\nbreak"),
        ("=3D is an equals sign", "= is an equals sign"),
        ("ends with soft break=", "ends with soft break"),
        ("ends with blanks after =  ", "ends with blanks after "),
        ("", ""),
    ] as [(String, String)])
    func quotedPrintable(_ raw: String, _ decoded: String) {
        let (out, codes) = qp(raw)
        #expect(out == decoded)
        #expect(codes.isEmpty)
    }

    @Test(arguments: [
        ("a=ZZb", "a=ZZb"),
        ("100 = 99+1", "100 = 99+1"),
        ("half =4", "half =4"),
        ("=G1=C3=B8", "=G1ø"),
    ] as [(String, String)])
    func quotedPrintableBadEscapeKeptLiterally(_ raw: String, _ decoded: String) {
        let (out, codes) = qp(raw)
        #expect(out == decoded)
        #expect(codes == ["bad-quoted-printable"])
    }

    @Test func base64WithLineBreaksAndBlanks() {
        let (out, codes) = b64("SGFs\r\nbMO4\n ag==\r\n")
        #expect(String(decoding: out, as: UTF8.self) == "Halløj")
        #expect(codes.isEmpty)
    }

    @Test func base64JunkSkipped() {
        let (out, codes) = b64("SGF*sbM!O4ag==")
        #expect(String(decoding: out, as: UTF8.self) == "Halløj")
        #expect(codes == ["bad-base64"])
    }

    @Test(arguments: [("SGFsbMO4ag", "Halløj"), ("SGk", "Hi"), ("SGVsbG8", "Hello")] as [(String, String)])
    func base64MissingPaddingTolerated(_ raw: String, _ decoded: String) {
        let (out, codes) = b64(raw)
        #expect(String(decoding: out, as: UTF8.self) == decoded)
        #expect(codes == ["base64-padding"])
    }

    @Test func base64StopsAtPadding() {
        let (out, _) = b64("SGk=\r\nSGVsbG8=")
        #expect(out == utf8Bytes("Hi"))
        let (out2, _) = b64("SGVsbG8=\r\n-- \r\nsignature junk")
        #expect(out2 == utf8Bytes("Hello"))
    }

    @Test func base64LoneTrailingCharacterDropped() {
        let (out, codes) = b64("SGVsbG8hA")
        #expect(out == utf8Bytes("Hello!"))
        #expect(codes.contains("bad-base64"))
    }

    @Test func base64AllByteValues() {
        let (out, codes) = b64("AAECAwQFBgcICQoLDA0ODxAREhM=")
        #expect(out == Array(0..<20))
        #expect(codes.isEmpty)
    }

    @Test(arguments: [
        ("7bit", TransferEncoding.sevenBit), ("7BIT", .sevenBit), ("", .sevenBit), (" 8bit ", .eightBit),
        ("binary", .binary), ("Quoted-Printable", .quotedPrintable), ("base64", .base64),
        ("x-uuencode", .uuencode), ("x-uue", .uuencode), ("x-custom", .other("x-custom")),
    ] as [(String, TransferEncoding)])
    func encodingNames(_ name: String, _ encoding: TransferEncoding) {
        #expect(TransferEncoding(name) == encoding)
    }

    @Test func eightBitAnd7bitPassThrough() {
        for cte in ["7bit", "8bit", "binary"] {
            let bytes = utf8Bytes("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: \(cte)\r\n\r\n")
                + utf8Bytes("Ans=C3=B8gning ") + [0xC3, 0xB8, 0x00, 0xFF] + utf8Bytes(" SGk=")
            let m = MailMessage(bytes: bytes)
            #expect(m.decodedBody(m.root) == utf8Bytes("Ans=C3=B8gning ") + [0xC3, 0xB8, 0x00, 0xFF] + utf8Bytes(" SGk="))
            #expect(Array(m.rawBody(m.root)) == m.decodedBody(m.root))
        }
    }

    @Test func unknownEncodingPassesThroughWithFinding() {
        let m = parseMail("Content-Transfer-Encoding: x-gzip64\r\n\r\nH4sI")
        var findings: [Finding] = []
        #expect(m.decodedBody(m.root, findings: &findings) == utf8Bytes("H4sI"))
        #expect(findings == [Finding("unknown-transfer-encoding", "x-gzip64")])
    }

    @Test func quotedPrintableAndBase64Parts() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain; charset=iso-8859-1\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            K=F8benhavn, =\r
            Tingbjerg\r
            --b\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r
            AAECAwQFBgcI\r
            CQoLDA0ODxAREhM=\r
            --b--\r
            """)
        let leaves = m.leafParts
        #expect(leaves.count == 2)
        #expect(m.text(leaves[0]) == "København, Tingbjerg")
        #expect(m.decodedBody(leaves[1]) == Array(0..<20))
        #expect(m.content().attachments.map(\.size) == [20])
    }

    // "Budget 2027: 4.500,00 kr.\n" uuencoded (backquote for zero).
    static let uuLine = ":0G5D9V5T(#(P,C<Z(#0N-3`P+#`P(&MR+@H`"
    static let uuPlain = utf8Bytes("Budget 2027: 4.500,00 kr.\n")

    @Test func uuencodeTransferEncoding() {
        let m = parseMail("""
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: x-uuencode\r
            \r
            begin 644 budget.txt\r
            \(Self.uuLine)\r
            `\r
            end\r
            """)
        #expect(m.decodedBody(m.root) == Self.uuPlain)
    }

    @Test func uuencodeDecoderDirect() {
        var findings: [Finding] = []
        #expect(Uuencode.decodeBlock(utf8Bytes("#2&5J\n")[...], findings: &findings) == utf8Bytes("Hej"))
        #expect(findings.isEmpty)
    }

    @Test func uuencodedBlockInTextBodyBecomesAttachment() throws {
        let m = parseMail("""
            Subject: Budget\r
            Content-Type: text/plain; charset=us-ascii\r
            \r
            Hej, her er budgettet:\r
            \r
            begin 644 budget.txt\r
            \(Self.uuLine)\r
            `\r
            end\r
            \r
            Venlig hilsen Mette\r
            """)
        let c = m.content()
        #expect(c.text == "Hej, her er budgettet:\n\n\nVenlig hilsen Mette\n")
        #expect(!c.text.contains("begin 644"))
        #expect(!c.text.contains(Self.uuLine))
        let a = try #require(c.attachments.first)
        #expect(c.attachments.count == 1)
        #expect(a.filename == "budget.txt")
        #expect(a.contentType == "application/octet-stream")
        #expect(a.disposition == "attachment")
        #expect(a.size == Self.uuPlain.count)
        #expect(m.data(of: a) == Self.uuPlain)
    }

    @Test func uuencodedBlockWithoutEndIsTruncatedButKept() throws {
        let m = parseMail("Content-Type: text/plain\r\n\r\nbefore\r\nbegin 600 x.bin\r\n#2&5J\r\n")
        let c = m.content()
        #expect(c.text == "before\n")
        let a = try #require(c.attachments.first)
        #expect(m.data(of: a) == utf8Bytes("Hej"))
        #expect(findingCodes(c.findings).contains("uuencode-truncated"))
    }

    @Test func beginLineNeedsOctalMode() {
        // "begin 9 things" is prose, not a uuencode header.
        let m = parseMail("Content-Type: text/plain\r\n\r\nbegin 99 things\r\nend\r\n")
        #expect(m.content().attachments.isEmpty)
        #expect(m.content().text == "begin 99 things\nend\n")
    }
}
