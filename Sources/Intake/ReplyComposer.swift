import Foundation
import Synchronization
import MailCore

/// Builds complete RFC 5322 messages for the product's replies: UTF-8, quoted-printable, in the
/// thread, marked as automatic (RFC 3834), with no header text taken raw from the incoming mail.
public enum ReplyComposer {
    /// The reply to `original` as wire bytes (CRLF). `date` and `messageID` are given so that
    /// composing the same reply twice gives the same bytes (a restart must not make a second one).
    public static func compose(_ plan: ReplyPlan, inReplyTo original: MailMessage?, from mailbox: IntakeConfig.Mailbox,
                               date: Date, messageID: String) -> [UInt8] {
        var h: [String] = []
        h.append(field("From", address(name: mailbox.displayName, mailbox.address)))
        h.append(field("To", address(name: plan.to.name, plan.to.address)))
        h.append(field("Subject", subjectField(plan.subject)))
        h.append("Date: " + rfc5322Date(date))
        h.append("Message-ID: <\(messageID)>")
        if let original, let id = original.messageID, isSafeID(id) {
            h.append("In-Reply-To: <\(id)>")
            // RFC 5322 §3.6.4: the parent's References (or In-Reply-To) then the parent's id.
            var refs = original.references.filter(isSafeID)
            if refs.isEmpty, let irt = original.inReplyTo.first, isSafeID(irt) { refs = [irt] }
            refs = Array((refs + [id]).suffix(20))
            h.append(fold("References: " + refs.map { "<\($0)>" }.joined(separator: " ")))
        }
        h.append("Auto-Submitted: auto-replied")
        h.append("X-Auto-Response-Suppress: All")
        h.append("MIME-Version: 1.0")
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: quoted-printable")
        let head = h.joined(separator: "\r\n") + "\r\n\r\n"
        return Array(head.utf8) + quotedPrintable(plan.body)
    }

    /// A Message-ID in our domain, derived from what the reply is about so that it is stable.
    public static func messageID(seed: String, domain: String) -> String {
        "ssp-intake." + SHA256.hex(Array(seed.utf8)).prefix(32) + "@" + domain
    }

    /// The domain of a Message-ID that ssp-intake made, this installation's or another's, now
    /// (`messageID`: `ssp-intake.` 32 hex digits `@` domain) or in earlier versions
    /// (`ssp-intake.20270521T081412Z.3be907@kk.dk`); nil for any other Message-ID.
    public static func composedDomain(ofMessageID id: String) -> String? {
        guard id.hasPrefix("ssp-intake."), let at = id.lastIndex(of: "@") else { return nil }
        let local = id[id.index(id.startIndex, offsetBy: "ssp-intake.".count)..<at], domain = id[id.index(after: at)...]
        return local.isEmpty || domain.isEmpty ? nil : String(domain)
    }

    /// The reply subject: "SV: " before the original without its reply prefixes; CR, LF and
    /// other control characters never pass through.
    public static func replySubject(_ original: String?) -> String {
        var s = Fold.collapse(withoutControls(original ?? ""))
        while true {
            let f = Fold.key(s.prefix(6))
            guard let p = ["sv:", "re:", "aw:", "antw:"].first(where: { f.hasPrefix($0) }) else { break }
            s = s.dropFirst(p.count).trimmingWhitespace()
        }
        if s.count > 200 { s = String(s.prefix(200)) }
        return s.isEmpty ? "SV: Din mail til SSP København" : "SV: " + s
    }

    /// Every control character (C0, DEL, C1) as a space, on the bytes: each is one scalar, and
    /// C1 controls are the only two-byte ones (U+0080–U+009F, C2 80–C2 9F).
    static func withoutControls(_ s: String) -> String {
        let u = s.utf8
        var controls = false
        var previous: UInt8 = 0
        for b in u {
            if b < 0x20 || b == 0x7F || (previous == 0xC2 && b <= 0x9F && b >= 0x80) { controls = true; break }
            previous = b
        }
        guard controls else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        previous = 0
        for b in u {
            if b < 0x20 || b == 0x7F {
                out.append(0x20)
            } else if previous == 0xC2 && b >= 0x80 && b <= 0x9F {
                out[out.count - 1] = 0x20
            } else {
                out.append(b)
            }
            previous = b
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSafeID(_ id: String) -> Bool {
        !id.isEmpty && id.count < 250 && id.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" }
    }

    private static func field(_ name: String, _ value: String) -> String { fold("\(name): \(value)") }

    /// The longest display name a reply repeats (in To: and the greeting), in characters.
    static let displayNameLimit = 64

    /// A display name as a reply repeats it: no control characters, white space collapsed, at
    /// most `displayNameLimit` characters (the last one "…" when cut).
    public static func displayName(_ name: String) -> String {
        let clean = Fold.collapse(withoutControls(name) == name ? name
            : String(String.UnicodeScalarView(name.unicodeScalars.filter { $0.properties.generalCategory != .control })))
        guard clean.utf8.count > displayNameLimit, clean.count > displayNameLimit else { return clean }
        return String(clean.prefix(displayNameLimit - 1)).trimmingWhitespace() + "…"
    }

    /// The subject as encoded-words when it is not plain ASCII, or when a word in it is too long
    /// to fold at a space: RFC 5322 §2.1.1 allows no line over 998 bytes, and encoded-words
    /// (RFC 2047 §2) are at most 75 characters each and decode to the same text.
    static func subjectField(_ subject: String) -> String {
        let cut = subject.count > 250 ? String(subject.prefix(249)) + "…" : subject
        let longWord = cut.split(separator: " ").contains { $0.utf8.count > 77 - "Subject: ".count }
        return longWord ? encodedWords(cut, headerLength: 9, always: true) : encodedWords(cut, headerLength: 9)
    }

    /// `"Name" <addr>` with the name as encoded-words when it is not plain ASCII. The caller has
    /// made sure `addr` is a valid SMTP path (`ReplyPlanner.recipientRefusal`), so it goes in as it
    /// is and To: names exactly the SMTP recipient; what could break the header is still kept out.
    static func address(name: String, _ addr: String) -> String {
        func safe(_ v: Unicode.Scalar) -> Bool { v.value > 0x20 && v.value < 0x7F && v != "<" && v != ">" && v != "," }
        let safeAddr = addr.unicodeScalars.allSatisfy(safe) ? addr : String(String.UnicodeScalarView(addr.unicodeScalars.filter(safe)))
        let cleanName = displayName(name)
        guard !cleanName.isEmpty else { return "<\(safeAddr)>" }
        let plain = cleanName.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if plain {
            let special = cleanName.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }
            let quoted = !special ? cleanName
                : cleanName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(safeAddr)>"
        }
        return encodedWords(cleanName, headerLength: 0) + " <\(safeAddr)>"
    }

    /// RFC 2047 §5(3) encoded-words (UTF-8, B) when the text is not plain ASCII (or `always`); whole characters per word.
    static func encodedWords(_ text: String, headerLength: Int, always: Bool = false) -> String {
        if !always && text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 39 bytes of UTF-8 give 52 base64 characters: with "Subject: " the first line stays under 78.
        for ch in text {
            let bytes = ch.utf8
            if chunk.count + bytes.count > 39 {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Folds a header line at spaces so no line exceeds 78 characters (RFC 5322 §2.2.3).
    static func fold(_ line: String) -> String {
        // Characters never outnumber bytes: most lines are decided without counting characters.
        guard line.utf8.count > 78 else { return line }
        // Header lines are ASCII by the time they are folded (names and subjects are encoded-words
        // first): then bytes are characters, and the bytes are folded without counting characters.
        if line.utf8.allSatisfy({ $0 < 0x80 }) { return foldASCII(Array(line.utf8)) }
        return foldCharacters(line)
    }

    /// `fold` counting Characters: for lines that are not ASCII.
    static func foldCharacters(_ line: String) -> String {
        guard line.count > 78, !line.contains("\r\n") else { return line }
        var out = ""
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > 78 {
                out += current + "\r\n"
                current = " " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        return out + current
    }

    /// `fold` for ASCII, on bytes: the same words in the same lines. A line that is folded already
    /// (it holds a CR LF) stays as it is.
    private static func foldASCII(_ u: [UInt8]) -> String {
        var previous: UInt8 = 0
        for b in u {
            if previous == 0x0D && b == 0x0A { return String(decoding: u, as: UTF8.self) }
            previous = b
        }
        var out: [UInt8] = []
        out.reserveCapacity(u.count + u.count / 32 + 4)
        var lineLength = 0   // of the line being written, as `fold` counts it
        var wordStart = 0
        for i in 0...u.count where i == u.count || u[i] == 0x20 {
            let word = u[wordStart..<i]
            wordStart = i + 1
            if lineLength > 0 && lineLength + 1 + word.count > 78 {
                out += [0x0D, 0x0A, 0x20]
                out += word
                lineLength = 1 + word.count
            } else if lineLength == 0 {
                out += word
                lineLength = word.count
            } else {
                out.append(0x20)
                out += word
                lineLength += 1 + word.count
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func rfc5322Date(_ date: Date) -> String {
        // A backlog's replies are composed many to the second: each second is formatted once.
        let second = date.timeIntervalSince1970.rounded(.down)
        return dateFormatter.withLock { f in
            if f.second != second {
                f.second = second
                f.text = f.formatter.string(from: date)
            }
            return f.text
        }
    }

    /// One formatter for every reply: making one costs more than composing the rest of the reply.
    private static let dateFormatter: Mutex<(formatter: DateFormatter, second: Double, text: String)> = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = copenhagen
        f.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return Mutex((f, .nan, ""))
    }()

    static let copenhagen = TimeZone(identifier: "Europe/Copenhagen") ?? TimeZone(secondsFromGMT: 3600)!

    /// RFC 2045 §6.7 quoted-printable of the UTF-8 text, CRLF lines, soft breaks before 76 characters.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { bytes in
            // At most three bytes for each, a soft break (three) for every 25 of them, a CR LF for each line.
            [UInt8](unsafeUninitializedCapacity: bytes.count * 3 + bytes.count / 8 + bytes.count * 2 + 8) { out, n in
                let hex: StaticString = "0123456789ABCDEF"
                let digits = hex.utf8Start
                n = 0
                var start = 0
                while start <= bytes.count {
                    // One line: up to LF, without a CR before it (CRLF and LF in the text both become CRLF).
                    var end = start
                    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                    let next = end + 1
                    if end < bytes.count && end > start && bytes[end - 1] == 0x0D { end -= 1 }
                    var col = 0
                    for i in start..<end {
                        let b = bytes[i]
                        let plain = (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || (b == 0x20 && i != end - 1)
                        let width = plain ? 1 : 3
                        // Never split an =XX; keep room for the soft break's "=".
                        if col + width > 75 {
                            out[n] = UInt8(ascii: "="); out[n + 1] = 0x0D; out[n + 2] = 0x0A
                            n += 3
                            col = 0
                        }
                        if plain {
                            out[n] = b
                            n += 1
                        } else {
                            out[n] = UInt8(ascii: "="); out[n + 1] = digits[Int(b >> 4)]; out[n + 2] = digits[Int(b & 15)]
                            n += 3
                        }
                        col += width
                    }
                    out[n] = 0x0D; out[n + 1] = 0x0A
                    n += 2
                    start = next
                }
            }
        }
    }
}
