import Foundation
import Testing
@testable import Intake
@testable import MailCore

/// A machine's answer to our reply is not answered, even with its automatic headers stripped on
/// the way; a person's answer in our thread is read as usual.
@Suite struct LoopRuleTests {
    /// Our reply to a colleague's question, as it went out, and its Message-ID.
    static func ourReply() throws -> (id: String, subject: String, text: String) {
        let question = mail(["From: Kollega <kollega@kk.dk>", "To: ssp@kk.dk", "Subject: Spørgsmål om seminaret",
                             "Message-ID: <q-loop@kk.dk>"], "Hvornår er seminaret?")
        let plan = try #require(testEngine.evaluate(question).reply)
        let id = ReplyComposer.messageID(seed: "loop-test", domain: testConfig.site.mailbox.messageIdDomain)
        let reply = MailMessage(bytes: ReplyComposer.compose(plan, inReplyTo: question, from: testConfig.site.mailbox,
                                                             date: Date(), messageID: id))
        return (id, reply.subject ?? "", reply.content().text)
    }

    /// A mail answering our reply, without Auto-Submitted or X-Auto-Response-Suppress.
    static func answer(_ ours: (id: String, subject: String, text: String), body: String, messageID: String = "a-\(UUID().uuidString)@x.dk",
                       from: String = "Robot <robot@kk.dk>", attachment: Bool = false) -> MailMessage {
        let head = ["From: " + from, "To: ssp@kk.dk", "Subject: SV: " + ours.subject, "Message-ID: <\(messageID)>",
                    "In-Reply-To: <\(ours.id)>", "References: <q-loop@kk.dk> <\(ours.id)>"]
        guard attachment else { return mail(head, body) }
        return mail(head + ["Content-Type: multipart/mixed; boundary=b"],
                    "--b\nContent-Type: text/plain; charset=utf-8\n\n\(body)\n--b\nContent-Type: application/pdf; name=a.pdf\n"
                        + "Content-Disposition: attachment; filename=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0x\n--b--\n")
    }

    static func quoted(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")
    }

    @Test func ourReplyQuotedBackIsAutomatic() throws {
        let ours = try Self.ourReply()
        let r = testEngine.evaluate(Self.answer(ours, body: "Den 12. apr. 2027 kl. 09.01 skrev SSP København <ssp@kk.dk>:\n" + Self.quoted(ours.text)))
        #expect(r.kind == .automatic)
        #expect(r.reasons.contains { $0.contains("uden egen tekst") })
        #expect(r.reply == nil)
    }

    @Test func ourReplyTextSentBackUnquotedIsAutomatic() throws {
        let ours = try Self.ourReply()
        #expect(testEngine.evaluate(Self.answer(ours, body: ours.text)).kind == .automatic)
    }

    @Test func anEmptyAnswerInOurThreadIsAutomatic() throws {
        #expect(testEngine.evaluate(Self.answer(try Self.ourReply(), body: "")).kind == .automatic)
    }

    @Test func anotherInstallationsMessageIDIsAutomaticAnywhere() {
        let id = ReplyComposer.messageID(seed: "b", domain: "b.kk.dk")
        let m = mail(["From: Robot B <robot-b@kk.dk>", "To: ssp@kk.dk", "Subject: SV: Spørgsmål", "Message-ID: <\(id)>"],
                     "Kære SSP\n\nTak for din mail.")
        let r = testEngine.evaluate(m)
        #expect(r.kind == .automatic)
        #expect(r.reasons.contains { $0.contains("anden ssp-intake (b.kk.dk)") })
        #expect(ReplyComposer.composedDomain(ofMessageID: id) == "b.kk.dk")
        #expect(ReplyComposer.composedDomain(ofMessageID: "ssp-intake.20270521T081412Z.3be907@kk.dk") == "kk.dk")
        #expect(ReplyComposer.composedDomain(ofMessageID: "ssp-intake.@kk.dk") == nil)
        #expect(ReplyComposer.composedDomain(ofMessageID: "q1-ssp-intake.x@kk.dk") == nil)
    }

    /// A coordinator answers our missing-field notice with the missing field above the quote.
    @Test func aPersonAnsweringInOurThreadIsReadAsUsual() throws {
        let ours = try Self.ourReply()
        let top = Self.answer(ours, body: "Hej\n\nEvaluering: Spørgeskema til deltagerne i juni\n\nMvh Mette\n\n"
                                + "-----Original Message-----\nFra: SSP København <ssp@kk.dk>\nSendt: 12. april 2027 09:01\n"
                                + "Til: Mette <mette@kk.dk>\nEmne: \(ours.subject)\n\n" + ours.text,
                              from: "Mette Sørensen <mette@kk.dk>")
        #expect(testEngine.evaluate(top).kind != .automatic)
        // Below the quote, or with a file and nothing else: still a person's.
        let bottom = Self.answer(ours, body: "Den 12. apr. 2027 skrev SSP København <ssp@kk.dk>:\n" + Self.quoted(ours.text)
                                   + "\n\nEvaluering: Spørgeskema i juni", from: "Mette Sørensen <mette@kk.dk>")
        #expect(testEngine.evaluate(bottom).kind != .automatic)
        #expect(testEngine.evaluate(Self.answer(ours, body: "", attachment: true)).kind != .automatic)
    }

    @Test func ourTextOutsideOurThreadIsNotTakenForALoop() throws {
        let ours = try Self.ourReply()
        let m = mail(["From: Kollega <kollega@kk.dk>", "To: ssp@kk.dk", "Subject: VS: " + ours.subject, "Message-ID: <f@kk.dk>"],
                     Self.quoted(ours.text))
        #expect(testEngine.evaluate(m).kind != .automatic)
    }
}
