// The routes, ids and names of the pages are fixed in Tests/Browser/CONTRACT.md (the browser test relies on them).
import Accounts
import Foundation
import HTTPServer
import Store

/// The Secretariat's workbench as one function from a request to an answer: login and logout,
/// sessions, the CSRF token and the Origin on every POST, the role's limits and the security headers.
public struct Workbench: Sendable {
    /// The address people type (behind a proxy: the proxy's); https makes the cookie Secure.
    public let publicURL: URL?
    let log: @Sendable (String) -> Void

    public init(publicURL: URL? = nil, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.publicURL = publicURL
        self.log = log
    }

    var secure: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// `__Host-` makes the browser refuse the cookie unless it is Secure, for this host only and for all paths.
    var cookieName: String { secure ? "__Host-ssp_session" : "ssp_session" }

    /// `scheme://host[:port]` of the public URL, as a browser writes it in `Origin`.
    var publicOrigin: String? {
        guard let u = publicURL, let scheme = u.scheme?.lowercased(), let host = u.host?.lowercased() else { return nil }
        return "\(scheme)://\(host)\(u.port.map { ":\($0)" } ?? "")"
    }

    /// Answers `request` with `accounts` (this thread's store). A store failure is a 500 and a log line, never a crash.
    public func respond(to request: HTTPRequest, accounts: AccountBook) -> HTTPResponse {
        do {
            return SecurityHeaders.apply(try route(request, accounts))
        } catch {
            log("web: \(request.method) \(request.path): \(error)")
            return SecurityHeaders.apply(.html(Pages.message("Fejl", "Der skete en fejl. Prøv igen om lidt."), status: 500))
        }
    }

    private func route(_ request: HTTPRequest, _ accounts: AccountBook) throws -> HTTPResponse {
        let isPost = request.method == "POST"
        guard isPost || request.method == "GET" || request.method == "HEAD" else {
            var r = HTTPResponse.text("Metoden er ikke tilladt\n", status: 405)
            r.headers.add("Allow", "GET, HEAD, POST")
            return r
        }
        // A POST from another site's page is refused before anything else is looked at.
        if isPost && !originAllowed(request) {
            log("web: POST \(request.path) afvist: Origin \(request.headers["Origin"] ?? "mangler")")
            return forbidden("Forespørgslen kom ikke fra arbejdsbordet.")
        }
        switch (request.method, request.path) {
        case (_, "/style.css") where !isPost:
            var r = HTTPResponse.text(Pages.stylesheet, type: "text/css")
            r.headers.add("Cache-Control", "max-age=3600")
            return r
        case (_, "/login") where !isPost:
            if try session(request, accounts) != nil { return .redirect(to: "/") }
            return .html(Pages.login())
        case ("POST", "/login"):
            return try login(request, accounts)
        default:
            break
        }
        guard let session = try session(request, accounts) else {
            return isPost ? forbidden("Du er ikke logget ind.") : .redirect(to: "/login")
        }
        if isPost {
            guard session.acceptsCSRF(request.form?["csrf"]) else {
                log("web: POST \(request.path) fra '\(session.user)' afvist: forkert eller manglende CSRF-token")
                return forbidden("Formularen er forældet. Gå tilbage, genindlæs siden og prøv igen.")
            }
            if request.path == "/logout" {
                try accounts.logout(token: request.cookies[cookieName] ?? "")
                var r = HTTPResponse.redirect(to: "/login")
                r.setCookie(.deletion(name: cookieName, secure: secure))
                return r
            }
            guard session.role.mayAct else {
                log("web: POST \(request.path) fra læseren '\(session.user)' afvist")
                return forbidden("Du har kun læseadgang og kan ikke ændre noget.", session: session)
            }
            return .html(Pages.message("Findes ikke", "Handlingen findes ikke.", session: session), status: 404)
        }
        switch request.path {
        case "/": return .html(Pages.queue(session))
        default: return .html(Pages.message("Findes ikke", "Siden findes ikke.", session: session), status: 404)
        }
    }

    private func login(_ request: HTTPRequest, _ accounts: AccountBook) throws -> HTTPResponse {
        guard let form = request.form else { return .html(Pages.login(message: "Formularen kunne ikke læses."), status: 400) }
        let name = form["navn"] ?? ""
        switch try accounts.login(name: name, password: form["kode"] ?? "") {
        case .success(let token, _):
            try accounts.pruneExpiredSessions()
            var r = HTTPResponse.redirect(to: "/")
            r.setCookie(SetCookie(name: cookieName, value: token, secure: secure))
            return r
        case .refused:
            return .html(Pages.login(name: name, message: "Forkert brugernavn eller adgangskode."), status: 401)
        case .throttled(let until):
            let time = until.formatted(Date.FormatStyle(date: .omitted, time: .shortened).locale(Locale(identifier: "da_DK")))
            var r = HTTPResponse.html(Pages.login(name: name, message: "For mange mislykkede forsøg. Prøv igen efter kl. \(time)."),
                                      status: 429)
            r.headers.add("Retry-After", String(max(1, Int(until.timeIntervalSinceNow.rounded(.up)))))
            return r
        }
    }

    private func session(_ request: HTTPRequest, _ accounts: AccountBook) throws -> Session? {
        guard let token = request.cookies[cookieName] else { return nil }
        return try accounts.session(token: token)
    }

    /// The browser's `Origin` must be the public URL's, or without one configured, this very host.
    func originAllowed(_ request: HTTPRequest) -> Bool {
        guard let origin = request.headers["Origin"]?.lowercased(), origin != "null" else { return false }
        if let publicOrigin { return origin == publicOrigin }
        guard let host = request.headers["Host"]?.lowercased() else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    private func forbidden(_ text: String, session: Session? = nil) -> HTTPResponse {
        .html(Pages.message("Ikke tilladt", text, session: session), status: 403)
    }
}
