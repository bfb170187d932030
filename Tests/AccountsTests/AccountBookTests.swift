import Accounts
import Foundation
import Store
import Synchronization
import Testing

/// A store in a temporary file, and a clock the test moves by hand.
final class AccountRig {
    let directory: URL
    let store: IntakeStore
    var clock = Date(timeIntervalSince1970: 1_800_000_000)
    var logged: [String] = []

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try IntakeStore(path: directory.appendingPathComponent("t.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var book: AccountBook {
        AccountBook(store: store, log: { [unowned self] in self.logged.append($0) }, now: { [unowned self] in self.clock })
    }

    func advance(_ seconds: TimeInterval) { clock += seconds }
}

@Suite("Accounts: users, logins, sessions, the throttle")
struct AccountBookTests {
    @Test func aUserIsStoredWithAYescryptHashOnly() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: " Anne ", role: .sekretariat, password: "rødgrød med fløde")
        let stored = try #require(try rig.store.user(named: "anne"))
        #expect(stored.role == "sekretariat")
        #expect(stored.passwordHash.hasPrefix("$y$"))
        #expect(!stored.passwordHash.contains("rødgrød"))
        let listed = try rig.book.users()
        #expect(listed.map(\.name) == ["anne"] && listed.map(\.role) == [.sekretariat])
    }

    @Test func namesAndPasswordsAreChecked() throws {
        let rig = try AccountRig()
        #expect(throws: AccountError(code: .badPassword, message: "Adgangskoden skal have mindst 10 tegn.")) {
            try rig.book.addUser(name: "bo", role: .læser, password: "kort")
        }
        #expect(throws: AccountError(code: .badPassword, message: "Adgangskoden er tom.")) {
            try rig.book.addUser(name: "bo", role: .læser, password: "")
        }
        #expect(throws: AccountError.self) { try rig.book.addUser(name: "bo bo", role: .læser, password: "langt nok kodeord") }
        #expect(throws: AccountError.self) { try rig.book.addUser(name: "pipeline", role: .læser, password: "langt nok kodeord") }
        try rig.book.addUser(name: "Bo", role: .læser, password: "langt nok kodeord")
        #expect(throws: AccountError(code: .nameTaken, message: "Brugeren 'bo' findes allerede.")) {
            try rig.book.addUser(name: "BO", role: .sekretariat, password: "et andet kodeord")
        }
        #expect(try rig.store.user(named: "bo")?.role == "læser")
    }

    @Test func loginGivesATokenThatOpensTheSession() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        guard case .success(let token, let session) = try rig.book.login(name: "Anne", password: "rødgrød med fløde") else {
            Issue.record("login failed")
            return
        }
        #expect(token.count == 64 && session.csrfToken.count == 64 && token != session.csrfToken)
        #expect(session.user == "anne" && session.role == .sekretariat && session.role.mayAct)
        let found = try #require(try rig.book.session(token: token))
        #expect(found.user == "anne" && found.csrfToken == session.csrfToken)
        #expect(found.acceptsCSRF(session.csrfToken))
        #expect(!found.acceptsCSRF(nil) && !found.acceptsCSRF("") && !found.acceptsCSRF(String(session.csrfToken.reversed())))
        #expect(try rig.book.session(token: String(token.reversed())) == nil)
        #expect(try rig.book.session(token: "") == nil)
    }

    @Test func theStoreKeepsOnlyTheTokensDigest() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .læser, password: "rødgrød med fløde")
        guard case .success(let token, _) = try rig.book.login(name: "anne", password: "rødgrød med fløde") else { return #expect(Bool(false)) }
        let rows = try rig.store.db.query("SELECT token_hash FROM sessions")
        #expect(rows.count == 1)
        let stored = try #require(rows.first?.first?.text)
        #expect(stored != token && stored.count == 64)
        #expect(try rig.store.session(tokenHash: token) == nil)
    }

    @Test func aReaderMayNotAct() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "lis", role: .læser, password: "kun at kigge på")
        guard case .success(_, let s) = try rig.book.login(name: "lis", password: "kun at kigge på") else { return #expect(Bool(false)) }
        #expect(s.role == .læser && !s.role.mayAct)
    }

    @Test func aWrongPasswordOrUnknownNameIsRefusedTheSameWay() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        #expect(try rig.book.login(name: "anne", password: "rødgrød med fløde!") == .refused)
        #expect(try rig.book.login(name: "ukendt", password: "rødgrød med fløde") == .refused)
        #expect(try rig.store.db.query("SELECT COUNT(*) FROM sessions").first?.first?.int == 0)
    }

    @Test func sessionsEndAfterEightHoursIdleAndUseKeepsThemAlive() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        guard case .success(let token, _) = try rig.book.login(name: "anne", password: "rødgrød med fløde") else { return #expect(Bool(false)) }
        rig.advance(7 * 3600)
        #expect(try rig.book.session(token: token) != nil)
        // Used an hour before the limit: eight more hours from now.
        rig.advance(7 * 3600)
        #expect(try rig.book.session(token: token) != nil)
        rig.advance(8 * 3600)
        #expect(try rig.book.session(token: token) == nil)
        #expect(try rig.store.db.query("SELECT COUNT(*) FROM sessions").first?.first?.int == 0)
    }

    @Test func logoutEndsTheSession() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        guard case .success(let a, _) = try rig.book.login(name: "anne", password: "rødgrød med fløde"),
              case .success(let b, _) = try rig.book.login(name: "anne", password: "rødgrød med fløde") else { return #expect(Bool(false)) }
        try rig.book.logout(token: a)
        #expect(try rig.book.session(token: a) == nil)
        #expect(try rig.book.session(token: b) != nil)
    }

    @Test func aNewPasswordEndsTheUsersSessions() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        guard case .success(let a, _) = try rig.book.login(name: "anne", password: "rødgrød med fløde") else { return #expect(Bool(false)) }
        try rig.store.setPasswordHash(user: "anne", "$y$x")
        #expect(try rig.book.session(token: a) == nil)
    }

    @Test func pruningDeletesOnlyIdleSessions() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        _ = try rig.book.login(name: "anne", password: "rødgrød med fløde")
        rig.advance(5 * 3600)
        _ = try rig.book.login(name: "anne", password: "rødgrød med fløde")
        rig.advance(4 * 3600)
        #expect(try rig.book.pruneExpiredSessions() == 1)
        #expect(try rig.store.db.query("SELECT COUNT(*) FROM sessions").first?.first?.int == 1)
    }

    @Test func fiveFailuresIn15MinutesBrakeThatUserAndAreLogged() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        try rig.book.addUser(name: "bo", role: .sekretariat, password: "æblegrød og is")
        for _ in 0..<5 {
            #expect(try rig.book.login(name: "anne", password: "forkert kodeord") == .refused)
            rig.advance(60)
        }
        // The right password no longer helps, for a while; another user is not affected.
        let firstFailure = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try rig.book.login(name: "anne", password: "rødgrød med fløde") == .throttled(until: firstFailure + 15 * 60))
        guard case .success = try rig.book.login(name: "bo", password: "æblegrød og is") else { return #expect(Bool(false)) }
        #expect(rig.logged.contains { $0.contains("bremset") && $0.contains("anne") })
        #expect(rig.logged.filter { $0.hasPrefix("mislykket login for 'anne'") }.count == 5)
        // Once the first failure is 15 minutes old, one more try is allowed, and the right password works.
        rig.clock = firstFailure + 15 * 60 + 1
        guard case .success = try rig.book.login(name: "anne", password: "rødgrød med fløde") else { return #expect(Bool(false)) }
    }

    @Test func failuresSpreadOverMoreThan15MinutesDoNotBrake() throws {
        let rig = try AccountRig()
        try rig.book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        for _ in 0..<6 {
            _ = try rig.book.login(name: "anne", password: "forkert kodeord")
            rig.advance(4 * 60)
        }
        guard case .success = try rig.book.login(name: "anne", password: "rødgrød med fløde") else { return #expect(Bool(false)) }
    }

    @Test func unknownNamesAreBrakedToo() throws {
        let rig = try AccountRig()
        for _ in 0..<5 { _ = try rig.book.login(name: "gæt", password: "forkert kodeord") }
        guard case .throttled = try rig.book.login(name: "gæt", password: "forkert kodeord") else { return #expect(Bool(false)) }
    }
}

@Suite("The pure rules")
struct AccountRulesTests {
    @Test func throttleCountsOnlyTheWindow() {
        let t = LoginThrottle()
        let now = Date(timeIntervalSince1970: 10_000)
        let four = (1...4).map { now - Double($0) * 60 }
        #expect(t.blockedUntil(failures: four, now: now) == nil)
        let five = (1...5).map { now - Double($0) * 60 }.sorted()
        #expect(t.blockedUntil(failures: five, now: now) == now - 300 + 900)
        let old = five.map { $0 - 900 }
        #expect(t.blockedUntil(failures: old, now: now) == nil)
    }

    @Test func sessionPolicy() {
        let p = SessionPolicy()
        let t = Date(timeIntervalSince1970: 0)
        #expect(!p.isExpired(lastSeen: t, now: t + 8 * 3600 - 1))
        #expect(p.isExpired(lastSeen: t, now: t + 8 * 3600))
        #expect(!p.needsTouch(lastSeen: t, now: t + 59) && p.needsTouch(lastSeen: t, now: t + 60))
    }

    @Test(arguments: ["anne", "anne-marie", "ø.lund_2"])
    func goodNames(name: String) { #expect(AccountRules.nameProblem(name) == nil) }

    @Test(arguments: ["", "a b", "<script>", "x;y", String(repeating: "a", count: 65)])
    func badNames(name: String) { #expect(AccountRules.nameProblem(name) != nil) }

    @Test func passwordLengthIsCountedInCharacters() {
        #expect(AccountRules.passwordProblem("æøåæøåæøåæ") == nil)
        #expect(AccountRules.passwordProblem("æøåæøåæøå") != nil)
        #expect(AccountRules.passwordProblem("tab\tindeni kode") != nil)
    }
}
