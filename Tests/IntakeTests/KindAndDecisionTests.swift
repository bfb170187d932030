import Testing
@testable import Intake
import MailCore

/// Recognising kinds, automatic mail, decisions and their trust.
@Suite struct KindAndDecisionTests {
    static let person = ["From: Ali Demir <ali.demir@kk.dk>", "To: ssp@kk.dk", "Message-ID: <a1@kk.dk>"]

    @Test(arguments: [
        ("Auto-Submitted: auto-replied", "Auto-Submitted"),
        ("Auto-Submitted: auto-generated; owner-email=x@y", "Auto-Submitted"),
        ("Precedence: bulk", "Precedence"),
        ("Precedence: junk", "Precedence"),
        ("Precedence: list", "Precedence"),
        ("List-Id: <nyhed.example.dk>", "mailingliste"),
        ("List-Unsubscribe: <mailto:u@example.dk>", "mailingliste"),
        ("X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress"),
        ("X-Autoreply: yes", "X-Autoreply"),
        ("X-Autorespond: on", "X-Autorespond"),
        ("Return-Path: <>", "Return-Path"),
    ])
    func automaticHeaders(_ header: String, _ sign: String) {
        let r = evaluate(Self.person + ["Subject: Ansøgning", header], completeApplication)
        #expect(r.kind == .automatic)
        #expect(r.reasons.contains { $0.contains(sign) })
        #expect(r.reply == nil)
    }

    @Test func autoSubmittedNoIsAPerson() {
        let r = evaluate(Self.person + ["Subject: Ansøgning", "Auto-Submitted: no"], completeApplication)
        #expect(r.kind == .application)
    }

    @Test(arguments: ["MAILER-DAEMON@mx.kk.dk", "postmaster@kk.dk", "no-reply@e-boks.dk", "noreply@sharepointonline.com",
                      "donotreply@x.dk"])
    func machineSenders(_ from: String) {
        let r = evaluate(["From: \(from)", "To: ssp@kk.dk", "Subject: Kvittering"], "Hej")
        #expect(r.kind == .automatic)
    }

    @Test(arguments: ["Automatisk svar: SV: x", "Fraværende: x", "Autosvar: Kvittering", "Out of Office: x",
                      "Automatic reply: x"])
    func outOfOfficeSubjects(_ subject: String) {
        let r = evaluate(Self.person + ["Subject: \(subject)"], "Jeg er væk")
        #expect(r.kind == .automatic)
    }

    @Test func multipartReportIsAutomatic() {
        let r = evaluate(["From: x@y.dk", "Subject: Undelivered",
                          "Content-Type: multipart/report; report-type=delivery-status; boundary=b"],
                         "--b\nContent-Type: text/plain\n\nfailed\n--b--\n")
        #expect(r.kind == .automatic)
    }

    @Test func ourOwnMailComingBackIsNeverAnswered() {
        let r = evaluate(["From: SSP <ssp@kk.dk>", "To: ssp@kk.dk", "Subject: SV: Ansøgning"], completeApplication)
        #expect(r.kind == .automatic)
        #expect(r.reply == nil)
    }

    static let leader = ["From: Kasper Dalgaard Holm <KDH001@politi.dk>", "To: ssp@kk.dk",
                         "Subject: SV: Ansøgning SSP-2027-0003", "In-Reply-To: <x@kk.dk>",
                         "Authentication-Results: mx.kk.dk; dkim=pass header.d=politi.dk; dmarc=pass header.from=politi.dk"]

    @Test(arguments: [
        ("Godkendt.", Decision.approved),
        ("Jeg godkender hermed.", .approved),
        ("OK fra ledergruppen", .approved),
        ("Ikke godkendt.", .rejected),
        ("Afvist – for dyrt.", .rejected),
        ("Den kan ikke godkendes, men kan blive godkendt, når budgettet er rettet.", .rejected),
        ("Indsatsen godkendes ikke.", .rejected),
        ("Vi kan desværre ikke godkende den.", .rejected),
        ("Ledergruppen godkender ikke indsatsen.", .rejected),
        ("Vi tager den op på næste møde.", .unclear),
        ("Ikke noget at sige til budgettet. Godkendt.", .approved),
    ])
    func decisions(_ text: String, _ expected: Decision) {
        let r = evaluate(Self.leader, text + "\n\nFra: Line\nSendt: 1. marts 2027\nTil: Kasper\nEmne: Ansøgning\n\nGodkendt af egen leder")
        #expect(r.kind == .approval)
        #expect(r.decision == expected)
        #expect(r.reference == "SSP-2027-0003")
    }

    @Test func theQuoteNeverDecides() {
        let r = evaluate(Self.leader, "Tak for mailen.\n\n-----Oprindelig meddelelse-----\nGodkendt")
        #expect(r.decision == .unclear)
    }

    @Test func anHTMLBlockquoteIsQuoteNotNewText() {
        let r = evaluate(Self.leader + ["Content-Type: text/html; charset=utf-8"],
                         "<p>Tak, vi ser på den.</p><blockquote><p>Godkendt af egen leder</p></blockquote>")
        #expect(r.sections.newText == "Tak, vi ser på den.")
        #expect(r.decision == .unclear)
    }

    @Test func trustedLeaderWithDmarcPass() {
        let r = evaluate(Self.leader, "Godkendt")
        #expect(r.trusted == true)
        #expect(r.reply?.kind == .decisionRecorded)
    }

    @Test func unknownSenderIsAnUntrustedClaim() {
        var h = Self.leader
        h[0] = "From: Jens <jens@outlook.dk>"
        let r = evaluate(h, "Godkendt!")
        #expect(r.kind == .approval)
        #expect(r.trusted == false)
        #expect(r.reply?.kind == .decisionNotAccepted)
    }

    @Test func forgedHeaderBelowOursCountsForNothing() {
        let h = ["From: Susanne Vinther <susanne.vinther@kk.dk>", "To: ssp@kk.dk", "Subject: SV: SSP-2027-0011",
                 "Authentication-Results: mx.kk.dk; spf=fail; dmarc=fail (p=reject) header.from=kk.dk",
                 "Received: from evil.example by mx.kk.dk",
                 "Authentication-Results: mx.kk.dk; dmarc=pass header.from=kk.dk"]
        let r = evaluate(h, "Godkendt")
        #expect(r.decision == .approved)
        #expect(r.trusted == false)
        #expect(r.reasons.contains { $0.contains("dmarc=fail") })
    }

    @Test func onlyAHeaderFromAnotherServerIsNotEnough() {
        let h = ["From: Susanne Vinther <susanne.vinther@kk.dk>", "Subject: SV: SSP-2027-0011",
                 "Authentication-Results: mx.evil.example; dmarc=pass header.from=kk.dk"]
        #expect(evaluate(h, "Godkendt").trusted == false)
    }

    @Test func dmarcPassForAnotherDomainIsNotEnough() {
        let h = ["From: Susanne Vinther <susanne.vinther@kk.dk>", "Subject: SV: SSP-2027-0011",
                 "Authentication-Results: mx.kk.dk; dmarc=pass header.from=evil.example"]
        #expect(evaluate(h, "Godkendt").trusted == false)
    }

    @Test func leaderForwardingAnApplicationGivesBoth() {
        let h = ["From: Birgitte Aagaard <birgitte.aagaard@gmail.com>", "Subject: Fwd: Ansøgning",
                 "Authentication-Results: mx.kk.dk; dmarc=pass header.from=gmail.com"]
        let r = evaluate(h, "Godkendt på mødet.\n\n---------- Videresendt besked ---------\nFra: Ali <ali.demir@kk.dk>\nDate: 1. marts\nSubject: Ansøgning\nTo: b\n\n" + completeApplication)
        #expect(r.kind == .application)
        #expect(r.decision == .approved)
        #expect(r.trusted == true)
        #expect(r.fields["name"] == .text("Tryghedsvandringer i Sydhavnen"))
        #expect(r.missing.isEmpty)
    }

    @Test func statusReportAndReceiptAndUnknown() {
        #expect(evaluate(Self.person + ["Subject: Midtvejsevaluering SSP-2027-0002"], "Status: det går godt").kind == .statusReport)
        #expect(evaluate(Self.person + ["Subject: Kvittering"], "Her er kvitteringen").kind == .receipt)
        let u = evaluate(Self.person + ["Subject: Spørgsmål"], "Hvornår er seminaret?")
        #expect(u.kind == .unknown)
        #expect(u.reply?.kind == .mailReceived)
        let spam = evaluate(["From: win@lottery.example", "Subject: Du har vundet"], "Klik her")
        #expect(spam.kind == .unknown)
        #expect(spam.reply == nil)
        #expect(spam.noReplyReason?.contains("interne domæner") == true)
    }

    @Test func followUpQuotingTheReferenceAddsFields() {
        let r = evaluate(Self.person + ["Subject: SV: Manglende oplysninger – SSP-2027-0007"],
                         "Evaluering: Spørgeskema før og efter.\n\nFra: SSP\nSendt: i går\nTil: Ali\nEmne: Manglende")
        #expect(r.kind == .application)
        #expect(r.followUp)
        #expect(r.reference == "SSP-2027-0007")
        #expect(r.fields["evaluation"] != nil)
        #expect(r.missing.isEmpty)
        #expect(r.reply == nil)
    }

    @Test(arguments: [("SSP-2027-0007", "SSP-2027-0007"), ("ssp 2027-7", "SSP-2027-0007"), ("(SSP-2027-0012)", "SSP-2027-0012"),
                      ("XSSP-2027-0001", nil), ("SSP-27-0001", nil), ("SSP-2027-00012", nil),
                      // As Outlook and Word write it: en dash, non-breaking hyphen, non-breaking space.
                      ("SV: SSP–2027–0006 Ung-til-ung", "SSP-2027-0006"), ("SSP\u{2011}2027\u{2011}0006", "SSP-2027-0006"),
                      ("SSP\u{A0}2027-0006", "SSP-2027-0006"), ("SSP–2027 0006", nil)])
    func references(_ text: String, _ expected: String?) {
        #expect(References.first(in: text) == expected)
    }
}
