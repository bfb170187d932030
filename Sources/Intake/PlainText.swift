import Foundation

/// Byte-level shortcuts that give exactly what the Character-level String API gives.
///
/// Characters are grapheme clusters and String comparison is canonical equivalence, so reading
/// mail Character by Character is slow. Most mail is "plain": every Unicode scalar in it is a
/// whole Character and the text is in NFC, so Characters, scalars and UTF-8 bytes line up and
/// equal strings have equal bytes. The fast paths below are taken only where that holds (or where
/// the rule they copy does not depend on it); anything else goes the Character way as before.
enum PlainText {
    /// True when every scalar of `u` is a Character of its own and compares as its bytes: ASCII
    /// without CR (CR LF is one Character), U+0080–U+02FF (Latin letters, no combining marks),
    /// general punctuation and currency signs (without the joiners and the two spaces that
    /// decompose to others), the minus sign and geometric shapes (bullets).
    static func isPlain(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = u.count
        while i < n {
            let b = u[i]
            if b < 0x80 {
                if b == 0x0D { return false }
                i += 1
                continue
            }
            if b >= 0xC2 && b <= 0xCB { i += 2; continue }
            guard b == 0xE2, i + 2 < n else { return false }
            let v = UInt32(b & 0x0F) << 12 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F)
            switch v {
            case 0x2002...0x200B, 0x200E...0x20CF, 0x2212, 0x25A0...0x25FF: i += 3
            default: return false
            }
        }
        return true
    }

    static func isPlain(_ s: some StringProtocol) -> Bool {
        if let r = s.utf8.withContiguousStorageIfAvailable(isPlain) { return r }
        var copy = String(s)
        return copy.withUTF8(isPlain)
    }

    /// `hay.contains(needle)` (Foundation's, which compares canonically): byte for byte when both
    /// are plain. In other text an ASCII needle that is not there byte for byte is not there at
    /// all: only K, ";" and "`" have other scalars (U+212A, U+037E, U+1FEF) that are canonically them.
    static func contains(_ hay: some StringProtocol, _ needle: String) -> Bool {
        var needle = needle
        let answer: Bool?? = hay.utf8.withContiguousStorageIfAvailable { h in
            needle.withUTF8 { n -> Bool? in
                guard n.count > 0 else { return nil }
                let found = Fold.byteMatch(h, n, from: 0, words: false) != nil
                if isPlain(h) && isPlain(n) { return found }
                if !found && n.allSatisfy({ $0 < 0x80 && $0 != 0x4B && $0 != 0x3B && $0 != 0x60 }) { return false }
                return nil
            }
        }
        if let a = answer, let known = a { return known }
        return hay.contains(needle)
    }

    /// The scalar value starting at byte `i` of UTF-8 as a String holds it, and how many bytes it
    /// takes (a sequence cut short by the end of `u` takes what is left).
    @inline(__always) static func scalar(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, width: Int) {
        let b = u[i]
        if b < 0x80 { return (UInt32(b), 1) }
        var v: UInt32, extra: Int
        if b & 0xE0 == 0xC0 { v = UInt32(b & 0x1F); extra = 1 } else if b & 0xF0 == 0xE0 { v = UInt32(b & 0x0F); extra = 2 } else { v = UInt32(b & 0x07); extra = 3 }
        var k = i + 1
        while extra > 0 && k < u.count {
            v = v << 6 | UInt32(u[k] & 0x3F)
            k += 1
            extra -= 1
        }
        return (v, k - i)
    }

    /// True when a scalar starting with byte `next` begins a new Character after an ASCII or Latin
    /// (U+0080–U+02FF) scalar other than CR: such scalars join nothing after them, and ASCII and
    /// Latin scalars never extend the Character before them (combining marks and joiners do).
    @inline(__always) static func startsCharacter(_ next: UInt8) -> Bool {
        next < 0x80 || (next >= 0xC2 && next <= 0xCB)
    }
}

extension String {
    /// `split(whereSeparator:)` (empty pieces omitted) for plain text, where every scalar is a
    /// Character: `isSeparator` is asked about scalar values. Nil for text that is not plain.
    func plainSplit(where isSeparator: (UInt32) -> Bool) -> [Substring]? {
        var text = self
        let pieces: [Range<Int>]? = text.withUTF8 { u in
            guard PlainText.isPlain(u) else { return nil }
            var pieces: [Range<Int>] = []
            var start = 0, i = 0
            while i < u.count {
                let (v, width) = PlainText.scalar(u, at: i)
                if isSeparator(v) {
                    if i > start { pieces.append(start..<i) }
                    start = i + width
                }
                i += width
            }
            if u.count > start { pieces.append(start..<u.count) }
            return pieces
        }
        guard let pieces else { return nil }
        let u = text.utf8
        return pieces.map { text[u.index(u.startIndex, offsetBy: $0.lowerBound)..<u.index(u.startIndex, offsetBy: $0.upperBound)] }
    }

    /// `split(separator: "\n", omittingEmptySubsequences:)`, found on bytes. The Character split
    /// cuts at every LF except the one after a CR ("\r\n" is one Character); so does this.
    func lineSlices(omittingEmpty: Bool = false) -> [Substring] {
        var text = self
        let cuts: [Int] = text.withUTF8 { u in
            var cuts: [Int] = []
            guard let base = u.baseAddress else { return cuts }
            var i = 0
            while i < u.count, let p = memchr(base + i, 0x0A, u.count - i) {
                let at = UnsafeRawPointer(p) - UnsafeRawPointer(base)
                if at == 0 || u[at - 1] != 0x0D { cuts.append(at) }
                i = at + 1
            }
            return cuts
        }
        let u = text.utf8
        var lines: [Substring] = []
        lines.reserveCapacity(cuts.count + 1)
        var start = 0
        for cut in cuts + [u.count] {
            if !omittingEmpty || cut > start {
                lines.append(text[u.index(u.startIndex, offsetBy: start)..<u.index(u.startIndex, offsetBy: cut)])
            }
            start = cut + 1
        }
        return lines
    }

    /// `lines.joined(separator: "\n")` for lines that are slices of this string (`lineSlices`):
    /// lines that follow each other here are this string's range, taken whole.
    func joining(lines: some Collection<Substring>) -> String {
        guard let first = lines.first else { return "" }
        let u = utf8
        var end = first.endIndex
        for line in lines.dropFirst() {
            guard end < u.endIndex, u[end] == 0x0A, line.startIndex == u.index(after: end) else {
                return lines.joined(separator: "\n")
            }
            end = line.endIndex
        }
        return String(self[first.startIndex..<end])
    }
}
