import Foundation
import Testing
@testable import Pipeline
@testable import Store

/// What is stored for a failed mail and shown to users is Danish, whatever Foundation or SQLite said.
@Suite struct DanishSystemErrorTests {
    @Test func foundationsFileErrorsAreDanish() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        do {
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
            Issue.record("a folder over a file must fail")
        } catch {
            let text = DanishSystemError.describe(error)
            #expect(text.hasPrefix("filen findes allerede") && !text.contains("Domain"), "\(text)")
            #expect(!DanishSystemError.reason(error).contains(file.path))
        }
        do {
            _ = try Data(contentsOf: dir.appendingPathComponent("none"))
            Issue.record("a missing file must fail")
        } catch {
            #expect(DanishSystemError.reason(error).contains("findes ikke"), "\(DanishSystemError.reason(error))")
        }
    }

    @Test func errnoAndSQLiteAreDanish() {
        #expect(DanishSystemError.reason(errno: EACCES) == "ingen adgang")
        #expect(DanishSystemError.reason(errno: ENOSPC) == "disken er fuld")
        #expect(DanishSystemError.reason(errno: 9999) == "systemfejl (kode 9999)")
        #expect(DanishSystemError.describe(POSIXError(.EEXIST)) == "filen findes allerede")
        let busy = StoreError(code: 5, message: "database is locked", context: "step")
        #expect(DanishSystemError.describe(busy).hasPrefix("databasen er optaget") && !DanishSystemError.describe(busy).contains("locked"))
        #expect(DanishSystemError.database(StoreError(code: 13, message: "database or disk is full", context: "x")) == "disken er fuld (sqlite 13)")
    }
}
