/// Folding for label and phrase matching: Danish letters and accents compared loosely, case ignored.
///
/// "Målgruppe", "MALGRUPPE" and "malgruppe" are the same label; people type
/// without æøå on foreign keyboards and OCR drops the ring, so ø→o, å→a, æ→ae.
public enum Fold {
    /// The folded form: lowercase, æ→ae, ø→o, å→a, other accents dropped, dashes as "-",
    /// every run of blanks (NBSP and tab included) as one space, trimmed.
    public static func key(_ s: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for u in s.unicodeScalars {
            let mapped = fold(u)
            if mapped == " " {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(contentsOf: mapped.unicodeScalars)
        }
        return String(out)
    }

    private static func fold(_ u: Unicode.Scalar) -> String {
        switch u.value {
        case 0x41...0x5A: return String(Unicode.Scalar(u.value | 0x20)!)
        case 0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x2000...0x200B, 0x202F: return " "
        case 0xC6, 0xE6: return "ae"
        case 0xD8, 0xF8: return "o"
        case 0xC5, 0xE5, 0xC0...0xC4, 0xE0...0xE4: return "a"
        case 0xC8...0xCB, 0xE8...0xEB: return "e"
        case 0xCC...0xCF, 0xEC...0xEF: return "i"
        case 0xD2...0xD6, 0xF2...0xF6: return "o"
        case 0xD9...0xDC, 0xF9...0xFC: return "u"
        case 0xC7, 0xE7: return "c"
        case 0xD1, 0xF1: return "n"
        case 0xDF: return "ss"
        case 0x2010...0x2015, 0x2212: return "-"
        case 0x2018, 0x2019: return "'"
        case 0x201C, 0x201D, 0x201E: return "\""
        default:
            if u.value < 0x80 { return String(u) }
            return String(u).lowercased()
        }
    }

    /// True when `phrase` (already folded) occurs in `folded` as whole words.
    public static func contains(_ folded: String, phrase: String) -> Bool {
        firstMatch(folded, phrase: phrase) != nil
    }

    /// The first whole-word occurrence of `phrase` (already folded) in `folded`.
    public static func firstMatch(_ folded: String, phrase: String, from start: String.Index? = nil) -> Range<String.Index>? {
        guard !phrase.isEmpty else { return nil }
        var from = start ?? folded.startIndex
        while let r = folded.range(of: phrase, range: from..<folded.endIndex) {
            let beforeOK = r.lowerBound == folded.startIndex || !isWordChar(folded[folded.index(before: r.lowerBound)])
            let afterOK = r.upperBound == folded.endIndex || !isWordChar(folded[r.upperBound])
                || !isWordChar(phrase[phrase.index(before: phrase.endIndex)])
            if beforeOK && afterOK { return r }
            from = folded.index(after: r.lowerBound)
        }
        return nil
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }
}
