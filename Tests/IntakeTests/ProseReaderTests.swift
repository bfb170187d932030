import Testing
@testable import Intake

/// Applications written as prose: numbered headings in the writer's own words, question headings,
/// numbered paragraphs, the name only in the subject, and applications in English.
@Suite struct ProseReaderTests {
    let rules = ApplicationRules(config: testConfig)

    /// A heading as people write it, and the field it names (nil: none).
    static let headings: [(String, String?)] = [
        ("Hvad hedder indsatsen?", "name"),
        ("Indsatsens navn og idé", "name"),
        ("Hvornår løber indsatsen?", "period"),
        ("Tidsplan", "period"),
        ("Hvem er indsatsen for?", "targetGroup"),
        ("Målgruppen", "targetGroup"),
        ("Hvad vil I opnå?", "goals"),
        ("Formål med indsatsen", "goals"),
        ("Hvem samarbejder I med?", "partners"),
        ("Hvordan vil I evaluere indsatsen?", "evaluation"),
        ("Hvordan måler I, om det virker?", "evaluation"),
        ("Hvem er økonomiansvarlig?", "financeOwner"),
        ("Hvem er tovholder, og hvordan får man fat i vedkommende?", "coordinator"),
        ("Kontaktperson i ledergruppen", "leaderContact"),
        ("Hvor er indsatsen forankret?", "anchoring"),
        ("Hvad koster det?", "budget"),
        ("Økonomi og budget", "budget"),
        ("Metode og aktiviteter", "method"),
        ("Findes der lignende indsatser?", "experienceSharing"),
        ("Target group", "targetGroup"),
        ("Who is the coordinator?", "coordinator"),
        ("Baggrund", nil),
        ("Vi glæder os", nil),
    ]

    @Test(arguments: headings)
    func headingNamesAField(_ heading: String, _ key: String?) {
        let reader = ProseReader(headingWords: testConfig.rules.proseHeadingWords ?? [], points: testConfig.rules.numberedPoints ?? [],
                                 labels: LabelReader(testConfig.rules.applicationFields))
        #expect(reader.key(ofHeading: heading) == key)
    }

    static let questionHeadings = """
        Hej SSP

        Her er vores ansøgning.

        1. Hvad hedder indsatsen?
        Vi kalder den »Sommer i Sundby«.

        2. Hvornår løber indsatsen?
        Fra 1. juni til 31. august 2027.

        3. Hvem er indsatsen for?
        Piger og drenge på 12-15 år i Sundby, som hænger ud ved Amager Centret om aftenen.

        4. Hvad vil I opnå?
        Færre konflikter og flere unge i faste fritidstilbud.

        5. Hvem samarbejder I med?
        Sundby Skole, Klub Sundby og Københavns Politi.

        6. Hvordan vil I evaluere?
        Vi tæller fremmøde og spørger de unge i august.

        7. Hvem er økonomiansvarlig?
        Det er klubleder Per Hansen i Klub Sundby.

        8. Hvem er tovholder?
        Sara Holm, sara.holm@kk.dk, 23 45 67 89.

        Med venlig hilsen
        Sara Holm
        """

    @Test func numberedQuestionHeadingsAreRead() {
        let r = rules.read(sections: rules.sections(Self.questionHeadings), year: 2027)
        #expect(r.fields["name"] == .text("Sommer i Sundby"))
        #expect(r.fields["period.start"] == .date(DayDate(year: 2027, month: 6, day: 1)))
        #expect(r.fields["period.end"] == .date(DayDate(year: 2027, month: 8, day: 31)))
        #expect(r.fields["targetGroup"] == .text("Piger og drenge på 12-15 år i Sundby, som hænger ud ved Amager Centret om aftenen."))
        #expect(r.fields["goals"] == .text("Færre konflikter og flere unge i faste fritidstilbud."))
        #expect(r.fields["partners"] == .text("Sundby Skole, Klub Sundby og Københavns Politi."))
        #expect(r.fields["evaluation"] == .text("Vi tæller fremmøde og spørger de unge i august."))
        #expect(r.fields["financeOwner"] == .text("Per Hansen"))
        #expect(r.fields["coordinator.name"] == .text("Sara Holm"))
        #expect(r.fields["coordinator.phone"] == .text("23456789"))
        #expect(r.sources["targetGroup"]?.source == .sentence)
        #expect(r.hints.contains("Målgruppe: læst fra fritekst – kontrollér"))
    }

    static let numberedParagraphs = """
        1) Indsatsen hedder Gadefodbold i Tingbjerg og er et tilbud om aftenfodbold.
        2) Den løber fra 1. april til 30. september 2027.
        3) Den er for drenge på 13-17 år i Tingbjerg.
        4) Vi vil give de unge et fast holdepunkt om aftenen og mindske uroen ved centret.
        5) Vi samarbejder med Tingbjerg Skole, Klub Tingbjerg og nærpolitiet.
        6) Vi evaluerer med fremmødelister og en kort samtale med hver spiller.
        7) Klubleder Jonas Krogh har ansvaret for økonomien.
        8) Tovholder er Amira Haddad (amira.haddad@kk.dk, tlf. 31 22 84 06).
        """

    @Test func numberedParagraphsTakeTheFormsPoints() {
        let r = rules.read(sections: rules.sections(Self.numberedParagraphs), year: 2027)
        #expect(r.fields["name"] == .text("Gadefodbold i Tingbjerg"))
        #expect(r.fields["period.end"] == .date(DayDate(year: 2027, month: 9, day: 30)))
        #expect(r.fields["targetGroup"] == .text("Den er for drenge på 13-17 år i Tingbjerg."))
        #expect(r.fields["partners"] == .text("Vi samarbejder med Tingbjerg Skole, Klub Tingbjerg og nærpolitiet."))
        #expect(r.fields["financeOwner"] == .text("Jonas Krogh"))
        #expect(r.fields["coordinator.name"] == .text("Amira Haddad"))
        #expect(r.fields["coordinator.email"] == .text("amira.haddad@kk.dk"))
    }

    static let titles: [(String, String?)] = [
        ("Vi kalder den »Sommer i Sundby«.", "Sommer i Sundby"),
        ("Indsatsen hedder Gadefodbold i Tingbjerg og er et tilbud om aftenfodbold.", "Gadefodbold i Tingbjerg"),
        ("Sommer i Sundby\nEt sommertilbud for unge på 12-15 år med aktiviteter hver aften i hele sommerferien.", "Sommer i Sundby"),
        ("Sommer i Sundby er et sommertilbud for unge på 12-15 år med aktiviteter hver aften i ferien.", "Sommer i Sundby"),
        ("Tøseklub Vesterbro", "Tøseklub Vesterbro"),
        ("The project is called Night Walks.", "Night Walks"),
        ("Vi har endnu ikke fundet et navn, men det bliver noget med sommer og fællesskab for de unge i området.", nil),
    ]

    @Test(arguments: titles)
    func titleInProse(_ text: String, _ title: String?) {
        #expect(ApplicationRules.title(inProse: text) == title)
    }

    @Test func aNumberedListInsideAValueIsNoApplication() {
        let r = rules.read(sections: rules.sections("Mål:\n1. At færre unge samles ved centret\n2. At samarbejdet styrkes\n3. At forældrene inddrages"), year: 2027)
        #expect(Set(r.fields.keys) == ["goals"])
    }

    static let subjects: [(String, String?)] = [
        ("Ansøgning: Sommer i Sundby", "Sommer i Sundby"),
        ("Ansøgning om lokal SSP-indsats – Lektiecafé og boksning i Urbanplanen", "Lektiecafé og boksning i Urbanplanen"),
        ("Ansøgning om midler til Pigeklub i Valby", "Pigeklub i Valby"),
        ("VS: Ansøgning om SSP-midler: \"Gadefodbold i Tingbjerg\"", "Gadefodbold i Tingbjerg"),
        ("Sommer i Sundby – ansøgning", "Sommer i Sundby"),
        ("Application for funding: Girls' football in Valby", "Girls' football in Valby"),
        ("Ansøgning", nil),
        ("Ansøgning om midler", nil),
        ("Spørgsmål om ansøgning", nil),
    ]

    @Test(arguments: subjects)
    func nameFromSubject(_ subject: String, _ name: String?) {
        #expect(rules.name(fromSubject: subject) == name)
    }

    @Test func theNameComesFromTheSubjectWhenTheBodyGivesNone() {
        let r = evaluate(["From: Sara Holm <sara.holm@kk.dk>", "To: ssp@kk.dk", "Subject: Ansøgning: Sommer i Sundby",
                          "Date: Mon, 1 Mar 2027 10:00:00 +0100"], "Periode: juni-august 2027\nMålgruppe: unge 12-15 år\nMål: færre konflikter")
        #expect(r.kind == .application)
        #expect(r.fields["name"] == .text("Sommer i Sundby"))
        #expect(!r.missing.contains("name"))
        #expect(r.hints.contains("Navn på indsatsen: læst fra emnefeltet – kontrollér"))
    }

    static let english = """
        Dear SSP Secretariat,

        Please find our application below.

        Project name: Girls' Football Valby
        Period: 1 March 2027 – 30 June 2027
        Target group: Girls aged 12-16 in Valby
        Purpose: To give girls a safe place to meet after school
        Partners: Valby Skole, Klub Valby (BUF) and Copenhagen Police
        Evaluation: Attendance lists and a short survey in June
        Financial officer: Hanne Lund
        Coordinator: Maria Costa, maria.costa@kk.dk, +45 28 11 22 33
        Contact person in the leader group: Dorthe Kjær Vestergaard
        Anchoring: Valby, Klub Valby
        Method: Ung-til-ung
        Budget:
        Coach fees DKK 6,000 (April)
        Equipment DKK 1,500 (March)
        Total DKK 7,500

        Kind regards
        Maria Costa
        """

    @Test func anApplicationInEnglishIsOne() {
        let r = evaluate(["From: Maria Costa <maria.costa@kk.dk>", "To: ssp@kk.dk", "Subject: Application – Girls' Football Valby",
                          "Date: Mon, 1 Feb 2027 10:00:00 +0100"], Self.english)
        #expect(r.kind == .application)
        #expect(r.missing.isEmpty && r.invalid.isEmpty, "\(r.missing) \(r.invalid)")
        #expect(r.fields["name"] == .text("Girls' Football Valby"))
        #expect(r.fields["period.start"] == .date(DayDate(year: 2027, month: 3, day: 1)))
        #expect(r.fields["financeOwner"] == .text("Hanne Lund"))
        #expect(r.fields["budget.total"] == .money(Money(kroner: 7500)))
        #expect(r.fields["anchoring.geographic"] == .text("Valby"))
    }

    static let statusReport = """
        Hej

        Hermed status for vores indsats.

        Projekt: Fritidsjob og gadeplan på Bispebjerg
        Reference: SSP-2027-0003
        Periode: 15. marts 2027 - 31. december 2027
        Målgruppe: Unge 14-17 år i Bispebjerg
        Status: 14 unge er kommet i fritidsjob, og jobcaféen har haft 120 besøg.
        Forbrug hidtil: 9.500 kr.

        Mvh Line
        """

    @Test func aStatusReportWithLabelsIsNoFollowUp() {
        let r = evaluate(["From: Line Grønbæk Nielsen <line.groenbaek@kk.dk>", "To: ssp@kk.dk",
                          "Subject: SSP-2027-0003 Fritidsjob og gadeplan", "Date: Mon, 13 Sep 2027 10:00:00 +0200"], Self.statusReport)
        #expect(r.kind == .statusReport)
        #expect(!r.followUp)
        #expect(r.fields.isEmpty)
    }

    @Test func aFollowUpWithPeriodAndTargetGroupIsStillOne() {
        let r = evaluate(["From: Line Grønbæk Nielsen <line.groenbaek@kk.dk>", "To: ssp@kk.dk",
                          "Subject: SV: Manglende oplysninger – SSP-2027-0007", "Date: Mon, 13 Sep 2027 10:00:00 +0200"],
                         "Her er det manglende:\n\nPeriode: 1. marts - 30. juni 2027\nMålgruppe: Unge 14-17 år\nEvaluering: Vi sender en statusrapport i juni.")
        #expect(r.kind == .application)
        #expect(r.followUp)
    }
}
