/// Text from mail made safe for a terminal: no control or format character reaches it (ESC and
/// the escape and OSC sequences it starts, BEL, NUL, the C1 controls, U+202E and the other bidi
/// controls), so a mail can neither drive the terminal nor reorder what it shows.
enum TerminalText {
    /// Every control or format character as a space; with `keepingLines`, LF and tab stay, for the layout.
    static func safe(_ s: String, keepingLines: Bool = false) -> String {
        func unsafe(_ c: Unicode.Scalar) -> Bool {
            if c.value >= 0x20 && c.value < 0x7F { return false }
            if keepingLines && (c == "\n" || c == "\t") { return false }
            let category = c.properties.generalCategory
            return category == .control || category == .format
        }
        guard s.unicodeScalars.contains(where: unsafe) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { unsafe($0) ? " " : $0 }))
    }

    /// JSON text with every control or format character outside ASCII written as a `\u` escape
    /// (the encoder escapes only those below U+0020): the same value for a program, nothing
    /// that acts on a terminal. Such characters only occur inside JSON strings, where escapes are valid.
    static func json(_ text: String) -> String {
        func escaped(_ c: Unicode.Scalar) -> Bool {
            guard c.value >= 0x7F else { return false }
            let category = c.properties.generalCategory
            return category == .control || category == .format
        }
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text.unicodeScalars {
            guard escaped(c) else {
                out.unicodeScalars.append(c)
                continue
            }
            for unit in String(c).utf16 {
                let hex = String(unit, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }
}
