import CaseModel
import Foundation
import Intake
import Store
import Testing

/// What the store keeps in memory to stay fast must give the answers the database would.
@Suite struct StoreIndexTests {
    func store() throws -> IntakeStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
    }

    func application(_ s: IntakeStore, _ title: String) throws -> Int64 {
        try s.insertRecord(RecordRow(kind: .application, status: .incomplete, title: title, sender: nil))
    }

    @Test func titlesNamedInATextAreFoundOldestFirst() throws {
        let s = try store()
        let valby = try application(s, "Tryg i Valby")
        let nat = try application(s, "Natteravne på Nørrebro")
        let kort = try application(s, "Øst")
        _ = try s.insertRecord(RecordRow(kind: .receipt, status: .registered, title: "Tryg i Valby", sender: nil))
        let subject = Fold.key("SV: Tryg i Valby og NATTERAVNE PÅ NØRREBRO")
        #expect(try s.applications(namedIn: subject) == [valby, nat])
        #expect(try s.applications(namedIn: subject, limit: 1) == [valby])
        // Short titles only count when asked for (a receipt's occasion), and only as whole bytes.
        #expect(try s.applications(namedIn: Fold.key("Møde i Øst"), minLength: 1, limit: 5) == [kort])
        #expect(try s.applications(namedIn: Fold.key("Møde i Øst")).isEmpty)
        // A renamed application is found by its new title only, and a record that is no longer one not at all.
        var r = try #require(try s.record(valby))
        r.title = "Sommer i Valby"
        try s.updateRecord(r)
        #expect(try s.applications(namedIn: subject) == [nat])
        #expect(try s.applications(namedIn: Fold.key("Sommer i Valby")) == [valby])
        var n = try #require(try s.record(nat))
        n.kind = .approval
        try s.updateRecord(n)
        #expect(try s.applications(namedIn: subject).isEmpty)
    }

    /// SQLite gives a rolled-back row's id to the next insert: the cache must not name the old title.
    @Test func aRolledBackApplicationIsForgotten() throws {
        let s = try store()
        _ = try application(s, "Lektiecafé i Sydhavnen")
        #expect(try s.applications(namedIn: Fold.key("Lektiecafé i Sydhavnen")).count == 1)
        struct Undo: Error {}
        var undone: Int64 = 0
        _ = try? s.db.transaction {
            undone = try application(s, "Fodbold om natten")
            #expect(try s.applications(namedIn: Fold.key("Fodbold om natten")) == [undone])
            throw Undo()
        }
        let reused = try s.insertRecord(RecordRow(kind: .receipt, status: .registered, title: "Kvittering", sender: nil))
        #expect(reused == undone)
        #expect(try s.applications(namedIn: Fold.key("Fodbold om natten")).isEmpty)
    }

    /// A record keeps the JSON it was stored with, to save it again unchanged without encoding: the
    /// JSON must follow every change of the reading, whether it was loaded or encoded ahead.
    @Test func aSavedReadingIsNeverStale() throws {
        let s = try store()
        var reading = ApplicationReading()
        reading.fields = ["name": .text("Tryg i Valby"), "budget.total": .money(Money(ore: 1_250_000))]
        reading.missing = ["period"]
        var row = RecordRow(kind: .application, status: .incomplete, title: "Tryg i Valby", sender: nil)
        row.reading = reading
        row.encoded = try EncodedReading(reading)
        let id = try s.insertRecord(row)
        var loaded = try #require(try s.record(id))
        #expect(loaded.reading.fields == reading.fields && loaded.reading.missing == ["period"])
        #expect(loaded.encoded?.matches(loaded.reading) == true)
        // Changed after loading: the new reading is what is stored, not the JSON it was loaded with.
        loaded.reading.missing = []
        loaded.reading.fields["period"] = .text("uge 27")
        try s.updateRecord(loaded)
        let again = try #require(try s.record(id))
        #expect(again.reading.missing.isEmpty)
        #expect(again.reading.fields["period"] == .text("uge 27"))
        // A guess encoded for another reading is not used either.
        var other = RecordRow(kind: .receipt, status: .registered, title: "Kvittering", sender: nil)
        other.encoded = try EncodedReading(reading)
        other.reading.hints = ["kvittering"]
        let rid = try s.insertRecord(other)
        let receipt = try #require(try s.record(rid))
        #expect(receipt.reading.fields.isEmpty && receipt.reading.hints == ["kvittering"])
        let raw = try s.db.query("SELECT fields_json, missing_json, invalid_json FROM records WHERE id = ?", [.int(rid)])
        #expect(raw.first == [.text("{}"), .text("[]"), .text("[]")])
    }
}
