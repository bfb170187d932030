import Foundation

/// The outcome of a login attempt; a wrong name and a wrong password are one answer.
public enum LoginResult: Sendable, Equatable {
    /// `token` goes into the session cookie and is never stored; only its digest is.
    case success(token: String, session: Session)
    case refused
    /// Too many failures for this name: no password is checked until `until`.
    case throttled(until: Date)
}
