import CurlTransport
import Foundation
import MailCore
import Store

/// What to do on the server with mail that has been processed.
public struct AfterProcessing: Sendable {
    /// A keyword such as `$SSPProcessed`, set on each processed message (nil: none).
    public var flag: String?
    /// Also set \Seen (otherwise the message stays as unread as a person left it).
    public var seen: Bool
    /// Move to this folder instead of flagging (UID MOVE, or COPY + EXPUNGE).
    public var moveTo: String?

    public init(flag: String?, seen: Bool, moveTo: String?) {
        self.flag = flag
        self.seen = seen
        self.moveTo = moveTo
    }
}

/// An IMAP mailbox through libcurl. The stored cursor (UIDVALIDITY + last UID), advanced in the
/// same transaction as each raw message, decides what is new: never \Seen, which a person may change.
public struct ImapSource: MailSource {
    public let settings: ImapSettings
    public let after: AfterProcessing
    public let maxMessageBytes: Int

    public init(settings: ImapSettings, after: AfterProcessing, maxMessageBytes: Int) {
        self.settings = settings
        self.after = after
        self.maxMessageBytes = maxMessageBytes
    }

    public var name: String { "imap:\(settings.url)/\(settings.mailbox)#\(settings.user)" }

    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool) throws -> Int {
        let session = try ImapSession(settings)
        let cursor = try store.cursor(name)
        var (state, uids) = try session.search(after: cursor?.lastUID ?? 0)
        if let cursor, cursor.uidValidity != state.uidValidity {
            // The mailbox was recreated: every UID is new again. Stored bytes (sha256) keep this from doubling.
            log("UIDVALIDITY skiftede fra \(cursor.uidValidity) til \(state.uidValidity): hele postkassen læses igen")
            (state, uids) = try session.search(after: 0)
        }
        guard !uids.isEmpty else { return 0 }
        let info = try session.info(uids)
        var added = 0
        // Small mail goes in batches with BODY.PEEK (no \Seen, one round trip); mail too large
        // for a batch is fetched alone by URL, and its \Seen put back as the people left it.
        var batch: [Int64] = []
        var batchBytes = 0
        var restoreSeen: [Int64] = []
        func keep(_ uid: Int64, _ raw: [UInt8]) throws {
            let m = MailMessage(bytes: raw)
            if try store.ingest(source: name, key: "\(state.uidValidity)/\(uid)", raw: raw, messageID: m.messageID,
                                 subject: m.subject, sender: m.from.first?.address, receivedAt: Date(),
                                 uidvalidity: state.uidValidity, uid: uid, cursor: (state.uidValidity, uid)) != nil {
                added += 1
            } else {
                try store.recordDuplicate(source: name, uidValidity: state.uidValidity, uid: uid, size: raw.count)
            }
        }
        func flush() throws {
            guard !batch.isEmpty else { return }
            let got = try session.peek(batch)
            // In UID order, so the cursor only moves past what is stored; one commit for the batch.
            try store.db.transaction {
                for uid in batch {
                    if let raw = got[uid] {
                        try keep(uid, raw)
                    } else {
                        try fetchAlone(uid)   // not in the batched answer: by URL instead
                    }
                }
            }
            batch = []
            batchBytes = 0
        }
        func fetchAlone(_ uid: Int64) throws {
            let raw = try session.fetch(uid: uid, uidValidity: state.uidValidity)
            if !after.seen, let i = info[uid], !i.flags.contains(where: { $0.caseInsensitiveCompare("\\Seen") == .orderedSame }) {
                restoreSeen.append(uid)
            }
            try keep(uid, raw)
        }
        for uid in uids.sorted() {
            if shouldStop() { break }
            guard let i = info[uid] else { continue }   // expunged between SEARCH and FETCH
            if i.size > maxMessageBytes {
                try flush()
                try store.skip(source: name, uidValidity: state.uidValidity, uid: uid, size: i.size,
                                reason: "\(i.size) bytes er over grænsen på \(maxMessageBytes)")
                log("UID \(uid) efterladt på serveren: \(i.size) bytes er over grænsen")
                continue
            }
            let cost = i.size + 2048
            if cost > ImapSession.peekBudget {
                try flush()
                try fetchAlone(uid)
                continue
            }
            if batchBytes + cost > ImapSession.peekBudget || batch.count >= 100 { try flush() }
            batch.append(uid)
            batchBytes += cost
        }
        if !shouldStop() { try flush() }
        try session.store(restoreSeen, "-FLAGS.SILENT (\\Seen)")
        return added
    }

    public func inventory() throws -> [String: String] {
        let session = try ImapSession(settings)
        let (state, uids) = try session.search(after: 0)
        return Dictionary(uniqueKeysWithValues: uids.map { ("\(state.uidValidity)/\($0)", "UID \($0)") })
    }

    public func finish(store: IntakeStore, log: (String) -> Void) throws {
        guard after.flag != nil || after.seen || after.moveTo != nil, let cursor = try store.cursor(name) else { return }
        let pending = try store.unmarked(source: name, uidValidity: cursor.uidValidity)
        guard !pending.isEmpty else { return }
        let session = try ImapSession(settings)
        let uids = pending.map(\.uid)
        var flags: [String] = []
        if let f = after.flag { flags.append(f) }
        if after.seen { flags.append("\\Seen") }
        if !flags.isEmpty { try session.store(uids, "+FLAGS.SILENT (\(flags.joined(separator: " ")))") }
        if let folder = after.moveTo { try session.move(uids, to: folder) }
        try store.markServerDone(pending.map(\.id))
    }
}

/// Replies through an SMTP server; a 5xx is final, anything else is retried from the outbox.
public final class SmtpSink: ReplySink {
    let sender: SmtpSender
    let from: String

    public init(settings: SmtpSettings, from: String) throws {
        sender = try SmtpSender(settings)
        self.from = from
    }

    public func deliver(_ item: OutboxItem) throws {
        do {
            try sender.send(item.bytes, from: from, to: [item.to])
        } catch let e as SmtpError {
            throw DeliveryError(e.message, permanent: e.permanent)
        }
    }
}
