/// The program's own credentials were refused where trying again cannot help: the token endpoint turned the
/// OAuth2 client away, or a server refused a token fetched just then. An operator must act; the same for every transport.
public struct AuthorizationError: Error, Sendable, CustomStringConvertible {
    /// What was refused and by whom, in Danish, with what the server said; never a secret or a token.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
