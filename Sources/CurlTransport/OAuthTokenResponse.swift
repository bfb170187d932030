import Foundation

/// An access token and how long the endpoint said it lives; its text never shows in a description or a dump.
public struct OAuthToken: Sendable, CustomStringConvertible, CustomReflectable {
    /// The bearer token itself, for SASL XOAUTH2 and nothing else.
    public let value: String
    /// Seconds from the request, as `expires_in` gave them.
    public let lifetime: TimeInterval

    public init(value: String, lifetime: TimeInterval) {
        self.value = value
        self.lifetime = lifetime
    }

    public var description: String { "adgangstoken (gyldigt i \(Int(lifetime)) s)" }
    public var customMirror: Mirror { Mirror(self, children: ["lifetime": lifetime]) }
}

/// What a token endpoint's answer means, read from its HTTP status and JSON body (RFC 6749 §5.1 and §5.2,
/// as Microsoft's identity platform writes them). Pure: no I/O.
public enum OAuthTokenResponse {
    /// The lifetime assumed when the endpoint gives none (RFC 6749 only recommends `expires_in`): Exchange Online's least.
    public static let defaultLifetime: TimeInterval = 3600
    /// The longest description kept: Microsoft's run to a few hundred characters with their trace lines.
    static let maxDescription = 600

    public static func parse(status: Int, body: [UInt8]) -> Result<OAuthToken, OAuthError> {
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if (200...299).contains(status) {
            guard let json else { return .failure(.unavailable("svaret er ikke JSON (HTTP \(status))")) }
            return token(json)
        }
        let transient = status >= 500 || status == 429 || status == 408
        if let json, let code = json["error"] as? String, !code.isEmpty {
            let text = oneLine(json["error_description"] as? String ?? "")
            let code = oneLine(code)
            if transient || code == "temporarily_unavailable" {
                return .failure(.unavailable("\(code)\(text.isEmpty ? "" : " – \(text)") (HTTP \(status))"))
            }
            return .failure(.refused(code: code, description: text))
        }
        if transient { return .failure(.unavailable("HTTP \(status)")) }
        // A redirect or a 404 is a tokenUrl that names no token endpoint: asking again will not help.
        return .failure(.refused(code: "HTTP \(status)", description: "svaret er ikke et OAuth2-svar; er tokenUrl rigtig?"))
    }

    private static func token(_ json: [String: Any]) -> Result<OAuthToken, OAuthError> {
        // It goes into a SASL message and a protocol line: visible ASCII only, which every real token is.
        guard let value = json["access_token"] as? String, !value.isEmpty,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.unavailable("svaret har intet brugbart access_token"))
        }
        if let type = json["token_type"] as? String, type.lowercased() != "bearer" {
            return .failure(.refused(code: "unsupported_token_type", description: "token_type er \"\(oneLine(type))\", ikke Bearer"))
        }
        // Microsoft's v1 endpoints give the number as a string; anything else unreadable counts as absent.
        var lifetime = defaultLifetime
        // Foundation on Linux reads `true` as a number too, of a class of its own.
        if let n = json["expires_in"] as? NSNumber, !String(describing: type(of: n)).contains("Boolean") {
            lifetime = n.doubleValue
        } else if let s = json["expires_in"] as? String, let n = Double(s.trimmingCharacters(in: .whitespaces)) {
            lifetime = n
        }
        guard lifetime.isFinite else { return .success(OAuthToken(value: value, lifetime: defaultLifetime)) }
        return .success(OAuthToken(value: value, lifetime: min(max(lifetime, 1), 30 * 86_400)))
    }

    /// The endpoint's text on one line: its CR/LF and other control characters become spaces, and a long one is cut.
    static func oneLine(_ s: String) -> String {
        var out = ""
        var space = false
        for u in s.unicodeScalars {
            let control = u.properties.generalCategory == .control || u.properties.generalCategory == .format
                || u == "\u{2028}" || u == "\u{2029}"
            if control || u == " " {
                space = !out.isEmpty
                continue
            }
            if space { out.unicodeScalars.append(" ") }
            space = false
            out.unicodeScalars.append(u)
        }
        return out.count > maxDescription ? String(out.prefix(maxDescription)) + " …" : out
    }
}
