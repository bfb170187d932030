import Glibc

/// Content-Transfer-Encoding (RFC 2045 §6) and the decoders behind it; all lenient, none can fail.
public enum TransferEncoding: Sendable, Hashable {
    case sevenBit, eightBit, binary, quotedPrintable, base64, uuencode
    /// An encoding we do not know; the body is passed through as it is.
    case other(String)

    /// The encoding named by a Content-Transfer-Encoding value (nil or empty: 7bit).
    public init(_ value: String?) {
        let v = (value ?? "").trimmingWhitespace().asciiLowercased
        switch v {
        case "", "7bit", "7-bit": self = .sevenBit
        case "8bit", "8-bit": self = .eightBit
        case "binary": self = .binary
        case "quoted-printable": self = .quotedPrintable
        case "base64": self = .base64
        case "x-uuencode", "uuencode", "x-uue", "uue": self = .uuencode
        default: self = .other(v)
        }
    }

    /// The transfer-decoded bytes of a body.
    public func decode(_ body: ArraySlice<UInt8>, findings: inout [Finding]) -> [UInt8] {
        switch self {
        case .quotedPrintable: return QuotedPrintable.decode(body, findings: &findings)
        case .base64: return Base64.decode(body, findings: &findings)
        case .uuencode: return Uuencode.decodeBlock(body, findings: &findings)
        case .other(let name):
            findings.append(Finding("unknown-transfer-encoding", name))
            return Array(body)
        default: return Array(body)
        }
    }

    /// `decode(body).count`, with the same findings; base64 (photos, documents) is counted, not decoded.
    public func decodedCount(_ body: ArraySlice<UInt8>, findings: inout [Finding]) -> Int {
        switch self {
        case .base64: return Base64.decodedCount(body, findings: &findings)
        case .sevenBit, .eightBit, .binary: return body.count
        default: return decode(body, findings: &findings).count
        }
    }
}

/// Quoted-printable, RFC 2045 §6.7.
enum QuotedPrintable {
    /// Decodes leniently: `=XX` (either case) is a byte, `=` before a line break is a
    /// soft break, and any other `=` is kept as it is, as mail clients do.
    ///
    ///     Tovholder: Mette S=C3=B8rensen, tlf. 23 45 =
    ///     67 89
    static func decode(_ s: ArraySlice<UInt8>, findings: inout [Finding]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = s.startIndex
        let end = s.endIndex
        var bad = false
        while i < end {
            let b = s[i]
            if b != UInt8(ascii: "=") {
                out.append(b)
                i += 1
                continue
            }
            if i + 2 < end, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            // Soft line break, allowing the trailing blanks some encoders leave.
            var j = i + 1
            while j < end, isWSP(s[j]) { j += 1 }
            if j == end { i = end; continue }
            if s[j] == 0x0D || s[j] == 0x0A {
                i = j + 1
                if s[j] == 0x0D, i < end, s[i] == 0x0A { i += 1 }
                continue
            }
            bad = true
            out.append(b)
            i += 1
        }
        if bad { findings.append(Finding("bad-quoted-printable", "stray '=' kept as text")) }
        return out
    }
}

/// Base64, RFC 2045 §6.8.
enum Base64 {
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            t[Int(c)] = UInt8(i)
        }
        return t
    }()

    /// For counting: 1 for a letter of the alphabet, 0 for a blank, 2 for anything else.
    private static let kinds: [UInt8] = table.enumerated().map { b, v in
        v != 0xFF ? 1 : isLineSpace(UInt8(b)) ? 0 : 2
    }

    /// Decodes leniently: whitespace and other bytes outside the alphabet are skipped,
    /// missing padding is tolerated, and a lone trailing character is dropped.
    ///
    ///     VG92aG9sZGVy   ->  "Tovholder"
    static func decode(_ s: ArraySlice<UInt8>, findings: inout [Finding]) -> [UInt8] {
        let capacity = s.count / 4 * 3 + 3
        var junk = false
        var padded = false
        var tail: (acc: UInt32, n: Int) = (0, 0)
        var out = [UInt8](unsafeUninitializedCapacity: capacity) { dst, written in
            var o = 0
            var acc: UInt32 = 0
            var n = 0
            table.withUnsafeBufferPointer { t in
                s.withUnsafeBufferPointer { src in
                    let end = src.count
                    var i = 0
                    while i < end {
                        // Fast path: four clean characters at a group boundary give three bytes.
                        if n == 0 && i + 4 <= end {
                            let a = t[Int(src[i])], b = t[Int(src[i + 1])], c = t[Int(src[i + 2])], d = t[Int(src[i + 3])]
                            if (a | b | c | d) < 64 {
                                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                                dst[o] = UInt8(truncatingIfNeeded: v >> 16)
                                dst[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                                dst[o + 2] = UInt8(truncatingIfNeeded: v)
                                o += 3
                                i += 4
                                continue
                            }
                        }
                        let byte = src[i]
                        i += 1
                        let v = t[Int(byte)]
                        if v == 0xFF {
                            if byte == UInt8(ascii: "=") {
                                // RFC 2045 §6.8: padding ends the encoded data; what follows is not data.
                                if n >= 2 { padded = true; break }
                            } else if !isLineSpace(byte) {
                                junk = true
                            }
                            continue
                        }
                        acc = acc << 6 | UInt32(v)
                        n += 1
                        if n == 4 {
                            dst[o] = UInt8(truncatingIfNeeded: acc >> 16)
                            dst[o + 1] = UInt8(truncatingIfNeeded: acc >> 8)
                            dst[o + 2] = UInt8(truncatingIfNeeded: acc)
                            o += 3
                            acc = 0
                            n = 0
                        }
                    }
                }
            }
            written = o
            tail = (acc, n)
        }
        var (acc, n) = tail
        if n > 1 { flush(&acc, &n, &out) }
        endFindings(left: tail.n, padded: padded, junk: junk, into: &findings)
        return out
    }

    /// What the end of the data says, for `decode` and `decodedCount` alike: `left` characters of
    /// an unfinished group (a lone one is dropped, two or three are flushed), and skipped junk.
    private static func endFindings(left: Int, padded: Bool, junk: Bool, into findings: inout [Finding]) {
        if !padded && left == 1 {
            findings.append(Finding("bad-base64", "a lone trailing character was dropped"))
        } else if !padded && left > 1 {
            findings.append(Finding("base64-padding", "missing padding tolerated"))
        }
        if junk { findings.append(Finding("bad-base64", "characters outside the alphabet skipped")) }
    }

    /// How many bytes `decode` gives, and the same findings, without making them: an attachment's
    /// size is known without holding it decoded.
    static func decodedCount(_ s: ArraySlice<UInt8>, findings: inout [Finding]) -> Int {
        var count = 0, n = 0
        var junk = false, padded = false
        table.withUnsafeBufferPointer { t in
            s.withUnsafeBufferPointer { src in
                // Up to the first "=" every byte is a letter, a blank or junk: counted without a
                // branch per byte (photos are megabytes of it). From there on, as the decoder goes.
                guard let base = src.baseAddress else { return }
                let firstPad = memchr(base, Int32(UInt8(ascii: "=")), src.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
                    ?? src.count
                var letters = 0
                var strange: UInt8 = 0
                kinds.withUnsafeBufferPointer { k in
                    for i in 0..<firstPad {
                        let kind = k[Int(base[i])]
                        letters &+= Int(kind & 1)
                        strange |= kind
                    }
                }
                junk = strange & 2 != 0
                count = letters / 4 * 3
                n = letters % 4
                for byte in UnsafeBufferPointer(rebasing: src[firstPad...]) {
                    if t[Int(byte)] != 0xFF {
                        n += 1
                        if n == 4 { count += 3; n = 0 }
                    } else if byte == UInt8(ascii: "=") {
                        if n >= 2 { padded = true; break }
                    } else if !isLineSpace(byte) {
                        junk = true
                    }
                }
            }
        }
        if n >= 2 { count += n - 1 }
        endFindings(left: n, padded: padded, junk: junk, into: &findings)
        return count
    }

    private static func flush(_ acc: inout UInt32, _ n: inout Int, _ out: inout [UInt8]) {
        if n == 2 {
            out.append(UInt8(truncatingIfNeeded: acc >> 4))
        } else if n == 3 {
            out.append(UInt8(truncatingIfNeeded: acc >> 10))
            out.append(UInt8(truncatingIfNeeded: acc >> 2))
        }
        acc = 0
        n = 0
    }
}
