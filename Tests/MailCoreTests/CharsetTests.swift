import Testing
@testable import MailCore

private func decode(_ bytes: [UInt8], _ label: String?) -> (String, [Finding]) {
    var findings: [Finding] = []
    let s = Charset.decodeText(bytes[...], label: label, findings: &findings)
    return (s, findings)
}

@Suite("Charsets")
struct CharsetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String?
        let bytes: [UInt8]
        let text: String
        var testDescription: String { "\(label ?? "nil") \(bytes.prefix(8))" }
    }

    static let cases: [Case] = [
        Case(label: "utf-8", bytes: [0x41, 0x6E, 0x73, 0xC3, 0xB8, 0x67], text: "Ansøg"),
        Case(label: "UTF8", bytes: [0xE2, 0x82, 0xAC], text: "€"),
        Case(label: "\"utf-8\"", bytes: [0xC3, 0xA6], text: "æ"),
        Case(label: "us-ascii", bytes: Array("Tryg i Tingbjerg".utf8), text: "Tryg i Tingbjerg"),
        // iso-8859-1 is read as windows-1252.
        Case(label: "iso-8859-1", bytes: [0x96, 0x20, 0x80, 0x20, 0xF8, 0xE6, 0xE5, 0xA4], text: "– € øæå¤"),
        Case(label: "latin1", bytes: [0x93, 0x61, 0x94], text: "\u{201C}a\u{201D}"),
        // Bytes windows-1252 leaves undefined become C1 controls, not failures.
        Case(label: "iso-8859-1", bytes: [0x81, 0x8D], text: "\u{81}\u{8D}"),
        Case(label: "windows-1252", bytes: [0x80, 0x20, 0x96, 0x20, 0x92, 0xF8], text: "€ – ’ø"),
        Case(label: "cp1252", bytes: [0x9C], text: "œ"),
        // iso-8859-15 differs from latin-1 at 0xA4 (euro) and a few more.
        Case(label: "iso-8859-15", bytes: [0xA4, 0x20, 0xF8, 0x20, 0xBD], text: "€ ø œ"),
        Case(label: "latin9", bytes: [0xA4], text: "€"),
        Case(label: "iso-8859-2", bytes: [0xA3, 0xF3, 0x64, 0xBC], text: "Łódź"),
        Case(label: "koi8-r", bytes: [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], text: "Привет"),
        // UTF-16: byte order mark either way, or big-endian without one (RFC 2781 §4.3).
        Case(label: "utf-16", bytes: [0xFF, 0xFE, 0x41, 0x00, 0xF8, 0x00], text: "Aø"),
        Case(label: "utf-16", bytes: [0xFE, 0xFF, 0x00, 0x41, 0x00, 0xF8], text: "Aø"),
        Case(label: "utf-16", bytes: [0x00, 0x41, 0x00, 0xF8], text: "Aø"),
        Case(label: "utf-16le", bytes: [0x41, 0x00, 0xF8, 0x00], text: "Aø"),
        Case(label: "utf-16be", bytes: [0x00, 0x41, 0x00, 0xF8], text: "Aø"),
        // Japanese via iconv or Foundation.
        Case(label: "euc-jp", bytes: [0xA4, 0xA2], text: "あ"),
        Case(label: "shift_jis", bytes: [0x82, 0xA0], text: "あ"),
        Case(label: "iso-2022-jp", bytes: [0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42], text: "あ"),
        // No label: sniffed (UTF-8 when valid, else windows-1252).
        Case(label: nil, bytes: [0xC3, 0xB8], text: "ø"),
        Case(label: nil, bytes: [0xF8], text: "ø"),
        Case(label: "", bytes: [0xF8], text: "ø"),
    ]

    @Test(arguments: cases)
    func decodes(_ c: Case) {
        let (s, findings) = decode(c.bytes, c.label)
        #expect(s == c.text)
        #expect(findings.isEmpty)
    }

    @Test func mislabelledUSASCIIIsSniffedWithoutFinding() {
        let (utf8, f1) = decode([0x62, 0xC3, 0xB8, 0x72, 0x6E], "us-ascii")
        #expect(utf8 == "børn")
        let (cp, f2) = decode([0x62, 0xF8, 0x72, 0x6E], "us-ascii")
        #expect(cp == "børn")
        #expect(f1.isEmpty && f2.isEmpty)
    }

    @Test func invalidUTF8GetsReplacementAndFinding() {
        let (s, findings) = decode([0x62, 0xF8, 0x72, 0x6E], "utf-8")
        #expect(s == "b\u{FFFD}rn")
        #expect(findingCodes(findings) == ["invalid-utf-8"])
    }

    @Test func unknownCharsetFindingAndText() {
        let (s, findings) = decode(Array("Tryg i Tingbjerg".utf8) + [0xF8], "x-klingon-7")
        #expect(s == "Tryg i Tingbjergø")
        #expect(findings == [Finding("unknown-charset", "x-klingon-7")])
    }

    @Test func unknownCharsetInAMessagePart() {
        let m = parseMail("Content-Type: text/plain; charset=x-klingon-7\r\n\r\nQapla'")
        let c = m.content()
        #expect(c.text == "Qapla'")
        #expect(c.findings.contains(Finding("unknown-charset", "x-klingon-7")))
        var f: [Finding] = []
        #expect(m.text(m.root, findings: &f) == "Qapla'")
        #expect(findingCodes(f) == ["unknown-charset"])
    }

    @Test(arguments: ["../../etc/passwd", "utf-8/x", "a b", "\u{7F}"])
    func hostileLabelsAreUnknown(_ label: String) {
        #expect(Charset.named(label) == nil)
    }

    @Test func namedNormalisesLabel() throws {
        let cs = try #require(Charset.named("  \"ISO-8859-15\" "))
        #expect(cs.label == "iso-8859-15")
        #expect(Charset.named("EUC-JP") != nil)
    }

    @Test func partCharsetsEndToEnd() {
        let m = parseMail("""
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain; charset=iso-8859-15\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Bel=F8b: 500 =A4\r
            --b\r
            Content-Type: text/plain; charset=iso-8859-1\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Bel=F8b: 500 =80 =96 moms\r
            --b\r
            Content-Type: text/plain; charset=euc-jp\r
            Content-Transfer-Encoding: base64\r
            \r
            pKI=\r
            --b--\r
            """)
        #expect(m.leafParts.map { m.text($0) } == ["Beløb: 500 €", "Beløb: 500 € – moms", "あ"])
    }
}
