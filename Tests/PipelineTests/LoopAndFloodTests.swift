import CaseModel
import Foundation
import Intake
import MailCore
@testable import Pipeline
import Store
import Testing

/// No mail loops and no floods: automatic mail and our own mail are never answered, and
/// per-sender and global limits hold whatever the rules decide.
@Suite struct LoopAndFloodTests {
    static func question(from: String, n: Int, extra: [String] = []) -> String {
        ([ "From: Kollega <\(from)>", "To: ssp@kk.dk", "Subject: Spørgsmål \(n)", "Message-ID: <q\(n)-\(UUID().uuidString)@kk.dk>",
           "Date: Mon, 12 Apr 2027 09:00:00 +0200", "Content-Type: text/plain; charset=utf-8"] + extra)
            .joined(separator: "\r\n") + "\r\n\r\nHvornår er seminaret?\r\n"
    }

    static func folder(_ mails: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (i, m) in mails.enumerated() {
            try Data(m.utf8).write(to: dir.appendingPathComponent(String(format: "%03d.eml", i)))
        }
        return dir
    }

    @Test func perSenderLimitHolds() throws {
        let mails = (1...8).map { Self.question(from: "flood@kk.dk", n: $0) }
        let run = try PipelineTests.fresh(mailbox: try Self.folder(mails))
        let s = try run.pipeline.runOnce()
        #expect(s.processed == 8)
        let limit = PipelineTests.config.site.replyLimits?.perSenderPerDay ?? 5
        #expect(try run.store.outbox().filter { $0.to == "flood@kk.dk" }.count == limit)
        #expect(try run.store.records().allSatisfy { r in (try? run.store.auditLog(record: r.id)) != nil })
    }

    /// What a relay that drops the automatic headers makes of a reply.
    static func stripped(_ bytes: [UInt8]) -> Data {
        Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Auto-Submitted: auto-replied\r\n", with: "")
            .replacingOccurrences(of: "X-Auto-Response-Suppress: All\r\n", with: "").utf8)
    }

    /// Two instances answering each other's mailboxes: the colleague's question is answered once,
    /// and nothing after it, even when a relay between them strips the automatic headers.
    @Test(arguments: [false, true]) func twoInstancesAnsweringEachOtherStayBounded(strip: Bool) throws {
        // Instance A is ssp@kk.dk; instance B is a second installation at robot-b@kk.dk. A question
        // from B's address to A starts it; each forwards what the other sent into its own mailbox.
        let aBox = try Self.folder([Self.question(from: "robot-b@kk.dk", n: 1)])
        let a = try PipelineTests.fresh(mailbox: aBox)
        let bBoxDir = FileManager.default.temporaryDirectory.appendingPathComponent("bbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bBoxDir, withIntermediateDirectories: true)
        var bConfig = PipelineTests.config
        bConfig.site.mailbox = IntakeConfig.Mailbox(address: "robot-b@kk.dk", displayName: "Robot B", messageIdDomain: "b.kk.dk")
        let b = try PipelineTests.fresh(mailbox: bBoxDir, config: bConfig)
        var aSent = 0, bSent = 0
        for _ in 0..<5 {
            _ = try a.pipeline.runOnce()
            // Everything A sent to B lands in B's mailbox, and B's replies land in A's.
            for item in try a.store.outbox(status: "sent") where item.to == "robot-b@kk.dk" {
                let url = bBoxDir.appendingPathComponent(item.msgid + ".eml")
                if !FileManager.default.fileExists(atPath: url.path) {
                    // B sees A's reply as coming to it; it answers like any robot would, if it answered at all.
                    try (strip ? Self.stripped(item.bytes) : Data(item.bytes)).write(to: url)
                }
            }
            _ = try b.pipeline.runOnce()
            for item in try b.store.outbox(status: "sent") {
                let url = aBox.appendingPathComponent(item.msgid + ".eml")
                if !FileManager.default.fileExists(atPath: url.path) {
                    try (strip ? Self.stripped(item.bytes) : Data(item.bytes)).write(to: url)
                }
            }
            aSent = try a.store.outbox().count
            bSent = try b.store.outbox().count
        }
        // The colleague's question itself was answered once; no reply in the loop.
        #expect(aSent == 1 && bSent == 0, "A sent \(aSent), B sent \(bSent)")
        // B saw A's reply and classified it as automatic (Auto-Submitted, or A's Message-ID once that is gone).
        #expect(try b.store.records().allSatisfy { $0.kind == .automatic })
    }

    /// A robot that is no ssp-intake answers our reply by quoting it back, its headers stripped:
    /// not answered. A coordinator answering the same thread with something of her own is.
    @Test func anEchoOfOurReplyIsNotAnsweredAPersonsAnswerIs() throws {
        let box = try Self.folder([Self.question(from: "kollega@kk.dk", n: 1)])
        let run = try PipelineTests.fresh(mailbox: box)
        _ = try run.pipeline.runOnce()
        let ours = try #require(try run.store.outbox().first)
        let text = MailMessage(bytes: ours.bytes).content().text
        func answer(_ n: Int, from: String, _ body: String) throws {
            let mail = ["From: \(from)", "To: ssp@kk.dk", "Subject: SV: \(ours.subject)", "Message-ID: <echo-\(n)-\(UUID().uuidString)@x.dk>",
                        "In-Reply-To: <\(ours.msgid)>", "References: <\(ours.msgid)>", "Content-Type: text/plain; charset=utf-8"]
                .joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
            try Data(mail.utf8).write(to: box.appendingPathComponent("answer-\(n).eml"))
        }
        try answer(1, from: "Autosvar <robot@kk.dk>", "Den 12. apr. 2027 skrev SSP København <ssp@kk.dk>:\n"
                   + text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n"))
        _ = try run.pipeline.runOnce()
        #expect(try run.store.outbox().count == 1)
        #expect(try run.store.records().filter { $0.kind == .automatic }.count == 1)
        try answer(2, from: "Kollega <kollega@kk.dk>", "Tak! Og hvor holdes seminaret?\n\nMvh Kollega\n\n-----Original Message-----\n" + text)
        _ = try run.pipeline.runOnce()
        #expect(try run.store.outbox().filter { $0.to == "kollega@kk.dk" }.count == 2)
    }

    @Test func ourOwnReplyComingBackIsNeverAnswered() throws {
        let run = try PipelineTests.fresh(mailbox: try Self.folder([Self.question(from: "kollega@kk.dk", n: 1)]))
        _ = try run.pipeline.runOnce()
        let reply = try #require(try run.store.outbox().first)
        // The reply comes back (a list, a forward rule) with its headers intact.
        let back = try PipelineTests.fresh(mailbox: try Self.folder([String(decoding: reply.bytes, as: UTF8.self)]))
        _ = try back.pipeline.runOnce()
        #expect(try back.store.outbox().isEmpty)
        // Even with Auto-Submitted stripped by a relay, our own address and Message-ID stop it.
        let stripped = String(decoding: reply.bytes, as: UTF8.self).replacingOccurrences(of: "Auto-Submitted: auto-replied\r\n", with: "")
            .replacingOccurrences(of: "X-Auto-Response-Suppress: All\r\n", with: "")
        let again = try PipelineTests.fresh(mailbox: try Self.folder([stripped]))
        _ = try again.pipeline.runOnce()
        #expect(try again.store.outbox().isEmpty)
    }
}

/// Hostile attachment names never reach the file system as given.
@Suite struct AttachmentNameTests {
    @Test func namesWithPathsNULAndControlCharactersAreDataOnly() throws {
        let names = ["../../../../tmp/evil.pdf", "/etc/passwd", "a\u{0}b.pdf", "line\r\nX-Evil: 1.pdf", "..", "con:.pdf"]
        var parts = ""
        for (i, n) in names.enumerated() {
            let encoded = "=?utf-8?B?" + Data(n.utf8).base64EncodedString() + "?="
            parts += "--b\r\nContent-Type: application/pdf; name=\"\(encoded)\"\r\nContent-Disposition: attachment; filename=\"\(encoded)\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Data("%PDF-1.4 file \(i)".utf8).base64EncodedString() + "\r\n"
        }
        let mail = "From: Hanne Bruun <hanne@kk.dk>\r\nTo: ssp@kk.dk\r\nSubject: Kvittering\r\nMessage-ID: <att-\(UUID().uuidString)@kk.dk>\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKvittering for Valby lokaludvalgsmøde d. 2. februar 2027\r\n"
            + parts + "--b--\r\n"
        let run = try PipelineTests.fresh(mailbox: try LoopAndFloodTests.folder([mail]))
        _ = try run.pipeline.runOnce()
        let stored = try FileManager.default.contentsOfDirectory(atPath: run.dir.appendingPathComponent("attachments").path)
        #expect(stored.count == names.count)
        #expect(stored.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.pdf"))
        // The names are kept, as data, for the secretariat to see.
        let rows = try run.store.db.query("SELECT filename FROM message_attachments").compactMap { $0[0].text }
        #expect(Set(rows) == Set(names))
    }
}
