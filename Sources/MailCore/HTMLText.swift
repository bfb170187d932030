/// Turns an HTML mail body into the plain text that field extraction reads.
public enum HTMLText {
    /// The readable text of `html`: block elements and <br> become line breaks, each table row one line with cells separated by a tab, entities decoded, style/script/comments/Outlook <o:p> dropped.
    ///
    /// What the extractors can rely on:
    /// - Lines end in "\n"; never more than one blank line in a row; no leading or
    ///   trailing blank lines and no trailing newline.
    /// - Outside `<pre>`, whitespace runs (`&nbsp;` included) become one space and no
    ///   line starts or ends with a space. `<pre>` content is verbatim (CRLF → LF).
    /// - `<p>`, `<div>`, `<li>`, headings … each start a new line. Paragraphs are not
    ///   separated by a blank line (Outlook's MsoNormal paragraphs have no margin);
    ///   `<br><br>` or a paragraph holding only `&nbsp;` gives one blank line.
    /// - List items get no "- " prefix.
    /// - A table row is one line, cells joined by one "\t". An empty cell keeps its
    ///   column ("a\t\tc", "\tb"), but empty cells at the end of a row are dropped, so
    ///   no line ends with a tab. Inside a cell, block breaks and `<br>` become a space.
    /// - A table nested in a cell is flattened into that cell's text: its cells and
    ///   rows are joined with single spaces.
    /// - Tags vanish without leaving a space (`<b>Na</b>vn` reads "Navn"); links give
    ///   their text, images nothing. Unknown entities stay literal ("&foo;").
    public static func plainText(fromHTML html: String) -> String {
        if let text = html.utf8.withContiguousStorageIfAvailable(Converter.plainText) {
            return text
        }
        let bytes = Array(html.utf8)
        return bytes.withUnsafeBufferPointer(Converter.plainText)
    }
}

private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let tab: UInt8 = 0x09
private let space: UInt8 = 0x20

private enum TagKind: Sendable {
    case block, lineBreak, table, row, cell, pre, head, body, rawText
    /// <blockquote>: its lines are written with "> " so quote stripping sees a reply's quote.
    case quote
    /// Renders nothing and, unlike `inline`, may appear in <head> without ending it.
    case neutral
    case inline

    var allowedInHead: Bool {
        switch self {
        case .head, .rawText, .neutral: return true
        default: return false
        }
    }
}

/// A lower-cased tag name of up to 16 bytes packed into two words, so that looking up
/// a tag costs no String allocation.
private struct TagKey: Hashable, Sendable {
    var lo: UInt64 = 0
    var hi: UInt64 = 0

    init?<Name: Collection<UInt8>>(_ name: Name) {
        guard name.count <= 16 else { return nil }
        for (k, b) in name.enumerated() {
            let lower = UInt64(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b)
            if k < 8 { lo |= lower << (8 * k) } else { hi |= lower << (8 * (k - 8)) }
        }
    }
}

private struct TableState {
    /// A table inside another table's cell is flattened into that cell, so its rows and
    /// cells must not produce line breaks or tabs.
    let nested: Bool
    var rowOpen = false
    var cellOpen = false
    var cells = 0
}

private struct Converter {
    private let s: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var i = 0
    private var out: [UInt8] = []

    // Separators are held back until the next visible character arrives, so nothing
    // dangles at the end of a line or a row, and leading blank lines never appear.
    private var pendingBreaks = 0
    private var pendingTabs = 0
    private var pendingSpace = false
    /// Whether the current output line has begun, even invisibly (a line of `&nbsp;`
    /// counts, because Outlook writes its blank lines that way).
    private var lineHasContent = false

    private var inHead = false
    private var preDepth = 0
    private var tables: [TableState] = []
    /// Open cells across all tables on the stack; non-zero means we are writing into a cell.
    private var openCells = 0
    private var quoteDepth = 0

    static func plainText(_ html: UnsafeBufferPointer<UInt8>) -> String {
        var converter = Converter(html)
        return converter.run()
    }

    private init(_ s: UnsafeBufferPointer<UInt8>) {
        self.s = s
        n = s.count
        out.reserveCapacity(n / 2 + 16)
    }

    /// Inside a cell, pre text is collapsed anyway: its newlines would split the row.
    private var verbatim: Bool { preDepth > 0 && openCells == 0 }

    /// Lookahead that reads past the end as 0, which matches no delimiter.
    @inline(__always) private func byte(_ k: Int) -> UInt8 { k < n ? s[k] : 0 }

    private mutating func run() -> String {
        // A BOM would survive as an invisible first character and spoil a prefix match.
        if n >= 3, s[0] == 0xEF, s[1] == 0xBB, s[2] == 0xBF { i = 3 }
        while i < n {
            switch s[i] {
            case UInt8(ascii: "<"):
                markup()
            case UInt8(ascii: "&"):
                entity()
            case 0x20, 0x09, 0x0A, 0x0C, 0x0D:
                whitespace()
            case 0xC2 where byte(i + 1) == 0xA0:
                // Outlook often writes U+00A0 raw instead of &nbsp;.
                i += 2
                nonBreakingSpace()
            case 0x00:
                i += 1
            default:
                let start = i
                i += 1
                while i < n, Self.isPlainText(s[i]) { i += 1 }
                text(start, i)
            }
        }
        return finish()
    }

    @inline(__always) private static func isPlainText(_ b: UInt8) -> Bool {
        switch b {
        case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20, 0xC2, UInt8(ascii: "<"), UInt8(ascii: "&"):
            return false
        default:
            return true
        }
    }

    @inline(__always) private static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }

    @inline(__always) private static func isAlphanumeric(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    @inline(__always) private static func lowercased(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
    }

    @inline(__always) private static func endsTagName(_ b: UInt8) -> Bool {
        isWhitespace(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ">")
    }

    // MARK: Output

    private mutating func text(_ start: Int, _ end: Int) {
        if inHead { return }
        flush()
        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<end]))
    }

    private mutating func whitespace() {
        let b = s[i]
        i += 1
        if inHead { return }
        guard verbatim else {
            pendingSpace = true
            return
        }
        if b == cr {
            if byte(i) == lf { i += 1 }
            verbatimByte(lf)
        } else {
            verbatimByte(b)
        }
    }

    private mutating func nonBreakingSpace() {
        if inHead { return }
        if verbatim {
            verbatimByte(space)
            return
        }
        flushBreaks()
        lineHasContent = true
        pendingSpace = true
    }

    private mutating func verbatimByte(_ b: UInt8) {
        flush()
        out.append(b)
        if b == lf { lineHasContent = false }
    }

    private mutating func flushBreaks() {
        guard pendingBreaks > 0 else { return }
        if !out.isEmpty {
            var room = 2
            if out[out.count - 1] == lf {
                room -= 1
                if out.count >= 2, out[out.count - 2] == lf { room -= 1 }
            }
            for _ in 0..<min(pendingBreaks, room) { out.append(lf) }
        }
        pendingBreaks = 0
        pendingSpace = false
        lineHasContent = false
    }

    private mutating func flush() {
        flushBreaks()
        if quoteDepth > 0, openCells == 0, out.last == nil || out.last == lf {
            for _ in 0..<min(quoteDepth, 20) { out.append(UInt8(ascii: ">")) }
            out.append(space)
            pendingSpace = false
        }
        if pendingTabs > 0 {
            for _ in 0..<pendingTabs { out.append(tab) }
            pendingTabs = 0
            pendingSpace = false
        } else if pendingSpace {
            pendingSpace = false
            if let last = out.last, last != lf, last != tab { out.append(space) }
        }
        lineHasContent = true
    }

    private mutating func appendScalar(_ v: UInt32) {
        switch v {
        case 0x20, 0x09, 0x0A, 0x0C, 0x0D:
            if inHead { return }
            if verbatim { verbatimByte(v == 0x0D ? lf : UInt8(v)) } else { pendingSpace = true }
        case 0xA0:
            nonBreakingSpace()
        default:
            if inHead { return }
            flush()
            if v < 0x80 {
                out.append(UInt8(v))
            } else if v < 0x800 {
                out.append(UInt8(0xC0 | v >> 6))
                out.append(UInt8(0x80 | v & 0x3F))
            } else if v < 0x10000 {
                out.append(UInt8(0xE0 | v >> 12))
                out.append(UInt8(0x80 | v >> 6 & 0x3F))
                out.append(UInt8(0x80 | v & 0x3F))
            } else {
                out.append(UInt8(0xF0 | v >> 18))
                out.append(UInt8(0x80 | v >> 12 & 0x3F))
                out.append(UInt8(0x80 | v >> 6 & 0x3F))
                out.append(UInt8(0x80 | v & 0x3F))
            }
        }
    }

    /// A block boundary: the next text starts a new line, or is merely separated by a
    /// space when we are inside a table cell (Outlook wraps every cell in <p>).
    private mutating func blockBreak() {
        if openCells > 0 {
            pendingSpace = true
        } else if lineHasContent || pendingBreaks > 0 {
            pendingBreaks = max(pendingBreaks, 1)
        }
    }

    /// Unlike a block boundary, each <br> counts, so <br><br> leaves a blank line.
    private mutating func lineBreak() {
        if openCells > 0 {
            pendingSpace = true
        } else {
            pendingBreaks = min(pendingBreaks + 1, 2)
        }
    }

    private mutating func finish() -> String {
        var end = out.count
        while end > 0, Self.isWhitespace(out[end - 1]) { end -= 1 }
        // Keep the indentation of a first line that comes from <pre>.
        var start = 0
        var k = 0
        while k < end, Self.isWhitespace(out[k]) {
            if out[k] == lf { start = k + 1 }
            k += 1
        }
        return String(decoding: out[start..<end], as: UTF8.self)
    }

    // MARK: Markup

    private mutating func markup() {
        let next = byte(i + 1)
        if Self.isLetter(next) {
            tag(nameStart: i + 1, isEnd: false)
            return
        }
        switch next {
        case UInt8(ascii: "/"):
            let c = byte(i + 2)
            if Self.isLetter(c) {
                tag(nameStart: i + 2, isEnd: true)
            } else if c == UInt8(ascii: ">") {
                i += 3
            } else if i + 2 >= n {
                text(i, n)
                i = n
            } else {
                skip(past: ">", from: i + 2)
            }
        case UInt8(ascii: "!"):
            if byte(i + 2) == UInt8(ascii: "-"), byte(i + 3) == UInt8(ascii: "-") {
                comment(from: i + 4)
            } else if matches("[CDATA[", at: i + 2) {
                skip(past: "]]>", from: i + 9)
            } else {
                // <!DOCTYPE …>, and Outlook's <![if !supportLists]> / <![endif]>, whose
                // content (the list number) is real text and must survive.
                skip(past: ">", from: i + 2)
            }
        case UInt8(ascii: "?"):
            skip(past: ">", from: i + 2)
        default:
            text(i, i + 1)
            i += 1
        }
    }

    private func matches(_ literal: StaticString, at k: Int) -> Bool {
        literal.withUTF8Buffer { lit in
            guard k + lit.count <= n else { return false }
            for m in 0..<lit.count where s[k + m] != lit[m] { return false }
            return true
        }
    }

    /// Unterminated constructs swallow the rest of the input, as in a browser.
    private mutating func skip(past literal: StaticString, from start: Int) {
        let first = literal.withUTF8Buffer { $0[0] }
        var k = start
        while k < n {
            if s[k] == first, matches(literal, at: k) {
                i = k + literal.utf8CodeUnitCount
                return
            }
            k += 1
        }
        i = n
    }

    private mutating func comment(from start: Int) {
        // <!--> and <!---> are complete (empty) comments in HTML.
        if byte(start) == UInt8(ascii: ">") {
            i = start + 1
            return
        }
        if byte(start) == UInt8(ascii: "-"), byte(start + 1) == UInt8(ascii: ">") {
            i = start + 2
            return
        }
        var k = start
        while k + 2 < n {
            if s[k] == UInt8(ascii: "-"), s[k + 1] == UInt8(ascii: "-") {
                if s[k + 2] == UInt8(ascii: ">") {
                    i = k + 3
                    return
                }
                if s[k + 2] == UInt8(ascii: "!"), byte(k + 3) == UInt8(ascii: ">") {
                    i = k + 4
                    return
                }
            }
            k += 1
        }
        i = n
    }

    /// Index just past the `>` that ends a tag, honouring quoted attribute values (which
    /// may contain `>`); nil when the input ends first.
    private func tagEnd(from start: Int) -> Int? {
        var k = start
        while k < n {
            let c = s[k]
            if c == UInt8(ascii: ">") { return k + 1 }
            if Self.isWhitespace(c) || c == UInt8(ascii: "/") {
                k += 1
                continue
            }
            // Attribute name; quotes here are just characters, as in HTML.
            k += 1
            while k < n, !Self.endsTagName(s[k]), s[k] != UInt8(ascii: "=") { k += 1 }
            while k < n, Self.isWhitespace(s[k]) { k += 1 }
            guard k < n, s[k] == UInt8(ascii: "=") else { continue }
            k += 1
            while k < n, Self.isWhitespace(s[k]) { k += 1 }
            guard k < n else { return nil }
            let q = s[k]
            if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                k += 1
                while k < n, s[k] != q { k += 1 }
                guard k < n else { return nil }
                k += 1
            } else {
                while k < n, !Self.isWhitespace(s[k]), s[k] != UInt8(ascii: ">") { k += 1 }
            }
        }
        return nil
    }

    private mutating func tag(nameStart: Int, isEnd: Bool) {
        var nameEnd = nameStart
        while nameEnd < n, !Self.endsTagName(s[nameEnd]) { nameEnd += 1 }
        guard let end = tagEnd(from: nameEnd) else {
            // A tag cut off by the end of the input is dropped, keeping the text before it.
            i = n
            return
        }
        i = end
        let kind = Self.kind(of: UnsafeBufferPointer(rebasing: s[nameStart..<nameEnd]))
        if isEnd {
            endTag(kind)
        } else {
            startTag(kind, name: nameStart..<nameEnd, selfClosing: s[end - 2] == UInt8(ascii: "/"))
        }
    }

    private static func kind(of name: UnsafeBufferPointer<UInt8>) -> TagKind {
        // Outlook's o:p, v:shape, w:WordDocument … carry nothing readable.
        if name.contains(UInt8(ascii: ":")) { return .neutral }
        guard let key = TagKey(name) else { return .inline }
        return tagKinds[key] ?? .inline
    }

    private static let tagKinds: [TagKey: TagKind] = {
        var kinds: [TagKey: TagKind] = [:]
        func add(_ kind: TagKind, _ names: String) {
            for name in names.split(separator: " ") { kinds[TagKey(name.utf8)!] = kind }
        }
        add(.block, """
            p div h1 h2 h3 h4 h5 h6 li ul ol hr address section article header \
            footer dl dt dd center form fieldset nav aside main figure figcaption caption \
            legend details summary menu dir
            """)
        add(.lineBreak, "br")
        add(.quote, "blockquote")
        add(.table, "table")
        add(.row, "tr")
        add(.cell, "td th")
        add(.pre, "pre listing")
        add(.head, "head")
        add(.body, "body")
        // Outlook's <xml> islands hold settings such as "Normal 0 false", not text.
        add(.rawText, "style script title xml")
        add(.neutral, "html meta link base basefont bgsound")
        return kinds
    }()

    private mutating func startTag(_ kind: TagKind, name: Range<Int>, selfClosing: Bool) {
        // A browser leaves <head> at the first element that cannot live there.
        if inHead, !kind.allowedInHead { inHead = false }
        switch kind {
        case .block:
            blockBreak()
        case .quote:
            blockBreak()
            quoteDepth += 1
        case .lineBreak:
            lineBreak()
        case .table:
            blockBreak()
            tables.append(TableState(nested: openCells > 0))
        case .row:
            startRow()
        case .cell:
            startCell()
        case .pre:
            blockBreak()
            preDepth += 1
            // HTML ignores a newline right after <pre>; keeping it would open with a blank line.
            if byte(i) == cr { i += 1 }
            if byte(i) == lf { i += 1 }
        case .head:
            if out.isEmpty { inHead = true }
        case .rawText:
            // Browsers would swallow the rest after <script/>, but XHTML-ish mail means it
            // as empty; losing the whole body would be worse.
            if !selfClosing { skipRawText(name: name) }
        case .body, .neutral, .inline:
            break
        }
    }

    private mutating func endTag(_ kind: TagKind) {
        switch kind {
        case .block:
            blockBreak()
        case .quote:
            blockBreak()
            if quoteDepth > 0 { quoteDepth -= 1 }
        case .lineBreak:
            lineBreak()  // browsers read </br> as <br>
        case .table:
            endTable()
        case .row:
            endRow()
        case .cell:
            closeCell()
        case .pre:
            if preDepth > 0 { preDepth -= 1 }
            blockBreak()
        case .head:
            inHead = false
        case .body, .rawText, .neutral, .inline:
            break
        }
    }

    private mutating func skipRawText(name: Range<Int>) {
        let len = name.count
        var k = i
        while k + 1 < n {
            if s[k] == UInt8(ascii: "<"), s[k + 1] == UInt8(ascii: "/"), k + 2 + len <= n {
                var same = true
                for m in 0..<len
                where Self.lowercased(s[k + 2 + m]) != Self.lowercased(s[name.lowerBound + m]) {
                    same = false
                    break
                }
                let after = k + 2 + len
                if same, after == n || Self.endsTagName(s[after]) {
                    i = tagEnd(from: after) ?? n
                    return
                }
            }
            k += 1
        }
        i = n
    }

    // MARK: Tables

    private mutating func closeCell() {
        guard let t = tables.indices.last, tables[t].cellOpen else { return }
        tables[t].cellOpen = false
        openCells -= 1
    }

    private mutating func rowBoundary(nested: Bool) {
        if nested {
            pendingSpace = true
        } else {
            // Trailing empty cells leave no tab behind.
            pendingTabs = 0
            blockBreak()
        }
    }

    private mutating func startRow() {
        guard let t = tables.indices.last else {
            blockBreak()
            return
        }
        closeCell()
        tables[t].rowOpen = true
        tables[t].cells = 0
        rowBoundary(nested: tables[t].nested)
    }

    private mutating func startCell() {
        guard let t = tables.indices.last else {
            // Browsers ignore a cell outside a table; a space keeps its words apart.
            pendingSpace = true
            return
        }
        if tables[t].rowOpen { closeCell() } else { startRow() }
        if tables[t].cells > 0 {
            if tables[t].nested { pendingSpace = true } else { pendingTabs += 1 }
        }
        tables[t].cells += 1
        tables[t].cellOpen = true
        openCells += 1
    }

    private mutating func endRow() {
        guard let t = tables.indices.last else {
            blockBreak()
            return
        }
        closeCell()
        tables[t].rowOpen = false
        rowBoundary(nested: tables[t].nested)
    }

    private mutating func endTable() {
        guard !tables.isEmpty else {
            blockBreak()
            return
        }
        closeCell()
        let table = tables.removeLast()
        rowBoundary(nested: table.nested)
    }

    // MARK: Entities

    private mutating func entity() {
        var j = i + 1
        if byte(j) == UInt8(ascii: "#") {
            j += 1
            var radix: UInt32 = 10
            if byte(j) | 0x20 == UInt8(ascii: "x") {
                radix = 16
                j += 1
            }
            let digits = j
            var value: UInt32 = 0
            while j < n, let d = Self.digit(s[j], radix: radix) {
                // Saturate: anything this large is invalid anyway and must not overflow.
                value = min(value * radix + d, 0x110000)
                j += 1
            }
            guard j > digits else { return literalAmpersand() }
            if byte(j) == UInt8(ascii: ";") {
                j += 1
            } else if j < n, Self.isAlphanumeric(s[j]) {
                return literalAmpersand()
            }
            i = j
            appendScalar(Self.numericReference(value))
            return
        }
        let nameStart = j
        // The longest entity name is 8 bytes; stop early on long words after a stray '&'.
        while j < n, Self.isAlphanumeric(s[j]), j - nameStart < 10 { j += 1 }
        guard j > nameStart else { return literalAmpersand() }
        let hasSemicolon = byte(j) == UInt8(ascii: ";")
        if !hasSemicolon, j < n, Self.isAlphanumeric(s[j]) { return literalAmpersand() }
        let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<j]), as: UTF8.self)
        guard let value = HTMLText.namedEntities[name] else { return literalAmpersand() }
        i = hasSemicolon ? j + 1 : j
        appendScalar(value.value)
    }

    /// The '&' becomes text and scanning resumes after it, so "&foo;" reads literally.
    private mutating func literalAmpersand() {
        text(i, i + 1)
        i += 1
    }

    @inline(__always) private static func digit(_ b: UInt8, radix: UInt32) -> UInt32? {
        if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { return UInt32(b - UInt8(ascii: "0")) }
        guard radix == 16 else { return nil }
        let lower = b | 0x20
        guard lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "f") else { return nil }
        return UInt32(lower - UInt8(ascii: "a") + 10)
    }

    private static func numericReference(_ v: UInt32) -> UInt32 {
        switch v {
        case 0, 0xD800...0xDFFF, 0x110000...: return 0xFFFD
        // Browsers read these C1 controls as windows-1252, which is what mail senders meant.
        case 0x80...0x9F: return Charset.windows1252Scalar(UInt8(v))
        default: return v
        }
    }
}

extension HTMLText {
    /// The 252 HTML 4 entities plus &apos; and HTML5's upper-case &AMP; &LT; &GT; &QUOT;.
    /// Names are case-sensitive (&Aring; is not &aring;). Invisible characters are escaped.
    fileprivate static let namedEntities: [String: Unicode.Scalar] = [
        "QUOT": "\"", "quot": "\"", "AMP": "&", "amp": "&", "apos": "'", "LT": "<",
        "lt": "<", "GT": ">", "gt": ">",

        "nbsp": "\u{A0}", "iexcl": "¡", "cent": "¢", "pound": "£", "curren": "¤", "yen": "¥",
        "brvbar": "¦", "sect": "§", "uml": "¨", "copy": "©", "ordf": "ª", "laquo": "«",
        "not": "¬", "shy": "\u{AD}", "reg": "®", "macr": "¯", "deg": "°", "plusmn": "±",
        "sup2": "²", "sup3": "³", "acute": "´", "micro": "µ", "para": "¶", "middot": "·",
        "cedil": "¸", "sup1": "¹", "ordm": "º", "raquo": "»", "frac14": "¼", "frac12": "½",
        "frac34": "¾", "iquest": "¿", "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã",
        "Auml": "Ä", "Aring": "Å", "AElig": "Æ", "Ccedil": "Ç", "Egrave": "È", "Eacute": "É",
        "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í", "Icirc": "Î", "Iuml": "Ï",
        "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô", "Otilde": "Õ",
        "Ouml": "Ö", "times": "×", "Oslash": "Ø", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û",
        "Uuml": "Ü", "Yacute": "Ý", "THORN": "Þ", "szlig": "ß", "agrave": "à", "aacute": "á",
        "acirc": "â", "atilde": "ã", "auml": "ä", "aring": "å", "aelig": "æ", "ccedil": "ç",
        "egrave": "è", "eacute": "é", "ecirc": "ê", "euml": "ë", "igrave": "ì", "iacute": "í",
        "icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ", "ograve": "ò", "oacute": "ó",
        "ocirc": "ô", "otilde": "õ", "ouml": "ö", "divide": "÷", "oslash": "ø", "ugrave": "ù",
        "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý", "thorn": "þ", "yuml": "ÿ",

        "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "fnof": "ƒ",
        "circ": "ˆ", "tilde": "˜",

        "Alpha": "Α", "Beta": "Β", "Gamma": "Γ", "Delta": "Δ", "Epsilon": "Ε", "Zeta": "Ζ",
        "Eta": "Η", "Theta": "Θ", "Iota": "Ι", "Kappa": "Κ", "Lambda": "Λ", "Mu": "Μ",
        "Nu": "Ν", "Xi": "Ξ", "Omicron": "Ο", "Pi": "Π", "Rho": "Ρ", "Sigma": "Σ",
        "Tau": "Τ", "Upsilon": "Υ", "Phi": "Φ", "Chi": "Χ", "Psi": "Ψ", "Omega": "Ω",
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
        "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "rho": "ρ", "sigmaf": "ς",
        "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ", "psi": "ψ",
        "omega": "ω", "thetasym": "ϑ", "upsih": "ϒ", "piv": "ϖ",

        "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}",
        "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}",
        "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "sbquo": "‚",
        "ldquo": "“", "rdquo": "”", "bdquo": "„", "dagger": "†", "Dagger": "‡", "bull": "•",
        "hellip": "…", "permil": "‰", "prime": "′", "Prime": "″", "lsaquo": "‹", "rsaquo": "›",
        "oline": "‾", "frasl": "⁄", "euro": "€", "image": "ℑ", "weierp": "℘", "real": "ℜ",
        "trade": "™", "alefsym": "ℵ",

        "larr": "←", "uarr": "↑", "rarr": "→", "darr": "↓", "harr": "↔", "crarr": "↵",
        "lArr": "⇐", "uArr": "⇑", "rArr": "⇒", "dArr": "⇓", "hArr": "⇔",

        "forall": "∀", "part": "∂", "exist": "∃", "empty": "∅", "nabla": "∇", "isin": "∈",
        "notin": "∉", "ni": "∋", "prod": "∏", "sum": "∑", "minus": "−", "lowast": "∗",
        "radic": "√", "prop": "∝", "infin": "∞", "ang": "∠", "and": "∧", "or": "∨",
        "cap": "∩", "cup": "∪", "int": "∫", "there4": "∴", "sim": "∼", "cong": "≅",
        "asymp": "≈", "ne": "≠", "equiv": "≡", "le": "≤", "ge": "≥", "sub": "⊂",
        "sup": "⊃", "nsub": "⊄", "sube": "⊆", "supe": "⊇", "oplus": "⊕", "otimes": "⊗",
        "perp": "⊥", "sdot": "⋅",

        "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "lang": "\u{2329}", "rang": "\u{232A}",
        "loz": "◊", "spades": "♠", "clubs": "♣", "hearts": "♥", "diams": "♦",
    ]
}
