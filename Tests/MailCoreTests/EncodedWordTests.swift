import Testing
@testable import MailCore

@Suite("RFC 2047 encoded-words")
struct EncodedWordTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let raw: String
        let decoded: String
        var testDescription: String { raw }
    }

    static let cases: [Case] = [
        // Q and B, either case of the encoding letter.
        Case(raw: "=?utf-8?Q?Hall=C3=B8j?=", decoded: "Halløj"),
        Case(raw: "=?UTF-8?q?Hall=c3=b8j?=", decoded: "Halløj"),
        Case(raw: "=?utf-8?B?SGFsbMO4ag==?=", decoded: "Halløj"),
        Case(raw: "=?utf-8?b?SGFsbMO4ag?=", decoded: "Halløj"),
        // '_' is a space in Q, but not in B or outside words.
        Case(raw: "=?iso-8859-1?Q?Tryg_i_Tingbjerg?=", decoded: "Tryg i Tingbjerg"),
        Case(raw: "snake_case =?utf-8?Q?a_b?=", decoded: "snake_case a b"),
        // Blanks between adjacent words vanish (§6.2); blanks next to plain text stay.
        Case(raw: "=?utf-8?Q?Tryg_i?= =?utf-8?Q?_Tingbjerg?=", decoded: "Tryg i Tingbjerg"),
        Case(raw: "=?utf-8?Q?Tryg?=\t  =?utf-8?Q?gruppen?=", decoded: "Tryggruppen"),
        Case(raw: "Sv: =?utf-8?Q?Ans=C3=B8gning?= nr. 7", decoded: "Sv: Ansøgning nr. 7"),
        Case(raw: "=?utf-8?Q?a?= og =?utf-8?Q?b?=", decoded: "a og b"),
        // A UTF-8 character split across two B-words (0xC3 | 0xB8).
        Case(raw: "=?utf-8?B?QW5zww==?= =?utf-8?B?uGduaW5n?=", decoded: "Ansøgning"),
        // ...and across two Q-words.
        Case(raw: "=?utf-8?Q?Ans=C3?= =?utf-8?Q?=B8gning?=", decoded: "Ansøgning"),
        // Single-byte charsets.
        Case(raw: "=?iso-8859-1?Q?K=F8benhavn?=", decoded: "København"),
        Case(raw: "=?iso-8859-1?Q?=96_=80?=", decoded: "– €"),      // read as windows-1252
        Case(raw: "=?windows-1252?Q?=93Tryg=94?=", decoded: "\u{201C}Tryg\u{201D}"),
        Case(raw: "=?iso-8859-15?Q?500_=A4?=", decoded: "500 €"),
        Case(raw: "=?ISO-8859-15?B?NTAwIKQ=?=", decoded: "500 €"),
        // An RFC 2231 §5 language suffix on the charset.
        Case(raw: "=?utf-8*da?Q?Hall=C3=B8j?=", decoded: "Halløj"),
        // Text without words is returned unchanged, question marks and all.
        Case(raw: "Hvad nu? =? ?= ok", decoded: "Hvad nu? =? ?= ok"),
    ]

    @Test(arguments: cases)
    func decodes(_ c: Case) {
        #expect(decodeWords(c.raw) == c.decoded)
    }

    @Test(arguments: [
        "=?utf-8?X?abc?=",          // unknown encoding letter
        "=?utf-8?Q?abc",            // never closed
        "=?utf-8?Q?a b?=",          // blank inside the encoded text
        "=??Q?abc?=",               // empty charset
        "=?utf 8?Q?abc?=",          // blank in the charset
        "=?utf-8?Qabc?=",           // no '?' after the encoding
    ])
    func malformedWordStaysLiteral(_ raw: String) {
        #expect(decodeWords(raw) == raw)
    }

    @Test func malformedWordNextToGoodOne() {
        #expect(decodeWords("=?utf-8?X?abc?= =?utf-8?Q?=C3=B8?=") == "=?utf-8?X?abc?= ø")
    }

    @Test func unknownCharsetStillGivesText() {
        var findings: [Finding] = []
        let s = EncodedWord.decodeUnstructured(utf8Bytes("Re: =?x-no-such-charset?Q?Tryg_i_Tingbjerg?=")[...],
                                               findings: &findings)
        #expect(s == "Re: Tryg i Tingbjerg")
        #expect(findings.contains(Finding("unknown-charset", "x-no-such-charset")))
    }

    @Test func unknownCharsetWithEightBitBytesIsSniffed() {
        #expect(decodeWords("=?x-no-such-charset?Q?K=C3=B8benhavn?=") == "København")
        #expect(decodeWords("=?x-no-such-charset?Q?K=F8benhavn?=") == "København")
    }

    @Test func wordsInDifferentCharsetsAreDecodedSeparately() {
        #expect(decodeWords("=?iso-8859-1?Q?K=F8benhavn?= =?utf-8?Q?_og_=C3=85rhus?=") == "København og Århus")
    }

    @Test func outlookFoldedDanishSubject() {
        let m = parseMail("""
            From: Mette <ms@kk.dk>\r
            Subject: =?iso-8859-1?Q?Ans=F8gning_om_lokal_SSP-indsats:_Tryg_i_Tingbj?=\r
             =?iso-8859-1?Q?erg?=\r
            \r
            body
            """)
        #expect(m.subject == "Ansøgning om lokal SSP-indsats: Tryg i Tingbjerg")
    }

    @Test func subjectWithEncodedWordAndRawText() {
        let m = parseMail("Subject: SV: =?utf-8?B?QW5zw7hnbmluZw==?= (2027)\r\n\r\n")
        #expect(m.subject == "SV: Ansøgning (2027)")
        // `value` is the raw text, without RFC 2047 decoding.
        #expect(m.headers["subject"] == "SV: =?utf-8?B?QW5zw7hnbmluZw==?= (2027)")
    }

    @Test func qDecoderKeepsBadEscapes() {
        #expect(EncodedWord.decodeQ(utf8Bytes("a=ZZb=4")[...]) == utf8Bytes("a=ZZb=4"))
        #expect(EncodedWord.decodeQ(utf8Bytes("=41_=62")[...]) == utf8Bytes("A b"))
    }
}
