import Foundation

/// How long a login lasts: `idle` without a request ends it. Pure.
public struct SessionPolicy: Sendable {
    public var idle: TimeInterval = 8 * 60 * 60
    /// A session is touched at most this often, so reading pages does not write to the store each time.
    public var touchInterval: TimeInterval = 60

    public init() {}

    public func isExpired(lastSeen: Date, now: Date) -> Bool { now.timeIntervalSince(lastSeen) >= idle }

    public func needsTouch(lastSeen: Date, now: Date) -> Bool { now.timeIntervalSince(lastSeen) >= touchInterval }
}
