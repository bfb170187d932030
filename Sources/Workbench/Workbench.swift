// The routes, ids and names of the pages are fixed in Tests/Browser/CONTRACT.md (the browser test relies on them).
import Accounts
import Foundation
import HTTPServer
import Intake
import Secretariat
import Store

/// The Secretariat's workbench as one function from a request to an answer: login and logout,
/// sessions, the CSRF token and the Origin on every POST, the role's limits and the security headers.
public struct Workbench: Sendable {
    /// The address people type (behind a proxy: the proxy's); https makes the cookie Secure.
    public let publicURL: URL?
    /// The config, pool and data directory the pages and actions read.
    public let site: WorkbenchSite
    let log: @Sendable (String) -> Void
    let flashes = FlashBox()
    let queue = QueueCache()

    public init(site: WorkbenchSite, publicURL: URL? = nil) {
        self.site = site
        self.publicURL = publicURL
        self.log = site.log
    }

    var secure: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// `__Host-` makes the browser refuse the cookie unless it is Secure, for this host only and for all paths.
    var cookieName: String { secure ? "__Host-ssp_session" : "ssp_session" }

    /// `scheme://host[:port]` of the public URL, as a browser writes it in `Origin`.
    var publicOrigin: String? {
        guard let u = publicURL, let scheme = u.scheme?.lowercased(), let host = u.host?.lowercased() else { return nil }
        return "\(scheme)://\(host)\(u.port.map { ":\($0)" } ?? "")"
    }

    /// Answers `request` with `context` (this thread's store). A store failure is a 500 and a log line, never a crash.
    public func respond(to request: HTTPRequest, context: WorkbenchContext) -> HTTPResponse {
        do {
            return SecurityHeaders.apply(try route(request, context))
        } catch {
            log("web: \(request.method) \(request.path): \(error)")
            return SecurityHeaders.apply(.html(Pages.message("Fejl", "Der skete en fejl. Prøv igen om lidt."), status: 500))
        }
    }

    private func route(_ request: HTTPRequest, _ context: WorkbenchContext) throws -> HTTPResponse {
        let accounts = context.accounts
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
            var r = HTTPResponse.text(Stylesheet.css, type: "text/css")
            r.headers.add("Cache-Control", "max-age=3600")
            return r
        case (_, "/favicon.svg") where !isPost:
            var r = HTTPResponse.text(Stylesheet.icon, type: "image/svg+xml")
            r.headers.add("Cache-Control", "max-age=86400")
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
            return try act(request, session, context)
        }
        return try page(request, session, context) ?? notFound(session)
    }

    private func notFound(_ session: Session) -> HTTPResponse {
        .html(Pages.message("Findes ikke", "Siden findes ikke.", session: session), status: 404)
    }

    /// The GET pages; nil when the path names nothing.
    private func page(_ request: HTTPRequest, _ session: Session, _ context: WorkbenchContext) throws -> HTTPResponse? {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch parts.first ?? "" {
        case "" where parts.count == 1:
            let page = QueuePage(session: session, filter: QueuePage.Filter(request.query),
                                 snapshot: try queue.snapshot(context.desk),
                                 areaNames: site.config.site.localAreas.map(\.name))
            return .html(page.html())
        case "sag" where parts.count == 2:
            let flash = flashes.take("\(session.csrfToken) \(parts[1])").map { Pages.Flash(ok: true, lines: $0) }
            return try casePage(parts[1], session, context, flash: flash).map { .html($0) }
        case "budget" where parts.count == 1:
            return .html(BudgetPage(session: session, budget: try BudgetOverview.load(context.desk)).html())
        case "drift" where parts.count == 1:
            return .html(try DriftPage.load(context.store, session: session, pollIntervalSeconds: site.pollIntervalSeconds).html())
        case "bilag" where parts.count == 3:
            return try Downloads.attachment(context.store, message: parts[1], index: parts[2])
        case "mail" where parts.count == 2:
            return try Downloads.eml(context.store, file: parts[1])
        default:
            return nil
        }
    }

    /// A case (`S-12`, `SSP-2027-0004`) or a mail on its own (`M-4`), rendered; nil when there is none.
    private func casePage(_ label: String, _ session: Session, _ context: WorkbenchContext, flash: Pages.Flash?) throws -> String? {
        switch try RecordView.load(label, store: context.store, config: site.config) {
        case .case(let details)?:
            guard let record = try context.store.record(label: label) else { return nil }
            let kind: CorrectedKind? = record.kind == .application ? .application : record.kind == .receipt ? .receipt : nil
            let engine = IntakeEngine(config: site.config)
            let names = site.config.replies.fieldNames
            let correctable = kind.map { engine.correctableFields($0).map { (key: $0, name: names[$0] ?? $0) } } ?? []
            return CasePage(session: session, record: record, details: details,
                            corrections: try context.store.corrections(record: record.id), correctable: correctable,
                            flash: flash).html()
        case .mail(let mail)?:
            return MailPage(session: session, mail: mail, flash: flash).html()
        case nil:
            return nil
        }
    }

    /// `POST /sag/<label>/<action>`: the library's action by the logged-in user; done → 303 back with the
    /// outcome shown once, refused → the case again with 409 and the library's Danish line.
    private func act(_ request: HTTPRequest, _ session: Session, _ context: WorkbenchContext) throws -> HTTPResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count == 3, parts[0] == "sag", let action = CaseAction(rawValue: parts[2]), let form = request.form else {
            return .html(Pages.message("Findes ikke", "Handlingen findes ikke.", session: session), status: 404)
        }
        let label = parts[1]
        let exists = try context.store.record(label: label) != nil
            || StoredMessage.id(label: label).map { try context.store.message($0) != nil } ?? false
        guard exists else { return notFound(session) }
        let refusal: String
        do {
            let (lines, landing) = try action.perform(label, form: form, user: session.user, actions: context.actions,
                                                      dataDirectory: site.dataDirectory)
            log("web: \(session.user): \(action.rawValue) \(label): \(lines.first ?? "")")
            // Keyed by the case too, so the line shows on the page the redirect opens and on no other.
            flashes.put("\(session.csrfToken) \(landing)", lines)
            return .redirect(to: "/sag/\(landing.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? landing)")
        } catch let e as ActionError {
            refusal = e.description
        } catch let e as CaseAction.Refusal {
            refusal = e.line
        }
        log("web: \(session.user): \(action.rawValue) \(label) afvist: \(refusal)")
        let html = try casePage(label, session, context, flash: Pages.Flash(ok: false, lines: [refusal]))
        return .html(html ?? Pages.message("Afvist", refusal, session: session), status: 409)
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
