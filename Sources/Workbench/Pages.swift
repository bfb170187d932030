import Accounts
import Secretariat

/// The frame every workbench page shares, the login page and short messages, in Danish.
/// Every value put into markup passes `HTML.escape` (the Secretariat's, the one the report uses too).
enum Pages {
    static func h(_ s: String) -> String { HTML.escape(s) }

    /// A one-time line shown at the top of a page: what an action did, or why it was refused.
    struct Flash {
        var ok: Bool
        var lines: [String]
    }

    static func layout(title: String, session: Session?, flash: Flash? = nil, body: String) -> String {
        var nav = ""
        if let session {
            nav = """
                <nav><a id="nav-queue" href="/">Kø</a><a id="nav-budget" href="/budget">Budget</a><a id="nav-drift" href="/drift">Drift</a>
                <span class="user">\(h(session.user)) (\(h(session.role.rawValue)))</span>
                <form id="logout" method="post" action="/logout">\(csrfField(session))<button type="submit">Log ud</button></form></nav>
                """
        }
        var note = ""
        if let flash, !flash.lines.isEmpty {
            note = "<div id=\"flash\" class=\"\(flash.ok ? "ok" : "error")\" role=\"\(flash.ok ? "status" : "alert")\">"
                + flash.lines.map { "<p>\(h($0))</p>" }.joined() + "</div>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="da">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(title)) – SSP-sekretariatet</title>
            <link rel="stylesheet" href="/style.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
            <body>
            <header><p class="brand">SSP-sekretariatet</p>\(nav)</header>
            <main>
            \(note)\(body)
            </main>
            </body>
            </html>

            """
    }

    static func csrfField(_ session: Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(h(session.csrfToken))\">"
    }

    static func login(name: String = "", message: String? = nil) -> String {
        let note = message.map { "<p class=\"fejl\" role=\"alert\">\(h($0))</p>" } ?? ""
        return layout(title: "Log ind", session: nil, body: """
            <h1>Log ind</h1>
            \(note)
            <form id="login" method="post" action="/login" class="login">
            <label>Brugernavn <input name="navn" value="\(h(name))" autocomplete="username" required autofocus></label>
            <label>Adgangskode <input name="kode" type="password" autocomplete="current-password" required></label>
            <button type="submit">Log ind</button>
            </form>
            """)
    }

    static func message(_ title: String, _ text: String, session: Session? = nil) -> String {
        layout(title: title, session: session, body: "<h1>\(h(title))</h1>\n<p>\(h(text))</p>")
    }

    /// A status as a coloured label; the class is made of the code's letters only, so nothing from the store reaches it unchecked.
    static func badge(_ status: String) -> String {
        let cls = status.allSatisfy { $0.isASCII && $0.isLetter } ? "s-\(status)" : "s-other"
        return "<span class=\"badge \(cls)\">\(h(Danish.status(status)))</span>"
    }

    /// `<option>`s with `selected` on the current value; values and labels are escaped.
    static func options(_ pairs: [(value: String, label: String)], selected: String?) -> String {
        pairs.map { "<option value=\"\(h($0.value))\"\($0.value == (selected ?? "") ? " selected" : "")>\(h($0.label))</option>" }.joined()
    }
}
