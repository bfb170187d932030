import Foundation

/// Access tokens for one OAuth2 client, shared by the connections of a run: fetched when a login first needs one,
/// kept in memory only, fetched again once 80% of its lifetime has passed, and at once after a server refused it.
public final class OAuthTokenSource: @unchecked Sendable {
    public let settings: OAuthClientSettings
    /// The share of a token's lifetime after which a new one is fetched: Exchange Online ends an IMAP session
    /// whose token expired (`BYE Session invalidated - AccessTokenExpired`), so no login may use an old one.
    public static let renewal = 0.8
    /// The endpoint away for a moment does not stop a run whose token lives this much longer (or a tenth of its life).
    static let graceMargin: TimeInterval = 30

    private let lock = NSLock()
    // Guarded by `lock`.
    private var current: (value: String, renewAt: Date, usableUntil: Date)?
    private var fetches = 0
    private let log: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date
    private let request: @Sendable (OAuthClientSettings) throws -> OAuthToken

    /// `log` hears each token fetched and each one a server refused, in Danish; never a token or the secret.
    public convenience init(_ settings: OAuthClientSettings, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(settings, log: log, clock: { Date() }, request: OAuthTokenRequest.perform)
    }

    init(_ settings: OAuthClientSettings, log: @escaping @Sendable (String) -> Void, clock: @escaping @Sendable () -> Date,
         request: @escaping @Sendable (OAuthClientSettings) throws -> OAuthToken) {
        self.settings = settings
        self.log = log
        self.clock = clock
        self.request = request
    }

    /// How many tokens have been fetched so far.
    public var fetchCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return fetches
    }

    /// The token to log in with: the kept one while it is young enough, else a new one. Throws `OAuthError`.
    public func token() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let asked = clock()
        if let c = current, asked < c.renewAt { return c.value }
        do {
            let t = try request(settings)
            fetches += 1
            // Counted from before the request, so that its time in transit is never taken as the token's.
            current = (t.value, asked.addingTimeInterval(t.lifetime * Self.renewal),
                       asked.addingTimeInterval(t.lifetime - min(Self.graceMargin, t.lifetime / 10)))
            log("nyt adgangstoken til \(settings.clientID) fra \(host) (gyldigt i \(Int(t.lifetime)) s)")
            return t.value
        } catch let e as OAuthError {
            let e = redacted(e)
            if case .unavailable = e, let c = current, asked < c.usableUntil {
                log("\(e.description); det nuværende adgangstoken bruges, til det udløber")
                return c.value
            }
            throw e
        }
    }

    /// A server refused `token`: it is forgotten, so that the next `token()` fetches a new one (unless one was fetched since).
    public func refused(_ token: String, by server: String) {
        lock.lock()
        defer { lock.unlock() }
        guard current?.value == token else { return }
        current = nil
        log("\(server) afviste adgangstokenet; et nyt hentes")
    }

    private var host: String { URLComponents(string: settings.tokenURL)?.host ?? settings.tokenURL }

    // An endpoint that echoes what it was sent must not carry the secret into a log line.
    private func redacted(_ e: OAuthError) -> OAuthError {
        let secret = settings.clientSecret
        guard secret.count >= 4 else { return e }
        switch e {
        case .refused(let code, let text):
            return .refused(code: code.replacingOccurrences(of: secret, with: "…"), description: text.replacingOccurrences(of: secret, with: "…"))
        case .unavailable(let s):
            return .unavailable(s.replacingOccurrences(of: secret, with: "…"))
        }
    }
}
