import Accounts
import Foundation
import HTTPServer
import Intake
import MailPorts
import Pipeline
import Secretariat
import Store
import Testing
@testable import Workbench

/// A workbench over a store that has read the bundled samples (or given mails), logged in as the Secretariat.
final class PagesRig {
    let rig: WorkbenchRig
    let token: String
    let csrf: String

    init(mailbox: URL = WorkbenchFixture.samples, user: String = "anne", password: String = "rødgrød med fløde") throws {
        rig = try WorkbenchRig()
        try WorkbenchFixture.read(mailbox, into: rig.store, directory: rig.directory)
        (token, csrf) = try rig.login(user, password)
    }

    func get(_ path: String) -> HTTPResponse { rig.send("GET", path, cookie: token) }

    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil) -> HTTPResponse {
        let pairs = [("csrf", csrf ?? self.csrf)] + fields
        return rig.send("POST", path, form: pairs.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&"), cookie: token)
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? ""
    }
}

/// Everything an action may change, without the clocks: two stores that took the same actions must give the same.
func snapshot(_ store: IntakeStore) throws -> [String: [[SQLValue]]] {
    var out: [String: [[SQLValue]]] = [:]
    let skip: Set<String> = ["bytes", "msgid", "raw", "at"]
    for table in ["records", "corrections", "manual_links", "refunds", "audit", "outbox", "approvals"] {
        let columns = try store.db.query("SELECT name FROM pragma_table_info('\(table)')").compactMap { $0.first?.text }
            .filter { !skip.contains($0) && !$0.hasSuffix("_at") }
        // Rows about no case or mail (users added) and row ids differ only by how the two stores were made.
        let cols = table == "audit" ? columns.filter { $0 != "id" } : columns
        let only = table == "audit" ? " WHERE record_id IS NOT NULL OR message_id IS NOT NULL" : ""
        out[table] = try store.db.query("SELECT \(cols.joined(separator: ", ")) FROM \(table)\(only) ORDER BY rowid")
    }
    return out
}

@Suite("Workbench pages: the queue, a case, its actions as the CLI's, the budget, downloads, escaping")
struct WorkbenchPagesTests {
    @Test func theQueuePutsWhatNeedsTheSecretariatFirstAndFilters() throws {
        let p = try PagesRig()
        let page = p.get("/").text
        let now = try #require(page.range(of: "<section id=\"now\">")), rest = try #require(page.range(of: "<section id=\"rest\">"))
        let nowPart = page[now.upperBound..<rest.lowerBound], restPart = page[rest.upperBound...]
        // A leader-approved application and an untrusted decision wait for the Secretariat; an automatic reply does not.
        #expect(nowPart.contains("data-ref=\"SSP-2027-0004\"") && nowPart.contains("data-ref=\"S-5\""))
        #expect(restPart.contains("data-ref=\"S-16\"") && !nowPart.contains("data-ref=\"S-16\""))
        #expect(page.contains("<div id=\"counts\"><p><b>33</b> i køen"))
        let receipts = p.get("/?slags=kvittering").text
        #expect(receipts.contains("data-ref=\"S-2\"") && !receipts.contains("data-ref=\"SSP-2027-0001\""))
        let search = p.get("/?q=tingbjerg").text
        #expect(search.contains("data-ref=\"SSP-2027-0001\"") && search.contains("data-ref=\"SSP-2027-0003\"") && !search.contains("data-ref=\"S-2\""))
        let wrong = p.get("/?status=findes-ikke")
        #expect(wrong.status == 200 && wrong.text.contains("class=\"fejl\""))
    }

    @Test func aCasePageShowsFieldsThreadRepliesHistoryAndThePrefilledAmount() throws {
        let p = try PagesRig()
        let page = p.get("/sag/SSP-2027-0004")
        #expect(page.status == 200)
        let t = page.text
        #expect(t.contains("<h1>SSP-2027-0004 – Fritidsjob og gadeplan på Bispebjerg</h1>"))
        #expect(t.contains("data-field=\"budget.total\">21.000,00 kr.</dd>"))
        #expect(t.contains("<input name=\"beloeb\" inputmode=\"decimal\" value=\"21.000,00\">"))
        for id in ["fields", "problems", "hints", "links", "mails", "attachments", "replies", "history", "actions"] {
            #expect(t.contains("id=\"\(id)\""), "section \(id)")
        }
        #expect(t.contains("class=\"eml\" href=\"/mail/M-"))
        #expect(t.contains("href=\"/sag/S-8\""), "the linked receipt")
        #expect(p.get("/sag/SSP-2099-0001").status == 404)
    }

    @Test func aReaderSeesTheCaseButNoActionForm() throws {
        let p = try PagesRig(user: "lis", password: "kun at kigge på")
        let t = p.get("/sag/SSP-2027-0004").text
        #expect(t.contains("data-field=\"budget.total\""))
        #expect(!t.contains("id=\"approve\"") && !t.contains("id=\"actions\""))
        let before = try snapshot(p.rig.store)
        #expect(p.post("/sag/SSP-2027-0004/bevilg", [("beloeb", "20000")]).status == 403)
        #expect(try snapshot(p.rig.store) == before)
    }

    @Test func aPostWithAWrongCSRFTokenChangesNothing() throws {
        let p = try PagesRig()
        let before = try snapshot(p.rig.store)
        #expect(p.post("/sag/SSP-2027-0004/bevilg", [("beloeb", "20000")], csrf: String(repeating: "0", count: 64)).status == 403)
        #expect(p.post("/sag/SSP-2027-0004/luk", [("note", "x")], csrf: "").status == 403)
        #expect(try snapshot(p.rig.store) == before)
    }

    /// The week's actions through the web and through the library the CLI calls, on two stores read from the same mail.
    @Test func eachActionChangesTheStoreExactlyAsTheCLIDoes() throws {
        let web = try PagesRig()
        let (cliStore, cliDir) = try { () throws -> (IntakeStore, URL) in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
            try WorkbenchFixture.read(WorkbenchFixture.samples, into: store, directory: dir)
            return (store, dir)
        }()
        defer { try? FileManager.default.removeItem(at: cliDir) }
        let cli = SecretariatActions(pipeline: Pipeline(store: cliStore, engine: IntakeEngine(config: WorkbenchFixture.config),
                                                        source: nil, sink: nil, dataDirectory: cliDir))
        let day = try #require(DanishValues.date(in: "26. november 2027", defaultYear: 2027))
        let steps: [(path: String, form: [(String, String)], cli: () throws -> Void)] = [
            ("/sag/S-2/flyt", [("til", "SSP-2027-0001")], { _ = try cli.link("S-2", to: "SSP-2027-0001", user: "anne") }),
            ("/sag/SSP-2027-0004/bevilg", [("beloeb", "20.000,00"), ("note", "Bevilget på mødet")],
             { _ = try cli.approve("SSP-2027-0004", user: "anne", note: "Bevilget på mødet", amount: Money(ore: 2_000_000),
                                   force: false, aboveRequested: false) }),
            ("/sag/S-25/luk", [("note", "Besvaret i Outlook")], { _ = try cli.close("S-25", user: "anne", note: "Besvaret i Outlook") }),
            ("/sag/S-23/ret", [("felt", "period"), ("vaerdi", "1. november 2027 – 28. februar 2028")],
             { _ = try cli.edit("S-23", field: "period", value: "1. november 2027 – 28. februar 2028", user: "anne") }),
            ("/sag/SSP-2027-0005/afvis", [("grund", "Allerede en pigeindsats i området")],
             { _ = try cli.reject("SSP-2027-0005", user: "anne", reason: "Allerede en pigeindsats i området") }),
            ("/sag/S-31/udbetal", [("dato", "26. november 2027"), ("beloeb", "312,50")],
             { _ = try cli.refund("S-31", date: day, amount: Money(ore: 31_250), user: "anne") }),
        ]
        for step in steps {
            let r = web.post(step.path, step.form)
            #expect(r.status == 303, "\(step.path): \(r.status) \(r.text.prefix(300))")
            try step.cli()
        }
        let (a, b) = (try snapshot(web.rig.store), try snapshot(cliStore))
        for table in a.keys.sorted() where a[table] != b[table] {
            let rows = zip(a[table] ?? [], b[table] ?? []).filter { $0 != $1 }.prefix(3)
            Issue.record("\(table) differs: \(a[table]?.count ?? 0) vs \(b[table]?.count ?? 0) rows; first: \(rows.map { "\($0) ≠ \($1)" })")
        }
        // The audit names the logged-in user, as the CLI names its --user.
        let audit = try web.rig.store.db.query("SELECT actor FROM audit WHERE action LIKE '%bevilg%' OR action LIKE '%sekretariat%'")
        #expect(audit.contains { $0.first?.text?.contains("anne") == true })
        // Each outcome waits for its own case's page.
        #expect(web.get("/sag/S-31").text.contains("<div id=\"flash\" class=\"ok\""))
    }

    @Test func anActionShowsItsOutcomeOnceAfterTheRedirect() throws {
        let p = try PagesRig()
        let r = p.post("/sag/S-25/luk", [("note", "Besvaret i Outlook")])
        #expect(r.status == 303 && r.headers["Location"] == "/sag/S-25")
        let first = p.get("/sag/S-25").text
        #expect(first.contains("<div id=\"flash\" class=\"ok\""))
        #expect(!p.get("/sag/S-25").text.contains("id=\"flash\""))
    }

    @Test func aRefusalIs409WithTheLibrarysDanishLineAndChangesNothing() throws {
        let p = try PagesRig()
        let before = try snapshot(p.rig.store)
        // Not approved by the leader group: the library refuses without force, as the CLI does.
        let r = p.post("/sag/SSP-2027-0001/bevilg", [("beloeb", "32000")])
        #expect(r.status == 409)
        #expect(r.text.contains("<div id=\"flash\" class=\"error\""))
        do {
            _ = try SecretariatActions(pipeline: Pipeline(store: p.rig.store, engine: IntakeEngine(config: WorkbenchFixture.config),
                                                          source: nil, sink: nil, dataDirectory: p.rig.directory))
                .approve("SSP-2027-0001", user: "anne", note: nil, amount: Money(ore: 3_200_000), force: false, aboveRequested: false)
            Issue.record("the library approved what the page refused")
        } catch let e as ActionError {
            #expect(r.text.contains(HTML.escape(e.description)))
        }
        #expect(p.post("/sag/SSP-2027-0004/bevilg", [("beloeb", "-5")]).status == 409)
        #expect(p.post("/sag/S-25/luk", [("note", "  ")]).status == 409)
        #expect(try snapshot(p.rig.store) == before)
    }

    @Test func theBudgetPageShowsTheFiguresAndAChart() throws {
        let p = try PagesRig()
        #expect(p.post("/sag/SSP-2027-0004/bevilg", [("beloeb", "20000")]).status == 303)
        let t = p.get("/budget").text
        #expect(t.contains("<td id=\"pool\" class=\"num\">300.000,00 kr.</td>"))
        #expect(t.contains("<td id=\"granted\" class=\"num\">20.000,00 kr.</td>"))
        let b = try BudgetOverview.load(Desk(store: p.rig.store, config: WorkbenchFixture.config, poolKroner: 300_000, dataDirectory: p.rig.directory))
        #expect(t.contains("<td id=\"left\" class=\"num\">\(b.remaining.danish)</td>"))
        #expect(t.contains("<svg id=\"month-chart\"") && t.contains("<rect class=\"planned\""))
        #expect(t.contains("id=\"budget-areas\"") && t.contains("id=\"budget-months\""))
    }

    @Test func theOperationsPageShowsTheOutboxAndFailedMail() throws {
        let p = try PagesRig()
        let t = p.get("/drift").text
        #expect(t.contains("<section id=\"health\">") && t.contains("Udbakke") && t.contains("Fejlede mails"))
    }

    static let hostile = """
        From: Anders Holt <anders.holt@kk.dk>
        To: SSP København <ssp@kk.dk>
        Subject: Ansøgning: <script>alert(1)</script>
        Date: Thu, 09 Sep 2027 09:15:00 +0200
        Message-ID: <hostile-1@kk.dk>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Projektets navn: <script>alert(1)</script>
        Tovholder: Anders Holt, anders.holt@kk.dk, 22 33 44 55
        --b1
        Content-Type: application/pdf
        Content-Disposition: attachment; filename="\\"><img src=x onerror=alert(2)>.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --b1--
        """

    @Test func valuesFromAMailArriveEscapedAndAttachmentsOnlyAsDownloads() throws {
        let p = try PagesRig(mailbox: try WorkbenchFixture.mailbox(["a.eml": Self.hostile]))
        let queue = p.get("/").text
        #expect(!queue.contains("<script>alert(1)</script>") && queue.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let ref = try #require(queue.firstMatch(of: /data-ref="([^"]+)"/)?.1)
        let page = p.get("/sag/\(ref)").text
        #expect(!page.contains("<script>") && !page.contains("<img src=x"))
        #expect(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.pdf"))
        let link = try #require(page.firstMatch(of: /class="download" href="(\/bilag\/[0-9]+\/1)"/)?.1)
        let file = p.get(String(link))
        #expect(file.status == 200)
        #expect(file.headers["Content-Type"] == "application/octet-stream")
        let disposition = try #require(file.headers["Content-Disposition"])
        #expect(disposition.hasPrefix("attachment;") && disposition.contains("filename*=UTF-8''%22%3E%3Cimg"))
        #expect(file.headers["X-Content-Type-Options"] == "nosniff")
        #expect(file.body == Array("%PDF-1.4\n".utf8))
        let eml = try #require(page.firstMatch(of: /class="eml" href="(\/mail\/M-[0-9]+\.eml)"/)?.1)
        let raw = p.get(String(eml))
        #expect(raw.headers["Content-Disposition"]?.hasPrefix("attachment;") == true)
        #expect(raw.text.contains("Message-ID: <hostile-1@kk.dk>"))
        #expect(p.get("/bilag/999999/1").status == 404 && p.get("/bilag/\(link.split(separator: "/")[1])/9").status == 404)
    }
}
