import Foundation
import Testing
@testable import Secretariat
import Store

/// Names from mail are data: what `attachments --to` makes of them, and that it never overwrites.
@Suite struct AttachmentExportTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String?
        var safe: String
        var testDescription: String { name.map { "\"\($0)\"" } ?? "nil" }
    }

    @Test(arguments: [
        Case(name: "../../etc/passwd", safe: "passwd"),
        Case(name: "..\\..\\Windows\\win.ini", safe: "win.ini"),
        Case(name: "C:\\Temp\\kvittering.pdf", safe: "kvittering.pdf"),
        Case(name: "kvit\u{1B}[31mtering.pdf", safe: "kvit[31mtering.pdf"),
        Case(name: "faktura\u{202E}fdp.exe", safe: "fakturafdp.exe"),
        Case(name: "linje\nskift.pdf", safe: "linjeskift.pdf"),
        Case(name: ".bashrc", safe: "bashrc"),
        Case(name: "...", safe: "vedhæftet"),
        Case(name: "  rapport.pdf. ", safe: "rapport.pdf"),
        Case(name: "spørgsmål: hvad?.docx", safe: "spørgsmål_ hvad_.docx"),
        Case(name: "CON.pdf", safe: "vedhæftet-CON.pdf"),
        Case(name: nil, safe: "vedhæftet"),
        Case(name: "Ansøgning Tryg i Tingbjerg.docx", safe: "Ansøgning Tryg i Tingbjerg.docx"),
    ])
    func namesFromMailAreMadeSafe(_ c: Case) {
        #expect(SafeFileName.make(c.name, fallback: "vedhæftet") == c.safe)
    }

    @Test func aLongNameIsCutButKeepsItsExtension() {
        let safe = SafeFileName.make(String(repeating: "å", count: 400) + ".pdf", fallback: "x")
        #expect(safe.count == SafeFileName.maxLength)
        #expect(safe.hasSuffix(".pdf"))
    }

    @Test func aClashGetsTheFirstFreeNumber() {
        let taken: Set = ["bilag.pdf", "bilag (2).pdf"]
        #expect(SafeFileName.unique("bilag.pdf") { taken.contains($0) } == "bilag (3).pdf")
        #expect(SafeFileName.unique("andet.pdf") { taken.contains($0) } == "andet.pdf")
        #expect(SafeFileName.unique("README") { $0 == "README" } == "README (2)")
    }

    @Test func writingTwiceWritesNothingNewAndNeverOverwrites() throws {
        let (store, _) = try Fixture.store(mailbox: try Fixture.mailbox(["bilag.eml": Fixture.hostileMail]))
        let r = try #require(try store.records().first)
        let ids = try #require(try AttachmentExport.messages(r.label, store: store))
        let out = try Fixture.temporaryDirectory("bilag")
        // A file of the Secretariat's own under the same name stays as it is.
        try Data("mit eget".utf8).write(to: out.appendingPathComponent("passwd"))
        let first = try AttachmentExport.write(messages: ids, store: store, to: out)
        #expect(first.map { URL(fileURLWithPath: $0.path).lastPathComponent }
                == ["passwd (2)", "kvittering.pdf", "bilag.pdf", "bilag (2).pdf"])
        #expect(first.allSatisfy { $0.new })
        #expect(try String(contentsOf: out.appendingPathComponent("passwd"), encoding: .utf8) == "mit eget")
        #expect(try Data(contentsOf: out.appendingPathComponent("bilag (2).pdf")) == Data("fire".utf8))
        let again = try AttachmentExport.write(messages: ids, store: store, to: out)
        #expect(again.map(\.path) == first.map(\.path))
        #expect(again.allSatisfy { !$0.new })
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).count == 5)
        #expect(try AttachmentExport.messages("M-99999", store: store) == nil)
    }
}
