import Testing
@testable import Intake

/// New text vs quoted vs forwarded, in the forms real clients write.
@Suite struct QuoteSplitterTests {
    @Test func danishOutlookHeaderBlock() {
        let s = QuoteSplitter.split("""
            Godkendt.

            Fra: Line Nielsen <line@kk.dk>
            Sendt: 3. marts 2027 10:14
            Til: Kasper Holm
            Emne: Ansøgning

            Kan ikke godkendes uden budget.
            """, subject: "SV: Ansøgning")
        #expect(s.newText == "Godkendt.")
        #expect(s.quoted.contains("Kan ikke godkendes"))
        #expect(s.forwarded.isEmpty)
    }

    @Test func englishOutlookOriginalMessage() {
        let s = QuoteSplitter.split("OK fra ledergruppen.\n\n-----Original Message-----\nFrom: x\nSent: y\nGodkendt?", subject: "RE: x")
        #expect(s.newText == "OK fra ledergruppen.")
        #expect(s.quoted.hasPrefix("-----Original Message-----"))
    }

    @Test func danishOprindeligMeddelelse() {
        let s = QuoteSplitter.split("Nej tak.\n-----Oprindelig meddelelse-----\nGodkendt", subject: "SV: x")
        #expect(s.newText == "Nej tak.")
    }

    @Test func gmailAttributionWrappedOverTwoLines() {
        let s = QuoteSplitter.split("""
            Kan ikke godkendes.

            Den tir. 20. apr. 2027 kl. 21.17 skrev Amalie Bech <
            amalie@gmail.com>:
            > Godkendt af egen leder
            """, subject: "Re: x")
        #expect(s.newText == "Kan ikke godkendes.")
        #expect(s.quoted.contains("> Godkendt"))
    }

    @Test func englishAttributionAndAngleLines() {
        let s = QuoteSplitter.split("Fine by me\n\nOn Tue, Apr 20, 2027 at 9:17 PM Amalie <a@b.dk> wrote:\n> old\n>\n> text", subject: "Re: x")
        #expect(s.newText == "Fine by me")
        #expect(s.quoted.split(separator: "\n").count == 4)
    }

    @Test func bottomPostingKeepsTheAnswerBelowTheQuote() {
        let s = QuoteSplitter.split("On Mon, 1 Mar 2027, Line wrote:\n> Kan I godkende?\n\nGodkendt herfra.", subject: "Re: x")
        #expect(s.newText == "Godkendt herfra.")
        #expect(s.quoted.contains("> Kan I godkende?"))
    }

    @Test func interleavedAngleLinesAreQuotedTheRestIsNew() {
        let s = QuoteSplitter.split("> Spørgsmål?\nSvar her.\n> Mere?\nOgså svar.", subject: "Re: x")
        #expect(s.newText == "Svar her.\nOgså svar.")
        #expect(s.quoted == "> Spørgsmål?\n> Mere?")
    }

    @Test func gmailDanishForwardIsForwardedContent() {
        let s = QuoteSplitter.split("""
            Godkendt på ledergruppemødet.

            ---------- Videresendt besked ---------
            Fra: Ali <ali@kk.dk>
            Date: man. 1. mar. 2027 kl. 09.00
            Subject: Ansøgning
            To: <b@gmail.com>

            1. Navn på indsatsen: X
            """, subject: "Fwd: Ansøgning")
        #expect(s.newText == "Godkendt på ledergruppemødet.")
        #expect(s.forwarded.contains("Navn på indsatsen"))
        #expect(s.quoted.isEmpty)
    }

    @Test func outlookHeaderBlockUnderVSIsAForward() {
        let s = QuoteSplitter.split("Til jer.\n\nFra: A\nSendt: 1. marts\nTil: B\nEmne: Ansøgning\n\nIndhold", subject: "VS: Ansøgning")
        #expect(s.forwarded.contains("Indhold"))
        #expect(s.quoted.isEmpty)
    }

    @Test func appleForwardLead() {
        let s = QuoteSplitter.split("Se nedenfor\n\nBegin forwarded message:\n\nFrom: A", subject: "Fwd: x")
        #expect(s.newText == "Se nedenfor")
        #expect(s.forwarded.hasPrefix("Begin forwarded message:"))
    }

    @Test func aLoneFraLineIsNotAHeaderBlock() {
        let s = QuoteSplitter.split("Periode\nFra: 1. marts 2027\nTil: 30. juni 2027", subject: "Ansøgning")
        #expect(s.quoted.isEmpty)
        #expect(s.newText.contains("Til: 30. juni"))
    }

    @Test func subjectPrefixes() {
        #expect(QuoteSplitter.subjectIsReply("SV: VS: x"))
        #expect(!QuoteSplitter.subjectIsForward("SV: VS: x"))
        #expect(QuoteSplitter.subjectIsForward("Fwd: x"))
        #expect(QuoteSplitter.subjectIsReply("Re: x"))
        #expect(!QuoteSplitter.subjectIsReply("Rejse"))
    }
}
