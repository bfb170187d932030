import CaseModel
import Foundation
import Intake
import MailCore
@testable import Pipeline
import Store
import Testing

/// No reply is queued to an address that is not a valid SMTP path, and the record's history says why.
@Suite struct ReplySafetyPipelineTests {
    @Test(arguments: ["<hans\u{0}@kk.dk>", "Jørgen <jørgen@kk.dk>", "\"Hans Hansen\" <\"hans hansen\"@kk.dk>"])
    func aSenderThatIsNoPathGetsNoReplyAndTheRecordSaysWhy(_ from: String) throws {
        let mail = LoopAndFloodTests.question(from: "x@kk.dk", n: 1).replacingOccurrences(of: "From: Kollega <x@kk.dk>", with: "From: " + from)
        let run = try PipelineTests.fresh(mailbox: try LoopAndFloodTests.folder([mail]))
        let s = try run.pipeline.runOnce()
        #expect(s.processed == 1)
        #expect(try run.store.outbox().isEmpty)
        let record = try #require(try run.store.records().first)
        let refusal = try run.store.auditLog(record: record.id).first { $0.action == "svar ikke sendt" }
        #expect(refusal?.detail?.contains("kan ikke bruges som modtager") == true, "\(String(describing: refusal))")
    }

    /// A planned reply whose recipient is no path (here an approval request to a leader whose
    /// address in the configuration has a space) is stopped where replies are queued.
    @Test func aPlannedReplyToNoPathIsNotQueued() throws {
        var config = PipelineTests.config
        let i = try #require(config.site.leaders.firstIndex { $0.email == "hlm002@politi.dk" })
        config.site.leaders[i].email = "hlm 002@politi.dk"
        let sample = PipelineTests.root.appendingPathComponent("mailbox-samples/23-thunderbird-plain-flowed-application.eml")
        let box = try LoopAndFloodTests.folder([])
        try FileManager.default.copyItem(at: sample, to: box.appendingPathComponent("23.eml"))
        let run = try PipelineTests.fresh(mailbox: box, config: config)
        _ = try run.pipeline.runOnce()
        let app = try #require(try run.store.records(kind: .application).first)
        #expect(app.reference != nil)
        let kinds = try run.store.outbox(record: app.id).map(\.kind)
        #expect(kinds.contains("applicationReceived") && !kinds.contains("approvalRequest"), "\(kinds)")
        let refusal = try run.store.auditLog(record: app.id).first { $0.action == "svar ikke sendt" }
        #expect(refusal?.detail?.contains("hlm 002@politi.dk") == true, "\(String(describing: refusal))")
    }
}
