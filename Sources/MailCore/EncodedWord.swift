/// RFC 2047 encoded-words in header text.
enum EncodedWord {
    struct Word {
        var charset: String
        var bytes: [UInt8]
        /// Index after the closing `?=`.
        var next: Int
    }

    /// RFC 2047 §2: `=?charset?encoding?encoded-text?=`, with an RFC 2231 §5
    /// language suffix allowed on the charset.
    ///
    ///     =?iso-8859-1?Q?M=E5lgruppe?=   =?utf-8?B?TcOlbGdydXBwZQ==?=
    ///
    /// When the encoded text runs into a blank or the end without its `?=`, no word
    /// can start before that point either; `noWordBefore` is moved there, so that a
    /// header full of unclosed `=?` costs linear time, not quadratic.
    static func parse(_ b: [UInt8], at start: Int, end: Int, noWordBefore: inout Int) -> Word? {
        guard start + 1 < end, b[start] == UInt8(ascii: "="), b[start + 1] == UInt8(ascii: "?") else { return nil }
        var i = start + 2
        let csStart = i
        while i < end, b[i] != UInt8(ascii: "?") {
            if b[i] <= 0x20 || b[i] >= 0x7F { return nil }
            i += 1
        }
        guard i < end, i > csStart else { return nil }
        var csEnd = i
        if let star = b[csStart..<csEnd].firstIndex(of: UInt8(ascii: "*")) { csEnd = star }
        i += 1
        guard i + 1 < end, b[i + 1] == UInt8(ascii: "?") else { return nil }
        let enc = asciiLower(b[i])
        guard enc == UInt8(ascii: "q") || enc == UInt8(ascii: "b") else { return nil }
        i += 2
        let textStart = i
        while i + 1 < end, !(b[i] == UInt8(ascii: "?") && b[i + 1] == UInt8(ascii: "=")) {
            if b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { noWordBefore = i; return nil }
            i += 1
        }
        guard i + 1 < end else { noWordBefore = end; return nil }
        let text = b[textStart..<i]
        var ignored: [Finding] = []
        let bytes = enc == UInt8(ascii: "b") ? Base64.decode(text, findings: &ignored) : decodeQ(text)
        return Word(charset: String(decoding: b[csStart..<csEnd], as: UTF8.self), bytes: bytes, next: i + 2)
    }

    /// The Q encoding, RFC 2047 §4.2: like quoted-printable, with `_` for a space.
    static func decodeQ(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "_") {
                out.append(0x20)
            } else if c == UInt8(ascii: "="), i + 2 < s.endIndex,
                      let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// Decodes unstructured header text (RFC 2047 §5 (1)): encoded-words become
    /// text, and the blanks between two adjacent encoded-words are dropped (§6.2).
    /// Adjacent words in one charset are joined before decoding, because senders
    /// split multi-byte characters across them.
    static func decodeUnstructured(_ b: [UInt8]) -> String {
        var ignored: [Finding] = []
        return decodeUnstructured(b[...], findings: &ignored)
    }

    static func decodeUnstructured(_ s: ArraySlice<UInt8>, findings: inout [Finding]) -> String {
        guard s.contains(UInt8(ascii: "?")) else { return Charset.sniff(s) }
        let b = Array(s)
        let end = b.count
        var out = ""
        var pending: [UInt8] = []
        var pendingCharset: String? = nil
        var literalStart = 0
        var afterWord = false
        var i = 0
        var noWordBefore = 0

        func flush() {
            if let cs = pendingCharset {
                out += Charset.decodeText(pending[...], label: cs, findings: &findings)
            }
            pending = []
            pendingCharset = nil
        }

        while i < end {
            guard b[i] == UInt8(ascii: "="), i >= noWordBefore,
                  let w = parse(b, at: i, end: end, noWordBefore: &noWordBefore) else {
                i += 1
                continue
            }
            let literal = b[literalStart..<i]
            if !(afterWord && literal.allSatisfy(isLineSpace)) {
                flush()
                out += Charset.sniff(literal)
            }
            if let cs = pendingCharset, cs.asciiLowercased != w.charset.asciiLowercased { flush() }
            pendingCharset = w.charset
            pending += w.bytes
            afterWord = true
            i = w.next
            literalStart = i
        }
        flush()
        out += Charset.sniff(b[literalStart..<end])
        return out
    }
}
