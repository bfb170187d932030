import Foundation
import Testing
@testable import Intake
@testable import MailCore

/// A reply goes only to a valid SMTP path, its To: is exactly that path, and its header lines are
/// within RFC 5322's 998 bytes whatever the incoming mail's names and subjects.
@Suite struct ReplySafetyTests {
    static let refused: [(String, SMTPPath.Problem)] = [
        ("", .empty), ("hans\u{0}@kk.dk", .control), ("hans\u{7}@kk.dk", .control), ("hans hansen@kk.dk", .space),
        ("jørgen@kk.dk", .eightBit), ("hans@bø.dk", .eightBit), ("hans.kk.dk", .noAt), ("hans@", .noDomain),
        ("@kk.dk", .localPart), (".hans@kk.dk", .localPart), ("hans..h@kk.dk", .localPart), ("hans.@kk.dk", .localPart),
        ("\"hans\"@kk.dk", .localPart), ("hans<x>@kk.dk", .localPart), ("a@b@kk.dk", .localPart),
        ("hans@-kk.dk", .domain), ("hans@kk..dk", .domain), ("hans@kk.dk.", .domain), ("hans@kk_dk", .domain),
        ("hans@[300.1.1.1]", .domain), (String(repeating: "a", count: 65) + "@kk.dk", .localPartTooLong),
        ("a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: "."), .tooLong),
    ]

    @Test(arguments: refused) func notAPath(_ address: String, _ problem: SMTPPath.Problem) {
        #expect(SMTPPath.problem(address) == problem)
        let why = ReplyPlanner.recipientRefusal(MailAddress(name: "", address: address))
        #expect(why?.hasPrefix("svar ikke sendt: adressen") == true)
        // The reason shows the address without its control characters.
        #expect(why?.unicodeScalars.contains { $0.properties.generalCategory == .control } == false)
    }

    @Test(arguments: ["mette.hansen@buf.kk.dk", "o'brien+ssp@kk.dk", "a@[192.0.2.7]", "a@[IPv6:2001:db8::7]", "x-y@k-k.dk", "A_B@KK.DK"])
    func aPath(_ address: String) {
        #expect(SMTPPath.problem(address) == nil)
        #expect(ReplyPlanner.recipientRefusal(MailAddress(name: "", address: address)) == nil)
    }

    /// The senders of the bug: their replies' To: differed from the SMTP recipient. Now they get none.
    @Test(arguments: ["<hans\u{0}@kk.dk>", "\"Hans Hansen\" <\"hans hansen\"@kk.dk>", "Jørgen <jørgen@kk.dk>"])
    func aSenderThatIsNoPathGetsNoReplyAndAReason(_ from: String) {
        let m = mail(["From: " + from, "To: ssp@kk.dk", "Subject: Spørgsmål", "Message-ID: <q-\(UUID().uuidString)@kk.dk>"],
                     "Hvornår er seminaret?")
        let r = testEngine.evaluate(m)
        let address = r.sender?.address ?? ""
        #expect(SMTPPath.problem(address) != nil, "the parser mended \(from) to \(address)")
        #expect(r.reply == nil)
        #expect(r.noReplyReason?.contains("kan ikke bruges som modtager") == true)
    }

    static let longNames = [
        String(repeating: "x", count: 20_000),
        String(repeating: "Hans ", count: 4_000),
        String(repeating: "Ø", count: 20_000),
        String(repeating: "\"\\", count: 10_000),
    ]

    @Test(arguments: longNames) func aHugeDisplayNameGivesShortLinesAndTheSameRecipient(_ name: String) throws {
        let to = "mette.hansen@buf.kk.dk"
        let plan = ReplyPlan(kind: .mailReceived, to: MailAddress(name: name, address: to),
                             subject: String(repeating: "y", count: 20_000), body: "Hej \(name)")
        let original = mail(["From: x@kk.dk", "Message-ID: <" + String(repeating: "r", count: 240) + "@kk.dk>",
                             "References: " + (0..<30).map { "<\(String(repeating: "q", count: 200))\($0)@kk.dk>" }.joined(separator: " ")], "x")
        let bytes = ReplyComposer.compose(plan, inReplyTo: original, from: testConfig.site.mailbox, date: Date(), messageID: "m@kk.dk")
        let wire = String(decoding: bytes, as: UTF8.self)
        let head = try #require(wire.components(separatedBy: "\r\n\r\n").first)
        let longest = head.components(separatedBy: "\r\n").map(\.utf8.count).max() ?? 0
        #expect(longest <= 998, "a header line of \(longest) bytes")
        let parsed = MailMessage(bytes: bytes)
        #expect(parsed.to.map(\.address) == [to])
        let shown = try #require(parsed.to.first?.name)
        #expect(shown.count <= ReplyComposer.displayNameLimit && shown.hasSuffix("…"))
        #expect(parsed.subject?.hasPrefix("yyyy") == true)
    }
}
