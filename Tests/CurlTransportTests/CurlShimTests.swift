import CCurl
@testable import CurlTransport
import Foundation
import Testing

/// The C shim: variadic curl_easy_setopt/getinfo reached through typed functions.
@Suite struct CurlShimTests {
    @Test func versionInfoNamesTheProtocolsWeNeed() {
        let v = CurlVersion.current
        #expect(v.version.hasPrefix("7.") || v.version.hasPrefix("8."))
        #expect(v.ssl?.contains("OpenSSL") == true, "libcurl4-openssl-dev is the flavour we build with")
        for p in ["imap", "imaps", "smtp", "smtps", "file"] {
            #expect(v.protocols.contains(p), "libcurl lacks \(p)")
        }
    }

    /// An option set through the shim (the URL, a string) changes what curl does:
    /// a file:// transfer needs no network and reads back exactly the bytes on disk.
    @Test func optionsSetThroughTheShimDriveATransfer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ssp-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("kvittering æøå.txt")
        let content = Array("Beløb: 1.234,50 kr.\r\n".utf8)
        try Data(content).write(to: file)

        let easy = CurlEasy()
        let url = "file://" + file.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        try easy.perform()
        #expect(easy.received == content)
        #expect(try easy.info(offset: CURLINFO_SIZE_DOWNLOAD_T) == Int64(content.count))
        #expect(try easy.info(string: CURLINFO_EFFECTIVE_URL) == url)

        // A missing file is an error carrying curl's code, not a crash.
        try easy.set(CURLOPT_URL, url + ".missing")
        #expect(throws: CurlError.self) { try easy.perform() }
    }
}

@Suite struct ImapParsingTests {
    /// Feeds `bytes` to a reader `chunk` bytes at a time, as a slow network would.
    static func reader(_ bytes: [UInt8], chunk: Int, bufferSize: Int = 64, maxLine: Int = 1 << 20, maxLiteral: Int = 1 << 20) -> ImapResponseReader {
        var offset = 0
        return ImapResponseReader(maxLine: maxLine, maxLiteral: maxLiteral, chunk: bufferSize) { out in
            guard offset < bytes.count else { throw ImapStreamError(message: "closed") }
            let n = min(chunk, out.count, bytes.count - offset)
            bytes.withUnsafeBytes { src in out.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + n)])) }
            offset += n
            return n
        }
    }

    /// FETCH answers are read whatever the order and case of their items; anything else is not one.
    @Test func fetchInfoLinesInAnyOrderAndCase() {
        func info(_ s: String) -> ImapMessageInfo? { ImapSession.parseFetchInfo(line: Array(s.utf8)[...]) }
        let a = info("* 12 FETCH (UID 40 RFC822.SIZE 2048 FLAGS (\\Seen $SSPProcessed))")
        #expect(a?.uid == 40 && a?.size == 2048 && a?.flags == ["\\Seen", "$SSPProcessed"])
        let b = info("* 3 fetch (flags () rfc822.size 99 uid 7)")
        #expect(b?.uid == 7 && b?.size == 99 && b?.flags == [])
        #expect(a?.internalDate == nil, "a server that gives no INTERNALDATE")
        // Dovecot's answer to the poll's one info command: the arrival beside size and flags.
        let c = info("* 1 FETCH (UID 3 RFC822.SIZE 4410 FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")")
        #expect(c?.uid == 3 && c?.size == 4410 && c?.flags == ["\\Seen"])
        #expect(c?.internalDate == Date(timeIntervalSince1970: 837_596_665))
        let d = info("* 1 FETCH (internaldate \" 2-Jan-2027 09:00:00 +0100\" UID 4 FLAGS () RFC822.SIZE 10)")
        #expect(d?.uid == 4 && d?.internalDate == Date(timeIntervalSince1970: 1_798_876_800))
        #expect(info("* 1 FETCH (UID 5 RFC822.SIZE 10 INTERNALDATE NIL)")?.internalDate == nil, "unreadable: no date, still the info")
        #expect(info("* 3 EXISTS") == nil)
        #expect(info("* 3 FETCH (UID 7 FLAGS ())") == nil, "no size")
        #expect(info("* 3 FETCH (UID 99999999999999999999 RFC822.SIZE 1)") == nil, "overflow")
        #expect(ImapSession.fetchUID(Array("* 5 Fetch (Body[] {3} uid 12)".utf8)) == 12)
        #expect(ImapSession.fetchUID(Array("* 5 EXPUNGE".utf8)) == nil)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 5000])
    func responsesAndLiteralsSurviveAnyChunking(chunk: Int) throws {
        let body = Array("Subject: Ansøgning\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300) + Array("\r\n)\r\n{5}\r\n".utf8)
        let stream = Array("* 1 FETCH (UID 7 BODY[] {\(body.count)}\r\n".utf8) + body + Array(")\r\n* 2 EXISTS\r\n".utf8)
            + Array("* 2 FETCH (BODY[] {3+}\r\nxyz UID 9)\r\nS5 OK done\r\n".utf8)
        let r = Self.reader(stream, chunk: chunk)
        let first = try r.next()
        #expect(first.tag == "*" && first.literals == [body])
        #expect(ImapSession.fetchUID(first.text) == 7)
        #expect(String(decoding: try r.next().text, as: UTF8.self) == "* 2 EXISTS")
        let third = try r.next()
        #expect(third.literals == [Array("xyz".utf8)] && ImapSession.fetchUID(third.text) == 9, "UID after the literal")
        let done = try r.next()
        #expect(done.tag == "S5" && done.rest == "OK done")
        #expect(throws: ImapStreamError.self) { _ = try r.next() }
    }

    @Test func sizesFromTheServerAreNotTrusted() {
        // A literal announced over the limit is refused before anything is allocated for it.
        let huge = Self.reader(Array("* 1 FETCH (UID 1 BODY[] {99999999999}\r\n".utf8), chunk: 16, maxLiteral: 1000)
        #expect(throws: ImapStreamError.self) { _ = try huge.next() }
        // A line without end is cut off at the limit, not buffered for ever.
        let endless = Self.reader(Array(repeating: UInt8(ascii: "a"), count: 10_000), chunk: 100, maxLine: 2000)
        #expect(throws: ImapStreamError.self) { _ = try endless.next() }
        // A literal shorter than announced (the server closed) is an error, not a short message.
        let short = Self.reader(Array("* 1 FETCH (UID 1 BODY[] {50}\r\nabc".utf8), chunk: 8)
        #expect(throws: ImapStreamError.self) { _ = try short.next() }
        #expect(ImapResponseReader.literalSize(Array("* 1 FETCH (BODY[] \"{5}\"".utf8)) == nil)
    }

    @Test func sequenceSetsSearchResultsAndMailboxNames() {
        #expect(ImapSession.sequenceSet([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10")
        #expect(ImapSession.parseSearch(Array("* ESEARCH (TAG \"A4\") UID ALL 1:3,7\r\n".utf8)) == [1, 2, 3, 7])
        #expect(ImapSession.parseSearch(Array("* SEARCH 4 5\r\n* 9 EXISTS\r\n".utf8)) == [4, 5])
        #expect(ImapSession.batches(Array(1...2500)).map(\.count) == [1000, 1000, 500])
        // RFC 3501 §5.1.3's own example, and Danish.
        #expect(ImapSession.mailboxArgument("~peter/mail/台北/日本語") == "\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"")
        #expect(ImapSession.mailboxArgument("Behandlet/Æble & \"co\"") == "\"Behandlet/&AMY-ble &- \\\"co\\\"\"")
    }
}
