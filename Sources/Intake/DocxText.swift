import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Why a Word file could not be read.
public enum DocxError: Error, Sendable, Equatable {
    /// The bytes are not a ZIP archive at all.
    case notAZip
    /// A ZIP or XML feature this reader does not handle (ZIP64, encryption, a DTD …).
    case unsupported(String)
    /// The archive or the document XML is damaged or truncated.
    case corrupt(String)
    /// Too many entries, or an entry inflates beyond the limit (a zip bomb).
    case tooLarge
    /// The archive has no `word/document.xml`.
    case missingDocument
}

/// Extracts the plain text of a Word (.docx) file in the line conventions of `HTMLText`.
public enum DocxText {
    /// The readable text of the main document of a .docx, for the same field extraction as mail bodies.
    ///
    /// Throws `DocxError` (typed) for anything that is not a readable .docx; bad input never traps.
    /// What the extractors can rely on, as with `HTMLText.plainText(fromHTML:)`:
    /// - Each paragraph is one line; `w:br`/`w:cr` break the line, `w:tab` is a "\t".
    ///   Lines are joined by "\n", no trailing newline, no leading or trailing blank lines,
    ///   never more than one blank line in a row (an empty paragraph gives a blank line).
    /// - Space runs become one space, U+00A0 a space; no line starts with a space or
    ///   ends with a space or tab.
    /// - A table row is one line, cells joined by one "\t"; empty cells keep their column
    ///   except at the end of the row; empty rows vanish. Inside a cell paragraphs, tabs
    ///   and breaks become single spaces and a nested table is flattened with spaces.
    /// - Deleted and moved-away text, field codes and the duplicate `mc:Fallback` copies
    ///   of text boxes are dropped; inserted text is kept.
    public static func text(ofDocx bytes: [UInt8]) throws(DocxError) -> String {
        try text(ofDocx: bytes, limit: 32 << 20)
    }

    /// `limit` caps the inflated size of `word/document.xml`, so tests can use small bombs.
    static func text(ofDocx bytes: [UInt8], limit: Int) throws(DocxError) -> String {
        let zip = try ZipArchive(bytes)
        guard let entry = zip.entry(named: "word/document.xml") else { throw .missingDocument }
        return try plainText(fromDocumentXML: zip.data(of: entry, limit: limit))
    }

    static func plainText(fromDocumentXML xml: [UInt8]) throws(DocxError) -> String {
        if xml.starts(with: [0xFF, 0xFE]) || xml.starts(with: [0xFE, 0xFF]) { throw .unsupported("UTF-16 document.xml") }
        // FoundationXML force-unwraps names and comments decoded as strict UTF-8, and libxml2
        // passes invalid bytes through in recovery mode, so they would trap inside Foundation.
        guard isCleanUTF8(xml) else { throw .corrupt("document.xml is not valid UTF-8") }
        var body = xml[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        // The bytes are UTF-8 whatever the declaration says, and libxml2 assumes UTF-8 without one.
        if body.starts(with: Array("<?xml".utf8)) {
            var k = body.startIndex + 5
            while k + 1 < body.endIndex, !(body[k] == 0x3F && body[k + 1] == 0x3E) { k += 1 }
            if k + 1 < body.endIndex { body = body[(k + 2)...] }
        }
        // FoundationXML traps on a processing instruction without data, and a DTD could
        // expand entities without bound; OOXML allows neither.
        var i = body.startIndex
        while i + 1 < body.endIndex {
            if body[i] == 0x3C, body[i + 1] == 0x3F { throw .unsupported("processing instruction in document.xml") }
            if body[i] == 0x3C, body[i + 1] == 0x21, body[(i + 2)...].starts(with: Array("DOCTYPE".utf8)) {
                throw .unsupported("DTD in document.xml")
            }
            i += 1
        }
        let reader = DocumentReader()
        let parser = XMLParser(data: Data(body))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        // On Linux parse() returns true for empty input, and for unclosed input it only sets parserError.
        guard parser.parse(), parser.parserError == nil, reader.sawRoot, reader.depth == 0 else {
            throw .corrupt("malformed document.xml")
        }
        reader.flushParagraph()
        return reader.finishedText()
    }

    /// Valid UTF-8 without NUL, which XML forbids anyway.
    private static func isCleanUTF8(_ bytes: [UInt8]) -> Bool {
        var codec = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch codec.decode(&iterator) {
            case .scalarValue(let scalar): if scalar.value == 0 { return false }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

/// SAX state: top-level paragraphs become lines, the outermost table's rows become tab-joined lines.
private final class DocumentReader: NSObject, XMLParserDelegate {
    private var lines: [String] = []
    private var paragraph = ""
    private var tableDepth = 0
    private var cells: [String] = []
    private var cell = ""
    private var textDepth = 0
    /// Depth inside a subtree whose text must not be read; 0 when reading.
    private var skipDepth = 0
    private(set) var depth = 0
    private(set) var sawRoot = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        depth += 1
        sawRoot = true
        if skipDepth > 0 {
            skipDepth += 1
            return
        }
        switch localName(elementName) {
        // Fallback repeats the text of the Choice branch for older readers (text boxes).
        case "del", "moveFrom", "delText", "instrText", "Fallback": skipDepth = 1
        case "t": textDepth += 1
        case "tab": emit(tableDepth > 0 ? " " : "\t")
        case "br", "cr": emit(tableDepth > 0 ? " " : "\n")
        case "noBreakHyphen": emit("-")
        case "tbl":
            // Only a text box puts a table inside an open paragraph; its text so far stays a line.
            if tableDepth == 0 && !paragraph.isEmpty { flushParagraph() }
            tableDepth += 1
        case "tr" where tableDepth == 1: cells = []
        case "tc" where tableDepth == 1: cell = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        depth -= 1
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        switch localName(elementName) {
        case "t": textDepth = max(0, textDepth - 1)
        case "p": if tableDepth > 0 { cell += " " } else { flushParagraph() }
        case "tc" where tableDepth == 1:
            cells.append(collapsed(cell))
            cell = ""
        case "tr" where tableDepth == 1:
            while cells.last?.isEmpty == true { cells.removeLast() }
            if !cells.isEmpty { lines.append(cells.joined(separator: "\t")) }
            cells = []
        case "tc", "tr": if tableDepth > 1 { cell += " " }
        case "tbl" where tableDepth > 0:
            tableDepth -= 1
            if tableDepth > 0 { cell += " " }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if textDepth > 0 { emit(string) }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if textDepth > 0 { emit(String(decoding: CDATABlock, as: UTF8.self)) }
    }

    func flushParagraph() {
        lines.append(paragraph)
        paragraph = ""
    }

    func finishedText() -> String {
        var out: [String] = []
        for raw in lines.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(squeezingSpaces(raw))
            while line.first == " " { line.removeFirst() }
            while line.last == " " || line.last == "\t" { line.removeLast() }
            if !line.isEmpty {
                out.append(String(line))
            } else if out.last?.isEmpty == false {
                out.append("")
            }
        }
        if out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n")
    }

    private func emit(_ s: String) {
        if tableDepth > 0 { cell += s } else { paragraph += s }
    }

    private func localName(_ qualified: String) -> Substring {
        guard let colon = qualified.lastIndex(of: ":") else { return Substring(qualified) }
        return qualified[qualified.index(after: colon)...]
    }

    /// A cell's text on one line: any whitespace run is one space, none at the ends.
    private func collapsed(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\u{A0}" || $0 == "\r" })
            .joined(separator: " ")
    }

    private func squeezingSpaces(_ s: Substring) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var lastWasSpace = false
        for c in s {
            let isSpace = c == " " || c == "\u{A0}"
            if !(isSpace && lastWasSpace) { out.append(isSpace ? " " : c) }
            lastWasSpace = isSpace
        }
        return out
    }
}
