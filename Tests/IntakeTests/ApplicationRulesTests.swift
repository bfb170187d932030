import Testing
@testable import Intake

/// Field extraction in every layout, values, validation and hints.
@Suite struct ApplicationRulesTests {
    let rules = ApplicationRules(config: testConfig)

    @Test func completeApplicationHasEveryField() {
        let r = rules.read(completeApplication, year: 2027)
        #expect(r.missing.isEmpty && r.invalid.isEmpty, "\(r.missing) \(r.invalid)")
        #expect(r.fields["period.start"] == .date(DayDate(year: 2027, month: 3, day: 1)))
        #expect(r.fields["period.end"] == .date(DayDate(year: 2027, month: 6, day: 30)))
        #expect(r.fields["coordinator.name"] == .text("Ali Demir"))
        #expect(r.fields["coordinator.email"] == .text("ali.demir@kk.dk"))
        #expect(r.fields["coordinator.phone"] == .text("22334455"))
        #expect(r.fields["leaderContact.email"] == .text("pernille.skov@sof.kk.dk"))
        #expect(r.fields["anchoring.geographic"] == .text("Kongens Enghave"))
        #expect(r.fields["anchoring.organisational"] == .text("Klub Sydhavn"))
        #expect(r.fields["budget.total"] == .money(Money(kroner: 5000)))
        guard case .budget(let lines)? = r.fields["budget.lines"] else { Issue.record("no budget"); return }
        #expect(lines.map(\.heading) == ["Forplejning", "Honorar"])
        #expect(lines.map { $0.months.map(\.iso) } == [["2027-03"], ["2027-05"]])
        #expect(r.hints.contains { $0.hasPrefix("Tværsektoriel: 3") })
        #expect(r.hints.contains { $0 == "Vidensbaseret tilgang: social pejling" })
    }

    @Test func labelLineFollowedByParagraphAndPunktNumbering() {
        let r = rules.read("""
            Punkt 1 – Navn på indsatsen
            Sommerklub

            Punkt 2: Periode
            uge 10-22 2027

            4) Mål
            At mødes.
            """, year: 2027)
        #expect(r.fields["name"] == .text("Sommerklub"))
        #expect(r.fields["goals"] == .text("At mødes."))
        #expect(r.fields["period.start"] == .date(DayDate(year: 2027, month: 3, day: 8)))
        #expect(r.fields["period.end"] == .date(DayDate(year: 2027, month: 6, day: 6)))
    }

    @Test func aliasesAndAccentFreeLabels() {
        let r = rules.read("INDSATSENS NAVN: A\nTidsperiode: juni-august 2027\nMALGRUPPE: unge\nFormål: b\nSamarbejdsparter: c\nOkonomiansvarlige: d", year: nil)
        #expect(Set(r.foundKeys) == ["name", "period", "targetGroup", "goals", "partners", "financeOwner"])
        #expect(r.fields["period.end"] == .date(DayDate(year: 2027, month: 8, day: 31)))
    }

    @Test func twoColumnTableRows() {
        let r = rules.read("1. Navn på indsatsen\tFritidsjob\n2. Periode\t01.02.2027 - 30.06.2027\nBudget\t\nForplejning\t1.500,-\tmarts 2027\nI alt\t1.500,-", year: 2027)
        #expect(r.fields["name"] == .text("Fritidsjob"))
        #expect(r.fields["period.start"] == .date(DayDate(year: 2027, month: 2, day: 1)))
        #expect(r.fields["budget.total"] == .money(Money(kroner: 1500)))
    }

    @Test func gmailBoldLabelsAreLabels() {
        let r = rules.read("*1. Navn på indsatsen:* Sommerklub\n*Periode*: juni-august 2027\n*Målgruppe:*\nUnge 12-15 år", year: 2027)
        #expect(r.fields["name"] == .text("Sommerklub"))
        #expect(r.fields["period.end"] == .date(DayDate(year: 2027, month: 8, day: 31)))
        #expect(r.fields["targetGroup"] == .text("Unge 12-15 år"))
    }

    @Test func budgetItemsWithBlankLinesBetweenThem() {
        let r = rules.read("Budget:\nLeje 1.500 kr. april\n\nFlyers 300 kr. april\n\nI alt 1.800 kr.\n\nMed venlig hilsen\nSara", year: 2027)
        #expect(r.fields["budget.total"] == .money(Money(kroner: 1800)))
        guard case .budget(let lines)? = r.fields["budget.lines"] else { Issue.record("no budget"); return }
        #expect(lines.map(\.heading) == ["Leje", "Flyers"])
    }

    @Test func labelsWithWordsOfTheirOwnBeforeTheColon() {
        let r = rules.read("Mål for indsatsen: færre konflikter\nTovholder/kontaktperson: Sara Holm, sara@kk.dk, 23 45 67 89\nEvaluation method: attendance lists\nIndsatsens periode: juni-august 2027", year: 2027)
        #expect(r.fields["goals"] == .text("færre konflikter"))
        #expect(r.fields["coordinator.name"] == .text("Sara Holm"))
        #expect(r.fields["evaluation"] == .text("attendance lists"))
        #expect(r.fields["period.start"] == .date(DayDate(year: 2027, month: 6, day: 1)))
    }

    @Test func aWordThatStartsLikeALabelIsNotOne() {
        let r = rules.read("Målgruppens forældre er med.\nBudgettet kommer senere.\nPeriodevis møder.", year: nil)
        #expect(r.foundKeys.isEmpty)
    }

    @Test func invalidPeriodAndBudgetAcrossYears() {
        let r = rules.read("Periode: 1. september 2027 – 30. juni 2027\nBudget:\nLeje 1.000 kr. november 2027\nTur 2.000 kr. januar 2028\nI alt 4.000 kr.", year: 2027)
        #expect(r.invalid.contains { $0.field == "period" && $0.reason.contains("før startdatoen") })
        #expect(r.invalid.contains { $0.field == "budget.total" && $0.reason.contains("3.000,00 kr.") })
        #expect(r.hints.contains { $0.contains("flere regnskabsår") })
    }

    @Test func coordinatorNeedsNameMailAndPhone() {
        let r = rules.read("Tovholder: Mette (SSP Valby)", year: nil)
        #expect(r.fields["coordinator.name"] == .text("Mette"))
        #expect(r.missing.contains("coordinator.email") && r.missing.contains("coordinator.phone"))
        #expect(!r.missing.contains("coordinator"))
    }

    @Test func budgetLineWithoutMonthIsInvalid() {
        let r = rules.read("Budget:\nForplejning, løbende: 8.500 kr.\nI alt: 8.500 kr.", year: 2027)
        #expect(r.invalid.contains { $0.field == "budget.lines" && $0.reason.contains("mangler måned") })
    }

    @Test func missingListsEveryRequiredField() {
        let r = rules.read("Navn på indsatsen: X", year: nil)
        #expect(r.missing == ["period", "targetGroup", "goals", "partners", "evaluation", "financeOwner", "coordinator",
                              "leaderContact", "anchoring", "budget"])
    }

    @Test func singlePartyPartnersGiveTheCrossSectorHint() {
        let r = rules.read("Samarbejdspartnere: Klub Amager", year: nil)
        #expect(r.hints.contains { $0.contains("kun én SSP-part") })
    }

    @Test(arguments: [("Forplejning 4.500,00 kr. marts 2027", "Forplejning"),
                      ("- Forplejning: 2.000 kr. (marts)", "Forplejning"),
                      ("Juni 2027: Trænerhonorar 12.000 kr.", "Trænerhonorar"),
                      ("Leje af hal (inkl. rengøring) 1.000 kr. maj", "Leje af hal (inkl. rengøring)")])
    func budgetHeadings(_ line: String, _ heading: String) {
        #expect(ApplicationRules.budgetHeading(line) == heading)
    }
}
