import Foundation
import MailCore

/// What an application's text gave: its fields, what is missing or invalid, and the hints.
public struct ApplicationReading: Sendable, Codable {
    public var fields: [String: FieldValue] = [:]
    public var missing: [String] = []
    public var invalid: [FieldIssue] = []
    public var hints: [String] = []
    /// Keys of the fields whose labels were found, in text order.
    public var foundKeys: [String] = []
    /// Where each field's value was read; not stored with the reading (the mail it came from is).
    public var sources: [String: FieldSource] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey { case fields, missing, invalid, hints, foundKeys }

    /// True when nothing required is missing or invalid.
    public var isComplete: Bool { missing.isEmpty && invalid.isEmpty }
}

/// Reads and validates an application ("ansøgning om lokal SSP-indsats", DOMAIN.md §1).
public struct ApplicationRules: Sendable {
    let config: IntakeConfig
    private let reader: LabelReader
    private let proseReader: ProseReader
    /// Folded, longest first.
    private let subjectPrefixes: [String]
    private let anchoringReader: LabelReader
    /// Folded once here, not for every message.
    private let areaNames: [(area: String, folded: String)]
    private let partyWords: [(party: String, words: [String])]
    private let methods: [(name: String, folded: String)]
    private let budgetReader: BudgetReader

    public init(config: IntakeConfig) {
        self.config = config
        areaNames = config.site.localAreas.flatMap { a in ([a.name] + a.aliases).map { (a.name, Fold.key($0)) } }
        partyWords = config.rules.sspParties.map { p in (p.party, p.words.map { Fold.key($0).trimmingWhitespace() }) }
        methods = config.rules.knowledgeMethods.map { ($0, Fold.key($0)) }
        budgetReader = BudgetReader(totalLabels: config.rules.budgetTotalLabels)
        reader = LabelReader(config.rules.applicationFields)
        proseReader = ProseReader(headingWords: config.rules.proseHeadingWords ?? [], points: config.rules.numberedPoints ?? [],
                                  labels: reader)
        subjectPrefixes = (config.rules.subjectNamePrefixes ?? []).map { Fold.key($0) }.sorted { $0.count > $1.count }
        anchoringReader = LabelReader([
            .init(key: "geographic", labels: config.rules.anchoringParts.geographic),
            .init(key: "organisational", labels: config.rules.anchoringParts.organisational),
        ])
    }

    /// The labelled sections of `text`, without reading their values; with `prose`, also the fields
    /// written as prose under numbered or question headings (`ProseReader`), in text order.
    func sections(_ text: String, prose: Bool = true) -> [LabeledValue] {
        let labelled = reader.read(text)
        return prose ? adding(proseIn: text, to: labelled) : labelled
    }

    /// `labelled` (the label sections of `text`) with the prose sections of the fields they lack, in text order.
    func adding(proseIn text: String, to labelled: [LabeledValue]) -> [LabeledValue] {
        guard proseReader.hasCues else { return labelled }
        let more = proseReader.read(text.lineSlices(), known: Set(labelled.map(\.key)), required: config.rules.requiredApplicationFields)
        guard !more.isEmpty else { return labelled }
        return (labelled + more).sorted { $0.line < $1.line }
    }

    /// Reads every field of `text`; `year` is the year dates without one fall in (the mail's).
    public func read(_ text: String, year: Int?) -> ApplicationReading {
        read(sections: sections(text), year: year)
    }

    /// `partial` is for a follow-up that adds to an application: no whole-application hints.
    /// `subject` gives the project's name when the text names none.
    func read(sections: [LabeledValue], year: Int?, partial: Bool = false, subject: String? = nil) -> ApplicationReading {
        var r = ApplicationReading()
        r.foundKeys = sections.map(\.key)
        // The period first: budget months without a year are placed inside it, wherever it is written.
        for s in sections where s.key == "period" { readPeriod(s, year: year, into: &r) }
        var period: DatePeriod?
        if case .date(let a)? = r.fields["period.start"], case .date(let b)? = r.fields["period.end"], a <= b {
            period = DatePeriod(start: a, end: b)
        }
        var lastBudget: BudgetReading?
        for s in sections {
            switch s.key {
            case "period": break
            case "coordinator": readCoordinator(s, into: &r)
            case "leaderContact": readLeaderContact(s, into: &r)
            case "anchoring": readAnchoring(s, into: &r)
            case "budget": lastBudget = readBudget(s, period: period, year: year, into: &r)
            case "name" where s.form == .sentence || Self.isSentence(s.value):
                if let t = Self.title(inProse: s.value) { r.fields["name"] = .text(t) }
            case "financeOwner" where s.form == .sentence && s.value.split(separator: " ").count > 4:
                r.fields["financeOwner"] = .text(ContactLine.read(s.value).name ?? Self.oneLine(s.value))
            case "financeOwner":
                // A name does not end in a full stop.
                let text = Self.textValue(s).trimmingTrailingPunctuation()
                if !text.isEmpty { r.fields[s.key] = .text(text) }
            default:
                let text = Self.textValue(s)
                if !text.isEmpty { r.fields[s.key] = .text(text) }
            }
            var source = FieldSource(s.part ?? s.form, line: s.sourceLine, prose: s.form == .sentence)
            if s.key == "budget", let b = lastBudget {
                // A budget's items came from table rows, or were cut out of a sentence or a one-line list.
                let form: FieldSource.Kind = b.fromSentence ? .sentence : b.fromTable ? .table : s.form
                source = FieldSource(s.part ?? form, line: b.sourceLines.first ?? s.sourceLine,
                                     prose: s.form == .sentence || b.fromSentence)
            }
            for key in r.fields.keys where r.sources[key] == nil && Self.fieldGroup(key) == s.key { r.sources[key] = source }
        }
        if !partial, r.fields["name"] == nil, let subject, let n = name(fromSubject: subject) {
            r.fields["name"] = .text(n)
            r.sources["name"] = FieldSource(.subject, line: subject, prose: true)
        }
        validate(&r)
        if !partial { hints(&r) }
        proseHints(&r)
        return r
    }

    /// "Målgruppe: læst fra fritekst – kontrollér" for each field group read from free text or the subject.
    private func proseHints(_ r: inout ApplicationReading) {
        r.hints.removeAll { $0.hasSuffix(Self.proseHintEnd) || $0.hasSuffix(Self.subjectHintEnd) }
        var groups: [(String, Bool)] = []
        for key in r.sources.keys.sorted() where r.sources[key]!.prose && r.fields[key] != nil {
            let g = Self.fieldGroup(key)
            if !groups.contains(where: { $0.0 == g }) { groups.append((g, r.sources[key]!.source == .subject)) }
        }
        let order = config.rules.applicationFields.map(\.key)
        for (g, fromSubject) in groups.sorted(by: { (order.firstIndex(of: $0.0) ?? 99) < (order.firstIndex(of: $1.0) ?? 99) }) {
            let name = config.replies.fieldNames[g] ?? g
            r.hints.append("\(name): \(fromSubject ? Self.subjectHintEnd : Self.proseHintEnd)")
        }
    }

    static let proseHintEnd = "læst fra fritekst – kontrollér"
    static let subjectHintEnd = "læst fra emnefeltet – kontrollér"

    /// The project's name in a subject that announces an application: "Ansøgning om lokal
    /// SSP-indsats: Sommer i Sundby", "Ansøgning om midler til Pigeklub i Valby", "Sommer i Sundby – ansøgning".
    func name(fromSubject subject: String) -> String? {
        var s = Substring(subject.trimmingWhitespace())
        // Reply and forward prefixes, however many.
        while let colon = s.prefix(12).firstIndex(of: ":"),
              ["sv", "re", "vs", "fw", "fwd", "aw", "wg", "tr", "antw"].contains(Fold.key(s[..<colon]).trimmingWhitespace()) {
            s = s[s.index(after: colon)...].drop { $0 == " " }
        }
        var t = String(s)
        if let ref = References.first(in: t) {
            // The reference and the brackets or dash around it.
            for form in ["(\(ref))", "[\(ref)]", ref] { t = Fold.replacing(form, with: " ", in: t) }
            let digits = ref.dropFirst(4)
            t = t.replacingOccurrences(of: "SSP-" + digits, with: " ")
        }
        let separators: Set<Character> = [":", "–", "-", "—", "|", "/", " "]
        func strip(_ x: Substring) -> Substring {
            var x = x
            while let c = x.first, separators.contains(c) || c == "\"" || c == "»" || c == "«" || c == "'" || c == "“" || c == "”" { x = x.dropFirst() }
            while let c = x.last, separators.contains(c) || c == "\"" || c == "»" || c == "«" || c == "'" || c == "“" || c == "”" || c == "." || c == "(" || c == ")" { x = x.dropLast() }
            return x
        }
        var rest = strip(Substring(t))
        var matched = false
        for p in subjectPrefixes where Fold.key(rest).hasPrefix(p) {
            // The prefix is plain words, so its folded length is its written length up to æ → ae.
            var cut = rest.startIndex
            while cut < rest.endIndex, Fold.key(rest[..<cut]).count < p.count { cut = rest.index(after: cut) }
            guard cut == rest.endIndex || !rest[cut].isLetter else { continue }
            rest = strip(rest[cut...])
            matched = true
            break
        }
        if !matched {
            // "Sommer i Sundby – ansøgning": the name before the last separator.
            for sep in [" – ", " - ", ": ", " | "] {
                guard let r = t.range(of: sep, options: .backwards) else { continue }
                let after = Fold.key(t[r.upperBound...]).trimmingWhitespace()
                if subjectPrefixes.contains(where: { after.hasPrefix($0) }) {
                    rest = strip(t[..<r.lowerBound])
                    matched = true
                }
                break
            }
        }
        guard matched else { return nil }
        var words = rest.split(separator: " ")
        while let f = words.first, ["om", "til", "for", "vedr", "vedr.", "vedrørende", "af", "med", "for", "to", "the"].contains(Fold.key(f)) {
            words.removeFirst()
        }
        let name = strip(Substring(words.joined(separator: " "))).trimmingWhitespace()
        guard name.filter(\.isLetter).count >= 3, name.count <= 100 else { return nil }
        return name
    }

    /// The project's name in a sentence: a quoted title, the words after "hedder"/"kalder vi",
    /// or the value itself when it is short.
    static func title(inProse value: String) -> String? {
        let one = oneLine(value)
        for (open, close) in [("»", "«"), ("«", "»"), ("\"", "\""), ("“", "”"), ("„", "“"), ("‘", "’"), ("'", "'")] {
            guard let a = one.range(of: open), let b = one.range(of: close, range: a.upperBound..<one.endIndex) else { continue }
            let inner = one[a.upperBound..<b.lowerBound].trimmingWhitespace()
            if inner.count >= 2 && inner.count <= 80 { return inner }
        }
        let f = Fold.key(one)
        for cue in ["hedder", "kalder vi den", "kalder vi det", "kalder vi", "kalder den", "kalder det", "kaldes", "kaldet",
                    "med navnet", "under navnet",
                    "med titlen", "navnet er", "titlen er", "is called", "called", "named", "name is", "title is"] {
            guard let r = Fold.firstMatch(f, phrase: cue) else { continue }
            // The written text after the cue: folding may change lengths, so count words instead.
            let wordsBefore = f[..<r.upperBound].split(separator: " ").count
            let words = one.split(separator: " ")
            guard wordsBefore < words.count else { continue }
            var name = words[wordsBefore...].joined(separator: " ")
            for end in [". ", ", ", " – ", " - ", " og er ", " og skal ", " og vil ", " som ", " der "] {
                if let e = name.range(of: end) { name = String(name[..<e.lowerBound]) }
            }
            let t = name.trimmingTrailingPunctuation().trimmingEdges(of: "\"'»«“”")
            if t.filter(\.isLetter).count >= 2 && t.count <= 80 { return t }
        }
        let t = one.trimmingTrailingPunctuation()
        guard !t.isEmpty else { return nil }
        if t.split(separator: " ").count <= 10 { return t }
        // "Sommer i Sundby" on a line of its own above the description, or "Sommer i Sundby er et …".
        if let first = value.split(separator: "\n").first.map({ $0.trimmingWhitespace() }), first.count < one.count,
           first.split(separator: " ").count <= 8, !first.hasSuffix(".") {
            return first.trimmingTrailingPunctuation()
        }
        for cut in [" er ", " – ", " - ", ": "] {
            if let r = one.range(of: cut), one[..<r.lowerBound].split(separator: " ").count <= 8 {
                let head = one[..<r.lowerBound].trimmingWhitespace()
                if let f = head.first, f.isUppercase, !["Vi", "Den", "Det", "Indsatsen", "Projektet", "Vores"].contains(head.split(separator: " ").first.map(String.init) ?? "") {
                    return head
                }
            }
        }
        return nil
    }

    /// `update` (a follow-up) laid over `base`: a field group the follow-up names (`coordinator`,
    /// `budget`, …) replaces the old one whole, then everything is validated again.
    public func merged(_ base: ApplicationReading, _ update: ApplicationReading) -> ApplicationReading {
        let group = Self.fieldGroup
        let groups = Set(update.fields.keys.map(group) + update.invalid.map { group($0.field) })
        var r = ApplicationReading()
        r.fields = base.fields.filter { !groups.contains(group($0.key)) }.merging(update.fields) { $1 }
        r.invalid = base.invalid.filter { !groups.contains(group($0.field)) } + update.invalid
        r.foundKeys = base.foundKeys + update.foundKeys.filter { !base.foundKeys.contains($0) }
        r.sources = base.sources.filter { !groups.contains(group($0.key)) }.merging(update.sources) { $1 }
        var seen = Set<String>()
        r.hints = (base.hints + update.hints).filter { !Self.isWholeApplicationHint($0) && seen.insert($0).inserted }
        validate(&r)
        hints(&r)
        proseHints(&r)
        return r
    }

    static func isWholeApplicationHint(_ h: String) -> Bool {
        h.hasPrefix("Tværsektoriel") || h.hasPrefix("Vidensbaseret") || h.hasPrefix("Deling af erfaringer")
    }

    // MARK: - Fields

    private func readPeriod(_ s: LabeledValue, year: Int?, into r: inout ApplicationReading) {
        let text = Self.oneLine(s.value)
        guard !text.isEmpty else { return }
        guard var p = DanishValues.period(in: text, defaultYear: year) else {
            r.invalid.append(FieldIssue(field: "period", reason: "kan ikke læse start- og slutdato af \"\(Self.short(text))\""))
            return
        }
        // "Vi starter 1. september 2027 og slutter 31. januar 2028": the first and the last date of a sentence.
        if p.start == p.end {
            let all = DanishValues.dates(in: text, defaultYear: p.start.year)
            if all.count >= 2, let last = all.last, last > p.start { p = DatePeriod(start: p.start, end: last) }
        }
        r.fields["period.start"] = .date(p.start)
        r.fields["period.end"] = .date(p.end)
        if p.end < p.start {
            r.invalid.append(FieldIssue(field: "period",
                reason: "slutdatoen \(p.end.danish) ligger før startdatoen \(p.start.danish)"))
        }
    }

    private func readCoordinator(_ s: LabeledValue, into r: inout ApplicationReading) {
        let person = Self.person(s.value)
        if let n = person.name { r.fields["coordinator.name"] = .text(n) }
        if let e = person.email { r.fields["coordinator.email"] = .text(e) }
        if let p = person.phone { r.fields["coordinator.phone"] = .text(p) }
    }

    private func readLeaderContact(_ s: LabeledValue, into r: inout ApplicationReading) {
        let person = Self.person(s.value)
        if let n = person.name { r.fields["leaderContact.name"] = .text(n) }
        var email = person.email
        let known = email.flatMap(config.leader(withAddress:)) ?? person.name.flatMap(config.leader(named:))
        if email == nil, let known { email = known.email.lowercased() }
        if let email { r.fields["leaderContact.email"] = .text(email) }
        if person.name != nil || person.email != nil {
            if let known {
                r.hints.append("Kontaktperson: \(known.name) er leder i SSP-ledergruppen\(known.area.map { " (\($0))" } ?? "")")
            } else {
                r.hints.append("Kontaktperson: \(person.name ?? person.email ?? "") er ikke en kendt leder i konfigurationen")
            }
        }
    }

    private func readAnchoring(_ s: LabeledValue, into r: inout ApplicationReading) {
        let parts = anchoringReader.read(Fold.replacing(". ", with: ".\n", in: s.value))
        var geo = parts.first { $0.key == "geographic" }.map { Self.oneLine($0.value).trimmingTrailingPunctuation() }
        var org = parts.first { $0.key == "organisational" }.map { Self.oneLine($0.value).trimmingTrailingPunctuation() }
        if geo == nil && org == nil {
            // "Indre Nørrebro, Klub Nørrebro": the place first, then the organisation.
            let text = Self.oneLine(s.value)
            let seps = [", ", " – ", " - ", "; ", " og "]
            if let cut = seps.compactMap({ Fold.find(text, $0, from: text.startIndex) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                geo = String(text[..<cut.lowerBound])
                org = String(text[cut.upperBound...]).trimmingTrailingPunctuation()
            } else if !text.isEmpty {
                geo = text
            }
        }
        if let g = geo, !g.isEmpty {
            if let area = knownArea(in: g) ?? knownArea(in: s.value) {
                r.fields["anchoring.geographic"] = .text(area)
            } else {
                r.fields["anchoring.geographic"] = .text(g)
                r.hints.append("Forankring: \"\(Self.short(g))\" er ikke et kendt lokalområde")
            }
        }
        if let o = org, !o.isEmpty { r.fields["anchoring.organisational"] = .text(o) }
    }

    /// The configured local area named in `text` (by name or alias), as its canonical name.
    func knownArea(in text: String) -> String? {
        let f = Fold.key(text)
        var best: (String, Int)? = nil
        // Longest name wins: "Ydre Nørrebro" over a bare "Nørrebro".
        for (area, fn) in areaNames where fn.count > (best?.1 ?? 0) && Fold.contains(f, phrase: fn) {
            best = (area, fn.count)
        }
        return best?.0
    }

    @discardableResult
    private func readBudget(_ s: LabeledValue, period: DatePeriod?, year: Int?, into r: inout ApplicationReading) -> BudgetReading {
        let b = budgetReader.read(s.lines, period: period, year: year)
        let lines = b.lines
        let total = b.total
        guard !lines.isEmpty || total != nil else { return b }
        r.fields["budget.lines"] = .budget(lines)
        let sum = lines.reduce(Money.zero) { $0 + ($1.amount ?? .zero) }
        if let total {
            r.fields["budget.total"] = .money(total)
            if !lines.isEmpty && sum != total {
                r.invalid.append(FieldIssue(field: "budget.total",
                    reason: "posterne giver \(sum.danish), men i alt er angivet til \(total.danish)"))
            }
        } else {
            r.fields["budget.total"] = .money(sum)
        }
        for l in lines where l.months.isEmpty {
            r.invalid.append(FieldIssue(field: "budget.lines",
                reason: "udgiftsposten \"\(Self.short(l.heading))\" mangler måned for afregning"))
        }
        let years = Set(lines.flatMap { $0.months.compactMap(\.year) })
        if years.count > 1 {
            r.hints.append("Budgettet spænder over flere regnskabsår (\(years.sorted().map(String.init).joined(separator: " og "))); midlerne gælder kun ét år")
        }
        return b
    }

    /// A table row's amount cell may be a bare number; a text line needs "kr."/"DKK"/",-".
    static func amount(in line: String) -> Money? {
        if PlainText.contains(line, "\t") {
            let cells = (line.plainSplit { $0 == 0x09 } ?? line.split(separator: "\t")).map(String.init)
            if let m = cells.lazy.compactMap({ DanishValues.money(in: $0) }).first { return m }
            // A bare number counts only as a whole cell: "(12 x 4 timer)" is not an amount.
            let numeric = cells.first { c in
                let t = c.trimmingWhitespace()
                return !t.isEmpty && t.allSatisfy { $0.isNumber || ".,- ".contains($0) }
            }
            return numeric.flatMap { DanishValues.money(in: $0, allowBare: true) }
        }
        return DanishValues.money(in: line)
    }

    private static let monthWords: Set<String> = [
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
        "kr", "dkk", "kroner", "i", "ca", "maned", "pr",
        "january", "february", "march", "june", "july", "october", "in",
    ]

    private static let headingTrim: Set<Character> = [" ", ":", ",", ".", "-", "–", "(", "=", "•", "*"]

    /// The expense heading: the line's words without amounts, months and currency.
    static func budgetHeading(_ line: String) -> String {
        if PlainText.contains(line, "\t") {
            let cells = (line.plainSplit { $0 == 0x09 } ?? line.split(separator: "\t")).map { $0.trimmingWhitespace() }
            // The cheap tests first: most cells are numbers or months, and reading an amount costs most.
            if let first = cells.first(where: { c in !c.isEmpty && c.contains(where: \.isLetter) && amount(in: c) == nil
                && !monthWords.contains(Fold.key(c).trimmingTrailingPunctuation()) }) {
                return budgetHeading(first)
            }
        }
        var kept: [Substring] = []
        let words = line.plainSplit { $0 == 0x20 || $0 == 0x09 || $0 == 0xA0 }
            ?? line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" })
        for word in words {
            if word.contains(where: \.isNumber) { continue }
            let parts = Fold.key(word).split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            if parts.isEmpty || parts.allSatisfy({ monthWords.contains(String($0)) }) { continue }
            kept.append(word)
        }
        var s = kept.joined(separator: " ")[...]
        let trim = headingTrim
        while let f = s.first, trim.contains(f) { s = s.dropFirst() }
        while let l = s.last, trim.contains(l) || (l == ")" && s.filter({ $0 == "(" }).count < s.filter({ $0 == ")" }).count) {
            s = s.dropLast()
        }
        return Fold.replacing("()", with: "", in: String(s)).trimmingWhitespace()
    }

    // MARK: - Validation

    private func validate(_ r: inout ApplicationReading) {
        let present = Set(r.fields.keys.map(Self.fieldGroup))
        let invalidFields = Set(r.invalid.map { Self.fieldGroup($0.field) })
        for key in config.rules.requiredApplicationFields where !present.contains(key) && !invalidFields.contains(key) {
            r.missing.append(key)
        }
        if present.contains("coordinator") {
            for sub in ["name", "email", "phone"] where r.fields["coordinator.\(sub)"] == nil {
                r.missing.append("coordinator.\(sub)")
            }
        }
        if present.contains("leaderContact"), r.fields["leaderContact.name"] == nil {
            r.missing.append("leaderContact.name")
        }
        if present.contains("anchoring"), r.fields["anchoring.geographic"] == nil {
            r.missing.append("anchoring.geographic")
        }
        if present.contains("budget"), case .budget(let lines)? = r.fields["budget.lines"], lines.isEmpty {
            r.missing.append("budget.lines")
        }
    }

    private func hints(_ r: inout ApplicationReading) {
        guard !r.foundKeys.isEmpty else { return }
        let partnerText = Fold.key([r.fields["partners"], r.fields["anchoring.organisational"]]
            .compactMap { $0?.display }.joined(separator: " "))
        if !partnerText.isEmpty {
            let parties = partyWords.filter { p in p.words.contains { Fold.contains(partnerText, phrase: $0) } }.map(\.party)
            if parties.count >= 2 {
                r.hints.append("Tværsektoriel: \(parties.count) SSP-parter nævnt (\(parties.joined(separator: ", ")))")
            } else {
                r.hints.append("Tværsektoriel: \(parties.isEmpty ? "ingen SSP-part" : "kun én SSP-part (\(parties[0]))") nævnt blandt samarbejdspartnerne; mindst to anbefales")
            }
        }
        let all = Fold.key(["method", "goals", "evaluation", "partners", "targetGroup", "experienceSharing"]
            .compactMap { r.fields[$0]?.display }.joined(separator: " "))
        let found = methods.filter { Fold.contains(all, phrase: $0.folded) }
        // "beskyttelsesfaktorer" inside "risiko- og beskyttelsesfaktorer" is the same method.
        let methods = found.filter { m in !found.contains { $0.name != m.name && $0.folded.contains(m.folded) } }.map(\.name)
        if methods.isEmpty {
            r.hints.append("Vidensbaseret tilgang: ingen nævnt (fx ung-til-ung, social pejling, gruppescreening)")
        } else {
            r.hints.append("Vidensbaseret tilgang: \(methods.joined(separator: ", "))")
        }
        if r.fields["experienceSharing"] == nil {
            r.hints.append("Deling af erfaringer: ikke udfyldt (er der lignende indsatser i forvejen?)")
        }
    }

    // MARK: - Text helpers

    /// The group a field key belongs to, "coordinator" for "coordinator.email": its first part between dots.
    static func fieldGroup(_ key: String) -> String {
        let u = key.utf8
        // Keys are ASCII, where the first "." byte is the first "." Character.
        guard let dot = u.firstIndex(of: UInt8(ascii: ".")) else { return key }
        if dot != u.startIndex, u.allSatisfy({ $0 < 0x80 }) { return String(key[..<dot]) }
        return key.split(separator: ".").first.map(String.init) ?? key
    }

    /// A text field's value as one line; a list of bullets ("- Valby Skole", "- Klub Valby") as its items with commas.
    static func textValue(_ s: LabeledValue) -> String {
        let bullets: Set<Character> = ["-", "•", "*", "–", "·", "▪"]
        if s.lines.count >= 2, s.lines.allSatisfy({ l in l.first.map(bullets.contains) == true && l.dropFirst().first == " " }) {
            return s.lines.map { oneLine(String($0.dropFirst(2))).trimmingEdges(of: ",; ") }.joined(separator: ", ")
        }
        return oneLine(s.value)
    }

    /// Whether a name's value is a sentence about the name ("Vi kalder den Ungeløft", "Indsatsen hedder …").
    static func isSentence(_ value: String) -> Bool {
        let f = Fold.key(value)
        if ["hedder", "kalder", "kaldes", "kaldet", "navnet", "called", "named"].contains(where: { Fold.contains(f, phrase: $0) }) { return true }
        let first = f.split(separator: " ").first.map(String.init) ?? ""
        return ["vi", "den", "det", "indsatsen", "projektet", "we", "it"].contains(first) && f.split(separator: " ").count > 3
    }

    /// A value as one line: line breaks and tabs become spaces.
    static func oneLine(_ s: String) -> String {
        Fold.collapse(s)   // tabs and line breaks are blanks too
    }

    static func short(_ s: String) -> String {
        s.count <= 60 ? s : String(s.prefix(57)) + "…"
    }

    /// Name, e-mail and phone from a person's value: "Line Nielsen, line@kk.dk, +45 24 61 38 90".
    static func person(_ value: String) -> (name: String?, email: String?, phone: String?) {
        let c = ContactLine.read(value)
        return (c.name?.trimmingTrailingPunctuation(), c.email, c.phone)
    }
}

extension Fold {
    /// Runs of blanks as one space, trimmed, letters untouched.
    static func collapse(_ s: String) -> String {
        if let plain = s.utf8.withContiguousStorageIfAvailable({ collapsePlain(s, $0) }), let done = plain { return done }
        return s.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }

    /// `collapse` on the bytes of plain text, where every separator is a Character of its own;
    /// nil for other text. Text that is collapsed already comes back as it is, not copied.
    private static func collapsePlain(_ s: String, _ u: UnsafeBufferPointer<UInt8>) -> String? {
        guard PlainText.isPlain(u) else { return nil }
        func separator(_ i: Int) -> Int {
            let b = u[i]
            if b == 0x20 || b == 0x09 || b == 0x0A { return 1 }
            return b == 0xC2 && u[i + 1] == 0xA0 ? 2 : 0
        }
        var clean = true
        var i = 0
        var afterSpace = true   // so that a leading blank counts as a change
        while i < u.count && clean {
            let w = separator(i)
            if w == 0 { afterSpace = false; i += 1; continue }
            if u[i] != 0x20 || afterSpace { clean = false }
            afterSpace = true
            i += w
        }
        if clean && (!afterSpace || u.isEmpty) { return s }
        return String(unsafeUninitializedCapacity: u.count) { out in
            var n = 0, pending = false
            var i = 0
            while i < u.count {
                let w = separator(i)
                if w > 0 { pending = true; i += w; continue }
                if pending && n > 0 { out[n] = 0x20; n += 1 }
                pending = false
                out[n] = u[i]
                n += 1
                i += 1
            }
            return n
        }
    }
}
