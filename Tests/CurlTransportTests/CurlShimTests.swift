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
    @Test func literalsAreParsedFromTheHeaderStream() {
        let stream = Array("* 1 FETCH (UID 7 BODY[] {5}\r\nab\r\nc)\r\n* 2 EXISTS\r\n* 2 FETCH (UID 9 BODY[] {3}\r\nxyz FLAGS (\\Seen))\r\nA5 OK done\r\n".utf8)
        let got = ImapSession.parseLiterals(stream)
        #expect(got[7] == Array("ab\r\nc".utf8))
        #expect(got[9] == Array("xyz".utf8))
        #expect(got.count == 2)
    }

    @Test func sequenceSetsAndSearchResults() {
        #expect(ImapSession.sequenceSet([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10")
        #expect(ImapSession.parseSearch(Array("* ESEARCH (TAG \"A4\") UID ALL 1:3,7\r\n".utf8)) == [1, 2, 3, 7])
        #expect(ImapSession.parseSearch(Array("* SEARCH 4 5\r\n* 9 EXISTS\r\n".utf8)) == [4, 5])
        #expect(ImapSession.batches(Array(1...250)).map(\.count) == [100, 100, 50])
    }
}
