import CaseModel
import Foundation
import Intake
import Store

/// `ssp-intake export --csv`: every record as one row of a CSV file that Danish Excel opens as it is.
struct ExportCommand: Command {
    static let name = "export"
    static let summary = "Gem sagerne som CSV til Excel (dansk opsætning)"
    static let help = """
        Brug: ssp-intake export --csv FIL [--kind SLAGS] [--config FIL]

        Skriver én række pr. sag til FIL, så Excel med danske indstillinger
        kan åbne den direkte: UTF-8 (med BOM), semikolon mellem felterne,
        beløb som 21000,00 og datoer som dd-mm-åååå. Mails, der ikke kunne
        behandles, står til sidst med slags "fejlet".

        Kolonner: Sag, Slags, Status, Titel, Afsender, Lokalområde, Periode
        start, Periode slut, Tovholder, Kontaktperson, Beløb (kr.), Bevilget
        (kr.), Hører til, Mangler, Ugyldigt, Hint, Oprettet, Opdateret.

        Tekst fra mails, der begynder med =, +, -, @ eller tabulator, får et
        ' foran, så Excel ikke læser den som en formel.

          --csv FIL      filen der skrives (erstattes helt); - skriver til
                         standard output
          --kind SLAGS   kun én slags: application, receipt, approval,
                         statusReport, unknown, automatic eller failed
                         (eller de danske navne: ansøgning, kvittering, …)
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 ok, 64 forkert brug, 73 mappen til FIL findes
        ikke, 74 FIL kan ikke skrives (eller databasen kan ikke bruges),
        75 databasen er optaget, 78 konfigurationen.
        """

    static let kinds = ["application", "receipt", "approval", "statusReport", "unknown", "automatic", "failed"]

    var configPath: String?
    var file: String
    var kind: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--csv", "--kind", "--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("export takes no operands (give the file with --csv FILE)") }
        guard let file = p.values["--csv"], !file.isEmpty else { throw CLIError.usage("export needs --csv FILE (- for standard output)") }
        self.file = file
        configPath = p.values["--config"]
        if let k = p.values["--kind"] {
            guard let key = Self.kinds.first(where: { $0.lowercased() == k.lowercased() || Danish.kind($0) == k.lowercased() }) else {
                throw CLIError.usage("unknown kind '\(k)' (one of \(Self.kinds.joined(separator: ", ")))")
            }
            kind = key
        }
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        let rows = try Self.rows(ws, kind: kind)
        try OutputFile.write(CSV.document([Self.header.map(CSV.Cell.text)] + rows), to: file)
        if file != "-" { printError("ssp-intake: \(rows.count) sager skrevet til \(file)") }
        return .ok
    }

    static let header = [
        "Sag", "Slags", "Status", "Titel", "Afsender", "Lokalområde", "Periode start", "Periode slut", "Tovholder",
        "Kontaktperson", "Beløb (kr.)", "Bevilget (kr.)", "Hører til", "Mangler", "Ugyldigt", "Hint", "Modtaget", "Oprettet", "Opdateret",
    ]

    /// The rows in the queue's order: records by when their first mail arrived, then the failed mails.
    static func rows(_ ws: Workspace, kind: String?) throws -> [[CSV.Cell]] {
        var rows: [[CSV.Cell]] = []
        if kind != "failed" {
            let received = try ws.store.firstReceived()
            let all = try QueueCommand.inArrivalOrder(try ws.store.records(), received)
            let labels = Dictionary(all.map { ($0.id, $0.label) }) { a, _ in a }
            let names = ws.config.replies.fieldNames
            for r in all where kind == nil || r.kind.rawValue == kind {
                let f = r.reading.fields
                rows.append([
                    .text(r.label), .text(r.kind.danish), .text(r.status.danish), .text(r.title ?? ""),
                    .text(r.sender ?? ""), .text(r.area ?? ""), .text(day(f["period.start"])), .text(day(f["period.end"])),
                    .text(f["coordinator.name"]?.display ?? ""), .text(f["leaderContact.name"]?.display ?? ""),
                    .money(r.amount), .money(r.approved), .text(r.projectID.map { labels[$0] ?? "#\($0)" } ?? ""),
                    .text(r.reading.missing.map { names[$0] ?? $0 }.joined(separator: ", ")),
                    .text(r.reading.invalid.map { "\(names[$0.field] ?? $0.field): \($0.reason)" }.joined(separator: "; ")),
                    .text(r.reading.hints.joined(separator: "; ")),
                    .text(received[r.id].map(DanishTime.stamp) ?? ""), .text(DanishTime.stamp(r.createdAt)), .text(DanishTime.stamp(r.updatedAt)),
                ])
            }
        }
        if kind == nil || kind == "failed" {
            for id in try ws.store.messages(status: "failed") {
                guard let m = try ws.store.message(id) else { continue }
                rows.append([
                    .text(StoredMessage.label(id)), .text(Danish.kind("failed")), .text(Danish.status("failed")), .text(m.subject ?? ""),
                    .text(m.sender ?? ""), .text(""), .text(""), .text(""), .text(""), .text(""), .money(nil), .money(nil),
                    .text(""), .text(""), .text(""), .text(m.error ?? ""), .text(DanishTime.stamp(m.receivedAt)),
                    .text(DanishTime.stamp(m.receivedAt)), .text(""),
                ])
            }
        }
        return rows
    }

    /// A date field as dd-mm-yyyy; a value the rules could not read as a date stays as written.
    static func day(_ v: FieldValue?) -> String {
        if case .date(let d)? = v { return d.danish }
        return v?.display ?? ""
    }
}

/// CSV as Danish Excel reads it: `;` between cells, CRLF between rows, a UTF-8 BOM so Excel does not guess the charset.
enum CSV {
    /// A cell: text (from mails, so guarded against formulas) or an amount we format ourselves.
    enum Cell: Equatable {
        case text(String)
        case money(Money?)
    }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func document(_ rows: [[Cell]]) -> Data {
        let body = rows.map { $0.map(encode).joined(separator: ";") + "\r\n" }.joined()
        return Data(bom + Array(body.utf8))
    }

    static func encode(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return quoted(neutralised(s))
        case .money(let m): return m.map(amount) ?? ""
        }
    }

    /// Text Excel would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, tab, CR) gets a leading `'`:
    /// a mail's sender decides this text, and the file is opened by people who trust it.
    static func neutralised(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return s }
        return "'" + s
    }

    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `21000,00`: comma decimals and no thousands separator, so Danish Excel reads a number, not text.
    static func amount(_ m: Money) -> String {
        let a = abs(m.ore)
        return "\(m.ore < 0 ? "-" : "")\(a / 100),\(a % 100 < 10 ? "0" : "")\(a % 100)"
    }
}

/// Writes a command's result file whole or not at all; `-` is standard output.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError(code: .cantCreate, message: "cannot write \(path): folder \(folder.path) does not exist")
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw CLIError(code: .ioError, message: "cannot write \(path): \(systemReason(error))")
        }
    }
}

/// Times as the secretariat reads them: Copenhagen time, `dd-mm-yyyy hh:mm`, which Danish Excel takes as a date.
enum DanishTime {
    static let zone = TimeZone(identifier: "Europe/Copenhagen") ?? TimeZone(secondsFromGMT: 3600)!

    /// The store keeps ISO 8601 in UTC; anything else is shown as stored.
    static func stamp(_ iso: String) -> String {
        guard !iso.isEmpty, let date = try? Date(iso, strategy: .iso8601) else { return iso }
        return stamp(date)
    }

    static func stamp(_ date: Date) -> String {
        let c = components(date)
        return "\(two(c.day))-\(two(c.month))-\(c.year ?? 0) \(two(c.hour)):\(two(c.minute))"
    }

    static func components(_ date: Date) -> DateComponents {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    static func two(_ n: Int?) -> String {
        let n = n ?? 0
        return n < 10 ? "0\(n)" : "\(n)"
    }
}
