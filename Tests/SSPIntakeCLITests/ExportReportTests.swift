import Foundation
import Testing

/// `export`, `report` and `budget` on stores filled by `run --once`, run as a user would.
@Suite struct ExportReportTests {
    /// A private data folder and config, filled by `run --once` from `mailbox`.
    struct Fixture: Sendable {
        let dir: URL
        let config: String

        init(mailbox: URL) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("ssp-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let configDir = CLIRun.repoRoot.appendingPathComponent("config")
            var site = try JSONSerialization.jsonObject(
                with: Data(contentsOf: configDir.appendingPathComponent("ssp-intake.json"))) as? [String: Any] ?? [:]
            // Absolute paths: the copy lives in a temp folder, where the repo's relative ones lead nowhere.
            site["dataDirectory"] = dir.appendingPathComponent("var").path
            site["rules"] = configDir.appendingPathComponent("rules-da.json").path
            site["replies"] = configDir.appendingPathComponent("replies-da.json").path
            site["source"] = ["kind": "folder", "path": mailbox.path]
            let url = dir.appendingPathComponent("ssp-intake.json")
            try JSONSerialization.data(withJSONObject: site).write(to: url)
            config = url.path
            let run = try CLIRun.run(["run", "--once", "--config", config])
            guard run.status == 0 else { throw FixtureError(message: "run --once: \(run.status) \(run.stderr)") }
        }

        func run(_ args: [String]) throws -> CLIRun { try CLIRun.run(args + ["--config", config]) }

        /// `export --csv` into the fixture's folder, as raw bytes.
        func csv(_ extra: [String] = []) throws -> Data {
            let file = dir.appendingPathComponent("export-\(UUID().uuidString).csv")
            let run = try run(["export", "--csv", file.path] + extra)
            guard run.status == 0 else { throw FixtureError(message: "export: \(run.status) \(run.stderr)") }
            return try Data(contentsOf: file)
        }

        func html() throws -> String {
            let file = dir.appendingPathComponent("report-\(UUID().uuidString).html")
            let run = try run(["report", "--html", file.path])
            guard run.status == 0 else { throw FixtureError(message: "report: \(run.status) \(run.stderr)") }
            return try String(contentsOf: file, encoding: .utf8)
        }

        func queue(_ extra: [String] = []) throws -> [[String: Any]] {
            let run = try run(["queue", "--json"] + extra)
            guard run.status == 0 else { throw FixtureError(message: "queue: \(run.status) \(run.stderr)") }
            return try run.stdout.split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
            }
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The bundled samples, processed once and only read by the tests that share it.
    static let samples = Result { try Fixture(mailbox: CLIRun.repoRoot.appendingPathComponent("mailbox-samples")) }

    static let header = "Sag;Slags;Status;Titel;Afsender;Lokalområde;Periode start;Periode slut;Tovholder;Kontaktperson;"
        + "Beløb (kr.);Bevilget (kr.);Hører til;Mangler;Ugyldigt;Hint;Modtaget;Oprettet;Opdateret"

    /// A strict reader for Danish Excel CSV: `;` cells, CRLF rows, `"` quoting with doubled quotes.
    /// Nil when a CR or LF stands outside quotes or a quote inside an unquoted cell: Excel would split such a row.
    static func parseCSV(_ text: String) -> [[String]]? {
        let s = Array(text.unicodeScalars)
        var rows: [[String]] = [], row: [String] = [], cell = String.UnicodeScalarView()
        var quoted = false, wasQuoted = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < s.count && s[i + 1] == "\"" { cell.append(c); i += 1 } else { quoted = false }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                guard cell.isEmpty, !wasQuoted else { return nil }
                quoted = true
                wasQuoted = true
            } else if c == ";" {
                row.append(String(cell)); cell = .init(); wasQuoted = false
            } else if c == "\r" {
                guard i + 1 < s.count, s[i + 1] == "\n" else { return nil }
                row.append(String(cell)); rows.append(row)
                row = []; cell = .init(); wasQuoted = false
                i += 1
            } else if c == "\n" {
                return nil
            } else {
                guard !wasQuoted else { return nil }
                cell.append(c)
            }
            i += 1
        }
        guard !quoted else { return nil }
        if !cell.isEmpty || !row.isEmpty { row.append(String(cell)); rows.append(row) }
        return rows
    }

    /// The CSV's rows after the header, each as a dictionary by column name.
    static func records(_ data: Data) throws -> [[String: String]] {
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        let rows = try #require(parseCSV(text), "the CSV does not parse as Danish Excel CSV")
        let header = try #require(rows.first)
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func kroner(_ v: Any?) -> Decimal {
        (v as? NSNumber).map { Decimal(string: $0.stringValue) ?? 0 } ?? 0
    }

    // MARK: - CSV

    @Test func csvStartsWithTheBOMAndTheDanishHeader() throws {
        let data = try Self.samples.get().csv()
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix(Self.header + "\r\n"))
        #expect(text.hasSuffix("\r\n"))
    }

    @Test func csvHasOneRowPerQueueLineAndEveryRowHasEveryColumn() throws {
        let f = try Self.samples.get()
        let data = try f.csv()
        let rows = try #require(Self.parseCSV(String(decoding: data.dropFirst(3), as: UTF8.self)))
        let queue = try f.queue()
        #expect(queue.count >= 30)
        #expect(rows.count - 1 == queue.count)
        #expect(rows.allSatisfy { $0.count == 19 })
        #expect(rows.dropFirst().map { $0[0] } == queue.map { $0["reference"] as? String ?? "" })
    }

    @Test func csvHasDanishAmountsAndDates() throws {
        let rows = try Self.records(try Self.samples.get().csv())
        let row = try #require(rows.first { $0["Titel"] == "Fritidsjob og gadeplan på Bispebjerg" })
        #expect(row["Beløb (kr.)"] == "21000,00")
        #expect(row["Slags"] == "ansøgning")
        #expect(row["Lokalområde"] == "Bispebjerg")
        #expect(row["Periode start"] == "15-03-2027")
        #expect(row["Periode slut"] == "31-12-2027")
        let day = /\d{2}-\d{2}-\d{4}/
        let stamp = /\d{2}-\d{2}-\d{4} \d{2}:\d{2}/
        for r in rows {
            for column in ["Periode start", "Periode slut"] where !(r[column] ?? "").isEmpty {
                #expect((try? day.wholeMatch(in: r[column] ?? "")) != nil, "\(column): \(r[column] ?? "")")
            }
            #expect((try? stamp.wholeMatch(in: r["Oprettet"] ?? "")) != nil, "Oprettet: \(r["Oprettet"] ?? "")")
            #expect((try? stamp.wholeMatch(in: r["Modtaget"] ?? "")) != nil, "Modtaget: \(r["Modtaget"] ?? "")")
            for column in ["Beløb (kr.)", "Bevilget (kr.)"] where !(r[column] ?? "").isEmpty {
                #expect((try? /\d+,\d{2}/.wholeMatch(in: r[column] ?? "")) != nil, "\(column): \(r[column] ?? "")")
            }
        }
    }

    @Test func csvQuotesCellsWithSeparatorsAndQuotes() throws {
        let data = try Self.samples.get().csv()
        let raw = String(decoding: data, as: UTF8.self)
        let cells = try Self.records(data).flatMap(\.values)
        // The samples' hints carry both; they survive only if quoting is right.
        #expect(cells.contains { $0.contains(";") })
        #expect(cells.contains { $0.contains("\"") })
        #expect(raw.contains("\"\""))
    }

    @Test func exportKindKeepsOneKindInDanishOrEnglish() throws {
        let f = try Self.samples.get()
        let receipts = try Self.records(try f.csv(["--kind", "receipt"]))
        #expect(!receipts.isEmpty)
        #expect(receipts.allSatisfy { $0["Slags"] == "kvittering" })
        #expect(receipts.count == (try f.queue(["--kind", "receipt"])).count)
        #expect(try Self.records(try f.csv(["--kind", "kvittering"])).count == receipts.count)
        let bad = try f.run(["export", "--csv", f.dir.appendingPathComponent("x.csv").path, "--kind", "nonsense"])
        #expect(bad.status == 64)
    }

    @Test func exportToStandardOutput() throws {
        let run = try Self.samples.get().run(["export", "--csv", "-"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("\u{FEFF}" + Self.header + "\r\n"))
    }

    @Test func exportToAMissingFolderIsOneLineAndExit73() throws {
        let f = try Self.samples.get()
        let run = try f.run(["export", "--csv", f.dir.appendingPathComponent("no/such/folder/x.csv").path])
        #expect(run.status == 73)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
    }

    @Test func exportOntoAFolderIsOneLineAndExit74() throws {
        let f = try Self.samples.get()
        let run = try f.run(["export", "--csv", f.dir.path])
        #expect(run.status == 74)
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func exportWithoutAFileIsUsage() throws {
        let run = try Self.samples.get().run(["export"])
        #expect(run.status == 64)
    }

    // MARK: - Budget

    @Test func budgetJSONEqualsSumsOverTheQueue() throws {
        let f = try Self.samples.get()
        let run = try f.run(["budget", "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let budget = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let queue = try f.queue()
        func sum(_ keep: ([String: Any]) -> Bool) -> Decimal {
            queue.filter(keep).reduce(Decimal(0)) { $0 + Self.kroner($1["amount"]) }
        }
        func kind(_ q: [String: Any]) -> String { q["kind"] as? String ?? "" }
        func status(_ q: [String: Any]) -> String { q["status"] as? String ?? "" }
        func linked(_ q: [String: Any]) -> Bool { (q["attention"] as? String ?? "").contains("hører til ") }
        // A receipt still without its file is not spent (issue 15): the queue says it is missing.
        func spent(_ q: [String: Any]) -> Bool {
            kind(q) == "receipt" && status(q) != "late" && !(q["attention"] as? String ?? "").contains("Kvitteringen (vedhæftet")
        }

        let requested = sum { kind($0) == "application" && !["rejected", "leaderRejected"].contains(status($0)) }
        let onProjects = sum { spent($0) && linked($0) }
        let onMeetings = sum { spent($0) && !linked($0) }
        let awaitingFile = sum { kind($0) == "receipt" && status($0) != "late" && !spent($0) }
        let late = sum { kind($0) == "receipt" && status($0) == "late" }
        #expect(requested > 0 && onProjects > 0 && onMeetings > 0 && late > 0 && awaitingFile > 0)
        #expect(Self.kroner(budget["awaitingFile"]) == awaitingFile)
        #expect(Self.kroner(budget["pool"]) == 300_000)
        #expect(Self.kroner(budget["requested"]) == requested)
        #expect(Self.kroner(budget["approved"]) == 0)
        #expect(Self.kroner(budget["spentOnProjects"]) == onProjects)
        #expect(Self.kroner(budget["spentOnMeetings"]) == onMeetings)
        #expect(Self.kroner(budget["spent"]) == onProjects + onMeetings)
        #expect(Self.kroner(budget["late"]) == late)
        // Meetings are paid from the pool too.
        #expect(Self.kroner(budget["remaining"]) == 300_000 - onMeetings)

        let areas = try #require(budget["areas"] as? [[String: Any]])
        #expect(areas.reduce(Decimal(0)) { $0 + Self.kroner($1["requested"]) } == requested)
        #expect(areas.reduce(Decimal(0)) { $0 + Self.kroner($1["spent"]) } == onProjects)
        let bispebjerg = try #require(areas.first { $0["area"] as? String == "Bispebjerg" })
        #expect(Self.kroner(bispebjerg["requested"]) == 21_000)

        // Per month: nothing granted yet, so nothing planned; every spent receipt lands in a month of 2027.
        #expect(budget["year"] as? Int == 2027)
        let months = try #require(budget["months"] as? [[String: Any]])
        let yearMonths: [String] = (1...12).map { (m: Int) -> String in m < 10 ? "2027-0\(m)" : "2027-\(m)" }
        let shown: [String] = months.prefix(12).map { $0["month"] as? String ?? "" }
        #expect(shown == yearMonths)
        #expect(months.reduce(Decimal(0)) { $0 + Self.kroner($1["planned"]) } == 0)
        #expect(months.reduce(Decimal(0)) { $0 + Self.kroner($1["spent"]) } == onProjects + onMeetings)
        let warnings = try #require(budget["warnings"] as? [[String: Any]])
        #expect(warnings.contains { $0["reference"] as? String == "SSP-2027-0006" && $0["month"] as? String == "2027-04" })
    }

    @Test func budgetTableIsDanishAndNamesEveryArea() throws {
        let run = try Self.samples.get().run(["budget"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Puljen"))
        #expect(run.stdout.contains("300.000,00 kr."))
        #expect(run.stdout.contains("Tilbage"))
        for area in ["Amager Vest", "Bispebjerg", "Brønshøj-Husum", "Østerbro"] { #expect(run.stdout.contains(area)) }
        for text in ["Tilbage (puljen minus bevilget og mødeudgifter)", "Afventer kvittering (uden bilag), 2 kvitteringer",
                     "Pr. måned", "april 2027", "Advarsler: budgetposter uden for ansøgningens periode", "SSP-2027-0006"] {
            #expect(run.stdout.contains(text), "\(text)")
        }
    }

    /// A grant below the request: the queue shows the grant, the budget keeps the request, the month plan adds up to
    /// the grant, and the budget sheet reads back in Danish Excel with the same figures as `budget --json`.
    @Test func aSmallerGrantInTheQueueTheBudgetAndTheBudgetCSV() throws {
        let f = try Fixture(mailbox: CLIRun.repoRoot.appendingPathComponent("mailbox-samples"))
        let approve = try f.run(["approve", "SSP-2027-0007", "--amount", "20000", "--user", "test"])
        #expect(approve.status == 0, "stderr: \(approve.stderr)")
        let row = try #require(try f.queue().first { $0["reference"] as? String == "SSP-2027-0007" })
        #expect(Self.kroner(row["amount"]) == 20_000)

        let budget = try #require(
            try JSONSerialization.jsonObject(with: Data(try f.run(["budget", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(Self.kroner(budget["approved"]) == 20_000)
        let area = try #require((budget["areas"] as? [[String: Any]])?.first { $0["area"] as? String == "Indre Nørrebro" })
        #expect(Self.kroner(area["requested"]) == 27_000 && Self.kroner(area["approved"]) == 20_000)
        let months = try #require(budget["months"] as? [[String: Any]])
        #expect(months.reduce(Decimal(0)) { $0 + Self.kroner($1["planned"]) } == 20_000)

        let file = f.dir.appendingPathComponent("budget.csv")
        let run = try f.run(["export", "--budget", file.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let data = try Data(contentsOf: file)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try #require(Self.parseCSV(String(decoding: data.dropFirst(3), as: UTF8.self)))
        #expect(rows.contains { $0.count > 1 })
        func amount(_ label: String, column: Int = 1) throws -> Decimal {
            let r = try #require(rows.first { $0.first == label }, "\(label)")
            let cell = r[column]
            #expect((try? /\d+,\d{2}/.wholeMatch(in: cell)) != nil, "\(label): \(cell)")
            return Decimal(string: cell.replacingOccurrences(of: ",", with: ".")) ?? -1
        }
        #expect(try amount("Puljen") == 300_000)
        #expect(try amount("Bevilget af sekretariatet") == 20_000)
        #expect(try amount("Tilbage (puljen minus bevilget og mødeudgifter)") == Self.kroner(budget["remaining"]))
        #expect(try amount("Mødeudgifter (kvitteringer uden indsats)") == Self.kroner(budget["spentOnMeetings"]))
        #expect(try amount("Afventer kvittering (uden bilag)") == Self.kroner(budget["awaitingFile"]))
        #expect(try amount("Indre Nørrebro", column: 2) == 20_000)
        #expect(try amount("oktober 2027") > 0)
        // The two "I alt" rows: per area (requested first) and per month (planned first).
        let sums = rows.filter { $0.first == "I alt" }
        #expect(sums.count == 2)
        #expect(sums.last?[1] == "20000,00")
        #expect(rows.contains { $0.first == "SSP-2027-0006" && $0.contains("april 2027") })

        #expect(try f.run(["export", "--budget", "-", "--kind", "receipt"]).status == 64)
        #expect(try f.run(["export", "--budget", "-"]).stdout.hasPrefix("\u{FEFF}Budget, SSP København;Puljen 2027\r\n"))
    }

    /// The secretariat's approval moves money from "Tilbage" to "Bevilget" in every view.
    @Test func approvedAmountShowsInBudgetExportAndReport() throws {
        let f = try Fixture(mailbox: CLIRun.repoRoot.appendingPathComponent("mailbox-samples"))
        let app = try #require(try f.queue().first { $0["title"] as? String == "Fritidsjob og gadeplan på Bispebjerg" })
        let reference = try #require(app["reference"] as? String)
        let approve = try f.run(["approve", reference, "--user", "test"])
        #expect(approve.status == 0, "stderr: \(approve.stderr)")

        let budget = try #require(
            try JSONSerialization.jsonObject(with: Data(try f.run(["budget", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(Self.kroner(budget["approved"]) == 21_000)
        #expect(Self.kroner(budget["remaining"]) == 279_000 - Self.kroner(budget["spentOnMeetings"]))
        let row = try #require(try Self.records(try f.csv()).first { $0["Sag"] == reference })
        #expect(row["Bevilget (kr.)"] == "21000,00")
        #expect(row["Status"] == "bevilget")
        #expect(Self.kroner(budget["spentOnMeetings"]) == 1547)
        #expect(try f.html().contains("277.453,00 kr."))
    }

    // MARK: - Report

    @Test func reportIsOneSelfContainedDanishPage() throws {
        let html = try Self.samples.get().html()
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<html lang=\"da\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<style>"))
        for external in ["<script", "<link", " src=", "http://", "https://", "@import", "url("] {
            #expect(!html.contains(external), "\(external) in the report")
        }
        #expect(html.contains("Fritidsjob og gadeplan på Bispebjerg"))
        #expect(html.contains("300.000,00 kr."))
        #expect(html.contains("afventer ledergruppen"))
        #expect(html.contains("Pr. lokalområde"))
        #expect(html.contains("Modtaget efter fristen"))
        #expect(html.contains("Deutscher Präventionstag"))
    }

    @Test func reportShowsEveryApplicationWithItsFields() throws {
        let f = try Self.samples.get()
        let html = try f.html()
        for app in try f.queue(["--kind", "application"]) {
            #expect(html.contains(app["reference"] as? String ?? "?"))
        }
        #expect(html.contains("<dt>Tovholder, navn</dt><dd>Line Grønbæk Nielsen</dd>"))
        #expect(html.contains("Ugyldigt"))
        #expect(html.contains("Hint til vurderingen"))
    }

    @Test func helpIsDanish() throws {
        for command in ["export", "report", "budget"] {
            let run = try CLIRun.run([command, "--help"])
            #expect(run.status == 0)
            #expect(run.stdout.hasPrefix("Brug: ssp-intake \(command)"))
        }
        #expect(try CLIRun.run(["--help"]).stdout.contains("report"))
    }

    // MARK: - Hostile text

    /// A hand-written application mail: plain UTF-8, 8bit, CRLF.
    static func applicationMail(number: Int, name: String, anchoring: String) -> Data {
        let text = """
            From: Test Testesen <test.testesen@kk.dk>
            To: ssp@kk.dk
            Subject: =?UTF-8?Q?Ans=C3=B8gning_om_lokal_SSP-indsats?=
            Date: Mon, 1 Mar 2027 10:0\(number):00 +0100
            Message-ID: <export-test-\(number)@kk.dk>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Hej SSP Sekretariatet,

            Navn på indsatsen: \(name)
            Periode: 1/6-2027 til 31/8-2027
            Målgruppe: Unge 13-17 år
            Mål: Færre unge på gaden om aftenen
            Samarbejdspartnere: Skole, klub og politi
            Evaluering: Vi tæller deltagere
            Økonomiansvarlig: Test Testesen
            Tovholder: Test Testesen, test.testesen@kk.dk, tlf. 61 74 22 09
            Kontaktperson fra ledergruppen: Dorthe Kjær Vestergaard
            Forankring: \(anchoring)
            Budget:
            Forplejning, juni 2027: 1.000 kr.
            I alt: 1.000 kr.

            Mvh Test

            """
        return Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    static let hostile = Result { () throws -> Fixture in
        let mailbox = FileManager.default.temporaryDirectory.appendingPathComponent("ssp-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mailbox, withIntermediateDirectories: true)
        try applicationMail(number: 1, name: "=HYPERLINK(\"http://x\";\"klik\")", anchoring: "Valby, Klub Valby")
            .write(to: mailbox.appendingPathComponent("1.eml"))
        try applicationMail(number: 2, name: "<script>alert(1)</script>", anchoring: "Nordhavn <img src=x onerror=alert(2)>, Klub 'Nord' & \"Syd\"")
            .write(to: mailbox.appendingPathComponent("2.eml"))
        try applicationMail(number: 3, name: "-2+3", anchoring: "@Valby, Klub Valby")
            .write(to: mailbox.appendingPathComponent("3.eml"))
        return try Fixture(mailbox: mailbox)
    }

    @Test func csvNeutralisesFormulas() throws {
        let f = try Self.hostile.get()
        let rows = try Self.records(try f.csv())
        #expect(rows.count == 3)
        #expect(rows.contains { $0["Titel"] == "'=HYPERLINK(\"http://x\";\"klik\")" })
        #expect(rows.contains { $0["Titel"] == "'-2+3" })
        for r in rows {
            for (column, v) in r {
                #expect(!["=", "+", "-", "@", "\t", "\r"].contains(where: { v.hasPrefix($0) }), "\(column): \(v)")
            }
        }
    }

    @Test func reportEscapesTextFromMails() throws {
        let html = try Self.hostile.get().html()
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("&#39;Nord&#39; &amp; &quot;Syd&quot;"))
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;;&quot;klik&quot;)"))
    }
}
