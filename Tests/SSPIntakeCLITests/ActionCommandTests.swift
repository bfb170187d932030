import Foundation
import Testing

/// The Secretariat's actions through the binary: exit codes, the Danish line, and the audit row in `show`.
@Suite struct ActionCommandTests {
    @Test func eachActionPrintsOneDanishLineAndRefusalsExit65() throws {
        let ws = try TempWorkspace.make()
        _ = try ws.run(["run", "--once"])
        let user = ["--user", "Sekretær Test"]

        let negative = try ws.run(["approve", "SSP-2027-0004", "--amount", "-5"])
        #expect(negative.status == 64 && negative.stderr.contains("er ikke et beløb"))
        let tooMuch = try ws.run(["approve", "SSP-2027-0004", "--amount", "999999999"])
        #expect(tooMuch.status == 65 && tooMuch.stderr.contains("mere end det ansøgte"))
        let granted = try ws.run(["approve", "SSP-2027-0004", "--amount", "20000"] + user)
        #expect(granted.status == 0 && granted.stdout == "SSP-2027-0004 bevilget: 20.000,00 kr.\nbesked til line.groenbaek@kk.dk ligger i udbakken og sendes ved næste kørsel\n")
        let again = try ws.run(["approve", "SSP-2027-0004"])
        #expect(again.status == 65 && again.stderr.contains("allerede bevilget med 20.000,00 kr."))

        let reject = try ws.run(["reject", "SSP-2027-0001"])
        #expect(reject.status == 64 && reject.stderr.contains("begrundelse"))
        let close = try ws.run(["close", "SSP-2027-0001", "--note", "x"])
        #expect(close.status == 65 && close.stderr.contains("afventer ledergruppen"))

        let edit = try ws.run(["edit", "SSP-2027-0001", "Periode", "ingen anelse"])
        #expect(edit.status == 65 && edit.stderr.contains("Periode: kan ikke læse"))
        let field = try ws.run(["edit", "SSP-2027-0001", "Peroide", "1/3-30/6 2027"])
        #expect(field.status == 65 && field.stderr.contains("ukendt felt \"Peroide\""))

        let show = try ws.run(["show", "SSP-2027-0004"]).stdout
        #expect(show.contains("Sekretær Test") && show.contains("bevilget: – → 20.000,00 kr."))
    }

    @Test func refundIsRecordedOnceAndUsageErrorsExit64() throws {
        let ws = try TempWorkspace.make()
        _ = try ws.run(["run", "--once"])
        let queue = try ws.run(["queue", "--json"]).stdout.split(separator: "\n").map(String.init)
        let line = try #require(queue.first { $0.contains("\"amount\":1187.25") })
        let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let ref = try #require(o["reference"] as? String)

        #expect(try ws.run(["refund", ref, "--amount", "1187,25"]).status == 64)
        #expect(try ws.run(["refund", ref, "--date", "i går", "--amount", "1187,25"]).status == 64)
        let paid = try ws.run(["refund", ref, "--date", "06-10-2027", "--amount", "1187,25"])
        #expect(paid.status == 0 && paid.stdout.contains("udbetalt: 1.187,25 kr. den 06-10-2027"))
        let twice = try ws.run(["refund", ref, "--date", "06-10-2027", "--amount", "1187,25"])
        #expect(twice.status == 65 && twice.stderr.contains("allerede udbetalt"))
        #expect(try ws.run(["queue", "--status", "udbetalt"]).stdout.contains(ref))
    }

    /// `queue --todo` lists what waits for the Secretariat; closing and granting empties it.
    @Test func theTodoListEmptiesAsTheWeekIsWorked() throws {
        let ws = try TempWorkspace.make()
        _ = try ws.run(["run", "--once"])
        let todo = try ws.run(["queue", "--todo", "--json"]).stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(todo.count == 11)
        for row in todo {
            let ref = try #require(row["reference"] as? String)
            let args = row["status"] as? String == "leaderApproved" ? ["approve", ref] : ["close", ref, "--note", "set"]
            #expect(try ws.run(args).status == 0)
        }
        #expect(try ws.run(["queue", "--todo"]).stdout == "Intet venter på sekretariatet.\n")
    }
}
