/// A file name from a mail made fit to write on the Secretariat's disk or share: the mail's name
/// is data, never a path.
public enum SafeFileName {
    /// Longest name kept, in characters, extension included (Windows shares allow 255 UTF-16 units).
    public static let maxLength = 120

    /// `name` without path parts (`/`, `\`), control and format characters, characters Windows
    /// refuses (`<>:"|?*`), leading dots and blanks, trailing dots and blanks, cut to `maxLength`
    /// with its extension kept; `fallback` when nothing is left.
    ///
    ///     "../../etc/passwd"        → "passwd"
    ///     "C:\\Temp\\kvittering.pdf" → "kvittering.pdf"
    ///     ".bashrc"                 → "bashrc"
    public static func make(_ name: String?, fallback: String) -> String {
        var s = Substring(name ?? "")
        // Only the last path part: both separators, whatever system wrote the mail.
        if let cut = s.lastIndex(where: { $0 == "/" || $0 == "\\" }) { s = s[s.index(after: cut)...] }
        let kept = s.unicodeScalars.compactMap { c -> Unicode.Scalar? in
            let category = c.properties.generalCategory
            if category == .control || category == .format || category == .lineSeparator || category == .paragraphSeparator { return nil }
            if "<>:\"|?*".unicodeScalars.contains(c) { return "_" }
            return c
        }
        var out = String(String.UnicodeScalarView(kept))
        while let f = out.first, f == "." || f.isWhitespace { out.removeFirst() }
        while let l = out.last, l == "." || l.isWhitespace { out.removeLast() }
        if out.count > maxLength {
            let (stem, ext) = split(out)
            let e = ext.count <= 16 ? ext : ""
            out = String(stem.prefix(maxLength - e.count)).trimmingTrailingBlanks() + e
        }
        if out.isEmpty || reserved.contains(split(out).stem.uppercased()) { out = fallback + (out.isEmpty ? "" : "-" + out) }
        return out
    }

    /// The name itself when `taken` does not hold it, else the first of "navn (2).pdf", "navn (3).pdf", … that is free.
    public static func unique(_ name: String, taken: (String) -> Bool) -> String {
        guard taken(name) else { return name }
        let (stem, ext) = split(name)
        var n = 2
        while taken("\(stem) (\(n))\(ext)") { n += 1 }
        return "\(stem) (\(n))\(ext)"
    }

    /// "rapport.final.pdf" → ("rapport.final", ".pdf"); a name without a dot has no extension.
    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// Names Windows keeps for devices, whatever the extension: a file "CON.pdf" cannot be opened there.
    static let reserved = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
}

private extension String {
    func trimmingTrailingBlanks() -> String {
        var s = self
        while let l = s.last, l == "." || l.isWhitespace { s.removeLast() }
        return s
    }
}
