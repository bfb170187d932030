/// Why a mailbox could not be read, sorted by what the operator does about it; the same for every transport.
public enum SourceError: Error, Sendable, CustomStringConvertible {
    /// The mailbox refused the login (or the mailbox named): an operator must correct the settings.
    case loginRefused(String)
    /// The mailbox cannot be reached now (refused, timed out, dropped): it is tried again later.
    case unavailable(String)
    /// Anything else: the server said no, TLS is misconfigured, the mailbox changed while it was read.
    case failed(String)

    /// What happened, in the operator's words, with what the transport said after the colon.
    public var description: String {
        switch self {
        case .loginRefused(let detail):
            return "postkassen afviste login; ret bruger, adgangskode eller postkassens navn i konfigurationen: \(detail)"
        case .unavailable(let detail):
            return "postkassen svarer ikke lige nu; der prøves igen ved næste læsning: \(detail)"
        case .failed(let detail):
            return "postkassen kunne ikke læses: \(detail)"
        }
    }
}
