import CaseModel
import Foundation
import Intake
import Store

/// Text from mails made safe to place in HTML, as text and inside attribute values.
public enum HTML {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// The report's page, built from one read of the store.
///
/// Every string that comes from the store goes through `h(_:)`; markup is only ever written here as literals.
public struct ReportPage {
    let desk: Desk
    let now: Date
    let records: [RecordRow]
    let failed: [StoredMessage]
    let budget: BudgetOverview
    let names: [String: String]

    /// The order the queue is read in: what needs the secretariat first, the finished and the noise last.
    public static let statusOrder = ([
        .incomplete, .awaitingLeader, .leaderApproved, .leaderRejected, .approved, .rejected, .late, .registered, .refunded, .conflict,
        .unclear, .untrusted, .held, .superseded, .unlinked, .linked, .review, .automatic, .closed,
    ] as [CaseStatus]).map(\.rawValue) + ["failed"]
    /// Groups shown folded: mail nobody needs to act on.
    static let foldedStatuses: Set<String> = [CaseStatus.automatic.rawValue]

    public init(_ desk: Desk, now: Date) throws {
        self.desk = desk
        self.now = now
        records = try desk.store.records()
        failed = try desk.store.messages(status: "failed").compactMap { try desk.store.message($0) }
        budget = BudgetOverview(records: records, poolKroner: desk.poolKroner,
                                areaOrder: desk.config.site.localAreas.map(\.name), refunds: try desk.store.refunds(),
                                received: try desk.store.firstReceived())
        names = desk.config.replies.fieldNames
    }

    func h(_ s: String) -> String { HTML.escape(s) }

    /// A status's CSS class; the key comes from the store, so only plain letters may reach the markup.
    func badge(_ status: String) -> String {
        let cls = status.allSatisfy { $0.isASCII && $0.isLetter } ? "s-\(status)" : "s-other"
        return "<span class=\"badge \(cls)\">\(h(Danish.status(status)))</span>"
    }

    func label(_ id: Int64) -> String { records.first { $0.id == id }?.label ?? "S-\(id)" }

    public func html() -> String {
        """
        <!doctype html>
        <html lang="da">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>SSP København – pulje og kø \(h(Self.day(now)))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        \(header())
        <main>
        \(budgetSection())
        \(queueSection())
        \(applicationsSection())
        \(receiptsSection())
        \(failedSection())
        </main>
        <footer>Dannet af ssp-intake \(h(Self.longTime(now))) ud fra \(h(desk.dataDirectory.path)).
        Beløb i danske kroner. Puljen er sat i konfigurationen (poolKroner).</footer>
        </body>
        </html>

        """
    }

    // MARK: - Header

    func header() -> String {
        var counts: [String: Int] = [:]
        for r in records { counts[r.status.rawValue, default: 0] += 1 }
        if !failed.isEmpty { counts["failed"] = failed.count }
        let statuses = Self.statusOrder.filter { counts[$0] != nil } + counts.keys.filter { !Self.statusOrder.contains($0) }.sorted()
        let chips = statuses.map { "<li>\(badge($0)) <b>\(counts[$0] ?? 0)</b></li>" }.joined()
        func n(_ kind: CaseKind) -> Int { records.filter { $0.kind == kind }.count }
        let facts = [
            "\(records.count + failed.count) sager i alt", "\(n(.application)) ansøgninger", "\(n(.receipt)) kvitteringer",
            "\(n(.approval)) beslutninger", "\(n(.statusReport)) statusrapporter", "\(failed.count) fejlede mails",
        ]
        return """
            <header>
            <div class="wrap">
            <p class="kicker">SSP København · SSP Sekretariatet</p>
            <h1>Pulje og kø</h1>
            <p class="meta">Opgjort \(h(Self.longTime(now))) · \(facts.map(h).joined(separator: " · "))</p>
            <ul class="chips">\(chips)</ul>
            <nav><a href="#budget">Budget</a><a href="#koe">Køen</a><a href="#ansoegninger">Ansøgninger</a><a href="#kvitteringer">Kvitteringer</a>\(failed.isEmpty ? "" : "<a href=\"#fejlede\">Fejlede mails</a>")</nav>
            </div>
            </header>
            """
    }

    // MARK: - Budget

    func budgetSection() -> String {
        let b = budget
        func card(_ title: String, _ m: Money, _ note: String, _ cls: String = "") -> String {
            "<div class=\"card \(cls)\"><div class=\"card-label\">\(h(title))</div><div class=\"card-amount\">\(h(m.danish))</div><div class=\"card-note\">\(h(note))</div></div>"
        }
        func share(_ m: Money) -> Double { b.pool.ore > 0 ? min(100, max(0, Double(m.ore) / Double(b.pool.ore) * 100)) : 0 }
        func percent(_ m: Money) -> String {
            guard b.pool.ore > 0 else { return "–" }
            return String(format: "%.0f %%", Double(m.ore) / Double(b.pool.ore) * 100)
        }
        func bar(_ title: String, _ m: Money, _ cls: String) -> String {
            """
            <div class="bar-row"><span class="bar-label">\(h(title))</span><span class="bar"><span class="fill \(cls)" style="width:\(String(format: "%.1f", share(m)))%"></span></span><span class="bar-value">\(h(percent(m))) af puljen</span></div>
            """
        }
        func receipts(_ n: Int) -> String { "\(n) \(n == 1 ? "kvittering" : "kvitteringer")" }
        let cards = [
            card("Puljen", b.pool, b.year.map { "årets ramme for \($0)" } ?? "årets ramme"),
            card("Ansøgt", b.requested, "\(b.requestedCount) ansøgninger, der ikke er afvist"),
            card("Bevilget", b.approved, "\(b.approvedCount) bevilget af sekretariatet (det bevilgede beløb)"),
            card("Brugt, indsatser", b.spentOnProjects, "\(receipts(b.spentOnProjectsCount)) med bilag, knyttet til en indsats"),
            card("Brugt, møder", b.spentOnMeetings, "\(receipts(b.spentOnMeetingsCount)) med bilag uden indsats: mødeudgifter m.m."),
            card("Udbetalt", b.refunded, "\(b.refundedCount) udbetalt af sekretariatet"),
            card("Afventer kvittering", b.awaitingFile, "\(receipts(b.awaitingFileCount)) uden bilag: ikke medregnet", "pending"),
            card("Tilbage", b.remaining, "puljen minus bevilget og mødeudgifter", b.remaining.ore < 0 ? "over" : "remaining"),
        ].joined(separator: "\n")
        var notes: [String] = []
        if b.lateCount > 0 {
            notes.append("\(receipts(b.lateCount)) modtaget efter fristen (i alt \(b.late.danish)) er ikke medregnet")
        }
        if b.conflictingCount > 0 {
            notes.append("\(receipts(b.conflictingCount)) med modstridende henvisning (i alt \(b.conflicting.danish)) afventer sekretariatet og er ikke medregnet")
        }
        let late = notes.isEmpty ? "" : "<p class=\"note\">\(notes.map(h).joined(separator: "; ")); se <a href=\"#kvitteringer\">Kvitteringer</a>.</p>"

        func row(_ cells: [String], _ cls: String = "") -> String {
            "<tr\(cls.isEmpty ? "" : " class=\"\(cls)\"")><th scope=\"row\">\(h(cells[0]))</th>" + cells.dropFirst().map { "<td>\(h($0))</td>" }.joined() + "</tr>\n"
        }
        func head(_ cells: [String]) -> String { "<thead><tr>" + cells.map { "<th scope=\"col\">\(h($0))</th>" }.joined() + "</tr></thead>" }
        func foot(_ cells: [String]) -> String { "<tfoot>" + row(cells) + "</tfoot>" }

        var areaRows = ""
        for a in b.areas {
            let empty = a.requested == .zero && a.approved == .zero && a.spent == .zero && a.refunded == .zero
            areaRows += row([a.name, a.requested.danish, a.approved.danish, a.spent.danish, a.refunded.danish], empty ? "empty" : "")
        }
        areaRows += row([BudgetExport.meetingsRow, "", "", b.spentOnMeetings.danish, b.refundedOnMeetings.danish], "meetings")
        let at = b.areaTotal
        let areaFoot = ["I alt", at.requested.danish, at.approved.danish, (at.spent + b.spentOnMeetings).danish,
                        (at.refunded + b.refundedOnMeetings).danish]

        var monthRows = ""
        for m in b.months {
            let empty = m.planned == .zero && m.spent == .zero
            monthRows += row([BudgetOverview.monthName(m.month), m.planned.danish, m.spentOnProjects.danish, m.spentOnMeetings.danish,
                              m.spent.danish], empty ? "empty" : "")
        }
        let mt = b.monthTotal
        let monthFoot = ["I alt", mt.planned.danish, mt.spentOnProjects.danish, mt.spentOnMeetings.danish, mt.spent.danish]

        var warnings = ""
        if !b.warnings.isEmpty {
            var byApp: [(String, [BudgetOverview.Warning])] = []
            for w in b.warnings {
                if byApp.last?.0 == w.reference { byApp[byApp.count - 1].1.append(w) } else { byApp.append((w.reference, [w])) }
            }
            warnings = "<div class=\"issue invalid\"><h4>Advarsler: budgetposter uden for ansøgningens periode</h4><ul>"
                + byApp.map { ref, ws in
                    "<li><b>\(h(ref))</b><ul>" + ws.map { "<li>\(h($0.danish))</li>" }.joined() + "</ul></li>"
                }.joined() + "</ul></div>"
        }
        return """
            <section id="budget">
            <h2>Budget</h2>
            <div class="cards">
            \(cards)
            </div>
            <div class="bars">
            \(bar("Ansøgt", b.requested, "requested"))
            \(bar("Bevilget", b.approved, "approved"))
            \(bar("Brugt i alt", b.spent, "spent"))
            </div>
            \(late)
            \(warnings)
            <h3>Pr. lokalområde</h3>
            <table class="money">
            \(head(["Lokalområde", "Ansøgt", "Bevilget", "Brugt", "Udbetalt"]))
            <tbody>
            \(areaRows)</tbody>
            \(foot(areaFoot))
            </table>
            <p class="note">Ansøgt tæller alle ansøgninger, der ikke er afvist af ledergruppen eller sekretariatet, også dem der mangler oplysninger. En bevilget indsats tæller med det bevilgede beløb. Brugt er kvitteringer med bilag modtaget til tiden; pr. lokalområde er det kvitteringer knyttet til en indsats i området, og mødeudgifterne står for sig.</p>
            <h3>Pr. måned</h3>
            <table class="money">
            \(head(["Måned", "Planlagt", "Brugt, indsatser", "Mødeudgifter", "Brugt i alt"]))
            <tbody>
            \(monthRows)</tbody>
            \(foot(monthFoot))
            </table>
            <p class="note">Planlagt er de bevilgede indsatsers budgetposter fordelt på deres måneder (et beløb over flere måneder deles ligeligt); er der bevilget et andet beløb end posterne giver, er posterne skaleret til bevillingen. Brugt står i kvitteringens måned: mødets dato, ellers da mailen kom.</p>
            </section>
            """
    }

    // MARK: - Queue

    func queueSection() -> String {
        let groups = Dictionary(grouping: records, by: { $0.status.rawValue })
        let statuses = Self.statusOrder.filter { groups[$0] != nil } + groups.keys.filter { !Self.statusOrder.contains($0) }.sorted()
        var out = "<section id=\"koe\">\n<h2>Køen efter status</h2>\n"
        if records.isEmpty && failed.isEmpty { out += "<p class=\"note\">Køen er tom.</p>\n" }
        for s in statuses {
            let rs = groups[s] ?? []
            var rows = ""
            for r in rs {
                rows += """
                    <tr><td class="ref">\(h(r.label))</td><td>\(h(r.kind.danish))</td><td class="title">\(h(r.title ?? ""))</td><td class="sender">\(h(r.sender ?? ""))</td><td class="num">\(h(r.amount?.danish ?? ""))</td><td class="attention">\(h(QueueView.attention(r, desk)))</td></tr>

                    """
            }
            // Fixed column widths, so the tables of the status groups line up under each other.
            let table = """
                <table class="queue">
                <colgroup><col class="c-ref"><col class="c-kind"><col><col class="c-sender"><col class="c-amount"><col class="c-note"></colgroup>
                <thead><tr><th scope="col">Sag</th><th scope="col">Slags</th><th scope="col">Titel</th><th scope="col">Afsender</th><th scope="col" class="num">Beløb</th><th scope="col">Bemærk</th></tr></thead>
                <tbody>
                \(rows)</tbody>
                </table>
                """
            let heading = "\(badge(s)) <span class=\"count\">\(rs.count) \(rs.count == 1 ? "sag" : "sager")</span>"
            if Self.foldedStatuses.contains(s) {
                out += "<details class=\"group\"><summary><h3>\(heading)</h3></summary>\n\(table)\n</details>\n"
            } else {
                out += "<div class=\"group\"><h3>\(heading)</h3>\n\(table)\n</div>\n"
            }
        }
        if !failed.isEmpty {
            out += "<div class=\"group\"><h3>\(badge("failed")) <span class=\"count\">\(failed.count) \(failed.count == 1 ? "mail" : "mails")</span></h3><p class=\"note\">Se <a href=\"#fejlede\">Fejlede mails</a>.</p></div>\n"
        }
        return out + "</section>"
    }

    // MARK: - Applications

    /// The sub-fields of a form field, in the order a person fills them in.
    static let subOrder = ["start", "end", "name", "email", "phone", "geographic", "organisational", "lines", "total"]

    /// Field keys in the application form's order (config), each group's sub-fields after it, unknown keys last.
    func orderedKeys(_ fields: [String: FieldValue]) -> [String] {
        var keys: [String] = []
        for group in desk.config.rules.applicationFields.map(\.key) {
            if fields[group] != nil { keys.append(group) }
            let subs = fields.keys.filter { $0.hasPrefix(group + ".") }.sorted { a, b in
                let ia = Self.subOrder.firstIndex(of: String(a.dropFirst(group.count + 1))) ?? Self.subOrder.count
                let ib = Self.subOrder.firstIndex(of: String(b.dropFirst(group.count + 1))) ?? Self.subOrder.count
                return (ia, a) < (ib, b)
            }
            keys += subs
        }
        return keys + fields.keys.filter { !keys.contains($0) }.sorted()
    }

    func value(_ v: FieldValue) -> String {
        guard case .budget(let lines) = v else { return h(v.display) }
        guard !lines.isEmpty else { return "<span class=\"muted\">ingen poster</span>" }
        let rows = lines.map { l in
            let months = l.months.map(Self.monthName).joined(separator: ", ")
            return "<tr><td>\(h(l.heading))</td><td class=\"num\">\(h(l.amount?.danish ?? "beløb mangler"))</td><td class=\"months\">\(months.isEmpty ? "<span class=\"warn\">måned mangler</span>" : h(months))</td></tr>"
        }.joined(separator: "\n")
        return "<table class=\"budget-lines\"><tbody>\n\(rows)\n</tbody></table>"
    }

    func applicationsSection() -> String {
        let apps = records.filter { $0.kind == .application }
        var out = "<section id=\"ansoegninger\">\n<h2>Ansøgninger</h2>\n"
        if apps.isEmpty { out += "<p class=\"note\">Ingen ansøgninger endnu.</p>\n" }
        for a in apps {
            let fields = a.reading.fields
            let dl = orderedKeys(fields).map { k in
                "<dt>\(h(names[k] ?? k))</dt><dd>\(fields[k].map(value) ?? "")</dd>"
            }.joined(separator: "\n")
            var issues = ""
            if !a.reading.missing.isEmpty {
                issues += "<div class=\"issue missing\"><h4>Mangler</h4><ul>"
                    + a.reading.missing.map { "<li>\(h(names[$0] ?? $0))</li>" }.joined() + "</ul></div>\n"
            }
            if !a.reading.invalid.isEmpty {
                issues += "<div class=\"issue invalid\"><h4>Ugyldigt</h4><ul>"
                    + a.reading.invalid.map { "<li><b>\(h(names[$0.field] ?? $0.field))</b>: \(h($0.reason))</li>" }.joined() + "</ul></div>\n"
            }
            if !a.reading.hints.isEmpty {
                issues += "<div class=\"issue hint\"><h4>Hint til vurderingen</h4><ul>"
                    + a.reading.hints.map { "<li>\(h($0))</li>" }.joined() + "</ul></div>\n"
            }
            let linked = records.filter { $0.projectID == a.id && $0.kind != .approval }
            var related = ""
            if !linked.isEmpty {
                let spent = budget.spentByProject[a.id] ?? .zero
                related += "<h4>Tilknyttet (brugt \(h(spent.danish)))</h4><ul class=\"plain\">"
                    + linked.map { "<li>\(h($0.label)) \(h($0.kind.danish)) \(badge($0.status.rawValue)) \(h($0.title ?? "")) <span class=\"num\">\(h($0.amount?.danish ?? ""))</span></li>" }.joined()
                    + "</ul>\n"
            }
            let decisions = (try? desk.store.approvals(ofRecord: a.id)) ?? []
            if !decisions.isEmpty {
                related += "<h4>Beslutninger</h4><ul class=\"plain\">" + decisions.map { d in
                    let what = Decision(rawValue: d.0).map { [.approved: "godkendt", .rejected: "afvist", .unclear: "uklar"][$0] ?? d.0 } ?? d.0
                    let trust = d.1 ? "" : " <span class=\"warn\">(ikke troværdig – ikke anvendt)</span>"
                    return "<li>\(h(DanishTime.stamp(d.4))) · <b>\(h(what))</b>\(trust) · \(h(d.2 ?? "ukendt afsender"))\(d.3.map { " · <q>\(h($0))</q>" } ?? "")</li>"
                }.joined() + "</ul>\n"
            }
            let facts = [a.area, a.sender, a.amount.map { "ansøgt \($0.danish)" }, a.approved.map { "bevilget \($0.danish)" },
                         "oprettet \(DanishTime.stamp(a.createdAt))"].compactMap { $0 }.filter { !$0.isEmpty }
            out += """
                <article class="app">
                <div class="app-head"><h3><span class="ref">\(h(a.label))</span> \(h(a.title ?? "(uden navn)"))</h3>\(badge(a.status.rawValue))</div>
                <p class="meta">\(facts.map(h).joined(separator: " · "))</p>
                <div class="app-body">
                <dl>
                \(dl)
                </dl>
                <div class="side">
                \(issues.isEmpty ? "<div class=\"issue ok\"><h4>Intet mangler</h4></div>" : issues)
                \(related)
                </div>
                </div>
                </article>

                """
        }
        return out + "</section>"
    }

    // MARK: - Receipts and failed mails

    /// `withProject` adds the "Hører til" column, which is empty by definition for receipts without an application.
    func receiptsTable(_ rs: [RecordRow], withProject: Bool) -> String {
        let rows = rs.map { r in
            let f = r.reading.fields
            // The mail's arrival, not the record's: lateness is about when the receipt came.
            let received = ((try? desk.store.messages(ofRecord: r.id))?.first?.receivedAt).map(DanishTime.stamp)
                ?? DanishTime.stamp(r.createdAt)
            let project = withProject ? "<td>\(h(r.projectID.map(label) ?? ""))</td>" : ""
            return "<tr><td class=\"ref\">\(h(r.label))</td><td>\(badge(r.status.rawValue))</td><td>\(h(f["payer"]?.display ?? ""))</td><td class=\"title\">\(h(f["occasion"]?.display ?? r.title ?? ""))</td><td class=\"sender\">\(h(r.sender ?? ""))</td>\(project)<td class=\"num\">\(h(r.amount?.danish ?? ""))</td><td class=\"when\">\(h(received))</td></tr>"
        }.joined(separator: "\n")
        return """
            <table class="list">
            <thead><tr><th scope="col">Sag</th><th scope="col">Status</th><th scope="col">Udlæg ved</th><th scope="col">Møde eller indsats</th><th scope="col">Afsender</th>\(withProject ? "<th scope=\"col\">Hører til</th>" : "")<th scope="col" class="num">Beløb</th><th scope="col">Modtaget</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            """
    }

    func receiptsSection() -> String {
        let receipts = records.filter { $0.kind == .receipt }
        let late = receipts.filter { $0.late || $0.status == .late }
        let unmatched = receipts.filter { $0.projectID == nil && !($0.late || $0.status == .late) }
        var out = "<section id=\"kvitteringer\">\n<h2>Kvitteringer der skal ses på</h2>\n"
        out += "<h3>Modtaget efter fristen <span class=\"count\">\(late.count)</span></h3>\n"
        out += late.isEmpty ? "<p class=\"note\">Ingen.</p>\n" : receiptsTable(late, withProject: true) + "\n"
        out += "<h3>Uden indsats (mødeudgifter eller ikke genkendt) <span class=\"count\">\(unmatched.count)</span></h3>\n"
        out += unmatched.isEmpty ? "<p class=\"note\">Ingen.</p>\n" : receiptsTable(unmatched, withProject: false) + "\n"
        return out + "</section>"
    }

    func failedSection() -> String {
        guard !failed.isEmpty else { return "" }
        let rows = failed.map { m in
            "<tr><td class=\"ref\">\(h(m.label))</td><td class=\"when\">\(h(DanishTime.stamp(m.receivedAt)))</td><td class=\"sender\">\(h(m.sender ?? ""))</td><td class=\"title\">\(h(m.subject ?? ""))</td><td class=\"attention\">\(h(m.error ?? ""))</td></tr>"
        }.joined(separator: "\n")
        return """
            <section id="fejlede">
            <h2>Mails der ikke kunne behandles</h2>
            <p class="note">Mailen er gemt; ret fejlen og kør <code>ssp-intake reprocess --failed</code>.</p>
            <table class="list">
            <thead><tr><th scope="col">Mail</th><th scope="col">Modtaget</th><th scope="col">Afsender</th><th scope="col">Emne</th><th scope="col">Fejl</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </section>
            """
    }

    // MARK: - Danish dates

    static let months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
                         "november", "december"]

    static func monthName(_ m: YearMonth) -> String {
        guard (1...12).contains(m.month) else { return m.iso }
        return months[m.month - 1] + (m.year.map { " \($0)" } ?? "")
    }

    /// `22-11-2027`.
    static func day(_ date: Date) -> String {
        let c = DanishTime.components(date)
        return "\(DanishTime.two(c.day))-\(DanishTime.two(c.month))-\(c.year ?? 0)"
    }

    /// `22. november 2027 kl. 14.05`, the way a Danish letter dates itself.
    static func longTime(_ date: Date) -> String {
        let c = DanishTime.components(date)
        return "\(c.day ?? 0). \(months[((c.month ?? 1) - 1) % 12]) \(c.year ?? 0) kl. \(DanishTime.two(c.hour)).\(DanishTime.two(c.minute))"
    }

    // MARK: - Style

    static let css = """
        :root{--ink:#1d2430;--muted:#5b6676;--line:#dfe3ea;--bg:#f5f6f8;--card:#fff;--accent:#1d4f91}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
        header{background:#16324f;color:#fff;padding:28px 0 18px}
        .wrap,main{max-width:1200px;margin:0 auto;padding:0 28px}
        .kicker{margin:0;font-size:13px;letter-spacing:.06em;text-transform:uppercase;opacity:.75}
        h1{margin:4px 0 6px;font-size:30px;font-weight:650}
        header .meta{margin:0 0 14px;opacity:.9}
        .chips{list-style:none;margin:0 0 16px;padding:0;display:flex;flex-wrap:wrap;gap:8px}
        .chips li{background:rgba(255,255,255,.1);border-radius:999px;padding:3px 10px 3px 4px;font-size:13px}
        nav a{color:#cfe0f5;margin-right:18px;text-decoration:none;font-weight:600;font-size:14px}
        nav a:hover{text-decoration:underline}
        main{padding-top:8px;padding-bottom:28px}
        section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:22px 0}
        h2{margin:0 0 14px;font-size:21px}
        h3{font-size:16px;margin:18px 0 8px}
        h4{font-size:13px;margin:0 0 4px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
        .note{color:var(--muted);font-size:13.5px;margin:10px 0}
        .muted{color:var(--muted)}
        .warn{color:#a23c00;font-weight:600}
        .count{color:var(--muted);font-weight:500;font-size:14px;margin-left:6px}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
        .card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfd}
        .card-label{font-size:13px;font-weight:600;color:var(--muted)}
        .card-amount{font-size:19px;font-weight:650;margin:3px 0;white-space:nowrap;font-variant-numeric:tabular-nums}
        .card-note{font-size:12.5px;color:var(--muted)}
        .card.remaining{background:#eef7f1;border-color:#b9dec6}
        .card.over{background:#fdecea;border-color:#f1b8b0}
        .card.pending{background:#fff6dc;border-color:#f3dc9a}
        tr.meetings th,tr.meetings td{font-style:italic}
        .bars{margin:16px 0 6px}
        .bar-row{display:grid;grid-template-columns:100px 1fr 130px;align-items:center;gap:12px;margin:6px 0;font-size:13.5px}
        .bar{display:block;height:12px;background:#e9edf2;border-radius:6px;overflow:hidden}
        .fill{display:block;height:100%}
        .fill.requested{background:#7aa7d9}.fill.approved{background:#2f8a57}.fill.spent{background:#d08a2b}
        .bar-value{color:var(--muted);text-align:right;font-variant-numeric:tabular-nums}
        table{border-collapse:collapse;width:100%;font-size:14px}
        th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
        thead th{font-size:12.5px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line)}
        tbody tr:nth-child(even){background:#fafbfc}
        table.money{max-width:720px}
        table.money td,table.money tfoot td,.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        table.money thead th:not(:first-child){text-align:right}
        table.money tfoot th,table.money tfoot td{font-weight:700;border-top:2px solid var(--line);border-bottom:none}
        tr.empty th,tr.empty td{color:#9aa3af}
        .when{white-space:nowrap;font-variant-numeric:tabular-nums}
        .ref{white-space:nowrap;font-variant-numeric:tabular-nums;font-weight:600}
        table.queue{table-layout:fixed}
        .c-ref{width:138px}.c-kind{width:96px}.c-sender{width:228px}.c-amount{width:112px}.c-note{width:22%}
        .queue .sender,.list .sender{color:var(--muted);font-size:13px;overflow-wrap:anywhere}
        .queue .attention,.list .attention{color:#7a4a00;font-size:13px}
        .group{margin-bottom:6px}
        details.group summary{cursor:pointer;list-style:none}
        details.group summary h3{display:inline-block}
        details.group summary::after{content:" (vis)";color:var(--muted);font-size:13px}
        details[open].group summary::after{content:""}
        .badge{display:inline-block;border-radius:999px;padding:2px 10px;font-size:12.5px;font-weight:600;white-space:nowrap;background:#eef1f5;color:#334155;border:1px solid rgba(0,0,0,.06)}
        .s-incomplete,.s-unclear,.s-conflict,.s-held{background:#fff1c7;color:#7a4d00}
        .s-awaitingLeader{background:#dde9fb;color:#1d4f91}
        .s-leaderApproved{background:#d6f0ea;color:#0f6b5c}
        .s-leaderRejected{background:#fbe1dc;color:#9b2c1c}
        .s-approved{background:#1f7a45;color:#fff}
        .s-rejected{background:#b42318;color:#fff}
        .s-registered{background:#e3f3e8;color:#1e6b3a}
        .s-late{background:#ffe2cc;color:#9a3a00}
        .s-untrusted{background:#fbe1dc;color:#9b2c1c}
        .s-unlinked,.s-review{background:#efe4fb;color:#5b2196}
        .s-linked{background:#e6ecf3;color:#334155}
        .s-automatic{background:#eef1f5;color:#64748b}
        .s-failed{background:#7f1d1d;color:#fff}
        article.app{border-top:1px solid var(--line);padding:16px 0 8px}
        article.app:first-of-type{border-top:none;padding-top:0}
        .app-head{display:flex;align-items:baseline;gap:12px;flex-wrap:wrap}
        .app-head h3{margin:0;font-size:18px}
        .app-head .ref{color:var(--accent);margin-right:6px}
        article.app .meta{color:var(--muted);margin:4px 0 10px;font-size:13.5px}
        .app-body{display:grid;grid-template-columns:minmax(0,1.7fr) minmax(0,1fr);gap:22px}
        dl{display:grid;grid-template-columns:210px 1fr;margin:0;font-size:14px}
        dt{color:var(--muted);padding:5px 10px 5px 0;border-bottom:1px solid #eef0f3}
        dd{margin:0;padding:5px 0;border-bottom:1px solid #eef0f3;overflow-wrap:anywhere}
        table.budget-lines{font-size:13.5px}
        table.budget-lines td{padding:2px 8px 2px 0;border:none}
        table.budget-lines tr:nth-child(even){background:none}
        table.budget-lines .months{color:var(--muted)}
        .issue{border-radius:8px;padding:10px 12px;margin-bottom:10px;font-size:14px}
        .issue ul{margin:0;padding-left:18px}
        .issue.missing{background:#fff6dc;border:1px solid #f3dc9a}
        .issue.invalid{background:#fdecea;border:1px solid #f1b8b0}
        .issue.hint{background:#eef4fb;border:1px solid #c9dbf1}
        .issue.ok{background:#eef7f1;border:1px solid #b9dec6}
        .issue.ok h4{margin:0;color:#1e6b3a}
        ul.plain{list-style:none;padding:0;margin:0 0 10px;font-size:13.5px}
        ul.plain li{padding:3px 0}
        q{font-style:italic}
        code{background:#eef1f5;padding:1px 5px;border-radius:4px}
        footer{max-width:1200px;margin:0 auto 30px;padding:0 28px;color:var(--muted);font-size:12.5px}
        @media (max-width:900px){.cards{grid-template-columns:repeat(2,1fr)}.app-body{grid-template-columns:1fr}dl{grid-template-columns:1fr}}
        @media print{body{background:#fff}header{background:#fff;color:var(--ink)}nav{display:none}section{border:none;padding:0}.chips li{background:#f1f3f5}}
        """
}
