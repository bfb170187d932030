/// Why no access token could be had from the token endpoint.
public enum OAuthError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The endpoint refused the client or the request (`invalid_client`, `unauthorized_client`, `invalid_scope` …):
    /// asking again changes nothing until someone corrects the settings or the app registration.
    case refused(code: String, description: String)
    /// The endpoint could not be reached or gave no usable answer now: asked again later.
    case unavailable(String)

    /// The client itself is what the endpoint turned away (a wrong id or secret), not the request's other parts.
    public var refusesClient: Bool {
        if case .refused(let code, _) = self { return code == "invalid_client" || code == "unauthorized_client" }
        return false
    }

    public var description: String {
        switch self {
        case .refused(let code, let text):
            let what = refusesClient ? "afviste klienten" : "afviste anmodningen om et adgangstoken"
            return "tokenserveren \(what): \(code)\(text.isEmpty ? "" : " – \(text)")"
        case .unavailable(let s):
            return "tokenserveren svarer ikke lige nu: \(s)"
        }
    }
}
