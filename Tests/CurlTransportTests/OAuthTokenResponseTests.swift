@testable import CurlTransport
import Foundation
import Testing

/// What a token endpoint's answer means (RFC 6749 §5.1/§5.2 as Microsoft's identity platform writes it).
@Suite struct OAuthTokenResponseTests {
    static func parse(_ status: Int, _ body: String) -> Result<OAuthToken, OAuthError> {
        OAuthTokenResponse.parse(status: status, body: Array(body.utf8))
    }

    static func token(_ status: Int, _ body: String) throws -> OAuthToken {
        try parse(status, body).get()
    }

    @Test func microsoftsAnswerGivesTheTokenAndItsLifetime() throws {
        let t = try Self.token(200, #"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAi.eyJhdWQi.c2ln"}"#)
        #expect(t.value == "eyJ0eXAi.eyJhdWQi.c2ln" && t.lifetime == 3599)
    }

    /// The v1 endpoints give `expires_in` as a string; absent (RFC 6749 only recommends it), an hour is assumed.
    @Test(arguments: [(#""expires_in":"3600","#, 3600.0), (#""expires_in":" 60 ","#, 60), ("", 3600), (#""expires_in":true,"#, 3600),
                      (#""expires_in":"soon","#, 3600), (#""expires_in":0,"#, 1), (#""expires_in":-5,"#, 1),
                      (#""expires_in":1e12,"#, 30 * 86_400), (#""expires_in":20.5,"#, 20.5)] as [(String, Double)])
    func theLifetimeIsReadAsGiven(_ field: String, _ lifetime: Double) throws {
        #expect(try Self.token(200, #"{"#+field+#""access_token":"abc","token_type":"bearer"}"#).lifetime == lifetime)
    }

    @Test func aWrongSecretIsTheClientRefusedOnOneLine() {
        let body = #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-12-03 10:00:00Z","error_codes":[7000215]}"#
        let r = Self.parse(401, body)
        #expect(r.failureValue == .refused(code: "invalid_client",
                                           description: "AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-12-03 10:00:00Z"))
        #expect(r.failureValue?.refusesClient == true)
        #expect(r.failureValue?.description.hasPrefix("tokenserveren afviste klienten: invalid_client – AADSTS7000215") == true)
    }

    @Test(arguments: [(400, "unauthorized_client", true), (400, "invalid_scope", false), (400, "invalid_request", false),
                      (400, "unsupported_grant_type", false), (401, "invalid_grant", false)] as [(Int, String, Bool)])
    func anOAuthErrorIsFinal(_ status: Int, _ code: String, _ client: Bool) {
        let e = Self.parse(status, #"{"error":"\#(code)","error_description":"nej"}"#).failureValue
        #expect(e == .refused(code: code, description: "nej"))
        #expect(e?.refusesClient == client)
    }

    /// Busy, away or broken now is worth asking again later; a tokenUrl that names nothing is not.
    @Test func whatIsTemporaryAndWhatIsNot() {
        #expect(Self.parse(503, #"{"error":"temporarily_unavailable","error_description":"optaget"}"#).failureValue
                == .unavailable("temporarily_unavailable – optaget (HTTP 503)"))
        #expect(Self.parse(400, #"{"error":"temporarily_unavailable"}"#).failureValue == .unavailable("temporarily_unavailable (HTTP 400)"))
        #expect(Self.parse(500, "<html>Server Error</html>").failureValue == .unavailable("HTTP 500"))
        #expect(Self.parse(429, "").failureValue == .unavailable("HTTP 429"))
        #expect(Self.parse(200, "<html>proxy login</html>").failureValue == .unavailable("svaret er ikke JSON (HTTP 200)"))
        guard case .refused(let code, _)? = Self.parse(404, "<html>Not Found</html>").failureValue else {
            Issue.record("a 404 is final")
            return
        }
        #expect(code == "HTTP 404")
        guard case .refused(let c, _)? = Self.parse(302, "").failureValue else { Issue.record("a redirect is final"); return }
        #expect(c == "HTTP 302")
    }

    /// The token goes into a SASL message and a protocol line: nothing but visible ASCII is taken.
    @Test(arguments: ["", "abc def", "abc\r\nA1 LOGOUT", "abc\u{01}", "æøå"])
    func anUnusableTokenIsNotTaken(_ value: String) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["access_token": value, "expires_in": 60]), as: UTF8.self)
        #expect(Self.parse(200, json).failureValue == .unavailable("svaret har intet brugbart access_token"))
        #expect(Self.parse(200, #"{"expires_in":60}"#).failureValue == .unavailable("svaret har intet brugbart access_token"))
    }

    @Test func aTokenOfAnotherTypeIsRefused() {
        #expect(Self.parse(200, #"{"access_token":"abc","token_type":"mac"}"#).failureValue
                == .refused(code: "unsupported_token_type", description: "token_type er \"mac\", ikke Bearer"))
    }

    /// The endpoint's text reaches a log line: control and format characters (bidi too) become spaces, and it is cut.
    @Test func theDescriptionIsOneSafeLine() {
        #expect(OAuthTokenResponse.oneLine("  a\r\n\tb\u{202E}c\u{2028}d  ") == "a b c d")
        let long = OAuthTokenResponse.oneLine(String(repeating: "x", count: 2000))
        #expect(long.count == OAuthTokenResponse.maxDescription + 2 && long.hasSuffix(" …"))
    }

    /// A token printed, interpolated or dumped by mistake shows its lifetime, never itself.
    @Test func aTokenNeverShowsItself() {
        let t = OAuthToken(value: "eyJhbGciOiJIUzI1NiJ9.hemmeligt.tegn", lifetime: 20)
        var dumped = ""
        dump(t, to: &dumped)
        for text in ["\(t)", String(reflecting: t), dumped] {
            #expect(!text.contains("hemmeligt") && !text.contains("eyJ"), "\(text)")
        }
        #expect("\(t)" == "adgangstoken (gyldigt i 20 s)")
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
