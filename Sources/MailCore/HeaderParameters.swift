/// A header value of the form `token; name=value; …` (Content-Type, Content-Disposition), parameters decoded.
public struct ParameterizedValue: Sendable, Hashable {
    /// The leading token, lowercased, e.g. `text/plain` or `attachment`.
    public var value: String
    /// Parameters by lowercased name, RFC 2231 and RFC 2047 decoded.
    public var parameters: [String: String]

    public init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    /// Parses a field value, RFC 2045 §5.1 with RFC 2231 (continuations, `charset'lang'value`).
    ///
    ///     attachment; filename*=utf-8''Ans%C3%B8gning.docx
    ///     text/plain; charset="iso-8859-1"; format=flowed
    static func parse(_ b: [UInt8], findings: inout [Finding]) -> ParameterizedValue {
        let end = b.count
        var i = 0
        var main: [UInt8] = []
        while i < end, isLineSpace(b[i]) { i += 1 }
        while i < end, b[i] != UInt8(ascii: ";") {
            if b[i] == UInt8(ascii: "(") {
                i = skipComment(b, i, end)
                continue
            }
            // Blanks inside the token: senders that forgot the ';' before a parameter.
            if isLineSpace(b[i]) {
                var j = i
                while j < end, isLineSpace(b[j]) { j += 1 }
                // Looking only as far as the next blank or ';' keeps a value full of
                // blanks linear; reaching '=' first means a `name=` follows.
                var k = j
                while k < end, b[k] != UInt8(ascii: "="), b[k] != UInt8(ascii: ";"), !isLineSpace(b[k]) { k += 1 }
                if j < end, b[j] != UInt8(ascii: ";"), b[j] != UInt8(ascii: "("), !main.isEmpty,
                   k < end, b[k] == UInt8(ascii: "=") {
                    i = j
                    break
                }
                i = j
                continue
            }
            main.append(asciiLower(b[i]))
            i += 1
        }
        var plain: [String: String] = [:]
        // name -> pieces (section number, percent-encoded?, raw bytes)
        var extended: [String: [(Int, Bool, [UInt8])]] = [:]
        while i < end {
            // At a ';' or junk: skip separators and blanks.
            while i < end, b[i] == UInt8(ascii: ";") || isLineSpace(b[i]) { i += 1 }
            if i < end, b[i] == UInt8(ascii: "(") { i = skipComment(b, i, end); continue }
            let nameStart = i
            while i < end, b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ";") { i += 1 }
            let nameRange = b.trimmedRange(nameStart..<i)
            guard i < end, b[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < end, isLineSpace(b[i]) { i += 1 }
            var raw: [UInt8] = []
            if i < end, b[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < end {
                    let c = b[i]
                    if c == UInt8(ascii: "\\"), i + 1 < end {
                        raw.append(b[i + 1])
                        i += 2
                        continue
                    }
                    if c == UInt8(ascii: "\"") { closed = true; i += 1; break }
                    raw.append(c)
                    i += 1
                }
                if !closed { findings.append(Finding("unterminated-quoted-string")) }
                // Anything up to the next ';' after a quoted string is junk.
                while i < end, b[i] != UInt8(ascii: ";") { i += 1 }
            } else {
                let vs = i
                while i < end, b[i] != UInt8(ascii: ";") { i += 1 }
                raw = Array(b[b.trimmedRange(vs..<i)])
            }
            guard !nameRange.isEmpty else { continue }
            let name = String(decoding: b[nameRange].map(asciiLower), as: UTF8.self)
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                let rest = name[name.index(after: star)...]
                let encoded = rest.hasSuffix("*") || rest.isEmpty
                let numberText = rest.hasSuffix("*") ? rest.dropLast() : rest
                let section = numberText.isEmpty ? 0 : Int(numberText) ?? 0
                extended[base, default: []].append((section, encoded, raw))
            } else if plain[name] == nil {
                plain[name] = raw.contains(UInt8(ascii: "?"))
                    ? EncodedWord.decodeUnstructured(raw[...], findings: &findings)
                    : Charset.sniff(raw[...])
            }
        }
        for (name, pieces) in extended {
            plain[name] = decodeRFC2231(pieces.sorted { $0.0 < $1.0 }, findings: &findings)
        }
        return ParameterizedValue(value: String(decoding: main, as: UTF8.self), parameters: plain)
    }

    /// RFC 2231 §3–4: the first encoded section starts with `charset'language'`;
    /// encoded sections are percent-encoded; all sections are joined before decoding.
    static func decodeRFC2231(_ pieces: [(Int, Bool, [UInt8])], findings: inout [Finding]) -> String {
        var charset: String? = nil
        var bytes: [UInt8] = []
        for (n, (_, encoded, raw)) in pieces.enumerated() {
            var r = raw[...]
            if encoded && n == 0 {
                let quotes = r.indices.filter { r[$0] == UInt8(ascii: "'") }
                if quotes.count >= 2 {
                    charset = String(decoding: r[r.startIndex..<quotes[0]], as: UTF8.self)
                    r = r[(quotes[1] + 1)...]
                }
            }
            if encoded {
                var i = r.startIndex
                while i < r.endIndex {
                    if r[i] == UInt8(ascii: "%"), i + 2 < r.endIndex,
                       let hi = hexValue(r[i + 1]), let lo = hexValue(r[i + 2]) {
                        bytes.append(hi << 4 | lo)
                        i += 3
                    } else {
                        bytes.append(r[i])
                        i += 1
                    }
                }
            } else {
                bytes += r
            }
        }
        if let cs = charset, !cs.isEmpty {
            return Charset.decodeText(bytes[...], label: cs, findings: &findings)
        }
        return Charset.sniff(bytes[...])
    }

    /// Skips an RFC 5322 comment (nested parentheses, backslash escapes) starting at `i`.
    static func skipComment(_ b: [UInt8], _ start: Int, _ end: Int) -> Int {
        var depth = 0
        var i = start
        while i < end {
            switch b[i] {
            case UInt8(ascii: "\\"): i += 1
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        return end
    }
}

/// The media type of a part (RFC 2045 §5, RFC 2046), defaults applied.
public struct ContentType: Sendable, Hashable {
    /// Lowercased `type/subtype`, e.g. `text/plain`.
    public var mimeType: String
    public var parameters: [String: String]

    public var type: Substring { mimeType.split(separator: "/", maxSplits: 1).first ?? "" }
    public var subtype: Substring { mimeType.split(separator: "/", maxSplits: 1).dropFirst().first ?? "" }
    public var charset: String? { parameters["charset"].map { $0.asciiLowercased } }
    public var boundary: String? { parameters["boundary"] }
    public var isMultipart: Bool { type == "multipart" }
    public var isText: Bool { type == "text" }

    public static let textPlain = ContentType(mimeType: "text/plain", parameters: [:])
    public static let messageRFC822 = ContentType(mimeType: "message/rfc822", parameters: [:])

    /// The content type of a field value; a missing or malformed one is `default` (RFC 2045 §5.2).
    static func parse(_ field: HeaderField?, default dflt: ContentType, findings: inout [Finding]) -> ContentType {
        guard let field else { return dflt }
        let pv = ParameterizedValue.parse(field.rawValue, findings: &findings)
        let pieces = pv.value.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
            findings.append(Finding("invalid-content-type", field.value))
            return ContentType(mimeType: "text/plain", parameters: pv.parameters)
        }
        return ContentType(mimeType: pv.value, parameters: pv.parameters)
    }
}
