import CCurl
import Foundation

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

/// One message's size and flags, asked before fetching it.
public struct ImapMessageInfo: Sendable, Equatable {
    public var uid: Int64
    public var size: Int
    public var flags: [String]
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
        case .transient(let s): return "IMAP temporarily unavailable: \(s)"
        case .login(let s): return "IMAP login refused (check user and password): \(s)"
        case .gone(let s): return "IMAP message or mailbox changed: \(s)"
        case .failed(let s): return "IMAP error: \(s)"
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

/// One IMAP connection through libcurl, for one poll. libcurl 7.88's traps (see
/// ../shared/imap-rig/README.md) are avoided by construction: never a custom SELECT or EXAMINE,
/// a fresh connection per session so SELECT always reports the current state, ESEARCH so a
/// long result is never truncated, and a large buffer besides.
public final class ImapSession {
    let settings: ImapSettings
    let easy = CurlEasy()
    /// Every IMAP command sent in this session, for the benchmark's command count.
    public private(set) var commands: [String] = []
    private var base: String
    private var mailboxURL: String
    /// The mailbox as this session's SELECT found it; curl selects once per connection.
    public private(set) var state: MailboxState?

    public init(_ settings: ImapSettings) throws {
        self.settings = settings
        base = settings.url.hasSuffix("/") ? String(settings.url.dropLast()) : settings.url
        mailboxURL = base + "/" + Self.encodePath(settings.mailbox)
        let plain = base.lowercased().hasPrefix("imap://")
        guard plain || base.lowercased().hasPrefix("imaps://") else {
            throw ImapError.failed("the URL must start with imaps:// or imap:// (STARTTLS), not \(settings.url)")
        }
        do {
            try easy.set(CURLOPT_USERNAME, settings.user)
            try easy.set(CURLOPT_PASSWORD, settings.password)
            if plain { try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
            if let ca = settings.caFile { try easy.set(CURLOPT_CAINFO, ca) }
            try easy.set(CURLOPT_CONNECTTIMEOUT, 10)
            try easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, 30)
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, 1)
            try easy.set(CURLOPT_LOW_SPEED_TIME, 60)
            try easy.set(CURLOPT_TIMEOUT, settings.timeoutSeconds)
            // 7.88 cuts server lines longer than the buffer without an error (KNOWN_BUGS 3.1).
            try easy.set(CURLOPT_BUFFERSIZE, 10 * 1024 * 1024)
            try easy.set(CURLOPT_FRESH_CONNECT, 1)
        } catch let e as CurlError {
            throw ImapError.failed(e.description)
        }
    }

    /// Counts the protocol commands curl sends in this session (CAPABILITY, STARTTLS, AUTHENTICATE, SELECT, …).
    public func recordProtocolCommands() throws { try easy.recordSentCommands() }

    /// The commands sent since `recordProtocolCommands()`, tag and verb only.
    public var protocolCommands: [String] { easy.sentCommands }

    /// `%` and other characters that curl would decode or misread in a URL path.
    static func encodePath(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// One perform: a custom command (or nil for curl's own FETCH/APPEND by URL), with the bytes to upload.
    /// Every option that persists across performs is set each time (a leftover UPLOAD would APPEND).
    private func transfer(_ label: String, url: String, custom: String?, upload: [UInt8]? = nil) throws -> [UInt8] {
        commands.append(label)
        do {
            try easy.set(CURLOPT_URL, url)
            // CUSTOMREQUEST is URL-decoded by curl: a literal % must travel as %25.
            try easy.set(CURLOPT_CUSTOMREQUEST, custom?.replacingOccurrences(of: "%", with: "%25"))
            try easy.setUpload(upload)
            defer { try? easy.setUpload(nil) }
            try easy.perform()
            try easy.set(CURLOPT_FRESH_CONNECT, 0)
            return easy.received
        } catch var e as CurlError {
            // Which command failed matters to the operator; never the credentials, which are not in it.
            e.message += " (\(label.prefix(60)))"
            throw ImapError.from(e)
        }
    }

    /// Runs a custom command on the mailbox; returns the untagged data curl passed on.
    private func command(_ cmd: String, url: String? = nil) throws -> [UInt8] {
        try transfer(cmd, url: url ?? mailboxURL, custom: cmd)
    }

    /// The mailbox's state and the UIDs above `after`, in one SELECT and one UID SEARCH.
    /// `n:*` always includes the highest UID (RFC 3501 §6.4.8), so the result is filtered.
    public func search(after: Int64) throws -> (MailboxState, [Int64]) {
        let data = try command("UID SEARCH RETURN (ALL) UID \(after + 1):*")
        if state == nil { state = try Self.selectState(easy.headerBytes) }
        let uids = Self.parseSearch(data).filter { $0 > after }
        return (state!, uids)
    }

    /// Debian's libcurl 7.88.1 counts every untagged line against its 300 KB response-header cap
    /// (fixed upstream in 8.2, curl#11590) at about 1–1.3 KB a line, more when the machine is busy,
    /// so a command answered by ~250 lines can fail ("Too large response headers"). Found by
    /// scripts/crash-test; every per-message command is batched well below that.
    static let batch = 100

    static func batches(_ uids: [Int64]) -> [[Int64]] {
        stride(from: 0, to: uids.count, by: batch).map { Array(uids[$0..<min($0 + batch, uids.count)]) }
    }

    /// Sizes and flags of `uids`, in batches so no command line grows without bound.
    public func info(_ uids: [Int64]) throws -> [Int64: ImapMessageInfo] {
        var out: [Int64: ImapMessageInfo] = [:]
        for chunk in Self.batches(uids) {
            let data = try command("UID FETCH \(Self.sequenceSet(chunk)) (UID RFC822.SIZE FLAGS)")
            for i in Self.parseFetchInfo(data) { out[i.uid] = i }
        }
        return out
    }

    /// The exact bytes of one message; `uidValidity` makes the server refuse if the mailbox was recreated.
    public func fetch(uid: Int64, uidValidity: Int64) throws -> [UInt8] {
        try transfer("UID FETCH \(uid) BODY[]", url: "\(mailboxURL);UIDVALIDITY=\(uidValidity)/;UID=\(uid)", custom: nil)
    }

    /// The most literal bytes one batched fetch may carry: libcurl 7.88 passes a custom FETCH's
    /// literals through the header callback, which it caps at 300 KB per command.
    public static let peekBudget = 160 * 1024

    /// Several messages in one `UID FETCH set (UID BODY.PEEK[])`: no \Seen is set and there is one
    /// round trip for many. The literals arrive on the header stream (curl 7.88 passes a custom
    /// FETCH's literals there, curl#1150), which is parsed here; keep the batch under `peekBudget`.
    /// A UID missing from the answer is simply absent from the result.
    public func peek(_ uids: [Int64]) throws -> [Int64: [UInt8]] {
        guard !uids.isEmpty else { return [:] }
        _ = try command("UID FETCH \(Self.sequenceSet(uids)) (UID BODY.PEEK[])")
        return Self.parseLiterals(easy.headerBytes)
    }

    /// `* 3 FETCH (UID 40 BODY[] {217}` CRLF, 217 bytes, `)` CRLF … → [40: bytes].
    static func parseLiterals(_ h: [UInt8]) -> [Int64: [UInt8]] {
        var out: [Int64: [UInt8]] = [:]
        var i = 0
        while i < h.count {
            var e = i
            while e < h.count, h[e] != 0x0A { e += 1 }
            let line = h[i..<e]
            // A FETCH line that ends in {n} announces a literal of n bytes after its CRLF.
            if line.starts(with: Array("* ".utf8)), e > 0, let close = line.lastIndex(of: UInt8(ascii: "}")),
               let open = line[..<close].lastIndex(of: UInt8(ascii: "{")),
               let n = Int(String(decoding: h[(open + 1)..<close], as: UTF8.self)), n >= 0 {
                let text = String(decoding: line, as: UTF8.self)
                let start = e + 1
                if let r = text.range(of: "UID ", options: .caseInsensitive),
                   let uid = Int64(text[r.upperBound...].prefix { $0.isNumber }), start + n <= h.count {
                    out[uid] = Array(h[start..<(start + n)])
                }
                i = min(h.count, start + n)
                continue
            }
            i = e + 1
        }
        return out
    }

    /// `UID STORE set +FLAGS.SILENT (…)` or `-FLAGS.SILENT`.
    public func store(_ uids: [Int64], _ change: String) throws {
        for chunk in Self.batches(uids) {
            _ = try command("UID STORE \(Self.sequenceSet(chunk)) \(change)")
        }
    }

    /// Moves messages to `folder`: UID MOVE (RFC 6851), else COPY + \Deleted + UID EXPUNGE.
    public func move(_ uids: [Int64], to folder: String) throws {
        for chunk in Self.batches(uids) { try moveBatch(chunk, to: folder) }
    }

    /// MOVE answers one EXPUNGE line per message: one batch at a time.
    private func moveBatch(_ uids: [Int64], to folder: String) throws {
        let set = Self.sequenceSet(uids)
        let quoted = Self.quote(folder)
        do {
            _ = try command("UID MOVE \(set) \(quoted)")
        } catch ImapError.failed {
            _ = try command("UID COPY \(set) \(quoted)")
            _ = try command("UID STORE \(set) +FLAGS.SILENT (\\Deleted)")
            _ = try command("UID EXPUNGE \(set)")
        }
    }

    /// CREATE (or DELETE) a mailbox; sent without selecting one, so curl's selection stays right.
    public func create(_ mailbox: String) throws { _ = try command("CREATE \(Self.quote(mailbox))", url: base + "/") }
    public func delete(_ mailbox: String) throws { _ = try command("DELETE \(Self.quote(mailbox))", url: base + "/") }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// APPENDs a message (tests and tools); curl marks it \Seen.
    public func append(_ bytes: [UInt8], to mailbox: String? = nil) throws {
        _ = try transfer("APPEND", url: mailbox.map { base + "/" + Self.encodePath($0) } ?? mailboxURL, custom: nil, upload: bytes)
    }

    // MARK: - Parsing (RFC 3501 §7, RFC 4731)

    /// UIDVALIDITY/UIDNEXT/EXISTS from the SELECT lines curl passed to the header callback.
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

    /// `* 12 FETCH (UID 40 RFC822.SIZE 2048 FLAGS (\Seen $SSPProcessed))`, items in any order.
    static func parseFetchInfo(_ data: [UInt8]) -> [ImapMessageInfo] {
        var out: [ImapMessageInfo] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            guard line.hasPrefix("* "), line.range(of: " FETCH (", options: .caseInsensitive) != nil else { continue }
            func number(after key: String) -> Int64? {
                guard let r = line.range(of: key, options: .caseInsensitive) else { return nil }
                return Int64(line[r.upperBound...].prefix { $0.isNumber })
            }
            guard let uid = number(after: "(UID ") ?? number(after: " UID "), let size = number(after: "RFC822.SIZE ") else { continue }
            var flags: [String] = []
            if let r = line.range(of: "FLAGS (", options: .caseInsensitive), let close = line[r.upperBound...].firstIndex(of: ")") {
                flags = line[r.upperBound..<close].split(separator: " ").map(String.init)
            }
            out.append(ImapMessageInfo(uid: uid, size: Int(size), flags: flags))
        }
        return out
    }
}
