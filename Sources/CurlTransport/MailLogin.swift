import CCurl
import MailPorts

/// How a connection to a mail server logs in: SASL XOAUTH2 with a token from `oauth` (forced, so that libcurl never
/// picks OAUTHBEARER, which Exchange Online does not offer), else the password. A token the server refuses is
/// replaced by a fresh one and the login tried once more; refused again, or the client refused by the token
/// endpoint, it is an `AuthorizationError`: an operator must act.
struct MailLogin {
    /// `IMAP` or `SMTP`, for messages.
    let server: String
    let user: String?
    let password: String?
    let oauth: OAuthTokenSource?

    /// Runs `connect`, which logs in with the bearer token it is given (nil: with the password) and throws
    /// curl's `CURLE_LOGIN_DENIED` when the server refuses it. The token endpoint away is an `OAuthError.unavailable`.
    func run<T>(_ connect: (_ bearer: String?) throws -> T) throws -> T {
        guard let oauth else { return try connect(nil) }
        let first = try token(oauth)
        do {
            return try connect(first)
        } catch let e as CurlError where e.code == Int(CURLE_LOGIN_DENIED.rawValue) {
            // Revoked, or expired sooner than it said: Exchange Online's tokens can be, and one more costs little.
            oauth.refused(first, by: server)
        }
        let fresh = try token(oauth)
        do {
            return try connect(fresh)
        } catch let e as CurlError where e.code == Int(CURLE_LOGIN_DENIED.rawValue) {
            oauth.refused(fresh, by: server)
            throw AuthorizationError("\(server)-serveren afviste også et nyt adgangstoken for \(user ?? "?") (\(e.message)); "
                                     + "tjek at appen har \(server == "SMTP" ? "SMTP.SendAsApp" : "IMAP.AccessAsApp") "
                                     + "og adgang til postkassen, og at serveren tager imod XOAUTH2")
        }
    }

    /// Sets the user and the credential for the next connection of `easy`.
    func apply(_ bearer: String?, to easy: CurlEasy) throws {
        if let user { try easy.set(CURLOPT_USERNAME, user) }
        if let bearer {
            try easy.set(CURLOPT_XOAUTH2_BEARER, bearer)
            try easy.set(CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2")
        } else if let password {
            try easy.set(CURLOPT_PASSWORD, password)
        }
    }

    /// A token; the endpoint's refusal becomes the operator's error, with its code and description.
    private func token(_ oauth: OAuthTokenSource) throws -> String {
        do {
            return try oauth.token()
        } catch let e as OAuthError {
            guard case .refused(let code, let text) = e else { throw e }
            let s = oauth.settings
            let what = e.refusesClient ? "afviste OAuth2-klienten \(s.clientID)" : "gav ikke OAuth2-klienten \(s.clientID) et adgangstoken"
            let fix = e.refusesClient ? "ret clientId og klienthemmeligheden (clientSecretEnv eller clientSecretFile)"
                : "ret auth (tokenUrl, clientId, scope) i konfigurationen"
            throw AuthorizationError("tokenserveren \(s.tokenURL) \(what) til \(server): \(code)\(text.isEmpty ? "" : " – \(text)"); \(fix)")
        }
    }
}
