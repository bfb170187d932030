import Foundation
import Testing
@testable import Intake

/// The byte-level shortcuts give what the Character-level String API gives, on plain text and
/// on text where Characters and bytes do not line up (combining marks, CR LF, joiners, Kelvin sign).
@Suite struct PlainTextTests {
    static let texts = [
        "", "a", "\n", "a\n", "\n\na", "Målgruppe: Unge 13-17 år", "a\r\nb\nc", "x\n\u{301}y", "æ\nø\r\n\nå",
        "  Budget:\t4.500 kr.\u{A0}marts ", "e\u{301}t \t to", "1. Navn på indsatsen: Tryghed", "\u{212A}lub; x`y",
        "Fra:\u{301} Line", "👍🏽 godkendt", "a\u{200D}b c", "İstanbul – tur", "€ 12,50\u{2003}kr", "\r\n", " \u{301}x ",
    ]

    @Test(arguments: texts)
    func lineSlicesSplitAsCharactersDo(_ text: String) {
        #expect(text.lineSlices() == text.split(separator: "\n", omittingEmptySubsequences: false))
        #expect(text.lineSlices(omittingEmpty: true) == text.split(separator: "\n"))
    }

    @Test(arguments: texts)
    func joiningLinesIsJoined(_ text: String) {
        let lines = text.lineSlices()
        #expect(text.joining(lines: lines) == lines.joined(separator: "\n"))
        let some = lines.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        #expect(text.joining(lines: some) == some.joined(separator: "\n"))
    }

    @Test(arguments: texts)
    func plainSplitIsSplitWhereItAnswers(_ text: String) {
        let blanks: Set<Character> = [" ", "\t", "\u{A0}"]
        if let pieces = text.plainSplit(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0xA0 }) {
            #expect(PlainText.isPlain(text))
            #expect(pieces == text.split(whereSeparator: { blanks.contains($0) }))
        } else {
            #expect(!PlainText.isPlain(text))
        }
    }

    @Test func plainTextIsLatinAndPunctuation() {
        #expect(PlainText.isPlain("Målgruppe – Ærø · 4.500 € • ▪"))
        #expect(!PlainText.isPlain("e\u{301}"))        // combining mark
        #expect(!PlainText.isPlain("a\r\nb"))          // CR LF is one Character
        #expect(!PlainText.isPlain("a\u{200D}b"))      // joiner
        #expect(!PlainText.isPlain("\u{2000}"))        // canonically U+2002
        #expect(!PlainText.isPlain("\u{212A}"))        // canonically K
    }

    @Test(arguments: texts)
    func containsAsFoundationDoes(_ text: String) {
        for needle in ["@", "\t", ";", "..", "e", "k", "K", "a\u{301}", "godkendt", " ", "\u{301}", "\n"] {
            #expect(PlainText.contains(text, needle) == text.contains(needle), "\(text.debugDescription) ∋ \(needle.debugDescription)")
        }
    }

    @Test(arguments: texts)
    func collapseAsSplittingOnCharactersDoes(_ text: String) {
        let reference = text.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
        #expect(Fold.collapse(text) == reference)
    }

    @Test(arguments: texts + ["SV:\u{1}Budget\u{7F}\u{85}x", "\u{9F}æ\u{C2}"])
    func controlsBecomeSpacesAsScalarsDo(_ text: String) {
        let reference = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        #expect(ReplyComposer.withoutControls(text) == reference)
    }

    @Test(arguments: texts + ["1. Navn", "12) Mål", "(3) Periode", "Punkt 4: Budget", "PUNKT 2 - Mål", "- Budget", "· Mål",
                              "• Mål", "1.\u{A0}Økonomi", "123. x", "1. marts 2027", "  \t2 Mål", "3.\u{301} x", "1 – Mål", "p. 3"])
    func strippedNumberingAsCharactersDo(_ line: String) {
        let fast = LabelReader.strippingNumbering(line), reference = LabelReader.strippingNumberingByCharacters(line[...])
        #expect(fast == reference)
        #expect(fast.startIndex.utf16Offset(in: line) == reference.startIndex.utf16Offset(in: line))
    }
}
