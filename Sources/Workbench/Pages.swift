import Accounts

/// The workbench's HTML, in Danish; every value put into it is escaped here.
enum Pages {
    static func layout(title: String, session: Session?, body: String) -> String {
        var nav = ""
        if let session {
            nav = """
                <nav><a href="/">Kø</a>
                <span class="user">\(HTML.escape(session.user)) (\(HTML.escape(session.role.rawValue)))</span>
                <form method="post" action="/logout">\(csrfField(session))<button type="submit">Log ud</button></form></nav>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="da">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) – SSP-sekretariatet</title>
            <link rel="stylesheet" href="/style.css"></head>
            <body>
            <header><h1>SSP-sekretariatet</h1>\(nav)</header>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    static func csrfField(_ session: Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(session.csrfToken))\">"
    }

    static func login(name: String = "", message: String? = nil) -> String {
        let note = message.map { "<p class=\"fejl\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        return layout(title: "Log ind", session: nil, body: """
            <h2>Log ind</h2>
            \(note)
            <form method="post" action="/login" class="login">
            <label>Brugernavn <input name="navn" value="\(HTML.escape(name))" autocomplete="username" required autofocus></label>
            <label>Adgangskode <input name="kode" type="password" autocomplete="current-password" required></label>
            <button type="submit">Log ind</button>
            </form>
            """)
    }

    /// A placeholder until the queue is built on the Secretariat library.
    static func queue(_ session: Session) -> String {
        layout(title: "Kø", session: session, body: """
            <h2>Kø</h2>
            <p>Velkommen, \(HTML.escape(session.user)). Køen vises her.</p>
            """)
    }

    static func message(_ title: String, _ text: String, session: Session? = nil) -> String {
        layout(title: title, session: session, body: "<h2>\(HTML.escape(title))</h2>\n<p>\(HTML.escape(text))</p>")
    }

    static let stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
        header { display: flex; align-items: center; justify-content: space-between; padding: .5rem 1rem; background: #00475a; color: #fff; }
        header h1 { font-size: 1.1rem; margin: 0; }
        header a { color: #fff; }
        nav { display: flex; gap: 1rem; align-items: center; }
        nav form { display: inline; }
        main { padding: 1rem; max-width: 70rem; }
        form.login { display: grid; gap: .75rem; max-width: 20rem; }
        label { display: grid; gap: .25rem; }
        .fejl { color: #a4000f; font-weight: 600; }

        """
}
