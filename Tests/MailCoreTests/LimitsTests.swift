import Foundation
import Testing
@testable import MailCore

/// Touches everything a caller might read, so that a crash anywhere shows.
private func exercise(_ m: MailMessage) -> Int {
    var n = m.findings.count
    n &+= m.subject?.utf8.count ?? 0
    n &+= m.from.count &+ m.to.count &+ m.cc.count
    n &+= m.messageID?.utf8.count ?? 0
    n &+= m.inReplyTo.count &+ m.references.count
    _ = m.date
    for p in m.leafParts {
        n &+= p.filename?.utf8.count ?? 0
        n &+= m.text(p).utf8.count
    }
    let c = m.content()
    n &+= c.text.utf8.count
    for a in c.attachments { n &+= m.data(of: a).count }
    return n
}

private func nestedMultipart(depth: Int) -> String {
    var s = ""
    for i in 0..<depth {
        s += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\r\n\r\n--b\(i)\r\n"
    }
    s += "Content-Type: text/plain\r\n\r\nbunden\r\n"
    for i in (0..<depth).reversed() {
        s += "--b\(i)--\r\n"
    }
    return s
}

@Suite("Limits and robustness")
struct LimitsTests {
    /// A source reads only the header block as mail arrives: the same header values as the full parse.
    @Test func headersOnlyGivesTheSameHeaderValues() throws {
        let samples = CorpusDifferentialTests.repoRoot.appendingPathComponent("mailbox-samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".eml") }
        #expect(names.count > 30)
        var mails: [[UInt8]] = [Array(nestedMultipart(depth: 40).utf8)]
        for name in names {
            mails.append(try #require(FileManager.default.contents(atPath: samples.appendingPathComponent(name).path)).map { $0 })
        }
        for bytes in mails {
            let full = MailMessage(bytes: bytes)
            let head = MailMessage(bytes: bytes, limits: .headersOnly)
            #expect(head.messageID == full.messageID)
            #expect(head.subject == full.subject)
            #expect(head.from == full.from)
            #expect(head.root.children.isEmpty)
        }
    }

    @Test func deepNestingStopsAtDepthLimit() {
        let m = parseMail(nestedMultipart(depth: 200))
        #expect(findingCodes(m.findings).contains("depth-limit"))
        let leaves = m.leafParts
        #expect(leaves.count == 1)
        #expect(leaves.allSatisfy { $0.depth <= MIMELimits.standard.maxDepth })
        _ = exercise(m)
    }

    @Test func nestingWithinTheLimitIsParsed() {
        let m = parseMail(nestedMultipart(depth: 10))
        #expect(m.findings.isEmpty)
        #expect(m.leafParts.count == 1)
        #expect(m.leafParts.first?.depth == 10)
        #expect(m.content().text == "bunden")
    }

    @Test func deeplyNestedForwardedMessages() {
        var s = ""
        for i in 0..<200 { s += "Subject: lag \(i)\r\nContent-Type: message/rfc822\r\n\r\n" }
        s += "Subject: bund\r\n\r\nbunden"
        let m = parseMail(s)
        #expect(findingCodes(m.findings).contains("depth-limit"))
        #expect(m.leafParts.allSatisfy { $0.depth <= MIMELimits.standard.maxDepth })
        _ = exercise(m)
    }

    @Test func manyPartsStopAtPartLimit() {
        var s = "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n"
        for i in 0..<5_000 { s += "--p\r\nContent-Type: text/plain\r\n\r\ndel \(i)\r\n" }
        s += "--p--\r\n"
        let m = parseMail(s)
        #expect(findingCodes(m.findings).contains("part-limit"))
        let leaves = m.leafParts
        #expect(leaves.count <= MIMELimits.standard.maxParts)
        #expect(leaves.count >= MIMELimits.standard.maxParts - 1)
        #expect(m.text(leaves[0]) == "del 0")
    }

    @Test func customPartLimit() {
        var limits = MIMELimits()
        limits.maxParts = 5
        var s = "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n"
        for i in 0..<20 { s += "--p\r\n\r\ndel \(i)\r\n" }
        s += "--p--\r\n"
        let m = parseMail(s, limits: limits)
        #expect(findingCodes(m.findings).contains("part-limit"))
        #expect(m.leafParts.count <= 5)
        #expect(m.leafParts.map { m.text($0) } == ["del 0", "del 1", "del 2", "del 3"])
    }

    @Test func oversizedMessageIsCutAtSizeLimit() {
        var limits = MIMELimits()
        limits.maxMessageBytes = 200
        let body = String(repeating: "Tryg i Tingbjerg. ", count: 100)
        let s = "Subject: Stor\r\nContent-Type: text/plain\r\n\r\n" + body
        let m = parseMail(s, limits: limits)
        #expect(m.bytes.count == s.utf8.count)
        #expect(findingCodes(m.findings).contains("size-limit"))
        #expect(m.root.range.upperBound <= 200)
        #expect(m.subject == "Stor")
        #expect(m.content().text.utf8.count < 200)
        // Under the limit: no finding.
        #expect(!findingCodes(parseMail("Subject: lille\r\n\r\nx", limits: limits).findings).contains("size-limit"))
    }

    @Test func findingsAreNotRepeated() {
        let m = parseMail(nestedMultipart(depth: 200))
        #expect(Set(m.findings).count == m.findings.count)
    }

    static let seedMessage = Array("""
        From: =?utf-8?Q?Mette_S=C3=B8rensen?= <ms@kk.dk>\r
        To: Team: a@kk.dk, "B, b" <b@kk.dk>;\r
        Subject: =?iso-8859-1?Q?Ans=F8gning?=\r
        Message-ID: <x@kk.dk>\r
        References: <a@kk.dk> <b@kk.dk>\r
        Date: Mon, 04 Jan 2027 10:00:00 +0100\r
        Content-Type: multipart/mixed; boundary="o"\r
        \r
        --o\r
        Content-Type: multipart/alternative; boundary="a"\r
        \r
        --a\r
        Content-Type: text/plain; charset=iso-8859-1\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Bel=F8b =\r
        50.000\r
        begin 644 x.txt\r
        #2&5J\r
        `\r
        end\r
        --a\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <table><tr><td>a</td><td>b</td></tr></table>\r
        --a--\r
        --o\r
        Content-Type: message/rfc822\r
        \r
        Subject: indre\r
        Content-Type: message/delivery-status\r
        \r
        Final-Recipient: rfc822; x@kk.dk\r
        \r
        Action: failed\r
        --o\r
        Content-Type: application/pdf; name*0*=utf-8''%C3%B8; name*1="x.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERg==\r
        --o--\r
        """.utf8)

    @Test func randomBytesAndMutationsNeverCrash() {
        var rng = MIMEFuzzRNG(seed: 0x55_50_2027)
        // Bytes that steer the parsers into their interesting states.
        let alphabet: [UInt8] = Array("-=?:;<>\"()\\@,. \t\r\n\r\nQBqb_%*'abc0123456789".utf8) + [0x00, 0x80, 0xC3, 0xF8, 0xFF]
        let snippets: [[UInt8]] = [
            "\r\n", "\r\n\r\n", "--o", "--a--", "--o\r\n", "=?utf-8?B?", "?=", "=\r\n", "begin 644 f\r\n", "end\r\n",
            "Content-Type: multipart/mixed; boundary=o\r\n", "Content-Type: message/rfc822\r\n\r\n",
            "Content-Transfer-Encoding: base64\r\n", "filename*0*=x''%", "\"", "(", "<",
        ].map { Array($0.utf8) }
        let clock = ContinuousClock()
        let start = clock.now
        var sink = 0
        for i in 0..<20_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                let n = Int.random(in: 0..<160, using: &rng)
                bytes = (0..<n).map { _ in
                    Bool.random(using: &rng) ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                        : UInt8.random(in: 0...255, using: &rng)
                }
            } else {
                bytes = Self.seedMessage
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    let pos = Int.random(in: 0...bytes.count, using: &rng)
                    switch Int.random(in: 0..<5, using: &rng) {
                    case 0 where pos < bytes.count: bytes[pos] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes.insert(contentsOf: snippets[Int.random(in: 0..<snippets.count, using: &rng)], at: pos)
                    case 2: bytes.removeSubrange(pos..<min(bytes.count, pos + Int.random(in: 1...40, using: &rng)))
                    case 3: bytes = Array(bytes[..<pos])
                    default:
                        let from = Int.random(in: 0..<bytes.count, using: &rng)
                        bytes.insert(contentsOf: bytes[from..<min(bytes.count, from + 30)], at: pos)
                    }
                    if bytes.isEmpty { break }
                }
            }
            sink &+= exercise(MailMessage(bytes: bytes))
        }
        let elapsed = clock.now - start
        #expect(sink != 0)
        // Generous: a debug build does this in a few seconds; minutes would mean something went quadratic.
        #expect(elapsed < .seconds(30))
    }

    /// Shapes that once took quadratic time (a minute for a 140 KB Subject in a debug
    /// build); each is 20,000 repetitions and must stay well under a second.
    static let pathological: [(String, String)] = [
        ("unclosed encoded-words", "Subject: " + String(repeating: "=?a?q?x", count: 20_000) + "\r\n\r\n"),
        ("unclosed encoded-words, then a blank", "Subject: " + String(repeating: "=?a?q?x", count: 20_000) + " ?=\r\n\r\n"),
        ("blanks in a content type", "Content-Type: text/plain" + String(repeating: " x", count: 20_000) + "\r\n\r\n"),
        ("comments in an address", "To: " + String(repeating: "(c) ", count: 20_000) + "a@kk.dk\r\n\r\n"),
        ("unclosed angles", "To: " + String(repeating: "<a ", count: 20_000) + "\r\n\r\n"),
        ("many references", "References: " + String(repeating: "<a@kk.dk> (c) ", count: 20_000) + "\r\n\r\n"),
        ("many uuencode starts", "Content-Type: text/plain\r\n\r\n" + String(repeating: "begin 644 a\r\nend\r\n", count: 20_000)),
    ]

    @Test(arguments: pathological)
    func pathologicalInputStaysFast(_ label: String, _ message: String) {
        let clock = ContinuousClock()
        let start = clock.now
        _ = exercise(parseMail(message))
        #expect(clock.now - start < .seconds(2), "\(label)")
    }

    @Test func unclosedEncodedWordsStayLiteral() {
        let subject = String(repeating: "=?a?q?x", count: 100) + " =?utf-8?Q?=C3=B8?="
        #expect(decodeWords(subject) == String(repeating: "=?a?q?x", count: 100) + " ø")
    }
}
