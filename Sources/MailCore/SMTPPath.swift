/// Whether an address can be an SMTP forward-path as it stands: RFC 5321 §4.1.2 `Mailbox`, in
/// ASCII (no SMTPUTF8, RFC 6531), with the lengths of §4.5.3.1.
///
///     Mailbox    = Local-part "@" ( Domain / address-literal )
///     Local-part = Dot-string                ; a Quoted-string is refused, see `problem`
///     Dot-string = Atom *("." Atom)          ; Atom = 1*atext
///     Domain     = sub-domain *("." sub-domain)
///     sub-domain = Let-dig [Ldh-str]         ; letters, digits, inner hyphens
///
///     mette.hansen@buf.kk.dk   o'brien+ssp@kk.dk   tovholder@[192.0.2.7]
public enum SMTPPath {
    /// What keeps an address from being a path.
    public enum Problem: Sendable, Hashable {
        case empty
        /// NUL, another C0 control or DEL.
        case control
        case space
        /// A byte above 127: the address needs SMTPUTF8, which replies do not use.
        case eightBit
        case noAt
        /// Not a dot-string: a quoted local part, a special character, a leading, trailing or double dot.
        case localPart
        /// Over 64 octets (§4.5.3.1.1).
        case localPartTooLong
        case noDomain
        /// Neither a domain name nor an address literal.
        case domain
        /// Over 254 octets: the 256 of a path with its angle brackets (§4.5.3.1.3).
        case tooLong
    }

    /// Nil when `address` is a path a reply can go to, else the first thing wrong with it. Control
    /// characters and spaces come first: they are what could change a header or a command line.
    /// A quoted local part (`"a b"@kk.dk`) is valid RFC 5321 but refused: nobody writes to the
    /// secretariat from one, and it is where spaces and quotes would travel.
    public static func problem(_ address: String) -> Problem? {
        let b = Array(address.utf8)
        guard !b.isEmpty else { return .empty }
        if b.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .control }
        if b.contains(0x20) { return .space }
        if b.contains(where: { $0 >= 0x80 }) { return .eightBit }
        guard let at = b.lastIndex(of: UInt8(ascii: "@")) else { return .noAt }
        let local = b[..<at], domain = b[(at + 1)...]
        guard !domain.isEmpty else { return .noDomain }
        guard isDotString(local) else { return .localPart }
        guard local.count <= 64 else { return .localPartTooLong }
        guard b.count <= 254 else { return .tooLong }
        return isDomain(domain) || isAddressLiteral(domain) ? nil : .domain
    }

    /// RFC 5322 §3.2.3 atext: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~
    static func isAtext(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(c)
        }
    }

    static func isDotString(_ s: ArraySlice<UInt8>) -> Bool {
        guard !s.isEmpty else { return false }
        var previousDot = true   // a leading dot is as bad as a double one
        for c in s {
            if c == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else {
                guard isAtext(c) else { return false }
                previousDot = false
            }
        }
        return !previousDot
    }

    static func isLetDig(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    /// Labels of 1 to 63 letters, digits and inner hyphens (RFC 1035 §2.3.4 for the length).
    static func isDomain(_ s: ArraySlice<UInt8>) -> Bool {
        let labels = s.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { l in
            guard let first = l.first, let last = l.last, l.count <= 63 else { return false }
            return isLetDig(first) && isLetDig(last) && l.allSatisfy { isLetDig($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// §4.1.3 `[192.0.2.7]` or `[IPv6:2001:db8::7]`, checked for shape, not for routing.
    static func isAddressLiteral(_ s: ArraySlice<UInt8>) -> Bool {
        guard s.count > 2, s.first == UInt8(ascii: "["), s.last == UInt8(ascii: "]") else { return false }
        let inner = s.dropFirst().dropLast()
        let v6 = Array("IPv6:".utf8)
        if inner.starts(with: v6) {
            let rest = inner.dropFirst(v6.count)
            return !rest.isEmpty && rest.allSatisfy { c in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c | 0x20)
                    || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
            }
        }
        let parts = inner.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            (1...3).contains(p.count) && p.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                && Int(String(decoding: p, as: UTF8.self)).map { $0 <= 255 } == true
        }
    }
}
