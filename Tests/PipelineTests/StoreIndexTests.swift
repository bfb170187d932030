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
        try s.insertRecord(RecordRow(kind: "application", status: "incomplete", title: title, sender: nil))
    }

    @Test func titlesNamedInATextAreFoundOldestFirst() throws {
        let s = try store()
        let valby = try application(s, "Tryg i Valby")
        let nat = try application(s, "Natteravne på Nørrebro")
        let kort = try application(s, "Øst")
        _ = try s.insertRecord(RecordRow(kind: "receipt", status: "registered", title: "Tryg i Valby", sender: nil))
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
        n.kind = "approval"
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
        let reused = try s.insertRecord(RecordRow(kind: "receipt", status: "registered", title: "Kvittering", sender: nil))
        #expect(reused == undone)
        #expect(try s.applications(namedIn: Fold.key("Fodbold om natten")).isEmpty)
    }
}
