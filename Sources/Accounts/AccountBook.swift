import Foundation
import Store
import SystemCrypto

/// Users, logins and sessions over the store: hashes passwords, hands out tokens, applies the
/// throttle and the idle expiry. Not Sendable, like the store it uses: one per thread or task.
public struct AccountBook {
    public let store: IntakeStore
    public var throttle = LoginThrottle()
    public var policy = SessionPolicy()
    /// Where refusals and brakes are reported (the operator's log).
    let log: (String) -> Void
    let now: () -> Date

    public init(store: IntakeStore, log: @escaping (String) -> Void = { _ in }, now: @escaping () -> Date = Date.init) {
        self.store = store
        self.log = log
        self.now = now
    }

    // MARK: - Users

    /// Adds a user with a new yescrypt hash of `password`; the name is normalized (see `AccountRules`).
    @discardableResult
    public func addUser(name: String, role: Role, password: String) throws -> UserRecord {
        let name = AccountRules.normalizedName(name)
        if let problem = AccountRules.nameProblem(name) { throw AccountError(code: .badName, message: problem) }
        if let problem = AccountRules.passwordProblem(password) { throw AccountError(code: .badPassword, message: problem) }
        let user = UserRecord(name: name, role: role.rawValue, passwordHash: try PasswordHash.make(password), created: now())
        guard try store.addUser(user) else { throw AccountError(code: .nameTaken, message: "Brugeren '\(name)' findes allerede.") }
        try store.audit(actor: "kommandolinjen", record: nil, message: nil, action: "bruger oprettet", detail: "\(name) (\(role.rawValue))")
        return user
    }

    /// Every user with a role this program knows, by name.
    public func users() throws -> [(name: String, role: Role, created: Date)] {
        try store.users().compactMap { u in Role(rawValue: u.role).map { (u.name, $0, u.created) } }
    }

    // MARK: - Logging in and out

    public func login(name rawName: String, password: String) throws -> LoginResult {
        let name = AccountRules.normalizedName(rawName)
        let at = now()
        if let until = throttle.blockedUntil(failures: try store.loginFailures(user: name, since: at - throttle.window), now: at) {
            log("login for '\(name)' afvist uden forsøg: for mange fejl, bremset til \(IntakeStore.now(until))")
            return .throttled(until: until)
        }
        let user = try store.user(named: name)
        // An unknown name costs a hash too, so the answer's time does not tell which names exist.
        let good = PasswordHash.verify(password, against: user?.passwordHash ?? Self.decoyHash)
        guard good, let user, let role = Role(rawValue: user.role) else {
            try store.recordLoginFailure(user: name, at: at)
            let failures = try store.loginFailures(user: name, since: at - throttle.window)
            log("mislykket login for '\(name)' (\(failures.count) inden for \(Int(throttle.window / 60)) min)")
            if let until = throttle.blockedUntil(failures: failures, now: at) {
                log("login for '\(name)' bremset til \(IntakeStore.now(until)) efter \(failures.count) mislykkede forsøg")
            }
            return .refused
        }
        try store.clearLoginFailures(user: name, before: at - throttle.window)
        let token = try SecureRandom.token()
        let record = SessionRecord(tokenHash: Digest.sha256Hex(token), user: name, csrf: try SecureRandom.token(), created: at, lastSeen: at)
        try store.insertSession(record)
        return .success(token: token, session: Session(user: name, role: role, csrfToken: record.csrf, created: at, lastSeen: at))
    }

    /// The session whose cookie carries `token`, touched; nil when unknown, expired (then deleted)
    /// or its user is gone or has a role this program does not know.
    public func session(token: String) throws -> Session? {
        guard !token.isEmpty else { return nil }
        let hash = Digest.sha256Hex(token)
        guard var record = try store.session(tokenHash: hash) else { return nil }
        let at = now()
        if policy.isExpired(lastSeen: record.lastSeen, now: at) {
            try store.deleteSession(tokenHash: hash)
            return nil
        }
        guard let user = try store.user(named: record.user), let role = Role(rawValue: user.role) else { return nil }
        if policy.needsTouch(lastSeen: record.lastSeen, now: at) {
            try store.touchSession(tokenHash: hash, at: at)
            record.lastSeen = at
        }
        return Session(user: user.name, role: role, csrfToken: record.csrf, created: record.created, lastSeen: record.lastSeen)
    }

    public func logout(token: String) throws {
        try store.deleteSession(tokenHash: Digest.sha256Hex(token))
    }

    /// Deletes sessions idle past the policy; returns how many.
    @discardableResult
    public func pruneExpiredSessions() throws -> Int {
        try store.deleteSessions(lastSeenBefore: now() - policy.idle)
    }

    /// A yescrypt hash of nothing anyone can type, made once per process.
    private static let decoyHash: String = (try? PasswordHash.make(Hex.encode((try? SecureRandom.bytes(32)) ?? []))) ?? PasswordHash.prefix
}
