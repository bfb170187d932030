/// One header field as it stood in the mail: its name and its unfolded raw value.
public struct HeaderField: Sendable, Hashable {
    /// The field name as written (compare with `is(_:)`, which ignores case).
    public let name: String
    /// The value with folding line breaks removed and leading blanks trimmed; still raw bytes.
    public let rawValue: [UInt8]

    /// The value as text: UTF-8 when valid, else windows-1252; encoded-words not decoded.
    public var value: String { Charset.sniff(rawValue[...]) }

    /// The value as unstructured text (RFC 2047 encoded-words decoded), e.g. for Subject.
    public var decodedValue: String { EncodedWord.decodeUnstructured(rawValue) }

    /// True when the field's name is `lowercaseName`, ignoring ASCII case.
    public func `is`(_ lowercaseName: String) -> Bool {
        name.utf8.count == lowercaseName.utf8.count
            && zip(name.utf8, lowercaseName.utf8).allSatisfy { asciiLower($0) == $1 }
    }
}

/// The header fields of a message or part in their order, repeated fields kept.
public struct MessageHeaders: Sendable, Hashable {
    public let fields: [HeaderField]

    public init(fields: [HeaderField]) { self.fields = fields }

    /// The first field named `name` (any case).
    public func first(_ name: String) -> HeaderField? {
        let n = name.asciiLowercased
        return fields.first { $0.is(n) }
    }

    /// Every field named `name`, in order.
    public func all(_ name: String) -> [HeaderField] {
        let n = name.asciiLowercased
        return fields.filter { $0.is(n) }
    }

    /// The first value of `name` as text (not RFC 2047-decoded).
    public subscript(_ name: String) -> String? { first(name)?.value }
}

/// Splits a header block into fields, RFC 5322 §2.2 and §2.2.3 (unfolding).
enum HeaderParser {
    /// Parses header lines starting at `start`, up to the blank line that ends them.
    /// Returns the fields and the index where the body begins.
    ///
    ///     Subject: =?iso-8859-1?Q?Ans=F8gning_om?=
    ///      =?iso-8859-1?Q?_lokal_SSP-indsats?=
    ///
    static func parse(_ b: [UInt8], _ start: Int, _ end: Int, limits: MIMELimits,
                      findings: inout [Finding]) -> (MessageHeaders, bodyStart: Int) {
        var fields: [HeaderField] = []
        var i = start
        var name: String? = nil
        var value: [UInt8] = []
        var sawEightBit = false
        var dropped = 0

        func finish() {
            guard let n = name else { return }
            if fields.count < limits.maxHeaderFields {
                fields.append(HeaderField(name: n, rawValue: value))
            } else {
                dropped += 1
            }
            name = nil
            value = []
        }

        func done(_ bodyStart: Int) -> (MessageHeaders, bodyStart: Int) {
            finish()
            if dropped > 0 { findings.append(Finding("header-limit", "\(dropped) fields over the limit ignored")) }
            return (MessageHeaders(fields: fields), bodyStart)
        }

        // An mbox "From " envelope line is not a header (RFC 4155).
        if b.hasPrefixIgnoringCase(at: i, end: end, "from ") {
            let le = b.lineEnd(from: i, end: end)
            var k = i + 5
            while k < le, isWSP(b[k]) { k += 1 }
            if k < le, b[k] != UInt8(ascii: ":") {
                i = b.skipLineBreak(at: le, end: end)
            }
        }
        while i < end {
            let le = b.lineEnd(from: i, end: end)
            if le == i {
                // The blank line: the body starts after it.
                return done(b.skipLineBreak(at: le, end: end))
            }
            if isWSP(b[i]) {
                if name != nil {
                    value.append(contentsOf: b[i..<le])
                } else if fields.isEmpty && name == nil {
                    findings.append(Finding("header-continuation-first", "leading folded line ignored"))
                }
            } else {
                let colon = b.firstIndex(of: UInt8(ascii: ":"), from: i, end: le)
                var nameEnd = colon
                while nameEnd > i, isWSP(b[nameEnd - 1]) { nameEnd -= 1 }
                let validName = colon < le && nameEnd > i
                    && !b[i..<nameEnd].contains(where: { $0 <= 0x20 || $0 >= 0x7F })
                if !validName {
                    // RFC 5322 has no such line; like other readers we take it as
                    // the start of a body whose separating blank line is missing.
                    findings.append(Finding("missing-header-body-separator"))
                    return done(i)
                }
                finish()
                name = String(decoding: b[i..<nameEnd], as: UTF8.self)
                var v = colon + 1
                while v < le, isWSP(b[v]) { v += 1 }
                value.append(contentsOf: b[v..<le])
            }
            if !sawEightBit, b[i..<le].contains(where: { $0 >= 0x80 }) {
                sawEightBit = true
                findings.append(Finding("8bit-header", "raw 8-bit bytes in a header field"))
            }
            let next = b.skipLineBreak(at: le, end: end)
            if next == le { i = end; break }
            i = next
        }
        return done(end)
    }
}
