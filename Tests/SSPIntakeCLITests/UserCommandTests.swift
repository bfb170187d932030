import Foundation
import Testing

/// `ssp-intake` with `input` on its standard input, as a script pipes a password in.
private func runWithInput(_ ws: TempWorkspace, _ args: [String], input: String) throws -> CLIRun {
    let p = Process()
    p.executableURL = CLIRun.binary
    p.arguments = args + ["--config", ws.configPath]
    p.currentDirectoryURL = CLIRun.repoRoot
    let inPipe = Pipe(), out = Pipe(), err = Pipe()
    p.standardInput = inPipe
    p.standardOutput = out
    p.standardError = err
    try p.run()
    inPipe.fileHandleForWriting.write(Data(input.utf8))
    try inPipe.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

@Suite("ssp-intake user")
struct UserCommandTests {
    @Test func addReadsThePasswordFromStandardInputAndListShowsTheUser() throws {
        let ws = try TempWorkspace.make()
        let add = try runWithInput(ws, ["user", "add", "Anne", "--role", "sekretariat"], input: "rødgrød med fløde\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "Brugeren 'anne' er oprettet med rollen sekretariat.\n")
        #expect(try runWithInput(ws, ["user", "add", "lis", "--role", "læser"], input: "kun at kigge på\r\n").status == 0)
        let list = try ws.run(["user", "list", "--json"])
        #expect(list.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: String]])
        #expect(rows.map { $0["name"] } == ["anne", "lis"])
        #expect(rows.map { $0["role"] } == ["sekretariat", "læser"])
        // The password is nowhere but in its hash.
        let db = try Data(contentsOf: ws.dir.appendingPathComponent("var/ssp-intake.sqlite"))
        #expect(db.range(of: Data("rødgrød".utf8)) == nil)
    }

    @Test(arguments: [
        ("kort\n", "Adgangskoden skal have mindst 10 tegn."),
        ("\n", "Adgangskoden er tom."),
        ("", "ingen adgangskode på standardinput"),
    ])
    func weakOrMissingPasswordsAreRefusedInDanish(input: String, message: String) throws {
        let ws = try TempWorkspace.make()
        let r = try runWithInput(ws, ["user", "add", "anne", "--role", "sekretariat"], input: input)
        #expect(r.status == 65)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(try ws.run(["user", "list", "--json"]).stdout == "[]\n")
    }

    @Test func aTakenNameIsRefused() throws {
        let ws = try TempWorkspace.make()
        #expect(try runWithInput(ws, ["user", "add", "anne", "--role", "læser"], input: "rødgrød med fløde\n").status == 0)
        let again = try runWithInput(ws, ["user", "add", "ANNE", "--role", "sekretariat"], input: "et andet kodeord\n")
        #expect(again.status == 65)
        #expect(again.stderr.contains("findes allerede"))
        #expect(try ws.run(["user", "list"]).stdout.contains("læser"))
    }

    @Test(arguments: [
        ["user"], ["user", "add", "anne"], ["user", "add", "anne", "--role", "chef"], ["user", "add", "--role", "læser"],
        ["user", "slet", "anne"], ["user", "list", "--role", "læser"], ["user", "add", "anne", "--role", "læser", "--password", "x"],
    ])
    func usageErrorsExit64(args: [String]) throws {
        let ws = try TempWorkspace.make()
        let r = try runWithInput(ws, args, input: "rødgrød med fløde\n")
        #expect(r.status == 64, "\(args): \(r.stderr)")
    }
}
