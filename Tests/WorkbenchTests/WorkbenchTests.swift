import Accounts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import Secretariat
import Store
import Testing
@testable import Workbench

/// A temporary store with one user of each role, and requests made as a browser on 127.0.0.1:8080 would.
final class WorkbenchRig {
    let directory: URL
    let store: IntakeStore
    let workbench: Workbench
    var book: AccountBook { AccountBook(store: store) }
    var dbPath: String { directory.appendingPathComponent("t.sqlite").path }

    init(publicURL: URL? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("workbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try IntakeStore(path: directory.appendingPathComponent("t.sqlite").path)
        workbench = Workbench(site: WorkbenchSite(config: WorkbenchFixture.config, poolKroner: 300_000, dataDirectory: directory),
                              publicURL: publicURL)
        try book.addUser(name: "anne", role: .sekretariat, password: "rødgrød med fløde")
        try book.addUser(name: "lis", role: .læser, password: "kun at kigge på")
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func send(_ method: String, _ path: String, form: String? = nil, cookie: String? = nil,
              origin: String? = "http://127.0.0.1:8080") -> HTTPResponse {
        var headers = HTTPHeaders([("Host", "127.0.0.1:8080")])
        if let origin { headers.add("Origin", origin) }
        if form != nil { headers.add("Content-Type", "application/x-www-form-urlencoded") }
        let cookies = cookie.map { [workbench.cookieName: $0] } ?? [:]
        let (bare, query) = path.firstIndex(of: "?").map { (String(path[..<$0]), String(path[path.index(after: $0)...])) } ?? (path, "")
        let request = HTTPRequest(method: method, path: bare, query: FormFields(urlEncoded: query) ?? FormFields(), headers: headers,
                                  cookies: cookies, body: Array((form ?? "").utf8))
        return workbench.respond(to: request, context: WorkbenchContext(store: store, site: workbench.site))
    }

    /// Logs in and returns the session token and the CSRF token of the page's forms.
    func login(_ name: String, _ password: String) throws -> (token: String, csrf: String) {
        let r = send("POST", "/login", form: "navn=\(name)&kode=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(r.status == 303)
        let cookie = try #require(r.headers["Set-Cookie"])
        let token = String(cookie.prefix { $0 != ";" }.split(separator: "=", maxSplits: 1)[1])
        let page = String(decoding: send("GET", "/", cookie: token).body, as: UTF8.self)
        let csrf = try #require(page.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
        return (token, String(csrf))
    }

    var sessionCount: Int64 { (try? store.db.query("SELECT COUNT(*) FROM sessions").first?.first?.int) ?? -1 }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}

@Suite("Workbench: login, sessions, CSRF, Origin, roles, headers")
struct WorkbenchTests {
    @Test func notLoggedInLeadsToTheLoginPage() throws {
        let rig = try WorkbenchRig()
        let r = rig.send("GET", "/")
        #expect(r.status == 303 && r.headers["Location"] == "/login")
        let page = rig.send("GET", "/login")
        #expect(page.status == 200)
        #expect(page.text.contains("<form id=\"login\" method=\"post\" action=\"/login\"") && page.text.contains("lang=\"da\""))
        #expect(rig.send("GET", "/login", cookie: "ukendt").status == 200)
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() throws {
        let rig = try WorkbenchRig()
        for r in [rig.send("GET", "/"), rig.send("GET", "/login"), rig.send("POST", "/login", form: "navn=x&kode=y", origin: nil),
                  rig.send("GET", "/findes-ikke", cookie: try rig.login("anne", "rødgrød med fløde").token)] {
            #expect(r.headers["Content-Security-Policy"]?.contains("default-src 'self'") == true)
            #expect(r.headers["Content-Security-Policy"]?.contains("frame-ancestors 'none'") == true)
            #expect(r.headers["X-Content-Type-Options"] == "nosniff")
            #expect(r.headers["Referrer-Policy"] == "same-origin")
        }
    }

    @Test func aGoodLoginSetsAStrictHttpOnlyCookieAndOpensTheQueue() throws {
        let rig = try WorkbenchRig()
        let r = rig.send("POST", "/login", form: "navn=Anne&kode=r%C3%B8dgr%C3%B8d+med+fl%C3%B8de")
        #expect(r.status == 303 && r.headers["Location"] == "/")
        let cookie = try #require(r.headers["Set-Cookie"])
        #expect(cookie.hasPrefix("ssp_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"))
        let (token, _) = try rig.login("anne", "rødgrød med fløde")
        let queue = rig.send("GET", "/", cookie: token)
        #expect(queue.status == 200 && queue.text.contains("Kø") && queue.text.contains("anne"))
        #expect(rig.send("GET", "/login", cookie: token).headers["Location"] == "/")
    }

    @Test func withAnHttpsPublicURLTheCookieIsSecureAndOnlyThatOriginMayPost() throws {
        let rig = try WorkbenchRig(publicURL: URL(string: "https://ssp.example.dk"))
        let form = "navn=anne&kode=r%C3%B8dgr%C3%B8d+med+fl%C3%B8de"
        #expect(rig.send("POST", "/login", form: form).status == 403)
        let r = rig.send("POST", "/login", form: form, origin: "https://ssp.example.dk")
        let cookie = try #require(r.headers["Set-Cookie"])
        #expect(cookie.hasPrefix("__Host-ssp_session=") && cookie.contains("; Secure"))
    }

    @Test func aWrongPasswordShowsTheLoginPageAgainWithoutACookie() throws {
        let rig = try WorkbenchRig()
        let r = rig.send("POST", "/login", form: "navn=anne&kode=forkert")
        #expect(r.status == 401)
        #expect(r.headers["Set-Cookie"] == nil)
        #expect(r.text.contains("Forkert brugernavn eller adgangskode."))
        #expect(rig.sessionCount == 0)
    }

    @Test func fiveWrongPasswordsBrakeTheLogin() throws {
        let rig = try WorkbenchRig()
        for _ in 0..<5 { #expect(rig.send("POST", "/login", form: "navn=anne&kode=forkert").status == 401) }
        let r = rig.send("POST", "/login", form: "navn=anne&kode=r%C3%B8dgr%C3%B8d+med+fl%C3%B8de")
        #expect(r.status == 429)
        #expect(r.headers["Retry-After"] != nil && r.text.contains("For mange mislykkede forsøg"))
        #expect(rig.sessionCount == 0)
    }

    @Test(arguments: [nil, "https://angriber.example", "null", "http://127.0.0.1:9999"])
    func aPostFromAnotherOriginIs403(origin: String?) throws {
        let rig = try WorkbenchRig()
        let (token, csrf) = try rig.login("anne", "rødgrød med fløde")
        #expect(rig.send("POST", "/logout", form: "csrf=\(csrf)", cookie: token, origin: origin).status == 403)
        #expect(rig.send("POST", "/login", form: "navn=anne&kode=r%C3%B8dgr%C3%B8d+med+fl%C3%B8de", origin: origin).status == 403)
        #expect(rig.sessionCount == 1)
    }

    @Test(arguments: [nil, "", "0000000000000000000000000000000000000000000000000000000000000000"])
    func aPostWithoutTheRightCSRFTokenIs403AndChangesNothing(csrf: String?) throws {
        let rig = try WorkbenchRig()
        let (token, _) = try rig.login("anne", "rødgrød med fløde")
        let r = rig.send("POST", "/logout", form: csrf.map { "csrf=\($0)" } ?? "", cookie: token)
        #expect(r.status == 403)
        #expect(rig.sessionCount == 1)
        #expect(rig.send("GET", "/", cookie: token).status == 200)
    }

    @Test func aPostWithoutASessionIs403() throws {
        let rig = try WorkbenchRig()
        #expect(rig.send("POST", "/logout", form: "csrf=x").status == 403)
    }

    @Test func logoutEndsTheSessionAndClearsTheCookie() throws {
        let rig = try WorkbenchRig()
        let (token, csrf) = try rig.login("anne", "rødgrød med fløde")
        let r = rig.send("POST", "/logout", form: "csrf=\(csrf)", cookie: token)
        #expect(r.status == 303 && r.headers["Location"] == "/login")
        #expect(r.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        #expect(rig.send("GET", "/", cookie: token).status == 303)
        #expect(rig.sessionCount == 0)
    }

    @Test func aReaderMayLookAndLogOutButNotAct() throws {
        let rig = try WorkbenchRig()
        let (token, csrf) = try rig.login("lis", "kun at kigge på")
        #expect(rig.send("GET", "/", cookie: token).status == 200)
        let act = rig.send("POST", "/sag/S-1/afslut", form: "csrf=\(csrf)&note=x", cookie: token)
        #expect(act.status == 403 && act.text.contains("læseadgang"))
        #expect(rig.send("POST", "/logout", form: "csrf=\(csrf)", cookie: token).status == 303)
    }

    @Test func otherMethodsAre405() throws {
        let rig = try WorkbenchRig()
        let r = rig.send("DELETE", "/")
        #expect(r.status == 405 && r.headers["Allow"] == "GET, HEAD, POST")
    }

    @Test func htmlEscapingCoversMarkupAndQuotes() {
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTML.escape("\"><img onerror='x'>&") == "&quot;&gt;&lt;img onerror=&#39;x&#39;&gt;&amp;")
        #expect(Pages.login(name: "\"><script>").contains("value=\"&quot;&gt;&lt;script&gt;\""))
    }
}

/// Keeps URLSession from following redirects, so a test sees the 303 and its cookie.
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

@Suite("Workbench over HTTP")
struct WorkbenchServerTests {
    @Test func loginAndQueueOverARealServer() async throws {
        let rig = try WorkbenchRig()
        let server = try WorkbenchServer.start(rig.workbench, listen: ListenAddress(host: "127.0.0.1", port: 0), databasePath: rig.dbPath)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let config = URLSessionConfiguration.ephemeral
        config.httpShouldSetCookies = false
        let session = URLSession(configuration: config, delegate: NoRedirects(), delegateQueue: nil)

        let (_, first) = try await session.data(for: URLRequest(url: URL(string: base + "/")!))
        #expect((first as? HTTPURLResponse)?.statusCode == 303)

        var post = URLRequest(url: URL(string: base + "/login")!)
        post.httpMethod = "POST"
        post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        post.setValue(base, forHTTPHeaderField: "Origin")
        post.httpBody = Data("navn=anne&kode=r%C3%B8dgr%C3%B8d+med+fl%C3%B8de".utf8)
        let (_, loginResponse) = try await session.data(for: post)
        let login = try #require(loginResponse as? HTTPURLResponse)
        #expect(login.statusCode == 303)
        let cookie = try #require(login.value(forHTTPHeaderField: "Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))

        var get = URLRequest(url: URL(string: base + "/")!)
        get.setValue(String(cookie.prefix { $0 != ";" }), forHTTPHeaderField: "Cookie")
        let (data, queueResponse) = try await session.data(for: get)
        #expect((queueResponse as? HTTPURLResponse)?.statusCode == 200)
        let page = String(decoding: data, as: UTF8.self)
        #expect(page.contains("<h1>Kø</h1>") && page.contains("anne (sekretariat)"))
        #expect((queueResponse as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Security-Policy")?.contains("default-src 'self'") == true)
    }
}
