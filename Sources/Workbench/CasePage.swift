import Accounts
import CaseModel
import Foundation
import Intake
import Secretariat
import Store

/// Sag: one case with where each field came from, what is missing, its links, its thread of mails with the
/// new text apart from the quote, the attachments, the replies, the history, and (for the Secretariat) the actions.
struct CasePage {
    let session: Session
    let record: RecordRow
    let details: CaseDetails
    let corrections: [Correction]
    /// The fields the Secretariat may correct on this kind: key and Danish name.
    let correctable: [(key: String, name: String)]
    let flash: Pages.Flash?

    func html() -> String {
        let h = Pages.h
        let d = details
        let label = d.reference
        var body = "<h1>\(h(label))\(d.title.map { " – " + h($0) } ?? "")</h1>\n"
        var facts = ["Slags: \(h(d.kindName))", "Status: \(Pages.badge(d.status))"]
        if let s = d.sender { facts.append("Afsender: \(h(s))") }
        if let a = d.area { facts.append("Lokalområde: \(h(a))") }
        if let r = d.received { facts.append("Modtaget: \(h(DanishTime.stamp(r)))") }
        if let m = record.amount { facts.append("Beløb: \(h(m.danish))") }
        if let m = record.approved { facts.append("Bevilget: \(h(m.danish))") }
        if let p = d.belongsTo { facts.append("Hører til: <a class=\"case-link\" href=\"/sag/\(h(p))\">\(h(p))</a>") }
        if let n = d.note { facts.append("Note: \(h(n))") }
        body += "<p class=\"facts\">" + facts.joined(separator: " · ") + "</p>\n"

        // Fields: the dt says where the value came from, the dd holds only the value (the browser test reads it).
        var fields = ""
        for f in d.fieldList {
            fields += "<dt>\(h(f.name)) <small class=\"source\">\(h(source(of: f.key)))</small></dt><dd data-field=\"\(h(f.key))\">\(h(f.value))</dd>\n"
        }
        body += "<h2>Felter</h2>\n<dl id=\"fields\">\n\(fields)</dl>\n"
        if d.fieldList.isEmpty { body += "<p>Ingen felter læst.</p>\n" }

        var problems = d.missingNames.map { "<li>Mangler: \(h($0))</li>" }
        problems += d.invalid.map { "<li>Ugyldigt: \(h($0.name)): \(h($0.reason))</li>" }
        body += "<section id=\"problems\"><h2>Mangler og fejl</h2>"
            + (problems.isEmpty ? "<p>Intet mangler.</p>" : "<ul>\(problems.joined())</ul>") + "</section>\n"
        body += "<section id=\"hints\"><h2>Bemærkninger</h2>"
            + (d.hints.isEmpty ? "<p>Ingen.</p>" : "<ul>" + d.hints.map { "<li>\(h($0))</li>" }.joined() + "</ul>") + "</section>\n"
        body += linksSection()
        body += Self.mailsSection(d.mails)
        body += Self.attachmentsSection(d.mails)
        body += Self.repliesSection(d.replies)
        body += Self.historySection(d.history)
        if session.role.mayAct { body += actions() }
        return Pages.layout(title: label, session: session, flash: flash, body: body)
    }

    /// Where a field's value came from: the Secretariat's correction (who and when), else the case's mails.
    /// The store keeps no finer source per field, so none is claimed.
    func source(of key: String) -> String {
        if let c = corrections.last(where: { $0.field == key || key.hasPrefix($0.field + ".") }) {
            return "rettet af \(DanishNames.actor(c.actor)) \(DanishTime.stamp(c.at))"
        }
        return "læst i mailen"
    }

    func linksSection() -> String {
        let h = Pages.h
        var items: [String] = []
        if let p = details.belongsTo { items.append("<li>Hører til <a class=\"case-link\" href=\"/sag/\(h(p))\">\(h(p))</a></li>") }
        for l in details.linked {
            items.append("<li><a class=\"case-link\" href=\"/sag/\(h(l.reference))\">\(h(l.reference))</a> \(h(l.kindName)), "
                         + "\(Pages.badge(l.status)): \(h(l.title))</li>")
        }
        for dec in details.decisions {
            items.append("<li>Ledergruppens beslutning: \(h(dec.decisionName))\(dec.trusted ? "" : " (ikke betroet afsender)")"
                         + "\(dec.applied ? "" : ", ikke anvendt") fra \(h(dec.sender ?? "ukendt")) \(h(DanishTime.stamp(dec.at)))"
                         + " i <a class=\"case-link\" href=\"/sag/\(h(dec.mail))\">\(h(dec.mail))</a>"
                         + (dec.comment.map { ": " + h($0) } ?? "") + "</li>")
        }
        return "<section id=\"links\"><h2>Knyttet til sagen</h2>"
            + (items.isEmpty ? "<p>Intet knyttet.</p>" : "<ul>\(items.joined())</ul>") + "</section>\n"
    }

    static func mailsSection(_ mails: [MailDetails]) -> String {
        let h = Pages.h
        var out = "<section id=\"mails\"><h2>Mails</h2>\n"
        if mails.isEmpty { out += "<p>Ingen mails.</p>\n" }
        for m in mails {
            var parts = "<article class=\"mail\" id=\"mail-\(m.id)\">\n<h3>\(h(m.reference)): \(h(m.subject))</h3>\n<dl class=\"headers\">"
            parts += "<dt>Fra</dt><dd>\(h(m.from))</dd><dt>Til</dt><dd>\(h(m.to))</dd>"
            parts += "<dt>Modtaget</dt><dd>\(h(DanishTime.stamp(m.received)))</dd><dt>Emne</dt><dd>\(h(m.subject))</dd>"
            parts += "<dt>Behandlet</dt><dd>\(h(m.kindName)), \(h(m.statusName))\(m.error.map { ": " + h($0) } ?? "")</dd></dl>\n"
            parts += "<h4>Ny tekst</h4>\n<pre class=\"new-text\">\(h(m.newText))</pre>\n"
            if !m.forwarded.isEmpty {
                parts += "<details class=\"forwarded\"><summary>Videresendt mail</summary><pre>\(h(m.forwarded))</pre></details>\n"
            }
            if !m.quoted.isEmpty {
                parts += "<details class=\"quote\"><summary>Citeret tekst\(m.quoteMarker.map { " (efter " + h($0) + ")" } ?? "") – "
                    + "læses ikke af reglerne</summary><blockquote><pre>\(h(m.quoted))</pre></blockquote></details>\n"
            }
            parts += "<p><a class=\"eml\" href=\"/mail/\(h(m.reference)).eml\">Hent mailen som .eml (\(h(Self.bytes(m.size))))</a></p>\n</article>\n"
            out += parts
        }
        return out + "</section>\n"
    }

    static func attachmentsSection(_ mails: [MailDetails]) -> String {
        let h = Pages.h
        var items: [String] = []
        for m in mails {
            for (i, a) in m.attachments.enumerated() {
                let name = a.name.isEmpty ? a.safeName : a.name
                items.append("<li><a class=\"download\" href=\"/bilag/\(m.id)/\(i + 1)\">\(h(name))</a> "
                             + "<span class=\"size\">\(h(bytes(a.size)))</span> fra \(h(m.reference))</li>")
            }
        }
        return "<section id=\"attachments\"><h2>Bilag</h2>"
            + (items.isEmpty ? "<p>Ingen bilag.</p>" : "<ul>\(items.joined())</ul>") + "</section>\n"
    }

    static func repliesSection(_ replies: [CaseDetails.Reply]) -> String {
        let h = Pages.h
        let rows = replies.map { r in
            "<tr><td>\(h(r.kindName))</td><td>\(h(r.to))</td><td>\(h(r.subject))</td><td>\(h(r.statusName))"
                + (r.lastError.map { ": " + h($0) } ?? "") + "</td><td>\(h(DanishTime.stamp(r.at)))</td>"
                + "<td>\(h(r.sentAt.map(DanishTime.stamp) ?? ""))</td></tr>"
        }
        return "<section id=\"replies\"><h2>Svar</h2>" + (rows.isEmpty ? "<p>Ingen svar.</p>" : """
            <table><thead><tr><th scope="col">Slags</th><th scope="col">Til</th><th scope="col">Emne</th><th scope="col">Levering</th>\
            <th scope="col">Lagt i kø</th><th scope="col">Sendt</th></tr></thead><tbody>\(rows.joined())</tbody></table>
            """) + "</section>\n"
    }

    static func historySection(_ events: [CaseDetails.Event]) -> String {
        let h = Pages.h
        let rows = events.map {
            "<tr><td>\(h(DanishTime.stamp($0.at)))</td><td>\(h($0.actorName))</td><td>\(h($0.action))</td><td>\(h($0.detail ?? ""))</td></tr>"
        }
        return "<section id=\"history\"><h2>Historik</h2>" + (rows.isEmpty ? "<p>Ingen historik.</p>" : """
            <table><thead><tr><th scope="col">Tid</th><th scope="col">Hvem</th><th scope="col">Hvad</th><th scope="col">Detaljer</th></tr></thead>\
            <tbody>\(rows.joined())</tbody></table>
            """) + "</section>\n"
    }

    /// `1,2 MB`, `845 bytes`.
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) bytes" }
        if n < 1024 * 1024 { return "\(n / 1024) kB" }
        return String(format: "%.1f MB", Double(n) / 1_048_576).replacingOccurrences(of: ".", with: ",")
    }

    /// An amount as the form shows it and the Secretariat types it: `21.000,00`.
    static func formAmount(_ m: Money?) -> String {
        guard let m else { return "" }
        let s = m.danish
        return s.hasSuffix(" kr.") ? String(s.dropLast(4)) : s
    }

    // MARK: - Actions

    func actions() -> String {
        let h = Pages.h
        let label = h(details.reference)
        let csrf = Pages.csrfField(session)
        func form(_ id: String, _ path: String, _ title: String, _ fields: String, _ button: String) -> String {
            """
            <form id="\(id)" method="post" action="/sag/\(label)/\(path)" class="action"><h3>\(h(title))</h3>\(csrf)
            \(fields)<button type="submit" id="\(id)-submit">\(h(button))</button></form>

            """
        }
        var out = "<section id=\"actions\"><h2>Handlinger</h2>\n"
        let kind = record.kind
        if kind == .application {
            out += form("approve", "bevilg", "Bevilg", """
                <label>Beløb (kr.) <input name="beloeb" inputmode="decimal" value="\(h(Self.formAmount(record.amount)))"></label>
                <label>Note <input name="note"></label>
                <label class="check"><input type="checkbox" name="force" value="1"> Bevilg alligevel (ikke godkendt af ledergruppen, mangler oplysninger eller allerede bevilget)</label>
                <label class="check"><input type="checkbox" name="over" value="1"> Tillad et beløb over det ansøgte</label>
                """, "Bevilg")
            out += form("reject", "afvis", "Afvis", "<label>Begrundelse <input name=\"grund\" required></label>\n", "Afvis")
        }
        if !correctable.isEmpty {
            let options = Pages.options(correctable.map { ($0.key, $0.name) }, selected: nil)
            out += form("edit", "ret", "Ret et felt", """
                <label>Felt <select name="felt">\(options)</select></label>
                <label>Ny værdi <input name="vaerdi" required></label>
                """, "Ret")
        }
        if [.receipt, .statusReport, .approval, .proposal].contains(kind) {
            out += form("link", "flyt", "Flyt til en anden ansøgning",
                        "<label>Til ansøgning <input name=\"til\" required placeholder=\"SSP-2027-0001\"></label>\n", "Flyt")
            if record.projectID != nil {
                out += form("unlink", "fjern", "Tag ud af ansøgningen", "", "Tag ud")
            }
        }
        if kind == .receipt {
            let today = IntakeEngine.copenhagenDay(Date())
            out += form("refund", "udbetal", "Registrér udbetaling", """
                <label>Dato <input name="dato" value="\(h(today.danish))" required></label>
                <label>Beløb (kr.) <input name="beloeb" inputmode="decimal" value="\(h(Self.formAmount(record.amount)))" required></label>
                """, "Udbetal")
        }
        out += form("close", "luk", "Afslut sagen", "<label>Note <input name=\"note\" required></label>\n", "Afslut")
        out += form("reprocess", "genbehandl", "Behandl mails igen", "<p>Læser sagens mails igen med dagens regler; rettelser og flytninger bevares.</p>\n", "Behandl igen")
        return out + "</section>\n"
    }
}

/// A mail on its own (`M-4`): a failed one, or one that belongs to no case; it may only be read again.
struct MailPage {
    let session: Session
    let mail: MailDetails
    let flash: Pages.Flash?

    func html() -> String {
        let h = Pages.h
        let m = mail
        var body = "<h1>\(h(m.reference)) – \(h(m.subject))</h1>\n"
        body += "<p class=\"facts\">Status: \(h(m.statusName))\(m.belongsTo.map { " · Hører til: <a class=\"case-link\" href=\"/sag/\(h($0))\">\(h($0))</a>" } ?? "")</p>\n"
        body += "<section id=\"problems\"><h2>Fejl</h2>" + (m.error.map { "<p>\(h($0))</p>" } ?? "<p>Ingen.</p>") + "</section>\n"
        body += CasePage.mailsSection([m]) + CasePage.attachmentsSection([m]) + CasePage.repliesSection(m.replies) + CasePage.historySection(m.history)
        if session.role.mayAct {
            body += """
                <section id="actions"><h2>Handlinger</h2>
                <form id="reprocess" method="post" action="/sag/\(h(m.reference))/genbehandl" class="action"><h3>Behandl mailen igen</h3>\(Pages.csrfField(session))
                <button type="submit" id="reprocess-submit">Behandl igen</button></form>
                </section>

                """
        }
        return Pages.layout(title: m.reference, session: session, flash: flash, body: body)
    }
}
