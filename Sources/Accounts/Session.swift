import Foundation
import SystemCrypto

/// A logged-in user as a request sees them: who, in which role, and the token their forms must carry.
public struct Session: Sendable, Equatable {
    public var user: String
    public var role: Role
    /// Put in a hidden field of every form; a POST without it is refused.
    public var csrfToken: String
    public var created: Date
    public var lastSeen: Date

    /// Whether a submitted form's token is this session's, compared in constant time.
    public func acceptsCSRF(_ submitted: String?) -> Bool {
        guard let submitted, !submitted.isEmpty else { return false }
        return ConstantTime.equal(submitted, csrfToken)
    }
}
