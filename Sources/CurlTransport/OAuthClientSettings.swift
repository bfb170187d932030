import Foundation

/// An OAuth2 client for the client-credentials grant (RFC 6749 §4.4) as Microsoft's identity platform takes it:
/// the secret comes from the environment or a file, never the config or the command line.
public struct OAuthClientSettings: Sendable, CustomStringConvertible {
    /// `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`; plain HTTP only to 127.0.0.1 (the test rig).
    public var tokenURL: String
    public var clientID: String
    public var clientSecret: String
    /// `https://outlook.office365.com/.default` for Exchange Online's IMAP and SMTP.
    public var scope: String

    public init(tokenURL: String, clientID: String, clientSecret: String, scope: String) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
    }

    /// Where and who, never the secret.
    public var description: String { "OAuth2-klienten \(clientID) hos \(tokenURL)" }

    /// Why `url` cannot be a token endpoint, in Danish; nil when it can. The secret travels in the request's
    /// body, so it goes encrypted, or over loopback to the rig; a URL with a user or password in it is refused too.
    public static func urlProblem(_ url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty else {
            return "\"\(url)\" er ikke en adresse"
        }
        if c.user != nil || c.password != nil { return "adressen må ikke indeholde bruger eller adgangskode" }
        switch scheme {
        case "https": return nil
        case "http" where host == "127.0.0.1": return nil
        case "http": return "adressen skal begynde med https:// (http:// kun til 127.0.0.1, testriggen)"
        default: return "adressen skal begynde med https://, ikke \(scheme)://"
        }
    }
}
