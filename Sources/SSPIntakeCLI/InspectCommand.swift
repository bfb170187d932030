import Foundation
import MailCore

/// `ssp-intake inspect`: shows how the program reads one or more .eml files.
struct InspectCommand: Command {
    static let name = "inspect"
    static let summary = "Vis hvordan en mail læses: headere, dele, tekst, vedhæftninger, fund"
    static let help = """
        Brug: ssp-intake inspect FIL.eml… [--json]

        Læser hver fil som en mail (RFC 5322/MIME) og viser headerne (afkodet),
        træet af dele, den tekst der vælges til at læse felter fra, vedhæftede
        filer og hvad parseren bemærkede (fund).

          --json    én JSON-linje pr. fil (kontrakten står i README.md)
          --help    denne hjælp

        Afslutningskoder: 0 ok, 64 forkert brug, 66 en fil kunne ikke læses.
        """

    var files: [String]
    var json: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--json"], options: [])
        guard !p.operands.isEmpty else { throw CLIError.usage("inspect needs at least one .eml file") }
        files = p.operands
        json = p.flags.contains("--json")
    }

    func run() throws -> ExitCode {
        var result = ExitCode.ok
        for (n, path) in files.enumerated() {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                printError("ssp-intake: cannot read \(path): \(Self.reason(error))")
                result = .noInput
                continue
            }
            let report = MessageReport(MailMessage(data: data), file: path)
            if json {
                print(report.jsonLine())
            } else {
                if n > 0 { print("") }
                print(Self.human(report), terminator: "")
            }
        }
        return result
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(u.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return ns.localizedDescription
    }

    /// The report as a Danish, human-readable page.
    static func human(_ r: MessageReport) -> String {
        var s = "== \(r.file ?? "-") (\(r.size) bytes)\n"
        func line(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            s += label.padding(toLength: 12, withPad: " ", startingAt: 0) + value + "\n"
        }
        line("Emne:", r.subject)
        line("Fra:", r.from?.formatted)
        line("Til:", r.to.map(\.formatted).joined(separator: ", "))
        line("Cc:", r.cc.map(\.formatted).joined(separator: ", "))
        line("Dato:", r.date)
        line("Message-ID:", r.messageId)
        line("Svar på:", r.inReplyTo)
        line("Referencer:", r.references.joined(separator: " "))
        s += "\nHeadere:\n"
        for h in r.headers {
            s += "  \(h.name): \(h.value)\n"
        }
        s += "\nDele:\n"
        var leaves = r.parts.makeIterator()
        for (n, node) in r.tree.enumerated() {
            // A node is a leaf when the next node is not deeper.
            let isLeaf = n + 1 == r.tree.count || r.tree[n + 1].depth <= node.depth
            var d = String(repeating: "  ", count: node.depth + 1) + node.contentType
            if isLeaf, let p = leaves.next() {
                if let c = p.charset { d += "; charset=\(c)" }
                if let disp = p.disposition { d += "; \(disp)" }
                if let f = p.filename { d += "; \"\(f)\"" }
                d += " (\(p.size) bytes)"
            } else if let f = node.filename {
                d += "; \"\(f)\""
            }
            s += d + "\n"
        }
        s += "\nVedhæftninger:"
        if r.attachments.isEmpty { s += " ingen" }
        s += "\n"
        for a in r.attachments {
            s += "  \(a.filename ?? "(uden navn)") (\(a.contentType), \(a.size) bytes)\n"
        }
        s += "\nFund:"
        if r.findings.isEmpty { s += " ingen" }
        s += "\n"
        for f in r.findings { s += "  \(f)\n" }
        s += "\nTekst (\(r.textSource ?? "ingen")):\n"
        for l in r.text.split(separator: "\n", omittingEmptySubsequences: false) {
            s += "  │ \(l)\n"
        }
        return s
    }
}
