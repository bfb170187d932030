import Foundation

/// The brake on guessing: after `limit` failed logins for one name within `window`, that name may
/// not log in until the oldest of them leaves the window. Pure: it sees times, not the store.
public struct LoginThrottle: Sendable {
    public var limit = 5
    public var window: TimeInterval = 15 * 60

    public init() {}

    /// When `name` may try again, given its failures since `now - window` (oldest first); nil: now.
    public func blockedUntil(failures: [Date], now: Date) -> Date? {
        let recent = failures.filter { $0 > now - window && $0 <= now }
        guard recent.count >= limit else { return nil }
        // The failure that, once out of the window, leaves `limit - 1` behind.
        return recent[recent.count - limit] + window
    }
}
