import CCurl
import Foundation

/// One client-credentials request to the token endpoint through libcurl: a form-encoded POST, no redirects,
/// no verbose output (the body holds the secret), certificates verified.
enum OAuthTokenRequest {
    static func perform(_ settings: OAuthClientSettings) throws -> OAuthToken {
        if let problem = OAuthClientSettings.urlProblem(settings.tokenURL) {
            throw OAuthError.refused(code: "tokenUrl", description: problem)
        }
        let easy = CurlEasy()
        let https = settings.tokenURL.lowercased().hasPrefix("https://")
        do {
            try easy.set(CURLOPT_URL, settings.tokenURL)
            // curl must not be talked into another protocol (or plain HTTP) by the URL.
            try easy.set(CURLOPT_PROTOCOLS_STR, https ? "https" : "http")
            try easy.set(CURLOPT_COPYPOSTFIELDS, body(settings))
            try easy.set(CURLOPT_HTTPHEADER, list: ["Accept: application/json",
                                                    "Content-Type: application/x-www-form-urlencoded"])
            try easy.set(CURLOPT_USERAGENT, "ssp-intake")
            try easy.set(CURLOPT_CONNECTTIMEOUT, 10)
            try easy.set(CURLOPT_TIMEOUT, 30)
            try easy.perform()
        } catch let e as CurlError {
            throw OAuthError.unavailable(e.message)
        }
        let status = (try? easy.info(long: CURLINFO_RESPONSE_CODE)) ?? 0
        return try OAuthTokenResponse.parse(status: status, body: easy.received).get()
    }

    /// `grant_type=client_credentials&client_id=…&client_secret=…&scope=…` (RFC 6749 §4.4.2, Appendix B).
    static func body(_ s: OAuthClientSettings) -> String {
        [("grant_type", "client_credentials"), ("client_id", s.clientID), ("client_secret", s.clientSecret), ("scope", s.scope)]
            .map { "\($0.0)=\(formEncoded($0.1))" }.joined(separator: "&")
    }

    /// Percent-encoding of everything but RFC 3986's unreserved characters.
    static func formEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
