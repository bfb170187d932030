import Foundation
import Testing

/// `show` and `inspect` print what a mail says without letting it drive the terminal.
@Suite struct TerminalSafetyTests {
    /// What a hostile mail carries: an OSC title sequence with BEL, a CSI colour and a C1 CSI, a
    /// screen clear, NUL, DEL and the bidi controls that reorder what is shown.
    static let hostile = "\u{1B}]0;pwned\u{07} \u{1B}[31mrød\u{1B}[0m \u{9B}2J \u{202E}gnp.exe\u{202C} \u{2066}x\u{2069} \u{200F}\u{0}\u{7F}"

    static let unsafe: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{0}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{202C}", "\u{2066}",
                                           "\u{2069}", "\u{200F}", "\r"]

    static func mail() -> [UInt8] {
        let subject = "=?utf-8?B?" + Data("Spørgsmål \(hostile)".utf8).base64EncodedString() + "?="
        let head = "From: =?utf-8?B?\(Data("Kollega \(hostile)".utf8).base64EncodedString())?= <kollega@kk.dk>\r\n"
            + "To: ssp@kk.dk\r\nSubject: \(subject)\r\nMessage-ID: <hostile-\(UUID().uuidString)@kk.dk>\r\n"
            + "Date: Mon, 12 Apr 2027 09:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        return Array(head.utf8) + Array("Hvornår er seminaret?\r\n\(hostile)\r\n\tindrykket linje\r\n".utf8)
    }

    /// Checked on a value computed first, so that a failure does not print the hostile text itself.
    static func expectSafe(_ text: String, _ what: String) {
        let found = unsafe.filter { text.unicodeScalars.contains($0) }.map { "U+" + String($0.value, radix: 16) }
        #expect(found.isEmpty, "\(what) printed \(found.joined(separator: ", "))")
    }

    @Test func inspectShowsTheTextWithoutItsControls() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("hostile.eml")
        try Data(Self.mail()).write(to: file)
        let human = try CLIRun.run(["inspect", file.path])
        #expect(human.status == 0, "\(human.stderr)")
        Self.expectSafe(human.stdout, "inspect")
        // What is readable stays, and so does the layout: lines and the tab.
        #expect(human.stdout.contains("rød") && human.stdout.contains("gnp.exe") && human.stdout.contains("Hvornår er seminaret?"))
        #expect(human.stdout.contains("│ \tindrykket linje"))
        let json = try CLIRun.run(["inspect", "--json", file.path])
        #expect(json.status == 0)
        Self.expectSafe(json.stdout, "inspect --json")
        // The JSON is lossless: escapes, not deletions.
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((o["subject"] as? String)?.contains("\u{202E}gnp.exe") == true)
    }

    @Test func showShowsTheRecordWithoutTheMailsControls() throws {
        let box = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-box-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: box, withIntermediateDirectories: true)
        try Data(Self.mail()).write(to: box.appendingPathComponent("001.eml"))
        let ws = try TempWorkspace.make(mailbox: box)
        #expect(try ws.run(["run", "--once"]).status == 0)
        let row = try ws.run(["queue", "--json"]).stdout.split(separator: "\n").first.map(String.init) ?? ""
        let ref = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])["reference"] as? String
        let show = try ws.run(["show", try #require(ref)])
        #expect(show.status == 0, "\(show.stderr)")
        Self.expectSafe(show.stdout, "show")
        #expect(show.stdout.contains("Spørgsmål") && show.stdout.contains("gnp.exe"))
        let json = try ws.run(["show", ref!, "--json"])
        Self.expectSafe(json.stdout, "show --json")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((o["title"] as? String)?.contains("\u{202E}") == true)
    }
}
