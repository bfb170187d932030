import Accounts
import CaseModel
import Foundation
import HTTPServer
import Intake
import Secretariat

/// Kø: what waits for the Secretariat now first, then the rest by status; filtered, paged by 100, counted at the top.
struct QueuePage {
    static let pageSize = 100

    /// The filters as the form sends them (`slags`, `status`, `omraade`, `q`, `side`).
    struct Filter {
        var kind: String?
        var status: String?
        var area: String?
        var text: String?
        var folded: String?
        var page = 1
        /// A filter value that named nothing, in Danish.
        var problems: [String] = []

        init(_ query: FormFields) {
            func value(_ name: String) -> String? {
                guard let v = query[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
                return v
            }
            do { kind = try value("slags").map(QueueFilter.kindCode) } catch { problems.append(String(describing: error)) }
            do { status = try value("status").map(QueueFilter.statusCode) } catch { problems.append(String(describing: error)) }
            area = value("omraade")
            text = value("q")
            folded = text?.lowercased()
            page = max(1, value("side").flatMap { Int($0) } ?? 1)
        }

        func matches(_ e: QueueEntry) -> Bool {
            if let kind, e.row.kind != kind { return false }
            if let status, e.row.status != status { return false }
            if let area, e.area != area { return false }
            if let folded { return e.haystack.contains(folded) }
            return true
        }

        /// The query string of this filter on page `page`.
        func query(page: Int) -> String {
            let pairs = [("slags", kind), ("status", status), ("omraade", area), ("q", text), ("side", page > 1 ? String(page) : nil)]
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            let parts = pairs.compactMap { k, v in v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" } }
            return parts.isEmpty ? "/" : "/?" + parts.joined(separator: "&")
        }
    }

    let session: Session
    let filter: Filter
    /// The queue in its order ("Skal ses på nu" in arrival order, then the rest by status), with its counts.
    let snapshot: QueueSnapshot
    let areaNames: [String]

    func html() -> String {
        let h = Pages.h
        let all = snapshot.ordered.filter(filter.matches)
        let pages = max(1, (all.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(filter.page, pages)
        let start = (page - 1) * Self.pageSize
        let slice = start < all.count ? Array(all[start..<min(all.count, start + Self.pageSize)]) : []
        let nowSlice = slice.prefix { $0.row.needsSecretariat }
        let restSlice = slice.dropFirst(nowSlice.count)

        let counts = snapshot.counts
        let statuses = ReportPage.statusOrder.filter { counts[$0] != nil } + counts.keys.filter { !ReportPage.statusOrder.contains($0) }.sorted()
        let waiting = snapshot.waiting
        let chips = statuses.map { "<li>\(Pages.badge($0)) <b>\(counts[$0] ?? 0)</b></li>" }.joined()
        let countsBlock = """
            <div id="counts"><p><b>\(snapshot.ordered.count)</b> i køen, <b>\(waiting)</b> skal ses på nu\
            \(all.count == snapshot.ordered.count ? "" : ", <b>\(all.count)</b> passer på filteret").</p><ul class="chips">\(chips)</ul></div>
            """

        let kinds = [("", "alle slags")] + CaseKind.allCases.map { ($0.rawValue, $0.danish) } + [("failed", Danish.kind("failed")), ("left", Danish.kind("left"))]
        let stats = [("", "alle statusser")] + ReportPage.statusOrder.map { ($0, Danish.status($0)) } + [("left", Danish.status("left"))]
        let areas = [("", "alle lokalområder")] + areaNames.map { ($0, $0) }
        let problems = filter.problems.isEmpty ? "" : "<p class=\"fejl\" role=\"alert\">\(filter.problems.map(h).joined(separator: "; "))</p>"
        let form = """
            <form id="filters" method="get" action="/">
            <label>Slags <select name="slags">\(Pages.options(kinds.map { ($0.0, $0.1) }, selected: filter.kind))</select></label>
            <label>Status <select name="status">\(Pages.options(stats.map { ($0.0, $0.1) }, selected: filter.status))</select></label>
            <label>Lokalområde <select name="omraade">\(Pages.options(areas.map { ($0.0, $0.1) }, selected: filter.area))</select></label>
            <label>Søg <input name="q" type="search" value="\(h(filter.text ?? ""))" placeholder="titel, afsender eller reference"></label>
            <button type="submit">Vis</button>
            </form>
            \(problems)
            """

        var paging = ""
        if pages > 1 {
            let prev = page > 1 ? "<a id=\"prev-page\" href=\"\(h(filter.query(page: page - 1)))\">← Forrige</a>" : ""
            let next = page < pages ? "<a id=\"next-page\" href=\"\(h(filter.query(page: page + 1)))\">Næste →</a>" : ""
            paging = "<nav class=\"paging\">\(prev) <span>Side \(page) af \(pages) (\(all.count) linjer)</span> \(next)</nav>"
        }
        let body = """
            <h1>Kø</h1>
            \(countsBlock)
            \(form)
            <section id="now">
            <h2>Skal ses på nu</h2>
            \(Self.table(Array(nowSlice), empty: page == 1 ? "Intet venter på sekretariatet." : "Ses på forrige side."))
            </section>
            <section id="rest">
            <h2>Resten efter status</h2>
            \(Self.table(Array(restSlice), empty: "Ingen sager her."))
            </section>
            \(paging)
            """
        return Pages.layout(title: "Kø", session: session, body: body)
    }

    static func table(_ entries: [QueueEntry], empty: String) -> String {
        let h = Pages.h
        var rows = ""
        for e in entries {
            let r = e.row
            // Mail left in the mailbox is no case: it is told of on the operations page.
            let link = r.kind == "left" ? "<a href=\"/drift\">\(h(r.reference))</a>"
                : "<a class=\"case-link\" href=\"/sag/\(h(r.reference))\">\(h(r.reference))</a>"
            let amount = r.amount.map { Money(ore: NSDecimalNumber(decimal: $0 * 100).intValue).danish } ?? ""
            rows += "<tr data-ref=\"\(h(r.reference))\"><td>\(link)</td><td>\(h(Danish.kind(r.kind)))</td><td>\(Pages.badge(r.status))</td>"
                + "<td>\(h(r.title))</td><td>\(h(r.sender))</td><td class=\"num\">\(h(amount))</td><td>\(h(e.area ?? ""))</td>"
                + "<td>\(h(r.attention))</td></tr>\n"
        }
        if rows.isEmpty { rows = "<tr class=\"empty\"><td colspan=\"8\">\(h(empty))</td></tr>\n" }
        return """
            <table class="queue">
            <thead><tr><th scope="col">Sag</th><th scope="col">Slags</th><th scope="col">Status</th><th scope="col">Titel</th>\
            <th scope="col">Afsender</th><th scope="col">Beløb</th><th scope="col">Lokalområde</th><th scope="col">Bemærk</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
    }
}
