import Accounts
import Foundation
import Secretariat
import Store

/// Drift: what `ssp-intake status` tells, from the store alone. The workbench never connects to the
/// mailbox, so mail on the server that is not recorded is not known here, and the page says so.
struct DriftPage {
    let session: Session
    /// Each mailbox the service has read and when it last did so successfully.
    var polls: [(source: String, at: Date?)]
    var pollIntervalSeconds: Int
    var lastPassFailure: (at: Date?, message: String)?
    var left: [(key: String, uid: Int64?, size: Int, reason: String)]
    var outbox: [String: Int]
    var failed: [StoredMessage]
    var now = Date()

    static func load(_ store: IntakeStore, session: Session, pollIntervalSeconds: Int) throws -> DriftPage {
        let polls = try store.db.query("SELECT key, value FROM meta WHERE key LIKE 'lastPoll:%' ORDER BY key").map {
            (source: String(($0[0].text ?? "").dropFirst("lastPoll:".count)), at: $0[1].text.flatMap { try? Date($0, strategy: .iso8601) })
        }
        return DriftPage(session: session, polls: polls, pollIntervalSeconds: pollIntervalSeconds,
                         lastPassFailure: try store.lastPassFailure(), left: try store.skipped(), outbox: try store.outboxCounts(),
                         failed: try store.messages(status: "failed").compactMap { try store.message($0) })
    }

    static func ago(_ seconds: Int) -> String {
        if seconds < 120 { return "\(seconds) sekunder" }
        if seconds < 7200 { return "\(seconds / 60) minutter" }
        if seconds < 172_800 { return "\(seconds / 3600) timer" }
        return "\(seconds / 86_400) dage"
    }

    func html() -> String {
        let h = Pages.h
        var rows: [(String, String, Bool)] = []   // label, value (escaped markup), needs a look
        if polls.isEmpty {
            rows.append(("Sidst læst", "aldrig", true))
        }
        for p in polls {
            let age = p.at.map { Int(now.timeIntervalSince($0)) }
            let stale = age.map { $0 > 3 * pollIntervalSeconds } ?? true
            let when = p.at.map { "\(Self.ago(max(0, Int(now.timeIntervalSince($0))))) siden (\(DanishTime.stamp($0)))" } ?? "aldrig"
            rows.append(("Sidst læst", "\(h(p.source)): \(h(when))\(stale ? " – for længe siden (over tre intervaller)" : "")", stale))
        }
        if let f = lastPassFailure {
            rows.append(("Sidste gennemgang", "FEJLEDE\(f.at.map { " for \(Self.ago(Int(now.timeIntervalSince($0)))) siden" } ?? ""): \(h(f.message))", true))
        } else {
            rows.append(("Sidste gennemgang", "ingen fejl", false))
        }
        rows.append(("Ikke gemt", "ukendt her: arbejdsbordet spørger aldrig postkassen. Kør <code>ssp-intake status</code> for at sammenligne serveren med databasen.", false))
        rows.append(("Efterladt (store)", left.isEmpty ? "0" : "\(left.count): " + left.map { h("\($0.uid.map { "UID \($0)" } ?? $0.key): \($0.reason)") }.joined(separator: "; "), !left.isEmpty))
        let names = ["queued": "i kø", "sending": "sendes", "sent": "sendt", "failed": "fejlet", "bounced": "afvist"]
        let box = names.sorted { $0.key < $1.key }.map { "\(outbox[$0.key] ?? 0) \($0.value)" }.joined(separator: ", ")
        rows.append(("Udbakke", h(box), (outbox["failed"] ?? 0) + (outbox["bounced"] ?? 0) > 0))
        rows.append(("Fejlede mails", "\(failed.count)", !failed.isEmpty))
        let healthy = !rows.contains { $0.2 }
        let table = rows.map { "<tr\($0.2 ? " class=\"warn\"" : "")><th scope=\"row\">\(h($0.0))</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        let failedList = failed.map {
            "<li><a class=\"case-link\" href=\"/sag/\(h($0.label))\">\(h($0.label))</a> \(h($0.subject ?? "")) fra \(h($0.sender ?? "ukendt")): \(h($0.error ?? ""))</li>"
        }.joined()
        let body = """
            <h1>Drift</h1>
            <section id="health">
            <p class="\(healthy ? "ok" : "warn")">Status: \(healthy ? "intet at se efter i databasen" : "SE EFTER")</p>
            <table>
            \(table)
            </table>
            \(failed.isEmpty ? "" : "<h2>Fejlede mails</h2><ul>\(failedList)</ul>")
            <p class="note">Databasens helhed (quick_check) og mails på serveren, der ikke er gemt, viser <code>ssp-intake status</code>.</p>
            </section>
            """
        return Pages.layout(title: "Drift", session: session, body: body)
    }
}
