@testable import CurlTransport
import Foundation
import Testing

/// Tokens kept in memory, renewed at 80% of their life and once more after a refusal, without a network.
@Suite struct OAuthTokenSourceTests {
    /// A token endpoint of the test's own: each answer in turn, counting the requests.
    final class Endpoint: @unchecked Sendable {
        private let lock = NSLock()
        var answers: [Result<OAuthToken, OAuthError>] = []
        private(set) var requests = 0
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var lines: [String] = []

        func request(_ s: OAuthClientSettings) throws -> OAuthToken {
            lock.lock()
            defer { lock.unlock() }
            requests += 1
            return try answers.removeFirst().get()
        }

        func source(secret: String = "hemmelig-klient") -> OAuthTokenSource {
            OAuthTokenSource(OAuthClientSettings(tokenURL: "https://login.microsoftonline.com/t/oauth2/v2.0/token", clientID: "app",
                                                 clientSecret: secret, scope: "https://outlook.office365.com/.default"),
                             log: { [self] in lines.append($0) }, clock: { [self] in now }, request: { [self] in try request($0) })
        }
    }

    static func token(_ v: String, _ lifetime: TimeInterval = 100) -> Result<OAuthToken, OAuthError> {
        .success(OAuthToken(value: v, lifetime: lifetime))
    }

    @Test func aTokenIsKeptUntil80PercentOfItsLife() throws {
        let e = Endpoint()
        e.answers = [Self.token("t1"), Self.token("t2")]
        let s = e.source()
        #expect(e.requests == 0, "nothing is fetched before a login needs it")
        #expect(try s.token() == "t1")
        e.now += 79
        #expect(try s.token() == "t1" && e.requests == 1)
        e.now += 1
        #expect(try s.token() == "t2" && e.requests == 2 && s.fetchCount == 2)
        #expect(e.lines == ["nyt adgangstoken til app fra login.microsoftonline.com (gyldigt i 100 s)",
                            "nyt adgangstoken til app fra login.microsoftonline.com (gyldigt i 100 s)"])
    }

    /// The one the server refused is forgotten; a refusal of an older one (another connection's) drops nothing newer.
    @Test func aRefusedTokenIsReplacedAtOnce() throws {
        let e = Endpoint()
        e.answers = [Self.token("t1"), Self.token("t2")]
        let s = e.source()
        #expect(try s.token() == "t1")
        s.refused("t1", by: "IMAP")
        #expect(try s.token() == "t2")
        s.refused("t1", by: "SMTP")
        #expect(try s.token() == "t2" && e.requests == 2)
        #expect(e.lines.contains("IMAP afviste adgangstokenet; et nyt hentes") && !e.lines.contains { $0.hasPrefix("SMTP") })
    }

    /// The endpoint away for a moment: the token in hand serves while it lives (less a margin), then the error shows.
    @Test func anEndpointAwayLeavesALivingTokenInUse() throws {
        let e = Endpoint()
        e.answers = [Self.token("t1"), .failure(.unavailable("HTTP 503")), .failure(.unavailable("HTTP 503"))]
        let s = e.source()
        #expect(try s.token() == "t1")
        e.now += 85
        #expect(try s.token() == "t1")
        #expect(e.lines.last == "tokenserveren svarer ikke lige nu: HTTP 503; det nuværende adgangstoken bruges, til det udløber")
        e.now += 10   // 95 s: within the last tenth of its life
        #expect(throws: OAuthError.unavailable("HTTP 503")) { try s.token() }
    }

    @Test func aRefusalIsThrownAndNeverHoldsTheSecret() throws {
        let e = Endpoint()
        e.answers = [.failure(.refused(code: "invalid_client", description: "secret hemmelig-klient is wrong")),
                     .failure(.unavailable("echo hemmelig-klient"))]
        let s = e.source()
        #expect(throws: OAuthError.refused(code: "invalid_client", description: "secret … is wrong")) { try s.token() }
        #expect(throws: OAuthError.unavailable("echo …")) { try s.token() }
        #expect(s.fetchCount == 0)
    }

    /// RFC 6749 §4.4.2 in application/x-www-form-urlencoded: Azure's secrets hold `~`, `.` and `_` as they are.
    @Test func theRequestBodyIsFormEncoded() {
        let s = OAuthClientSettings(tokenURL: "https://x/token", clientID: "id 1", clientSecret: "a~b.c_d-e+f&g=h/æ",
                                    scope: "https://outlook.office365.com/.default")
        #expect(OAuthTokenRequest.body(s) == "grant_type=client_credentials&client_id=id%201&client_secret=a~b.c_d-e%2Bf%26g%3Dh%2F%C3%A6"
                + "&scope=https%3A%2F%2Foutlook.office365.com%2F.default")
        #expect(!"\(s)".contains("a~b"))
    }

    @Test(arguments: [("https://login.microsoftonline.com/t/oauth2/v2.0/token", nil), ("http://127.0.0.1:12080/t/oauth2/v2.0/token", nil),
                      ("http://login.microsoftonline.com/t/token", "https://"), ("http://localhost:1/token", "https://"),
                      ("https://app:hemmelig@login.microsoftonline.com/t", "bruger eller adgangskode"), ("ftp://x/token", "ftp://"),
                      ("login.microsoftonline.com", "ikke en adresse")] as [(String, String?)])
    func onlyTLSOrLoopbackCarriesTheSecret(_ url: String, _ problem: String?) {
        let found = OAuthClientSettings.urlProblem(url)
        if let problem { #expect(found?.contains(problem) == true, "\(found ?? "nil")") } else { #expect(found == nil) }
    }

    /// A URL that is refused is never asked: the secret stays home.
    @Test func aPlainHTTPEndpointIsNeverAsked() {
        let s = OAuthClientSettings(tokenURL: "http://192.0.2.1/token", clientID: "a", clientSecret: "b", scope: "c")
        #expect { try OAuthTokenRequest.perform(s) } throws: { e in
            guard case .refused(let code, _)? = e as? OAuthError else { return false }
            return code == "tokenUrl"
        }
    }
}
