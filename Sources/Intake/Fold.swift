import Foundation

/// Folding for label and phrase matching: Danish letters and accents compared loosely, case ignored.
///
/// "Målgruppe", "MALGRUPPE" and "malgruppe" are the same label; people type
/// without æøå on foreign keyboards and OCR drops the ring, so ø→o, å→a, æ→ae.
public enum Fold {
    /// The folded form: lowercase, æ→ae, ø→o, å→a, other accents dropped, dashes as "-",
    /// every run of blanks (NBSP and tab included) as one space, trimmed.
    public static func key(_ s: some StringProtocol) -> String {
        if let folded = s.utf8.withContiguousStorageIfAvailable(key(bytes:)) { return folded }
        var copy = String(s)
        return copy.withUTF8(key(bytes:))
    }

    /// The folding loop on UTF-8 bytes (valid: they come from a String). Everything it needs is local,
    /// so the loop runs without allocating per character or checking access to captured state.
    private static func key(bytes u: UnsafeBufferPointer<UInt8>) -> String {
        if u.allSatisfy({ $0 < 0x80 }) { return key(ascii: u) }
        var out = Output(capacity: u.count)
        var i = 0
        while i < u.count { fold(u, at: &i, into: &out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// `key` for ASCII, written straight into the string: ASCII never folds longer, and a short
    /// result needs no allocation at all.
    private static func key(ascii u: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: u.count) { out in
            var n = 0, pendingSpace = false
            for b in u {
                switch b {
                case 0x09, 0x0A, 0x0D, 0x20:
                    pendingSpace = true
                    continue
                case 0x41...0x5A:
                    if pendingSpace && n > 0 { out[n] = 0x20; n += 1 }
                    out[n] = b | 0x20
                default:
                    if pendingSpace && n > 0 { out[n] = 0x20; n += 1 }
                    out[n] = b
                }
                pendingSpace = false
                n += 1
            }
            return n
        }
    }

    /// Folds the scalar at `i` into `out` and moves `i` past it: one step of `key`, for readers
    /// that need to know which input gave which output.
    @inline(__always) static func fold(_ u: UnsafeBufferPointer<UInt8>, at i: inout Int, into out: inout Output) {
        // Text is mostly ASCII: bytes are handled directly, other scalars through a small table.
        let b = u[i]
        if b < 0x80 {
            switch b {
            case 0x41...0x5A: out.emit(b | 0x20)
            case 0x09, 0x0A, 0x0D, 0x20: out.pendingSpace = true
            default: out.emit(b)
            }
            i += 1
            return
        }
        let (v, width) = PlainText.scalar(u, at: i)
        let start = i
        i += width
        switch fold(v) {
        case .blank: out.pendingSpace = true
        case .one(let x): out.emit(x)
        case .two(let x, let y): out.emit(x); out.emit(y)
        case .other:
            if let scalar = Unicode.Scalar(v) {
                for m in String(scalar).lowercased().utf8 { out.emit(m) }
            } else {
                for k in start..<i { out.emit(u[k]) }
            }
        }
    }

    /// The folded bytes; a run of blanks is written only when something follows it.
    struct Output {
        var bytes: [UInt8] = []
        var pendingSpace = false
        init(capacity: Int) { bytes.reserveCapacity(capacity + 8) }
        @inline(__always) mutating func emit(_ b: UInt8) {
            if pendingSpace {
                if !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
            }
            bytes.append(b)
        }
    }

    private enum Folded { case blank, one(UInt8), two(UInt8, UInt8), other }

    /// ASCII for the letters and marks Danish mail uses; `.other` for anything else (lowercased as is).
    @inline(__always) private static func fold(_ v: UInt32) -> Folded {
        switch v {
        case 0xA0, 0x2000...0x200B, 0x202F: return .blank
        case 0xC6, 0xE6: return .two(0x61, 0x65)                 // æ
        case 0xD8, 0xF8: return .one(0x6F)                       // ø
        case 0xC5, 0xE5, 0xC0...0xC4, 0xE0...0xE4: return .one(0x61)
        case 0xC8...0xCB, 0xE8...0xEB: return .one(0x65)
        case 0xCC...0xCF, 0xEC...0xEF: return .one(0x69)
        case 0xD2...0xD6, 0xF2...0xF6: return .one(0x6F)
        case 0xD9...0xDC, 0xF9...0xFC: return .one(0x75)
        case 0xC7, 0xE7: return .one(0x63)
        case 0xD1, 0xF1: return .one(0x6E)
        case 0xDF: return .two(0x73, 0x73)
        case 0x2010...0x2015, 0x2212: return .one(0x2D)
        case 0x2018, 0x2019: return .one(0x27)
        case 0x201C, 0x201D, 0x201E: return .one(0x22)
        default: return .other
        }
    }

    /// True when `phrase` (already folded) occurs in `folded` as whole words.
    public static func contains(_ folded: String, phrase: String) -> Bool {
        firstMatch(folded, phrase: phrase) != nil
    }

    /// The first whole-word occurrence of `phrase` (already folded) in `folded`, at or after `start`.
    public static func firstMatch(_ folded: String, phrase: String, from start: String.Index? = nil) -> Range<String.Index>? {
        guard !phrase.isEmpty else { return nil }
        var folded = folded
        var phrase = phrase
        let from = start.map { folded.utf8.distance(from: folded.utf8.startIndex, to: $0) } ?? 0
        let found: (Int, Int)? = folded.withUTF8 { hay in
            phrase.withUTF8 { needle in
                byteMatch(hay, needle, from: from)
            }
        }
        guard let (lo, hi) = found else { return nil }
        let u = folded.utf8
        return u.index(u.startIndex, offsetBy: lo)..<u.index(u.startIndex, offsetBy: hi)
    }

    /// The first occurrence of `needle` in `hay` at or after `start`, word boundaries not required.
    public static func find(_ hay: String, _ needle: String, from start: String.Index) -> Range<String.Index>? {
        var hay = hay
        var needle = needle
        let from = hay.utf8.distance(from: hay.utf8.startIndex, to: start)
        let found: (Int, Int)? = hay.withUTF8 { h in needle.withUTF8 { n in byteMatch(h, n, from: from, words: false) } }
        guard let (lo, hi) = found else { return nil }
        let u = hay.utf8
        return u.index(u.startIndex, offsetBy: lo)..<u.index(u.startIndex, offsetBy: hi)
    }

    /// `hay` with every occurrence of `needle` replaced, found byte for byte (no NSString, no locale).
    public static func replacing(_ needle: String, with replacement: String, in hay: String) -> String {
        guard var r = find(hay, needle, from: hay.startIndex) else { return hay }
        var out = ""
        var from = hay.startIndex
        while true {
            out += hay[from..<r.lowerBound]
            out += replacement
            from = r.upperBound
            guard let next = find(hay, needle, from: from) else { break }
            r = next
        }
        return out + hay[from...]
    }

    /// A substring search (memchr for the first byte, memcmp for the rest) with word boundaries;
    /// letters, digits and any non-ASCII byte count as word characters.
    static func byteMatch(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from: Int,
                          words: Bool = true) -> (Int, Int)? {
        guard let hb = hay.baseAddress, let nb = needle.baseAddress, needle.count > 0 else { return nil }
        let lastIsWord = isWordByte(needle[needle.count - 1])
        // memchr looks for the needle's least common byte: in Danish text "a" stops it at every
        // other word, "v" of "afvist" seldom. Candidates still come in text order.
        var anchor = 0
        for k in 1..<needle.count where commonness[Int(needle[k])] < commonness[Int(needle[anchor])] { anchor = k }
        let a = Int32(needle[anchor])
        var i = from
        while i + needle.count <= hay.count {
            guard let p = memchr(hb + i + anchor, a, hay.count - i - needle.count + 1) else { return nil }
            let lo = UnsafeRawPointer(p) - UnsafeRawPointer(hb) - anchor
            if hb[lo] != nb[0] || memcmp(hb + lo, nb, needle.count) != 0 {
                i = lo + 1
                continue
            }
            let hi = lo + needle.count
            let beforeOK = lo == 0 || !isWordByte(hay[lo - 1])
            let afterOK = hi == hay.count || !isWordByte(hay[hi]) || !lastIsWord
            if !words || (beforeOK && afterOK) { return (lo, hi) }
            i = lo + 1
        }
        return nil
    }

    /// How common a byte is in folded Danish text, roughly: the space, then letters by frequency;
    /// everything else is rare.
    private static let commonness: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for (rank, b) in " ertnaidslogkmfvubphjycwzxq".utf8.enumerated() { t[Int(b)] = UInt8(100 - rank) }
        for b in ".,-0123456789".utf8 { t[Int(b)] = 60 }
        return t
    }()

    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b >= 0x80
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }
}
