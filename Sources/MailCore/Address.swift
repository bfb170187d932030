/// A mailbox from an address header: decoded display name (may be empty) and address.
public struct MailAddress: Sendable, Hashable, Codable {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// `Name <address>`, or just the address when there is no name.
    public var formatted: String { name.isEmpty ? address : "\(name) <\(address)>" }
}

/// RFC 5322 §3.4 address lists: mailboxes, groups, quoted strings, comments and obsolete routes.
enum AddressParser {
    enum Token {
        case atom(Range<Int>)
        case quoted([UInt8])
        case comment
        case angle(Range<Int>)
        case special(UInt8)
        case space
    }

    /// Parses an address list; group names are dropped and their members kept.
    ///
    ///     "Hansen, Jørgen (BUF)" <jh@buf.kk.dk> (BUF), Team: a@kk.dk, b@kk.dk;
    static func parseList(_ b: [UInt8]) -> [MailAddress] {
        let tokens = tokenize(b)
        var result: [MailAddress] = []
        var entry: [Token] = []
        var inGroup = false
        for t in tokens {
            switch t {
            case .special(UInt8(ascii: ",")):
                if let a = mailbox(entry, b) { result.append(a) }
                entry = []
            case .special(UInt8(ascii: ";")) where inGroup:
                if let a = mailbox(entry, b) { result.append(a) }
                entry = []
                inGroup = false
            case .special(UInt8(ascii: ":")) where !inGroup && !entry.contains(where: isAngleOrAt):
                // A group's display name ends here (RFC 5322 §3.4 `group`).
                entry = []
                inGroup = true
            default:
                entry.append(t)
            }
        }
        if let a = mailbox(entry, b) { result.append(a) }
        return result
    }

    private static func isAngleOrAt(_ t: Token) -> Bool {
        switch t {
        case .angle, .special(UInt8(ascii: "@")): return true
        default: return false
        }
    }

    private static func mailbox(_ entry: [Token], _ b: [UInt8]) -> MailAddress? {
        if let angleIndex = entry.lastIndex(where: { if case .angle = $0 { return true } else { return false } }),
           case .angle(let r) = entry[angleIndex] {
            var spec = addrSpec(tokenize(Array(b[r])), Array(b[r]))
            // Obsolete route (RFC 5322 §4.4): <@relay1,@relay2:user@host>.
            if spec.hasPrefix("@"), let colon = spec.firstIndex(of: ":") {
                spec = String(spec[spec.index(after: colon)...])
            }
            // ':', ';' and ',' cannot stand unquoted in an addr-spec: what follows is junk.
            if let cut = Self.firstUnquoted(in: spec, of: [":", ";", ","]) {
                spec = String(spec[..<cut])
            }
            let name = phrase(entry[..<angleIndex], b)
            // `<>` alone is still the null address (Python's `email` keeps it too);
            // an angle holding only junk is no address.
            if spec.isEmpty && name.isEmpty && !b[r].allSatisfy(isLineSpace) { return nil }
            // The null address of bounces (RFC 5321 §4.5.5), written as SMTP writes it.
            if spec.isEmpty { spec = "<>" }
            return MailAddress(name: name, address: spec)
        }
        let spec = bareAddrSpec(entry, b)
        return spec.isEmpty ? nil : MailAddress(name: "", address: spec)
    }

    /// An addr-spec without angle brackets. Words before the `@` are one local part
    /// (quoted, as RFC 5322 §3.4.1 needs for blanks); after the domain a blank ends it,
    /// so `a@x.dk b@x.dk` without a comma yields the first address only.
    private static func bareAddrSpec(_ entry: [Token], _ b: [UInt8]) -> String {
        let toks = entry.filter { if case .comment = $0 { return false } else { return true } }
        guard let at = toks.firstIndex(where: { if case .special(UInt8(ascii: "@")) = $0 { return true } else { return false } })
        else { return addrSpec(toks, b) }
        var local = Array(toks[..<at])
        while let f = local.first, case .space = f { local.removeFirst() }
        while let l = local.last, case .space = l { local.removeLast() }
        var domainEnd = at + 1
        while domainEnd < toks.count, case .space = toks[domainEnd] { domainEnd += 1 }
        func isDot(_ k: Int) -> Bool {
            if k >= 0, k < toks.count, case .special(UInt8(ascii: ".")) = toks[k] { return true }
            return false
        }
        while domainEnd < toks.count {
            if case .space = toks[domainEnd] {
                // Obsolete syntax allows blanks around the dots (RFC 5322 §4.4).
                var k = domainEnd
                while k < toks.count, case .space = toks[k] { k += 1 }
                if !isDot(domainEnd - 1) && !isDot(k) { break }
                domainEnd = k
                continue
            }
            domainEnd += 1
        }
        let domain = addrSpec(Array(toks[(at + 1)..<domainEnd]), b)
        let hasBlank = local.contains { if case .space = $0 { return true } else { return false } }
        var localText = addrSpec(local, b)
        if hasBlank {
            localText = "\"" + phrase(local[...], b) + "\""
        }
        return localText + "@" + domain
    }

    private static func firstUnquoted(in s: String, of chars: Set<Character>) -> String.Index? {
        var quoted = false
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "\"" { quoted.toggle() } else if !quoted && chars.contains(c) { return i }
            i = s.index(after: i)
        }
        return nil
    }

    /// The addr-spec with comments and folding blanks removed.
    private static func addrSpec(_ tokens: [Token], _ b: [UInt8]) -> String {
        var out: [UInt8] = []
        for t in tokens {
            switch t {
            case .atom(let r): out += b[r]
            case .quoted(let q):
                out.append(UInt8(ascii: "\""))
                out += q
                out.append(UInt8(ascii: "\""))
            case .special(let c): out.append(c)
            case .angle(let r): out += b[r]
            case .comment, .space: break
            }
        }
        return Charset.sniff(out[...])
    }

    /// The display name: words joined by single spaces, quotes removed, encoded-words decoded.
    private static func phrase(_ tokens: ArraySlice<Token>, _ b: [UInt8]) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for t in tokens {
            switch t {
            case .space, .comment:
                pendingSpace = !out.isEmpty
            case .atom(let r):
                if pendingSpace { out.append(0x20) }
                out += b[r]
                pendingSpace = false
            case .quoted(let q):
                if pendingSpace { out.append(0x20) }
                out += q
                pendingSpace = false
            case .special(let c):
                out.append(c)
                pendingSpace = false
            case .angle:
                break
            }
        }
        return EncodedWord.decodeUnstructured(out).trimmingWhitespace()
    }

    static func tokenize(_ b: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let end = b.count
        while i < end {
            let c = b[i]
            switch c {
            case 0x20, 0x09, 0x0D, 0x0A:
                while i < end, isLineSpace(b[i]) { i += 1 }
                tokens.append(.space)
            case UInt8(ascii: "\""):
                var q: [UInt8] = []
                i += 1
                while i < end, b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\"), i + 1 < end { i += 1 }
                    q.append(b[i])
                    i += 1
                }
                i += 1
                tokens.append(.quoted(q))
            case UInt8(ascii: "("):
                i = ParameterizedValue.skipComment(b, i, end)
                tokens.append(.comment)
            case UInt8(ascii: "<"):
                let s = i + 1
                var j = s
                var inQuote = false
                while j < end {
                    if b[j] == UInt8(ascii: "\"") { inQuote.toggle() }
                    if b[j] == UInt8(ascii: ">") && !inQuote { break }
                    j += 1
                }
                tokens.append(.angle(s..<j))
                i = min(j + 1, end)
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "@"),
                 UInt8(ascii: "."), UInt8(ascii: ">"):
                if c != UInt8(ascii: ">") { tokens.append(.special(c)) }
                i += 1
            default:
                let s = i
                while i < end {
                    let d = b[i]
                    if isLineSpace(d) || d == UInt8(ascii: "\"") || d == UInt8(ascii: "(") || d == UInt8(ascii: "<")
                        || d == UInt8(ascii: ",") || d == UInt8(ascii: ";") || d == UInt8(ascii: ":")
                        || d == UInt8(ascii: "@") || d == UInt8(ascii: ".") || d == UInt8(ascii: ">") { break }
                    i += 1
                }
                tokens.append(.atom(s..<i))
            }
        }
        return tokens
    }
}

/// Message-ID, In-Reply-To and References (RFC 5322 §3.6.4) as lists of ids without angle brackets.
enum MessageIDParser {
    ///     <CAF1x=abc@mail.gmail.com> <a1b2@kk.dk>
    static func parse(_ b: [UInt8]) -> [String] {
        var ids: [String] = []
        var i = 0
        let end = b.count
        var sawAngle = false
        while i < end {
            if b[i] == UInt8(ascii: "(") { i = ParameterizedValue.skipComment(b, i, end); continue }
            if b[i] == UInt8(ascii: "<") {
                sawAngle = true
                let s = i + 1
                let e = b.firstIndex(of: UInt8(ascii: ">"), from: s, end: end)
                let id = b[s..<e].filter { !isLineSpace($0) }
                if !id.isEmpty { ids.append(Charset.sniff(id[...])) }
                i = e + 1
                continue
            }
            i += 1
        }
        if !sawAngle {
            // Broken senders omit the brackets; take bare words that look like ids.
            for w in b.split(whereSeparator: isLineSpace) where w.contains(UInt8(ascii: "@")) {
                ids.append(Charset.sniff(w))
            }
        }
        return ids
    }
}
