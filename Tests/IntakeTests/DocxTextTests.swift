import Foundation
import Testing
import MailCore
@testable import Intake

// MARK: - Building .docx files in memory

/// CRC-32 as ZIP uses it, bit by bit: the test files are small.
private func crc32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
private func le32(_ v: Int) -> [UInt8] { le32(UInt32(truncatingIfNeeded: v)) }

/// A raw deflate stream made of stored blocks: real method-8 data without a compressor.
private func deflateStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    repeat {
        let n = min(65_535, data.count - i)
        out.append(i + n == data.count ? 1 : 0)  // BFINAL, BTYPE 00
        out += le16(n) + le16(~n & 0xFFFF)
        out += data[i..<(i + n)]
        i += n
    } while i < data.count
    return out
}

private struct ZipEntry {
    var name: String
    var data: [UInt8]
    var deflate = false
    var flags = 0x0800
    var method: Int? = nil
}

/// A minimal ZIP writer: local headers, central directory, end record.
private func makeZip(_ entries: [ZipEntry]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    for e in entries {
        let name = Array(e.name.utf8)
        let body = e.deflate ? deflateStored(e.data) : e.data
        let method = e.method ?? (e.deflate ? 8 : 0)
        let common = le16(20) + le16(e.flags) + le16(method) + le16(0) + le16(0x5A21)
            + le32(crc32(e.data)) + le32(body.count) + le32(e.data.count) + le16(name.count) + le16(0)
        let offset = out.count
        out += le32(UInt32(0x0403_4B50)) + common + name + body
        central += le32(UInt32(0x0201_4B50)) + le16(0x031E) + common
            + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
    }
    let cdOffset = out.count
    out += central
    out += le32(UInt32(0x0605_4B50)) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        + le32(central.count) + le32(cdOffset) + le16(0)
    return out
}

private let contentTypes = ZipEntry(name: "[Content_Types].xml", data: Array("""
<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Override PartName="/word/document.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
""".utf8))

/// A document.xml around `body`, the way Word writes it (w: prefix, no whitespace between elements).
private func documentXML(_ body: String, prefix: String = "w") -> [UInt8] {
    Array("""
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <\(prefix):document xmlns:\(prefix)="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
    xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">\
    <\(prefix):body>\(body)</\(prefix):body></\(prefix):document>
    """.utf8)
}

private func docx(_ body: String, deflate: Bool = false) -> [UInt8] {
    makeZip([contentTypes, ZipEntry(name: "word/document.xml", data: documentXML(body), deflate: deflate)])
}

/// Text of a document whose body is `body`.
private func text(_ body: String, deflate: Bool = false) throws -> String {
    try DocxText.text(ofDocx: docx(body, deflate: deflate))
}

private func p(_ runs: String...) -> String { "<w:p>" + runs.joined() + "</w:p>" }
private func r(_ t: String) -> String { "<w:r><w:t xml:space=\"preserve\">\(t)</w:t></w:r>" }
private func tc(_ paragraphs: String...) -> String { "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>" + paragraphs.joined() + "</w:tc>" }
private func tr(_ cells: String...) -> String { "<w:tr>" + cells.joined() + "</w:tr>" }
private func tbl(_ rows: String...) -> String { "<w:tbl><w:tblPr/><w:tblGrid/>" + rows.joined() + "</w:tbl>" }
private func cellText(_ t: String) -> String { tc(p(r(t))) }

private func base64(_ s: String) -> [UInt8] {
    Array(Data(base64Encoded: s, options: .ignoreUnknownCharacters) ?? Data())
}

/// python3 zipfile, ZIP_DEFLATED: a heading, a field paragraph split over two runs, a
/// two-cell table row and a date paragraph.
private let pythonDeflatedDocx = """
UEsDBBQAAAAIALVddl2Rp0i1vQAAAAIBAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbF2PwU7DMBBEf8XaK0o2cKgQitMDEkfooXzA
yt6kVuNdyzal/XsckHrguJqZNzvj/hpXc+FcgoqFx34Aw+LUB1ksfB7fumfYT+PxlriYZpVi4VRrekEs7sSRSq+JpSmz5ki1nXnB
RO5MC+PTMOzQqVSW2tWNAdP40dpy8GwOlOs7RbaA35o9enVfsTn7RgPz+hfbmi1QSmtwVNuTeBH/r7PTeQ6O7/mNlrI6LqXNiGt/
VyIFedjwOI34O2r6AVBLAwQUAAAACAC1XXZdOngo8CMBAAAcAgAAEQAAAHdvcmQvZG9jdW1lbnQueG1sdZFNTsMwEIX3nGLkNY3d
IH4UNalAiCVCChzAiadtVHts2W5LD8Qduu/FcFoopZTNG1kz73tjezR+NxqW6ENnqWTDTDBAaq3qaFqyt9enwR2DECUpqS1hydYY
2Li6GK0KZduFQYqQCBSKVclmMbqC89DO0MiQWYeUehPrjYzp6Kd8Zb1y3rYYQgowmudC3HAjO2JVQjZWrfvqevG9xOqewnYzpTQO
1oC2c6mhrl8GHamQsCPeD/Xqd+pO/P12RXCyTbs7jwH9Eln1LJcEbvsBXxSkAn6RDvG1NQY9dFCv1Sy5kM4mxkbvyt7Vnl7iAfV2
05xx8u/pv55hnl0LcSkEzH32v5XvU/lhh2PGo4y2gKsMJtj4hfSQi/z2PGv/9vznX6tPUEsBAhQDFAAAAAgAtV12XZGnSLW9AAAA
AgEAABMAAAAAAAAAAAAAAIABAAAAAFtDb250ZW50X1R5cGVzXS54bWxQSwECFAMUAAAACAC1XXZdOngo8CMBAAAcAgAAEQAAAAAA
AAAAAAAAgAHuAAAAd29yZC9kb2N1bWVudC54bWxQSwUGAAAAAAIAAgCAAAAAQAIAAAAA
"""

/// python3 zipfile: word/document.xml is 2 MiB of zeros deflated to about 2 KB, with both
/// the local and the central header lying that it inflates to 1000 bytes.
private let lyingBomb = """
UEsDBBQAAAAIALVddl1+h4mNAQgAAOgDAAARAAAAd29yZC9kb2N1bWVudC54bWztwTEBAAAAwqD1T20MH6AAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAvgZQSwEC
FAMUAAAACAC1XXZdfoeJjQEIAADoAwAAEQAAAAAAAAAAAAAAgAEAAAAAd29yZC9kb2N1bWVudC54bWxQSwUGAAAAAAEAAQA/AAAA
MAgAAAAA
"""

/// document.xml bodies that are refused before XMLParser sees them, with the error they give.
private let trappingXML: [([UInt8], DocxError)] = [
    (Array("<w:document><w:p".utf8) + [0xFF] + Array("/></w:document>".utf8), .corrupt("document.xml is not valid UTF-8")),
    (Array("<w:document><!-- ".utf8) + [0xC3] + Array(" --></w:document>".utf8), .corrupt("document.xml is not valid UTF-8")),
    (Array("<w:document>\u{0}</w:document>".utf8), .corrupt("document.xml is not valid UTF-8")),
    (Array("<w:document><?p?></w:document>".utf8), .unsupported("processing instruction in document.xml")),
    (Array("<?xml?>\n<w:document><w:<?p><w:t>x</w:t></w:document>".utf8), .unsupported("processing instruction in document.xml")),
    ([0xFF, 0xFE] + Array("<\0w\0".utf8), .unsupported("UTF-16 document.xml")),
]


// MARK: - Text conventions

@Suite struct DocxTextTests {
    @Test func paragraphsAreLinesWithBlankLinesCollapsed() throws {
        let body = p() + p(r("Hej")) + p() + p() + p() + p(r("Med venlig"), r(" hilsen   ")) + p(r("Jonas")) + p() + p()
        #expect(try text(body) == "Hej\n\nMed venlig hilsen\nJonas")
    }

    @Test func spaceRunsAndNoBreakSpacesBecomeOneSpace() throws {
        #expect(try text(p(r("  Navn:\u{A0}\u{A0} Foo  Bar "))) == "Navn: Foo Bar")
    }

    @Test func tabsAndBreaksOutsideTables() throws {
        let body = p(r("Navn:"), "<w:r><w:tab/></w:r>", r("Tryg i Tingbjerg"))
            + p(r("Linje 1"), "<w:r><w:br/></w:r>", r("Linje 2"), "<w:r><w:cr/></w:r>", r("Linje 3"))
            + p(r("Slut"), "<w:r><w:tab/></w:r>")
        #expect(try text(body) == "Navn:\tTryg i Tingbjerg\nLinje 1\nLinje 2\nLinje 3\nSlut")
    }

    @Test func twoColumnTableGivesLabelTabValueLines() throws {
        let body = p(r("Ansøgning"))
            + tbl(tr(cellText("Navn på indsatsen"), cellText("Tryg i Tingbjerg")),
                  tr(cellText("Periode"), cellText("1. februar 2027 – 15. december 2027")),
                  tr(cellText("Tovholder"), tc(p(r("Jonas Kjærgaard")), p(r("+45 31 22 84 06")))))
            + p(r("Dato: 12. januar 2027"))
        #expect(try text(body) == """
            Ansøgning
            Navn på indsatsen\tTryg i Tingbjerg
            Periode\t1. februar 2027 – 15. december 2027
            Tovholder\tJonas Kjærgaard +45 31 22 84 06
            Dato: 12. januar 2027
            """)
    }

    @Test func threeColumnBudgetTable() throws {
        let body = p(r("Budget"))
            + tbl(tr(cellText("Udgiftspost"), cellText("Beløb"), cellText("Måned")),
                  tr(cellText("Ture og entréer"), cellText("9.500,00 kr."), cellText("juli 2027")),
                  tr(cellText("Uden beløb"), tc(p()), cellText("august 2027")),
                  tr(tc(p()), tc(p()), tc(p())),
                  tr(cellText("I alt"), cellText("32.000,00 kr."), tc(p(r("")))))
        #expect(try text(body) == """
            Budget
            Udgiftspost\tBeløb\tMåned
            Ture og entréer\t9.500,00 kr.\tjuli 2027
            Uden beløb\t\taugust 2027
            I alt\t32.000,00 kr.
            """)
    }

    @Test func tabsBreaksAndParagraphsInsideACellBecomeSpaces() throws {
        let cell = tc(p(r("a"), "<w:r><w:tab/></w:r>", r("b"), "<w:r><w:br/></w:r>", r("c")), p(), p(r(" d ")))
        #expect(try text(tbl(tr(cellText("Felt"), cell))) == "Felt\ta b c d")
    }

    @Test func nestedTableIsFlattenedIntoItsCell() throws {
        let inner = tbl(tr(cellText("x1"), cellText("x2")), tr(cellText("y1"), cellText("y2")))
        let body = tbl(tr(cellText("Ydre"), tc(p(r("før")), inner, p(r("efter")))), tr(cellText("Næste"), cellText("række")))
        #expect(try text(body) == "Ydre\tfør x1 x2 y1 y2 efter\nNæste\trække")
    }

    @Test func danishLettersSurvive() throws {
        #expect(try text(p(r("Æbler, østers og ål – SSP København"))) == "Æbler, østers og ål – SSP København")
    }

    @Test func deletedTextFieldCodesAndFallbacksAreDropped() throws {
        let body = p(r("Beløb: "),
                     "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>10.000</w:delText></w:r></w:del>",
                     "<w:ins w:id=\"2\" w:author=\"A\">", r("12.000"), "</w:ins>",
                     "<w:r><w:delText>gammel</w:delText></w:r>",
                     "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>",
                     "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>",
                     "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>", r(" kr."),
                     "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>")
            + p("<w:moveFrom w:id=\"3\" w:author=\"A\">", r("flyttet væk"), "</w:moveFrom>", r("Tekstboks:"),
                "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>",
                p(r(" indhold")), "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>",
                p(r(" indhold igen")), "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
        #expect(try text(body) == "Beløb: 12.000 kr.\nTekstboks: indhold")
    }

    @Test func elementNamesMatchWhateverThePrefix() throws {
        let body = "<x:p><x:r><x:t>Navn:</x:t><x:tab/><x:t>Foo</x:t></x:r></x:p>"
            + "<x:tbl><x:tr><x:tc><x:p><x:r><x:t>a</x:t></x:r></x:p></x:tc><x:tc><x:p><x:r><x:t>b</x:t></x:r></x:p></x:tc></x:tr></x:tbl>"
        let zip = makeZip([ZipEntry(name: "word/document.xml", data: documentXML(body, prefix: "x"))])
        #expect(try DocxText.text(ofDocx: zip) == "Navn:\tFoo\na\tb")
    }

    @Test func textOutsideTextElementsIsIgnored() throws {
        let body = "<w:p>\n  <w:pPr><w:pStyle w:val=\"Titel\"/></w:pPr>\n  <w:r>\n    <w:t>Titel</w:t>\n  </w:r>\n</w:p>\n"
        #expect(try text(body) == "Titel")
    }

    // MARK: Archive handling

    @Test func storedAndDeflatedEntriesReadAlike() throws {
        let body = p(r("Æ ø å")) + tbl(tr(cellText("a"), cellText("b")))
        #expect(try text(body, deflate: false) == "Æ ø å\na\tb")
        #expect(try text(body, deflate: true) == "Æ ø å\na\tb")
    }

    @Test func deflatedEntryFromPythonZipfile() throws {
        #expect(try DocxText.text(ofDocx: base64(pythonDeflatedDocx)) == """
            Ansøgning om lokal SSP-indsats
            Navn på indsatsen: Sommer i Sydhavnen
            Beløb\t12.500,00 kr.
            Dato: 3. februar 2027
            """)
    }

    @Test func zipReaderListsEntries() throws {
        let zip = try ZipArchive(base64(pythonDeflatedDocx))
        #expect(zip.entries.map(\.name) == ["[Content_Types].xml", "word/document.xml"])
        #expect(zip.entries.map(\.method) == [8, 8])
        let ct = try #require(zip.entry(named: "[Content_Types].xml"))
        #expect(String(decoding: try zip.data(of: ct), as: UTF8.self).hasPrefix("<?xml"))
    }

    @Test(arguments: [[], Array("hello, world".utf8), Array("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n".utf8),
                      [UInt8](repeating: 0, count: 100)])
    func notAZip(_ bytes: [UInt8]) {
        #expect(throws: DocxError.notAZip) { try DocxText.text(ofDocx: bytes) }
    }

    @Test func everyTruncationThrows() {
        let whole = docx(p(r("Hej")) + tbl(tr(cellText("a"), cellText("b"))), deflate: true)
        for n in 0..<whole.count {
            #expect(throws: DocxError.self) { try DocxText.text(ofDocx: Array(whole[0..<n])) }
        }
    }

    @Test func lyingZipBombStopsAtTheLimit() {
        #expect(throws: DocxError.tooLarge) { try DocxText.text(ofDocx: base64(lyingBomb), limit: 1 << 20) }
        // Under a limit above its real size it inflates, and zeros are no XML.
        #expect(throws: DocxError.corrupt("document.xml is not valid UTF-8")) {
            try DocxText.text(ofDocx: base64(lyingBomb), limit: 4 << 20)
        }
    }

    @Test func honestlyLargeEntryIsRefusedBeforeInflating() {
        let big = docx(p(r(String(repeating: "x", count: 5000))))
        #expect(throws: DocxError.tooLarge) { try DocxText.text(ofDocx: big, limit: 1000) }
    }

    @Test func tooManyEntries() throws {
        var zip = makeZip([ZipEntry(name: "a", data: [])])
        let eocd = zip.count - 22
        zip[eocd + 8] = 0x20; zip[eocd + 9] = 0x4E  // 20,000 entries
        zip[eocd + 10] = 0x20; zip[eocd + 11] = 0x4E
        #expect(throws: DocxError.tooLarge) { try DocxText.text(ofDocx: zip) }
    }

    @Test func missingDocument() {
        let zip = makeZip([contentTypes, ZipEntry(name: "word/document2.xml", data: documentXML(p(r("x"))))])
        #expect(throws: DocxError.missingDocument) { try DocxText.text(ofDocx: zip) }
        #expect(throws: DocxError.missingDocument) { try DocxText.text(ofDocx: makeZip([])) }
    }

    @Test func malformedXMLIsCorrupt() {
        for xml in ["<w:document><w:body><w:p>", "", "not xml", "<a></b>"] {
            let zip = makeZip([ZipEntry(name: "word/document.xml", data: Array(xml.utf8))])
            #expect(throws: DocxError.corrupt("malformed document.xml")) { try DocxText.text(ofDocx: zip) }
        }
    }

    @Test func doctypeIsRefused() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
            + "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
        let zip = makeZip([ZipEntry(name: "word/document.xml", data: Array(xml.utf8))])
        #expect(throws: DocxError.unsupported("DTD in document.xml")) { try DocxText.text(ofDocx: zip) }
    }

    /// A processing instruction and invalid UTF-8 in a name or a comment each trap inside
    /// FoundationXML (it force-unwraps), so they must never reach it.
    @Test(arguments: trappingXML)
    func inputThatTrappedInsideFoundationXMLIsRefused(_ xml: [UInt8], _ error: DocxError) {
        let zip = makeZip([ZipEntry(name: "word/document.xml", data: xml)])
        #expect(throws: error) { try DocxText.text(ofDocx: zip) }
    }

    @Test func declaredEncodingIsIgnoredForUTF8Bytes() throws {
        let xml = Array("\u{FEFF}<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><w:document xmlns:w=\"x\"><w:body>".utf8)
            + Array(p(r("Kærgård")).utf8) + Array("</w:body></w:document>".utf8)
        #expect(try DocxText.text(ofDocx: makeZip([ZipEntry(name: "word/document.xml", data: xml)])) == "Kærgård")
    }

    @Test func unsupportedFeatures() {
        let doc = documentXML(p(r("x")))
        let encrypted = makeZip([ZipEntry(name: "word/document.xml", data: doc, flags: 0x0801)])
        #expect(throws: DocxError.unsupported("encrypted entry")) { try DocxText.text(ofDocx: encrypted) }
        let bzip2 = makeZip([ZipEntry(name: "word/document.xml", data: doc, method: 12)])
        #expect(throws: DocxError.unsupported("compression method 12")) { try DocxText.text(ofDocx: bzip2) }
        var zip64 = makeZip([ZipEntry(name: "word/document.xml", data: doc)])
        for k in (zip64.count - 6)..<(zip64.count - 2) { zip64[k] = 0xFF }  // central directory offset
        #expect(throws: DocxError.unsupported("ZIP64")) { try DocxText.text(ofDocx: zip64) }
    }

    @Test func checksumMismatchIsCorrupt() {
        var zip = makeZip([ZipEntry(name: "word/document.xml", data: documentXML(p(r("Hej"))))])
        let hej = Array("Hej".utf8)
        if let at = (0...(zip.count - 3)).first(where: { Array(zip[$0..<($0 + 3)]) == hej }) { zip[at] = UInt8(ascii: "h") }
        #expect(throws: DocxError.corrupt("CRC mismatch in word/document.xml")) { try DocxText.text(ofDocx: zip) }
    }

    @Test func mutatedDocumentsNeverCrash() {
        let originals = [docx(p(r("Navn: Foo")) + tbl(tr(cellText("a"), cellText("b"))), deflate: false),
                         docx(p(r("Navn: Foo")) + tbl(tr(cellText("a"), cellText("b"))), deflate: true),
                         base64(pythonDeflatedDocx)]
        var rng = SplitMix64(seed: 0x55_50_2D_64_6F_63_78)
        var readable = 0
        for i in 0..<200 {
            var bytes = originals[i % originals.count]
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
                default: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            if (try? DocxText.text(ofDocx: bytes)) != nil { readable += 1 }
        }
        // Most mutations hit a checksum or header; some land in unused bytes and still read.
        #expect(readable < 200)
    }

    @Test func mutatedDocumentXMLNeverCrashes() {
        let xml = documentXML(p(r("Navn:"), "<w:r><w:tab/></w:r>", r("Foo"))
            + tbl(tr(cellText("a"), tc(p(r("b")), tbl(tr(cellText("c")))))) + p("<w:del>", r("x"), "</w:del>"))
        var rng = SplitMix64(seed: 0x78_6D_6C)
        for _ in 0..<200 {
            var bytes = xml
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...24, using: &rng)))
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 24)], at: at)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            // The checksum is recomputed, so every mutation reaches the XML reader.
            _ = try? DocxText.text(ofDocx: makeZip([ZipEntry(name: "word/document.xml", data: bytes, deflate: true)]))
        }
    }

    // MARK: The real Outlook sample

    @Test func applicationFromOutlookSample() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("mailbox-samples/04-outlook-docx-attachment-rfc2231.eml")
        let message = MailMessage(bytes: Array(try Data(contentsOf: url)))
        let attachment = try #require(message.content().attachments.first { $0.filename?.hasSuffix(".docx") == true })
        let text = try DocxText.text(ofDocx: message.data(of: attachment))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Ansøgning om lokal SSP-indsats")
        #expect(lines.contains("1. Navn på indsatsen: Tryg i Tingbjerg"))
        #expect(lines.contains("2. Periode: 1. februar 2027 – 15. december 2027"))
        #expect(lines.contains("7. Økonomiansvarlig: Susanne Vinther, leder, Tingbjerg Fritidscenter"))
        #expect(lines.contains("8. Tovholder: Jonas Kjærgaard, jonas.kjaergaard@buf.kk.dk, +45 31 22 84 06"))
        #expect(lines.contains("Kontaktperson fra ledergruppen: Henrik Bøgh Jepsen, skoleleder, Tingbjerg Skole"))
        #expect(lines.contains("Udgiftspost\tBeløb\tMåned"))
        #expect(lines.contains("Aftenaktiviteter, forplejning\t6.000,00 kr.\tfebruar 2027"))
        #expect(lines.contains("I alt\t32.000,00 kr."))
        #expect(lines.last == "Dato: 12. januar 2027")
        #expect(!text.contains("\n\n"))
        #expect(lines.count == 23)
    }
}
