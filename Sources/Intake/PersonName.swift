import MailCore

/// A person's name as people say it, from a display name as mail clients write it.
public enum PersonName {
    /// "Hansen, Jørgen (BUF)" → "Jørgen Hansen": Outlook's directory writes the surname first and
    /// the department after it; a greeting uses neither form. An address used as a name gives "".
    public static func natural(_ display: String) -> String {
        var n = Substring(display)
        for (open, close) in [("(", ")"), ("[", "]")] {
            while let o = n.firstIndex(of: Character(open)) {
                let rest = n[o...]
                let end = rest.firstIndex(of: Character(close)).map { n.index(after: $0) } ?? n.endIndex
                n = n[..<o] + n[end...]
            }
        }
        let parts = n.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        var name = parts.count == 2 ? parts[1] + " " + parts[0] : String(n)
        let edge: Set<Character> = [" ", "-", "–", "|", "/", "\"", "'"]
        var cut = Substring(Fold.collapse(name))
        while let c = cut.first, edge.contains(c) { cut.removeFirst() }
        while let c = cut.last, edge.contains(c) { cut.removeLast() }
        return cut.contains("@") ? "" : String(cut)
    }
}
