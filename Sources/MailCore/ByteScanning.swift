// Small byte-level helpers shared by the parsers. Mail is parsed on bytes and a
// String is made once per finished token, so these work on [UInt8] and ranges.

@inline(__always) func isWSP(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

@inline(__always) func isLineSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A
}

@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 {
    (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
}

@inline(__always) func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    default: return nil
    }
}

extension Array where Element == UInt8 {
    /// The first index at or after `from` (below `end`) holding `byte`, or `end`.
    @inline(__always)
    func firstIndex(of byte: UInt8, from: Int, end: Int) -> Int {
        var i = from
        while i < end {
            if self[i] == byte { return i }
            i += 1
        }
        return end
    }

    /// The range with leading and trailing blanks (space, tab, CR, LF) removed.
    func trimmedRange(_ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound
        var hi = r.upperBound
        while lo < hi, isLineSpace(self[lo]) { lo += 1 }
        while hi > lo, isLineSpace(self[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// True when the bytes in `r` equal `lowercaseASCII` ignoring ASCII case.
    func equalsIgnoringCase(_ r: Range<Int>, _ lowercaseASCII: String) -> Bool {
        let u = lowercaseASCII.utf8
        guard r.count == u.count else { return false }
        var i = r.lowerBound
        for c in u {
            if asciiLower(self[i]) != c { return false }
            i += 1
        }
        return true
    }

    /// True when the bytes at `at` start with `lowercaseASCII`, ignoring ASCII case.
    func hasPrefixIgnoringCase(at: Int, end: Int, _ lowercaseASCII: String) -> Bool {
        let u = lowercaseASCII.utf8
        guard end - at >= u.count else { return false }
        var i = at
        for c in u {
            if asciiLower(self[i]) != c { return false }
            i += 1
        }
        return true
    }

    /// The end of the line starting at `from` (index of its LF, or of a bare CR, or `end`).
    @inline(__always)
    func lineEnd(from: Int, end: Int) -> Int {
        var i = from
        while i < end {
            let b = self[i]
            if b == 0x0A || b == 0x0D { return i }
            i += 1
        }
        return end
    }

    /// The index after the line break at `i` (CRLF, LF or a bare CR), or `i` when there is none.
    @inline(__always)
    func skipLineBreak(at i: Int, end: Int) -> Int {
        guard i < end else { return i }
        if self[i] == 0x0D {
            return (i + 1 < end && self[i + 1] == 0x0A) ? i + 2 : i + 1
        }
        return self[i] == 0x0A ? i + 1 : i
    }
}

extension String {
    /// ASCII-lowercased copy; cheaper than `lowercased()` for protocol tokens.
    var asciiLowercased: String {
        String(decoding: utf8.map(asciiLower), as: UTF8.self)
    }
}
