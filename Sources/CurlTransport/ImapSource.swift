import Foundation
import MailCore
import MailPorts
import Store

/// An IMAP mailbox through libcurl. The stored cursor (UIDVALIDITY + last UID), advanced in the
/// same transaction as each raw message, decides what is new: never \Seen, which a person may change.
/// The connection is kept from poll to poll (a poll with nothing new is then SELECT and UID SEARCH),
/// and opened again after any error or a long pause. Its errors leave it as `SourceError`.
public struct ImapSource: MailSource {
    public let settings: ImapSettings
    public let after: AfterProcessing
    public let maxMessageBytes: Int
    private let slot = SessionSlot()

    public init(settings: ImapSettings, after: AfterProcessing, maxMessageBytes: Int) {
        self.settings = settings
        self.after = after
        self.maxMessageBytes = maxMessageBytes
    }

    public var name: String { "imap:\(settings.url)/\(settings.mailbox)#\(settings.user)" }

    /// Messages and bytes per FETCH command: each command's messages commit together, and a stop
    /// request waits at most for one of them.
    public var chunkMessages = 500
    public var chunkBytes = 16 << 20
    /// Wait in IDLE between polls where the server offers it (the config's `source.idle`).
    public var idle = true
    /// One IDLE command at most this long: servers end idle clients after 30 minutes (RFC 2177 asks
    /// clients to renew before 29), and some middleboxes drop quiet connections sooner.
    static let idleRenewal: Double = 25 * 60

    /// Between passes: in IDLE on the kept session when the server offers it, renewed before 29
    /// minutes; new mail (EXISTS) ends the wait. Any trouble drops the session and the rest is slept
    /// out, so polling at the interval stays the safety net.
    public func waitForMail(seconds: Double, log: (String) -> Void, shouldStop: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        if idle, let session = slot.session, session.isUsable, session.offersIdle {
            do {
                while !shouldStop() && Date() < deadline {
                    let arrived = try session.idle(seconds: min(Self.idleRenewal, deadline.timeIntervalSinceNow), shouldStop: shouldStop)
                    slot.touch()
                    if arrived { return true }
                }
                return false
            } catch {
                log("IDLE: \(error); der læses igen om \(Int(max(0, deadline.timeIntervalSinceNow))) s")
                slot.drop(ifBroken: true)
            }
        }
        sleepOut(deadline.timeIntervalSinceNow, shouldStop: shouldStop)
        return false
    }

    /// The latest commands of the session in use (for the benchmark), tag and verb only.
    public var sessionCommands: [String] { slot.session?.commands ?? [] }
    /// How many commands the session in use has sent in all (the benchmark counts a poll's by the difference).
    public var sessionCommandCount: Int { slot.session?.commandCount ?? 0 }

    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                          stored: (Int64, [UInt8], Date) -> Void, committed: () throws -> Void) throws -> Int {
        try Self.neutral { try ingest(into: store, log: log, shouldStop: shouldStop, stored: stored, committed: committed) }
    }

    private func ingest(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                        stored: (Int64, [UInt8], Date) -> Void, committed: () throws -> Void) throws -> Int {
        let cursor = try store.cursor(name)
        let (session, state, uids) = try slot.search(settings, maxMessageBytes: maxMessageBytes, after: cursor)
        if let cursor, cursor.uidValidity != state.uidValidity {
            log("UIDVALIDITY skiftede fra \(cursor.uidValidity) til \(state.uidValidity): hele postkassen læses igen")
        }
        guard !uids.isEmpty else { return 0 }
        let info = try session.info(uids)
        // In UID order, so the cursor only moves past what is stored. Mail over the limit stays on
        // the server; it is passed over where it falls, between chunks.
        var plan: [(chunk: [Int64], skipAfter: [(uid: Int64, size: Int, reason: String)])] = [([], [])]
        var planBytes = 0
        for uid in uids.sorted() {
            // Expunged since SEARCH, or a server that gives nothing for a UID it just listed
            // (Exchange Online does): the pass ends before it, so the cursor never passes it.
            guard let i = info[uid] else {
                guard let reason = waited(uid, log: log) else { break }
                plan[plan.count - 1].skipAfter.append((uid, 0, reason))
                continue
            }
            if i.size > maxMessageBytes {
                plan[plan.count - 1].skipAfter.append((uid, i.size, IntakeStore.tooLarge(size: i.size, limit: maxMessageBytes)))
                continue
            }
            let last = plan[plan.count - 1]
            if !last.skipAfter.isEmpty || (!last.chunk.isEmpty && (planBytes + i.size > chunkBytes || last.chunk.count >= chunkMessages)) {
                plan.append(([], []))
                planBytes = 0
            }
            plan[plan.count - 1].chunk.append(uid)
            planBytes += i.size
        }
        let prefetch = ImapPrefetch(session: session, chunks: plan.map(\.chunk).filter { !$0.isEmpty })
        defer { prefetch.cancel() }
        var added = 0
        var gap: Int64?
        for step in plan {
            if shouldStop() || gap != nil { break }
            if !step.chunk.isEmpty {
                // One commit per chunk; the pipeline processes it while the next one arrives.
                var expected = step.chunk[...]
                try store.db.transaction {
                    items: while let item = try prefetch.next() {
                        let uid: Int64
                        switch item {
                        case .endOfChunk: break items
                        case .message(let u, _, _, _, _, _): uid = u
                        case .tooLarge(let u, _): uid = u
                        }
                        // The FETCH answers in UID order: one it skipped is a UID the server gave nothing for.
                        // Left on the server after its last wait, it is passed over in this very transaction,
                        // so the mail behind it is not held back and the cursor never passes it unrecorded.
                        while let first = expected.first, first < uid {
                            guard try passOver(first, store: store, uidValidity: state.uidValidity, log: log) else {
                                gap = first
                                break items
                            }
                            expected = expected.dropFirst()
                        }
                        expected = expected.drop { $0 <= uid }
                        if case .tooLarge(_, let size) = item {
                            try leave(uid, size: size, store: store, uidValidity: state.uidValidity, log: log)
                            continue
                        }
                        guard case .message(_, let raw, let sha, let messageID, let subject, let sender) = item else { continue }
                        if raw.count > maxMessageBytes {
                            try leave(uid, size: raw.count, store: store, uidValidity: state.uidValidity, log: log)
                            continue
                        }
                        // INTERNALDATE is when the server took the mail in (RFC 3501 §2.3.3); the Date
                        // header, the sender's own claim, only stands in for a server that gives none.
                        let arrived = info[uid]?.internalDate ?? MailMessage(bytes: raw, limits: .headersOnly).date ?? Date()
                        if let id = try store.ingest(source: name, key: "\(state.uidValidity)/\(uid)", raw: raw, sha256: sha,
                                                     messageID: messageID, subject: subject, sender: sender, receivedAt: arrived,
                                                     uidvalidity: state.uidValidity, uid: uid, cursor: (state.uidValidity, uid)) {
                            added += 1
                            stored(id, raw, arrived)
                        } else {
                            try store.recordDuplicate(source: name, uidValidity: state.uidValidity, uid: uid, size: raw.count)
                        }
                    }
                    while gap == nil, let first = expected.first {
                        guard try passOver(first, store: store, uidValidity: state.uidValidity, log: log) else {
                            gap = first
                            break
                        }
                        expected = expected.dropFirst()
                    }
                }
                try committed()
                if gap != nil { break }
            }
            for s in step.skipAfter {
                try store.skip(source: name, uidValidity: state.uidValidity, uid: s.uid, size: s.size, reason: s.reason)
                log("UID \(s.uid) efterladt på serveren: \(s.reason)")
            }
        }
        prefetch.cancel()
        slot.drop(ifBroken: true)
        // Counts are kept only for UIDs the server still lists: an expunged one waits no more.
        let listed = Set(uids)
        slot.missing = slot.missing.filter { listed.contains($0.key) }
        return added
    }

    /// Polls a UID the server listed but gave nothing for waits, before it is left on the server.
    static let missingPolls = 3

    /// A UID the server gave nothing for: the pass stops before it (nil), and it is fetched again at
    /// the next poll; after `missingPolls` polls it is left on the server like a too-large mail (the
    /// reason), shown by `status`, so one bad message never holds back the mail behind it.
    private func waited(_ uid: Int64, log: (String) -> Void) -> String? {
        let n = slot.missing[uid, default: 0] + 1
        slot.missing[uid] = n
        guard n >= Self.missingPolls else {
            log("UID \(uid): serveren gav ingen mail; den hentes igen ved næste kørsel (forsøg \(n) af \(Self.missingPolls))")
            return nil
        }
        slot.missing[uid] = nil
        return "serveren gav ingen mail for UID \(uid) ved \(n) kørsler i træk"
    }

    /// A UID the FETCH gave nothing for: true when it has waited its polls and is now left on the
    /// server (recorded, the cursor past it); false when the pass must stop before it and try again.
    private func passOver(_ uid: Int64, store: IntakeStore, uidValidity: Int64, log: (String) -> Void) throws -> Bool {
        guard let reason = waited(uid, log: log) else { return false }
        try store.skip(source: name, uidValidity: uidValidity, uid: uid, size: 0, reason: reason)
        log("UID \(uid) efterladt på serveren: \(reason)")
        return true
    }

    /// A message whose bytes were over the limit, whatever the server said its size was.
    private func leave(_ uid: Int64, size: Int, store: IntakeStore, uidValidity: Int64, log: (String) -> Void) throws {
        let reason = IntakeStore.tooLarge(size: size, limit: maxMessageBytes)
        try store.skip(source: name, uidValidity: uidValidity, uid: uid, size: size, reason: reason)
        log("UID \(uid) efterladt på serveren: \(reason)")
    }

    public func inventory() throws -> [String: String] {
        try Self.neutral {
            let (_, state, uids) = try slot.search(settings, maxMessageBytes: maxMessageBytes, after: nil)
            return Dictionary(uniqueKeysWithValues: uids.map { ("\(state.uidValidity)/\($0)", "UID \($0)") })
        }
    }

    public func finish(store: IntakeStore, log: (String) -> Void) throws {
        try Self.neutral { try mark(store: store, log: log) }
    }

    /// A keyword of ours (`$SSPProcessed`), not a system flag (`\Seen`).
    static func isKeyword(_ flag: String) -> Bool { !flag.hasPrefix("\\") }

    private func mark(store: IntakeStore, log: (String) -> Void) throws {
        guard after.flag != nil || after.seen || after.moveTo != nil, let cursor = try store.cursor(name) else { return }
        let pending = try store.unmarked(source: name, uidValidity: cursor.uidValidity)
        guard !pending.isEmpty else { return }
        let session = try slot.open(settings, maxMessageBytes: maxMessageBytes)
        guard session.state == nil || session.state?.uidValidity == cursor.uidValidity else { return }
        if session.state?.keywordsAllowed == false, let f = after.flag, Self.isKeyword(f), !slot.keywordsRefused {
            slot.keywordsRefused = true
            log("serveren gemmer ikke nøgleord (PERMANENTFLAGS uden \\*): behandlet mail \(fallbackText) i stedet for at få \(f)")
        }
        let uids = pending.map(\.uid)
        do {
            do {
                try mark(uids, session)
            } catch ImapError.failed(let why) where after.flag.map(Self.isKeyword) == true && !slot.keywordsRefused {
                // "BAD Command Argument Error. 11": the keyword is refused now; never again, and never a failing poll.
                slot.keywordsRefused = true
                log("serveren afviste nøgleordet \(after.flag ?? "") (\(why)): behandlet mail \(fallbackText) fra nu af")
                try mark(uids, try slot.open(settings, maxMessageBytes: maxMessageBytes))
            }
        } catch {
            slot.drop(ifBroken: true)
            throw error
        }
        try store.markServerDone(pending.map(\.id))
    }

    /// Without keywords: moved to the configured folder, else marked \Seen; the store's cursor stays the truth.
    private var fallbackText: String { after.moveTo.map { "flyttes til \"\($0)\"" } ?? "mærkes \\Seen" }

    private func mark(_ uids: [Int64], _ session: ImapSession) throws {
        var flags: [String] = []
        let keywords = !slot.keywordsRefused
        if let f = after.flag, keywords || !Self.isKeyword(f) { flags.append(f) }
        if after.seen || (!keywords && after.moveTo == nil) { flags.append("\\Seen") }
        if !flags.isEmpty { try session.store(uids, "+FLAGS.SILENT (\(flags.joined(separator: " ")))") }
        if let folder = after.moveTo {
            try session.ensureMailbox(folder)
            try session.move(uids, to: folder)
        }
    }

    /// The pipeline and the CLI know no IMAP: what the server said leaves here as a `SourceError`
    /// (the retries of a kept connection happen before, in `SessionSlot`). The store's errors pass unchanged.
    private static func neutral<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as ImapError {
            switch e {
            case .login(let s): throw SourceError.loginRefused("IMAP: \(s)")
            case .transient(let s): throw SourceError.unavailable("IMAP: \(s)")
            case .gone(let s), .failed(let s): throw SourceError.failed("IMAP: \(s)")
            }
        }
    }
}

/// The session an `ImapSource` keeps between polls. Used by one thread at a time (the pipeline's).
final class SessionSlot: @unchecked Sendable {
    private(set) var session: ImapSession?
    private var lastUsed = Date.distantPast
    /// UIDs the server listed but gave nothing for, with the polls they have waited.
    var missing: [Int64: Int] = [:]
    /// Set once a keyword was refused (or PERMANENTFLAGS has no `\*`): no keyword is sent again.
    var keywordsRefused = false
    /// Servers log idle clients out after 30 minutes (RFC 3501 §5.4); well before that, start afresh.
    static let maxIdle: TimeInterval = 600

    /// The kept session if it is still good, else a new one.
    func open(_ settings: ImapSettings, maxMessageBytes: Int) throws -> ImapSession {
        if let s = session, s.isUsable, Date().timeIntervalSince(lastUsed) < Self.maxIdle {
            lastUsed = Date()
            return s
        }
        session = nil
        let s = try ImapSession(settings, maxMessageBytes: maxMessageBytes)
        session = s
        lastUsed = Date()
        return s
    }

    /// A search on the kept session; a kept connection the server has dropped meanwhile is opened
    /// again once. After a new UIDVALIDITY the whole mailbox is searched.
    func search(_ settings: ImapSettings, maxMessageBytes: Int, after cursor: (uidValidity: Int64, lastUID: Int64)?)
        throws -> (ImapSession, MailboxState, [Int64]) {
        for attempt in 0..<2 {
            let kept = session != nil
            let s = try open(settings, maxMessageBytes: maxMessageBytes)
            do {
                var (state, uids) = try s.search(after: cursor?.lastUID ?? 0)
                if let cursor, cursor.uidValidity != state.uidValidity {
                    (state, uids) = try s.search(after: 0)
                }
                return (s, state, uids)
            } catch let e as ImapError {
                drop(ifBroken: true)
                if case .transient = e, kept, attempt == 0 { continue }
                throw e
            }
        }
        throw ImapError.transient("no connection")
    }

    /// The kept session was just in use (IDLE counts): it is not stale.
    func touch() { lastUsed = Date() }

    /// Forgets the session when its connection can no longer be used.
    func drop(ifBroken: Bool) {
        if let s = session, !ifBroken || !s.isUsable { session = nil }
    }
}
