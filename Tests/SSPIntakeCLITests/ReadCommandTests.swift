import Foundation
import Testing

/// show S-N / M-N, attachments --to and mail --eml, run as the Secretariat would.
@Suite struct ReadCommandTests {
    /// The hostile mail of the Secretariat's tests: a path, control characters and one name twice.
    static let hostileMail = """
        From: Anders Holt <anders.holt@kk.dk>\r
        To: SSP København <ssp@kk.dk>\r
        Subject: Bilag til seminaret\r
        Date: Thu, 09 Sep 2027 09:15:00 +0200\r
        Message-ID: <bilag-1@kk.dk>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b1"\r
        \r
        --b1\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Hej, her er bilagene.\r
        --b1\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename="../../etc/passwd"\r
        Content-Transfer-Encoding: base64\r
        \r
        ZXR0ZXI=\r
        --b1\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename*=utf-8''kvit%07tering%1B.pdf\r
        Content-Transfer-Encoding: base64\r
        \r
        dG8=\r
        --b1\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename="bilag.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        dHJl\r
        --b1\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename="bilag.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        ZmlyZQ==\r
        --b1--\r

        """

    static func hostileWorkspace() throws -> (TempWorkspace, URL) {
        let box = FileManager.default.temporaryDirectory.appendingPathComponent("box-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: box, withIntermediateDirectories: true)
        let mail = box.appendingPathComponent("bilag.eml")
        try Data(hostileMail.utf8).write(to: mail)
        let ws = try TempWorkspace.make(mailbox: box)
        let run = try ws.run(["run", "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        return (ws, mail)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func showSNGivesTheMailsTextRepliesAndHistoryInDanish() throws {
        let ws = try TempWorkspace.make()
        _ = try ws.run(["run", "--once"])
        let queue = try ws.run(["queue"]).stdout
        #expect(!queue.contains("#"))
        let unknown = try #require(queue.split(separator: "\n").first { $0.contains("Årsplanlægningsseminar?") })
        let ref = String(try #require(unknown.split(separator: " ").first))
        #expect(ref.hasPrefix("S-"))
        let show = try ws.run(["show", ref])
        #expect(show.status == 0, "\(show.stderr)")
        for part in ["Fra:", "Modtaget:", "Emne:", "Årsplanlægningsseminar?", "Ny tekst", "Hvornår er næste årsplanlægningsseminar?",
                     "mail modtaget – sendt", "Historik:", "programmet:"] {
            #expect(show.stdout.contains(part), "\(part) missing in show \(ref)")
        }
        for code in ["mailReceived", "[sent]", "status: review", "pipeline:"] { #expect(!show.stdout.contains(code), "\(code)") }
        // The old label still works for scripts.
        #expect(try ws.run(["show", "#" + ref.dropFirst(2)]).stdout == show.stdout)

        // A leader's reply: the new text apart from the quote, the decision in Danish.
        let approved = try ws.run(["show", "SSP-2027-0004"]).stdout
        #expect(approved.contains("Ny tekst (det afsenderen skrev nu):\n      Godkendt fra ledergruppen"))
        #expect(approved.contains("Citeret (tidligere mail"))
        #expect(approved.contains("  godkendt  fra KDH001@politi.dk"))
        #expect(!approved.contains("approved"))
    }

    @Test func showMNShowsOneMailWithItsAttachments() throws {
        let (ws, _) = try Self.hostileWorkspace()
        let mails = try Self.json(try ws.run(["show", "S-1", "--json"]).stdout)["mails"] as? [[String: Any]] ?? []
        let ref = try #require(mails.first?["reference"] as? String)
        #expect(ref.hasPrefix("M-"))
        let show = try ws.run(["show", ref])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.hasPrefix("\(ref)  mail · kvittering · behandlet  (hører til S-1)"))
        #expect(show.stdout.contains("Emne:         Bilag til seminaret"))
        #expect(show.stdout.contains("../../etc/passwd  5 bytes  application/pdf"))
        // The control characters in the name never reach the terminal.
        #expect(show.stdout.contains("kvit tering .pdf  2 bytes"))
        #expect(!show.stdout.contains("\u{1B}") && !show.stdout.contains("\u{07}"))
        let json = try Self.json(try ws.run(["show", ref, "--json"]).stdout)
        let files = json["attachments"] as? [[String: Any]] ?? []
        #expect(files.compactMap { $0["safeName"] as? String } == ["passwd", "kvittering.pdf", "bilag.pdf", "bilag.pdf"])
        let missing = try ws.run(["show", "M-999"])
        #expect(missing.status == 65 && missing.stderr.contains("ingen sag eller mail med referencen M-999"))
    }

    @Test func attachmentsWritesSafeNamesNumbersClashesAndNeverOverwrites() throws {
        let (ws, _) = try Self.hostileWorkspace()
        let out = ws.dir.appendingPathComponent("ud")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("mit eget".utf8).write(to: out.appendingPathComponent("bilag.pdf"))
        let first = try ws.run(["attachments", "S-1", "--to", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("4 filer gemt"))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        #expect(names == ["passwd", "kvittering.pdf", "bilag.pdf", "bilag (2).pdf", "bilag (3).pdf"])
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("etc/passwd").path))
        #expect(try String(contentsOf: out.appendingPathComponent("bilag.pdf"), encoding: .utf8) == "mit eget")
        #expect(try String(contentsOf: out.appendingPathComponent("bilag (2).pdf"), encoding: .utf8) == "tre")
        #expect(try String(contentsOf: out.appendingPathComponent("bilag (3).pdf"), encoding: .utf8) == "fire")
        #expect(try String(contentsOf: out.appendingPathComponent("passwd"), encoding: .utf8) == "etter")
        let again = try ws.run(["attachments", "S-1", "--to", out.path])
        #expect(again.status == 0 && again.stdout.contains("0 filer gemt") && again.stdout.contains("4 fandtes allerede"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).count == 5)
        #expect(try ws.run(["attachments", "S-1"]).status == 64)
        #expect(try ws.run(["attachments", "S-99", "--to", out.path]).status == 65)
    }

    @Test func mailEmlWritesTheStoredBytesAndNeverOverwrites() throws {
        let (ws, mail) = try Self.hostileWorkspace()
        let target = ws.dir.appendingPathComponent("mail.eml")
        let saved = try ws.run(["mail", "M-1", "--eml", "--to", target.path])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(try Data(contentsOf: target) == Data(contentsOf: mail))
        let again = try ws.run(["mail", "1", "--eml", "--to", target.path])
        #expect(again.status == 73 && again.stderr.contains("findes allerede"))
        #expect(try Data(contentsOf: target) == Data(contentsOf: mail))
        #expect(try ws.run(["mail", "M-1"]).stdout.contains("Bilag til seminaret"))
        #expect(try ws.run(["mail", "nej", "--eml"]).status == 64)
        #expect(try ws.run(["mail", "M-7", "--eml", "--to", ws.dir.appendingPathComponent("x.eml").path]).status == 65)
    }
}
