/// A message's text cut into what the sender wrote now, what they quoted and what they forwarded.
public struct TextSections: Sendable, Equatable {
    /// The sender's own new words: the only text a decision is read from.
    public var newText: String
    /// The quoted earlier mail (reply), attribution and header block included.
    public var quoted: String
    /// Forwarded mail, its header block included; empty when nothing was forwarded.
    public var forwarded: String
    /// What marked the cut, in Danish, for the reasons list; nil when the text has no quote.
    public var marker: String?
}

/// Finds where a reply's quote or a forward starts, in the forms Outlook, Gmail, Apple Mail
/// and Thunderbird write in Danish and English.
public enum QuoteSplitter {
    enum Marker {
        case quote(String)
        case forward(String)
        case attribution
        case angle
    }

    /// Splits `text` (LF lines); `subject` tells whether an Outlook header block starts a reply quote or a forward.
    public static func split(_ text: String, subject: String?) -> TextSections {
        let lines = text.lineSlices()
        // Only lines that can start a marker are folded: the rest are read as their first character (no marker).
        let folded = lines.map(foldedStart)
        let isForward = subjectIsForward(subject)

        var cut: (index: Int, marker: Marker)? = nil
        for i in lines.indices {
            if folded[i].hasPrefix(">") {
                continue
            }
            if let m = marker(at: i, folded, lines, isForward: isForward) {
                cut = (i, m)
                break
            }
        }

        var newLines: [Substring] = []
        var quotedLines: [Substring] = []
        var forwarded = ""
        var markerText: String? = nil
        let end = cut?.index ?? lines.count
        for i in 0..<end {
            if folded[i].hasPrefix(">") { quotedLines.append(lines[i]) } else { newLines.append(lines[i]) }
        }
        if !quotedLines.isEmpty { markerText = "linjer med >" }
        if let cut {
            let rest = lines[cut.index...]
            switch cut.marker {
            case .forward(let what):
                forwarded = text.joining(lines: rest)
                markerText = what
            case .quote(let what):
                quotedLines.append(contentsOf: rest)
                markerText = what
            case .attribution:
                markerText = "\"Den … skrev …:\"/\"On … wrote:\""
                // Bottom-posting: the answer comes after the quote.
                if isBlank(newLines) {
                    for l in rest.dropFirst() {
                        if Fold.key(l).hasPrefix(">") { quotedLines.append(l) } else { newLines.append(l) }
                    }
                    quotedLines.insert(rest[rest.startIndex], at: 0)
                } else {
                    quotedLines.append(contentsOf: rest)
                }
            case .angle:
                quotedLines.append(contentsOf: rest)
            }
        }
        return TextSections(newText: trimBlankLines(newLines, of: text), quoted: trimBlankLines(quotedLines, of: text),
                            forwarded: forwarded, marker: markerText)
    }

    /// The line folded when its first character (after blanks and tabs) can start a marker, else that character.
    private static func foldedStart(_ line: Substring) -> String {
        // Byte by byte while each byte is a Character of its own: the first byte that is no blank or tab,
        // 256 for a blank line, -1 to go the Character way.
        let quick = line.utf8.withContiguousStorageIfAvailable { u -> Int in
            var i = 0
            while i < u.count {
                let b = u[i]
                guard b < 0x80, b != 0x0D, i + 1 == u.count || PlainText.startsCharacter(u[i + 1]) else { return -1 }
                if b != 0x20 && b != 0x09 { return Int(b) }
                i += 1
            }
            return 256
        } ?? -1
        if quick == 256 { return "" }
        if quick >= 0 { return markerStarts.contains(UInt8(quick)) ? Fold.key(line) : String(UnicodeScalar(UInt8(quick))) }
        guard let c = line.first(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return "-_>FfDdOoBbSsAaVvTtEeCc".contains(c) ? Fold.key(line) : String(c)
    }

    private static let markerStarts = Set("-_>FfDdOoBbSsAaVvTtEeCc".utf8)

    /// True when the subject's outermost prefix is a forward ("VS:", "Fw:", "Fwd:", "WG:", "TR:").
    public static func subjectIsForward(_ subject: String?) -> Bool {
        guard let s = subject else { return false }
        let f = Fold.key(s)
        return ["vs:", "fw:", "fwd:", "wg:", "tr:", "vb:", "videresend:"].contains { f.hasPrefix($0) }
    }

    /// True when the subject's outermost prefix is a reply ("SV:", "Re:", "AW:", "Antw:").
    public static func subjectIsReply(_ subject: String?) -> Bool {
        guard let s = subject else { return false }
        let f = Fold.key(s)
        return ["sv:", "re:", "aw:", "antw:", "ref:"].contains { f.hasPrefix($0) }
    }

    private static let quoteSeparators = ["oprindelig meddelelse", "original message", "opprinnelig melding",
                                          "ursprungliche nachricht", "oprindelig besked"]
    private static let forwardSeparators = ["videresendt besked", "videresendt meddelelse", "forwarded message",
                                            "videresendt e-mail", "videresendt mail"]
    private static let forwardLeads = ["begin forwarded message:", "start pa videresendt besked:",
                                       "videresendt besked:", "videresendt meddelelse:"]
    private static let headerFrom = ["fra:", "from:"]
    private static let headerOthers = ["sendt:", "sent:", "date:", "dato:", "til:", "to:", "emne:", "subject:", "cc:"]
    private static let headerStrong = ["sendt:", "sent:", "date:", "dato:", "emne:", "subject:"]

    private static func marker(at i: Int, _ folded: [String], _ lines: [Substring], isForward: Bool) -> Marker? {
        let l = folded[i]
        if l.hasPrefix("--") || l.hasPrefix("__") {
            let core = l.trimmingCharacters(in: "-_ ")
            // Outlook writes "-----Original Message-----" above a forward too: the subject tells which.
            if quoteSeparators.contains(core) {
                return isForward ? .forward("\"-----\(core)-----\"") : .quote("\"-----\(core)-----\"")
            }
            if forwardSeparators.contains(core) { return .forward("\"---------- \(core) ----------\"") }
        }
        if forwardLeads.contains(l) { return .forward("\"\(l)\"") }
        if headerFrom.contains(where: { l.hasPrefix($0) }) {
            var strong = 0, any = 0
            for j in (i + 1)..<min(folded.count, i + 7) {
                if headerStrong.contains(where: { folded[j].hasPrefix($0) }) { strong += 1 }
                if headerOthers.contains(where: { folded[j].hasPrefix($0) }) { any += 1 }
            }
            if strong >= 1 && any >= 2 {
                return isForward ? .forward("videresendt headerblok (Fra:/Sendt:)")
                                 : .quote("citeret headerblok (Fra:/Sendt:/Til:/Emne:)")
            }
        }
        if isAttribution(l) { return .attribution }
        // Gmail and Apple wrap a long attribution over two lines.
        if i + 1 < lines.count, l.hasPrefix("den ") || l.hasPrefix("on "), isAttribution(l + " " + Fold.key(lines[i + 1])) {
            return .attribution
        }
        return nil
    }

    private static func isAttribution(_ l: String) -> Bool {
        guard l.hasSuffix(":"), l.count < 300 else { return false }
        if l.hasPrefix("den ") || l.hasPrefix("d. ") || l.hasPrefix("on ") || l.hasPrefix("am ") {
            return l.contains(" skrev") || l.contains(" wrote") || l.contains(" schrieb")
        }
        return false
    }

    private static func isBlank(_ lines: [Substring]) -> Bool {
        lines.allSatisfy(isBlank)
    }

    /// `lines` are slices of `text`.
    private static func trimBlankLines(_ lines: [Substring], of text: String) -> String {
        var a = lines[...]
        while let f = a.first, isBlank(f) { a = a.dropFirst() }
        while let l = a.last, isBlank(l) { a = a.dropLast() }
        return text.joining(lines: a)
    }

    /// `line.allSatisfy(\.isWhitespace)`, byte by byte while each byte is a Character of its own.
    private static func isBlank(_ line: Substring) -> Bool {
        let quick: Bool?? = line.utf8.withContiguousStorageIfAvailable { u -> Bool? in
            var i = 0
            while i < u.count {
                let b = u[i]
                guard b < 0x80, b != 0x0D, i + 1 == u.count || PlainText.startsCharacter(u[i + 1]) else { return nil }
                if b != 0x20 && !(0x09...0x0C).contains(b) { return false }
                i += 1
            }
            return true
        }
        if let q = quick, let r = q { return r }
        return line.allSatisfy(\.isWhitespace)
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
