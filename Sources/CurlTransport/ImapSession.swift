import CCurl
import Foundation
import MailCore

/// How to reach the mailbox. The password comes from the environment or a file, never the config or the command line.
public struct ImapSettings: Sendable {
    /// `imaps://host:993` (TLS) or `imap://host:143` (STARTTLS, always required).
    public var url: String
    public var mailbox: String
    public var user: String
    public var password: String
    /// A CA file for a test server's certificate; verification stays on either way.
    public var caFile: String?
    public var timeoutSeconds: Int

    public init(url: String, mailbox: String, user: String, password: String, caFile: String?, timeoutSeconds: Int = 300) {
        self.url = url
        self.mailbox = mailbox
        self.user = user
        self.password = password
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }
}

/// UIDVALIDITY, UIDNEXT and EXISTS as SELECT reported them (RFC 3501 §6.3.1).
public struct MailboxState: Sendable, Equatable {
    public var uidValidity: Int64
    public var uidNext: Int64
    public var exists: Int
}

/// One message's size, flags and arrival, asked before fetching it.
public struct ImapMessageInfo: Sendable, Equatable {
    public var uid: Int64
    public var size: Int
    public var flags: [String]
    /// INTERNALDATE: when the server received the message (nil if it did not say).
    public var internalDate: Date?
}

/// What went wrong talking to the IMAP server, sorted by what to do about it.
public enum ImapError: Error, CustomStringConvertible, Sendable {
    /// Refused, timed out, dropped: try again later.
    case transient(String)
    /// Wrong user or password (or a mailbox that cannot be selected): an operator must act.
    case login(String)
    /// The UID is gone or the mailbox was recreated: resynchronise, do not retry.
    case gone(String)
    /// The server said NO/BAD, or TLS is misconfigured.
    case failed(String)

    public var description: String {
        switch self {
        case .transient(let s): return "IMAP midlertidigt utilgængelig: \(s)"
        case .login(let s): return "IMAP-login afvist (tjek bruger og adgangskode): \(s)"
        case .gone(let s): return "IMAP-mailen eller postkassen er ændret: \(s)"
        case .failed(let s): return "IMAP-fejl: \(s)"
        }
    }

    static func from(_ e: CurlError) -> ImapError {
        switch e.code {
        case 67: return .login(e.message)
        case 78: return .gone(e.message)
        case 5, 6, 7, 28, 52, 55, 56: return .transient(e.message)
        default: return .failed("\(e.message) (curl \(e.code))")
        }
    }
}

/// One IMAP session: a logged-in connection (see `ImapConnection`) and the mailbox it works on.
/// Each search selects the mailbox again: a server reports new mail on the next command, not in
/// the middle of a SEARCH, and only SELECT tells a recreated mailbox (a new UIDVALIDITY).
public final class ImapSession {
    let settings: ImapSettings
    private let connection: ImapConnection
    /// The mailbox as SELECT found it (EXISTS follows the server's later reports).
    public private(set) var state: MailboxState?

    /// Connects and logs in. `maxMessageBytes` caps what one literal from the server may hold.
    public init(_ settings: ImapSettings, maxMessageBytes: Int = 256 << 20) throws {
        self.settings = settings
        connection = try ImapConnection(settings, maxLiteral: maxMessageBytes + 64 << 10)
    }

    /// The session's latest commands (the last 64 at least, never more than 127), tag and verb only:
    /// curl's login dialogue, then ours.
    public var commands: [String] { connection.commands }
    /// How many commands this session has sent in all.
    public var commandCount: Int { connection.commandCount }

    /// False after a transport error or BYE: open a new session.
    public var isUsable: Bool { connection.usable }

    /// Runs a command on the selected mailbox (selecting it first), passing on every untagged response.
    @discardableResult
    private func command(_ cmd: String, literal: [UInt8]? = nil, each: (ImapResponse) throws -> Void = { _ in }) throws -> String {
        if state == nil { try select() }
        return try connection.run(cmd, literal: literal) { r in
            self.track(r)
            try each(r)
        }
    }

    /// SELECT (read-write: processed mail is flagged or moved afterwards).
    private func select() throws {
        var lines: [String] = []
        try connection.run("SELECT \(Self.mailboxArgument(settings.mailbox))") { lines.append(String(decoding: $0.text, as: UTF8.self)) }
        state = try Self.selectState(Array(lines.joined(separator: "\r\n").utf8))
    }

    /// `* n EXISTS` after SELECT: the count the server reports now.
    private func track(_ r: ImapResponse) {
        let words = r.rest.split(separator: " ", maxSplits: 2)
        if words.count >= 2, words[1].uppercased() == "EXISTS", let n = Int(words[0]) { state?.exists = n }
    }

    /// The mailbox's state and the UIDs above `after`: SELECT and UID SEARCH, also on a kept
    /// session, so that new mail and a recreated mailbox (a new UIDVALIDITY) are both seen.
    /// `n:*` always includes the highest UID (RFC 3501 §6.4.8), so the result is filtered.
    public func search(after: Int64) throws -> (MailboxState, [Int64]) {
        try select()
        var lines: [UInt8] = []
        let esearch = connection.capabilities.contains("ESEARCH")
        try command("UID SEARCH \(esearch ? "RETURN (ALL) " : "")UID \(after + 1):*") { r in
            lines += r.text + [0x0D, 0x0A]
        }
        return (state!, Self.parseSearch(lines).filter { $0 > after })
    }

    /// UIDs per command for flags, sizes and moves: a command line stays short, an answer bounded.
    static let batch = 1000

    static func batches(_ uids: [Int64]) -> [[Int64]] {
        stride(from: 0, to: uids.count, by: batch).map { Array(uids[$0..<min($0 + batch, uids.count)]) }
    }

    /// Sizes, flags and arrival times of `uids`, in the one command a poll with new mail already sends.
    public func info(_ uids: [Int64]) throws -> [Int64: ImapMessageInfo] {
        var out: [Int64: ImapMessageInfo] = [:]
        for chunk in Self.batches(uids) {
            try command("UID FETCH \(Self.sequenceSet(chunk)) (UID RFC822.SIZE FLAGS INTERNALDATE)") { r in
                if let i = Self.parseFetchInfo(line: r.text[...]) { out[i.uid] = i }
            }
        }
        return out
    }

    /// The exact bytes of one message, without setting \Seen; `uidValidity` must still be the mailbox's.
    public func fetch(uid: Int64, uidValidity: Int64) throws -> [UInt8] {
        if state == nil { try select() }
        guard state?.uidValidity == uidValidity else {
            throw ImapError.gone("UIDVALIDITY is \(state?.uidValidity ?? 0), not \(uidValidity)")
        }
        var got: [UInt8]?
        try fetchEach([uid]) { got = $1 }
        guard let got else { throw ImapError.gone("UID \(uid) is no longer in the mailbox") }
        return got
    }

    /// Several messages at once, by UID; a UID missing from the answer is absent from the result.
    public func peek(_ uids: [Int64]) throws -> [Int64: [UInt8]] {
        var out: [Int64: [UInt8]] = [:]
        try fetchEach(uids) { out[$0] = $1 }
        return out
    }

    /// `UID FETCH set (UID BODY.PEEK[])` in one command: no \Seen is set, and each message is handed
    /// to `body` as soon as it has arrived, so a backlog streams through without being held.
    public func fetchEach(_ uids: [Int64], _ body: (Int64, [UInt8]) throws -> Void) throws {
        guard !uids.isEmpty else { return }
        try command("UID FETCH \(Self.sequenceSet(uids)) (UID BODY.PEEK[])") { r in
            guard let message = r.literals.first, let uid = Self.fetchUID(r.text) else { return }
            try body(uid, message)
        }
    }

    /// The UID of a `* n FETCH (…)` response, wherever the server put it among the items.
    static func fetchUID(_ text: [UInt8]) -> Int64? {
        let t = text[...]
        guard find(" FETCH (", in: t) != nil, let open = t.firstIndex(of: UInt8(ascii: "(")),
              let r = find("UID ", in: t[open...]) else { return nil }
        return number(t[r...])
    }

    /// Where `needle` (ASCII, any case in `text`) ends in `text`: the index after it.
    static func find(_ needle: StaticString, in text: ArraySlice<UInt8>) -> Int? {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard n.count > 0, text.count >= n.count else { return nil }
        var i = text.startIndex
        let last = text.endIndex - n.count
        while i <= last {
            var k = 0
            // ASCII letters compare without their case bit; the needles are letters, digits and punctuation.
            while k < n.count && (text[i + k] == n[k] || (n[k] | 0x20 >= 0x61 && n[k] | 0x20 <= 0x7A && text[i + k] | 0x20 == n[k] | 0x20)) { k += 1 }
            if k == n.count { return i + n.count }
            i += 1
        }
        return nil
    }

    /// The decimal number at the start of `text`, if there is one.
    static func number(_ text: ArraySlice<UInt8>) -> Int64? {
        var v: Int64 = 0
        var digits = 0
        for b in text {
            guard b >= 0x30 && b <= 0x39 else { break }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - 0x30))
            if o1 || o2 { return nil }
            v = a
            digits += 1
        }
        return digits > 0 ? v : nil
    }

    /// `UID STORE set +FLAGS.SILENT (…)` or `-FLAGS.SILENT`.
    public func store(_ uids: [Int64], _ change: String) throws {
        for chunk in Self.batches(uids) {
            try command("UID STORE \(Self.sequenceSet(chunk)) \(change)")
        }
    }

    /// Moves messages to `folder`: UID MOVE (RFC 6851), else COPY + \Deleted + UID EXPUNGE.
    public func move(_ uids: [Int64], to folder: String) throws {
        for chunk in Self.batches(uids) { try moveBatch(chunk, to: folder) }
    }

    private func moveBatch(_ uids: [Int64], to folder: String) throws {
        let set = Self.sequenceSet(uids)
        let target = Self.mailboxArgument(folder)
        if connection.capabilities.contains("MOVE") {
            try command("UID MOVE \(set) \(target)")
        } else {
            try command("UID COPY \(set) \(target)")
            try command("UID STORE \(set) +FLAGS.SILENT (\\Deleted)")
            try command("UID EXPUNGE \(set)")
        }
    }

    /// CREATE (or DELETE) a mailbox; no mailbox needs to be selected for it.
    public func create(_ mailbox: String) throws { try connection.run("CREATE \(Self.mailboxArgument(mailbox))") }
    public func delete(_ mailbox: String) throws { try connection.run("DELETE \(Self.mailboxArgument(mailbox))") }

    /// APPENDs a message as \Seen (tests and tools), to `mailbox` or the session's own; `date` becomes
    /// its INTERNALDATE (RFC 3501 §6.3.11), else the server uses the time it takes it in.
    public func append(_ bytes: [UInt8], to mailbox: String? = nil, date: Date? = nil) throws {
        let internalDate = date.map { " \"\(MailDate.formatIMAP($0))\"" } ?? ""
        try connection.run("APPEND \(Self.mailboxArgument(mailbox ?? settings.mailbox)) (\\Seen)\(internalDate)", literal: bytes)
    }

    /// A mailbox name as a quoted string in modified UTF-7 (RFC 3501 §5.1.3): `Behandlet/Æble` → `"Behandlet/&AMY-ble"`.
    static func mailboxArgument(_ name: String) -> String {
        var out = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let bytes = pending.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            let b64 = Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: ",").replacingOccurrences(of: "=", with: "")
            out += "&" + b64 + "-"
            pending = []
        }
        for u in name.utf16 {
            if u >= 0x20 && u <= 0x7E {
                flush()
                out += u == 0x26 ? "&-" : String(UnicodeScalar(UInt8(u)))
            } else {
                pending.append(u)
            }
        }
        flush()
        return quote(out)
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Parsing (RFC 3501 §7, RFC 4731)

    /// UIDVALIDITY/UIDNEXT/EXISTS from the untagged lines that answered SELECT.
    static func selectState(_ header: [UInt8]) throws -> MailboxState {
        var validity: Int64?, next: Int64?, exists = 0
        for line in String(decoding: header, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            let words = line.split(separator: " ")
            if let i = line.range(of: "[UIDVALIDITY ") { validity = Int64(line[i.upperBound...].prefix { $0.isNumber }) }
            if let i = line.range(of: "[UIDNEXT ") { next = Int64(line[i.upperBound...].prefix { $0.isNumber }) }
            if words.count >= 3, words[0] == "*", words[2].uppercased() == "EXISTS", let n = Int(words[1]) { exists = n }
        }
        guard let validity else { throw ImapError.failed("the server did not report UIDVALIDITY on SELECT") }
        return MailboxState(uidValidity: validity, uidNext: next ?? 0, exists: exists)
    }

    /// UIDs from `* ESEARCH (TAG "x") UID ALL 1:3,7` or a plain `* SEARCH 1 2 3`.
    static func parseSearch(_ data: [UInt8]) -> [Int64] {
        var uids: [Int64] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0] == "*" else { continue }
            switch words[1].uppercased() {
            case "SEARCH":
                uids += words.dropFirst(2).compactMap { Int64($0) }
            case "ESEARCH":
                if let all = words.firstIndex(where: { $0.uppercased() == "ALL" }), all + 1 < words.count {
                    uids += expand(String(words[all + 1]))
                }
            default:
                continue
            }
        }
        return uids
    }

    /// `1:3,7` → [1, 2, 3, 7]; never more than 10 million numbers, whatever the server says.
    static func expand(_ set: String) -> [Int64] {
        var out: [Int64] = []
        for part in set.split(separator: ",") {
            let ends = part.split(separator: ":").compactMap { Int64($0) }
            if ends.count == 1 { out.append(ends[0]) }
            if ends.count == 2 {
                let lo = min(ends[0], ends[1]), hi = max(ends[0], ends[1])
                guard hi - lo < 10_000_000 - Int64(out.count) else { break }
                out += Array(lo...hi)
            }
        }
        return out
    }

    /// `[1, 2, 3, 7]` → `1:3,7`.
    static func sequenceSet(_ uids: [Int64]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i]):\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// `* 12 FETCH (UID 40 RFC822.SIZE 2048 FLAGS (\Seen $SSPProcessed) INTERNALDATE "17-Jul-1996 02:44:25 -0700")`,
    /// items in any order and any case, read on its bytes: a large mailbox's first poll reads thousands.
    static func parseFetchInfo(line: ArraySlice<UInt8>) -> ImapMessageInfo? {
        let star: [UInt8] = [UInt8(ascii: "*"), 0x20]
        guard line.starts(with: star), find(" FETCH (", in: line) != nil else { return nil }
        func number(after key: StaticString) -> Int64? { find(key, in: line).flatMap { Self.number(line[$0...]) } }
        guard let uid = number(after: "(UID ") ?? number(after: " UID "), let size = number(after: "RFC822.SIZE ") else { return nil }
        var flags: [String] = []
        if let start = find("FLAGS (", in: line), let close = line[start...].firstIndex(of: UInt8(ascii: ")")) {
            flags = line[start..<close].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
        }
        let internalDate = find("INTERNALDATE ", in: line).flatMap { MailDate.parseIMAP(line[$0...]) }
        return ImapMessageInfo(uid: uid, size: Int(size), flags: flags, internalDate: internalDate)
    }
}
