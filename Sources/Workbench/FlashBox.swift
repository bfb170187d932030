import Foundation

/// The line an action leaves for the page it redirects to, shown once. Kept in memory by session
/// (its CSRF token, not the login secret), shared by the server's threads.
final class FlashBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String: [String]] = [:]

    func put(_ key: String, _ text: [String]) {
        lock.lock()
        defer { lock.unlock() }
        // A browser that never comes back must not let this grow without end.
        if lines.count > 10_000 { lines.removeAll() }
        lines[key] = text
    }

    func take(_ key: String) -> [String]? {
        lock.lock()
        defer { lock.unlock() }
        return lines.removeValue(forKey: key)
    }
}
