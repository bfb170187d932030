import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A text charset as labelled in mail, resolved to the decoder we trust for it.
public struct Charset: Sendable, Hashable {
    enum Decoder: Sendable, Hashable {
        case utf8
        case ascii
        /// iso-8859-1 is read as windows-1252, as every mail client does.
        case windows1252
        case utf16
        /// An encoding Foundation decodes correctly on Linux (ICU-backed).
        case foundation(UInt)
        /// Everything else glibc's iconv knows (EUC-JP, for one, which Foundation cannot do here).
        case iconv
    }

    /// The label normalised (lowercase, no quotes), e.g. `iso-8859-15`.
    public let label: String
    let decoder: Decoder

    /// The charset for a label from a Content-Type or encoded-word, or nil when unknown.
    public static func named(_ raw: String) -> Charset? {
        var label = raw.trimmingWhitespace().asciiLowercased
        // Quotes are rare; trimming through Foundation costs more than the rest of the lookup.
        if label.utf8.contains(where: { $0 == 0x22 || $0 == 0x27 }) {
            label = label.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        if let d = aliases[label] { return Charset(label: label, decoder: d) }
        if Iconv.supports(label) { return Charset(label: label, decoder: .iconv) }
        return nil
    }

    /// Decodes `bytes`; nil when they are not valid in this charset.
    public func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        switch decoder {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .ascii:
            return bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : nil
        case .windows1252:
            return Charset.decodeWindows1252(bytes)
        case .utf16:
            return Charset.decodeUTF16(bytes)
        case .foundation(let raw):
            return String(data: Data(bytes), encoding: String.Encoding(rawValue: raw))
                ?? Iconv.decode(bytes, from: label)
        case .iconv:
            return Iconv.decode(bytes, from: label)
        }
    }

    /// Text from bytes whose charset is unknown or wrong: UTF-8 when the bytes are valid UTF-8, else windows-1252 (the Danish Outlook default).
    public static func sniff(_ bytes: ArraySlice<UInt8>) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        return decodeWindows1252(bytes)
    }

    /// Decodes text in the labelled charset, never failing: an unknown label or
    /// bytes invalid in their charset fall back to `sniff` and leave a finding.
    public static func decodeText(_ bytes: ArraySlice<UInt8>, label: String?, findings: inout [Finding]) -> String {
        guard let label, !label.isEmpty else { return sniff(bytes) }
        guard let cs = Charset.named(label) else {
            findings.append(Finding("unknown-charset", label))
            return sniff(bytes)
        }
        if let s = cs.decode(bytes) { return s }
        if cs.decoder == .ascii {
            // Mislabelled 8-bit text is common; not worth a finding per part.
            return sniff(bytes)
        }
        if cs.decoder == .utf8 {
            findings.append(Finding("invalid-utf-8", "decoded with replacement characters"))
            return String(decoding: bytes, as: UTF8.self)
        }
        findings.append(Finding("charset-decode-failed", cs.label))
        return sniff(bytes)
    }

    // Foundation's windows-1252 returns nil for the five bytes the code page leaves
    // undefined; browsers and mail clients map them to C1 controls, so this table does too.
    private static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar windows-1252 gives a byte (also what browsers give `&#128;`–`&#159;`).
    @inline(__always)
    static func windows1252Scalar(_ b: UInt8) -> UInt32 {
        b >= 0x80 && b < 0xA0 ? UInt32(cp1252High[Int(b - 0x80)]) : UInt32(b)
    }

    static func decodeWindows1252(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 4)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
                continue
            }
            appendUTF8(windows1252Scalar(b), to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // RFC 2781 §4.3: without a byte order mark, UTF-16 is big-endian.
    static func decodeUTF16(_ bytes: ArraySlice<UInt8>) -> String? {
        var start = bytes.startIndex
        var bigEndian = true
        if bytes.count >= 2 {
            let b0 = bytes[start], b1 = bytes[start + 1]
            if b0 == 0xFF && b1 == 0xFE { bigEndian = false; start += 2 }
            else if b0 == 0xFE && b1 == 0xFF { start += 2 }
        }
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        var i = start
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    private static let aliases: [String: Decoder] = {
        var m: [String: Decoder] = [:]
        func add(_ names: [String], _ d: Decoder) { for n in names { m[n] = d } }
        // Raw NSStringEncoding values for encodings that have no named member on
        // Linux: 0x8000_0000 | the CFStringEncoding number.
        func cf(_ v: UInt) -> Decoder { .foundation(0x8000_0000 | v) }
        add(["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"], .utf8)
        add(["us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "cp367", "iso-ir-6"], .ascii)
        add(["iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
             "cp819", "iso-ir-100", "windows-1252", "cp1252", "x-cp1252", "cp-1252", "win-1252"], .windows1252)
        add(["utf-16", "utf16"], .utf16)
        add(["utf-16be"], .foundation(String.Encoding.utf16BigEndian.rawValue))
        add(["utf-16le"], .foundation(String.Encoding.utf16LittleEndian.rawValue))
        add(["utf-32", "utf32"], .foundation(String.Encoding.utf32.rawValue))
        add(["utf-32be"], .foundation(String.Encoding.utf32BigEndian.rawValue))
        add(["utf-32le"], .foundation(String.Encoding.utf32LittleEndian.rawValue))
        let iso8859: [(Int, UInt)] = [(2, 0x202), (3, 0x203), (4, 0x204), (5, 0x205), (6, 0x206),
                                     (7, 0x207), (8, 0x208), (9, 0x209), (10, 0x20A), (11, 0x20B),
                                     (13, 0x20D), (14, 0x20E), (15, 0x20F), (16, 0x210)]
        for (n, v) in iso8859 {
            add(["iso-8859-\(n)", "iso8859-\(n)", "iso_8859-\(n)"], cf(v))
        }
        add(["latin-9", "latin9", "l9"], cf(0x20F))
        add(["latin2", "latin-2", "l2"], cf(0x202))
        let windows: [(Int, UInt)] = [(1250, 0x501), (1251, 0x502), (1253, 0x503), (1254, 0x504),
                                     (1255, 0x505), (1256, 0x506), (1257, 0x507), (1258, 0x508)]
        for (n, v) in windows {
            add(["windows-\(n)", "cp\(n)", "x-cp\(n)"], cf(v))
        }
        add(["koi8-r", "koi8r"], cf(0xA02))
        add(["koi8-u"], cf(0xA08))
        add(["big5", "big-5", "cn-big5"], cf(0xA03))
        add(["euc-kr", "ks_c_5601-1987", "korean"], cf(0x940))
        add(["gb2312", "euc-cn", "x-gbk", "gbk", "cp936"], cf(0x631))
        add(["gb18030"], cf(0x632))
        add(["shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j"],
            .foundation(String.Encoding.shiftJIS.rawValue))
        add(["iso-2022-jp", "csiso2022jp"], .foundation(String.Encoding.iso2022JP.rawValue))
        return m
    }()
}

/// Appends the UTF-8 encoding of a Unicode scalar value (invalid values become U+FFFD).
@inline(__always)
func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
    var v = v
    if v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { v = 0xFFFD }
    switch v {
    case ..<0x80:
        out.append(UInt8(v))
    case ..<0x800:
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    case ..<0x10000:
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}

/// glibc's iconv, for charsets Foundation on Linux does not decode.
enum Iconv {
    // iconv_open's failure value, (iconv_t)-1.
    private static func failed(_ cd: iconv_t?) -> Bool { cd == iconv_t(bitPattern: -1) }

    static func supports(_ label: String) -> Bool {
        guard label.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else { return false }
        let cd = iconv_open("UTF-8", label)
        guard !failed(cd) else { return false }
        iconv_close(cd)
        return true
    }

    /// The bytes converted to text; nil when iconv does not know the charset or the bytes are invalid in it.
    static func decode(_ bytes: ArraySlice<UInt8>, from label: String) -> String? {
        guard label.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else { return nil }
        let cd = iconv_open("UTF-8", label)
        guard !failed(cd) else { return nil }
        defer { iconv_close(cd) }
        var input = Array(bytes)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let capacity = output.count
        let left: Int? = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPtr = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPtr = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                var replaced = 0
                while inLeft > 0 {
                    if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 { break }
                    // An invalid or truncated sequence: one replacement character, skip a byte.
                    guard errno == EILSEQ || errno == EINVAL, outLeft >= 3 else { return nil }
                    replaced += 1
                    for b: UInt8 in [0xEF, 0xBF, 0xBD] {
                        outPtr?.pointee = CChar(bitPattern: b)
                        outPtr = outPtr?.advanced(by: 1)
                    }
                    outLeft -= 3
                    inPtr = inPtr?.advanced(by: 1)
                    inLeft -= 1
                    _ = iconv(cd, nil, nil, nil, nil)
                }
                if replaced * 4 > inRaw.count { return nil }
                // Flush any shift state (ISO-2022-JP ends in ASCII mode).
                _ = iconv(cd, nil, nil, &outPtr, &outLeft)
                return outLeft
            }
        }
        guard let left else { return nil }
        return String(decoding: output[..<(capacity - left)], as: UTF8.self)
    }
}
