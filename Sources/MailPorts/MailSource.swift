import Foundation
import Store

/// Sleeps until `seconds` have passed or `shouldStop`, looking at it ten times a second: the wait
/// between passes of a source that cannot be told of new mail, or of a pipeline without a source.
public func sleepOut(_ seconds: Double, shouldStop: () -> Bool) {
    let until = Date().addingTimeInterval(seconds)
    while !shouldStop() && Date() < until { Thread.sleep(forTimeInterval: min(0.1, max(0, until.timeIntervalSinceNow))) }
}

/// Where mail comes from. A source stores each new message (with its cursor) before anything else happens to it.
/// Its errors reach the caller as `SourceError`, whatever the transport.
public protocol MailSource {
    /// A stable name for the store, e.g. `folder:/srv/mail` or `imap://host/INBOX`.
    var name: String { get }
    /// Stores every message not yet stored (until `shouldStop` says so); returns how many were new.
    /// `stored` may be told each new message as it is stored (id, bytes, arrival), before its part
    /// commits; `committed` runs after each part of a long backlog is stored, so it can be processed
    /// while more arrives.
    func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                   stored: (Int64, [UInt8], Date) -> Void, committed: () throws -> Void) throws -> Int
    /// After processing: what the source does with processed mail (flag it, move it).
    func finish(store: IntakeStore, log: (String) -> Void) throws
    /// Every message the mailbox holds now: source key → a short description for people.
    func inventory() throws -> [String: String]
    /// Waits up to `seconds` between passes (until `shouldStop`); true when the mailbox told of new
    /// mail meanwhile (IMAP IDLE), so the next pass can start at once. Never throws: waiting is no work.
    func waitForMail(seconds: Double, log: (String) -> Void, shouldStop: () -> Bool) -> Bool
}

extension MailSource {
    public func finish(store: IntakeStore, log: (String) -> Void) throws {}

    /// A source that cannot be told of new mail sleeps the interval out.
    public func waitForMail(seconds: Double, log: (String) -> Void, shouldStop: () -> Bool) -> Bool {
        sleepOut(seconds, shouldStop: shouldStop)
        return false
    }


    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool) throws -> Int {
        try ingestNew(into: store, log: log, shouldStop: shouldStop, stored: { _, _, _ in }, committed: {})
    }

    public func ingestNew(into store: IntakeStore, log: (String) -> Void, shouldStop: () -> Bool,
                          committed: () throws -> Void) throws -> Int {
        try ingestNew(into: store, log: log, shouldStop: shouldStop, stored: { _, _, _ in }, committed: committed)
    }
}

/// What to do in the mailbox with mail that has been processed.
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
