import Foundation
import MailCore

/// What a receipt mail gave: its fields, what is missing, whether it is late, and the hints.
public struct ReceiptReading: Sendable {
    public var fields: [String: FieldValue] = [:]
    public var missing: [String] = []
    public var invalid: [FieldIssue] = []
    public var hints: [String] = []
    public var late = false
    /// The receipt files (PDF, images…) the mail carries.
    public var receiptFiles = 0
    /// Where each field's value was read.
    public var sources: [String: FieldSource] = [:]
}

/// Reads a receipt ("kvittering"/"udlæg", DOMAIN.md §2).
public struct ReceiptRules: Sendable {
    let config: IntakeConfig
    private let reader: LabelReader
    private let payment: PaymentPhrases

    public init(config: IntakeConfig) {
        self.config = config
        payment = PaymentPhrases(company: config.rules.companyCardWords, privately: config.rules.privateCardWords,
                                 negations: config.rules.negationWords ?? [])
        // Our own receipt notice asks with the reply's field names: an answer to it is read by them too.
        var fields = config.rules.receiptFields
        for key in ["payer", "occasion", "amount"] {
            guard let name = config.replies.fieldNames[key] else { continue }
            if let i = fields.firstIndex(where: { $0.key == key }) {
                if !fields[i].labels.contains(name) { fields[i].labels.append(name) }
            } else {
                fields.append(IntakeRules.FieldLabels(key: key, labels: [name]))
            }
        }
        reader = LabelReader(fields)
    }

    /// Reads `text` (the sender's new text) and `forwarded` (`TextSections.forwarded`: a receipt an
    /// area consultant passes on); `received` is the Copenhagen day the mail arrived.
    public func read(_ text: String, subject: String?, sender: MailAddress?, attachmentTypes: [String],
                     received: DayDate?, forwarded: String = "") -> ReceiptReading {
        var r = ReceiptReading()
        let original = forwarded.isEmpty ? nil : ForwardedMail.original(in: forwarded)
        let originalText = original?.body ?? ""
        var labelled: [String: LabeledValue] = [:]
        for (t, part) in [(text, nil), (originalText, FieldSource.Kind.forwarded)] where !t.isEmpty {
            for var s in reader.read(t) where !Self.isTemplateLine(s.value) && labelled[s.key] == nil {
                s.part = part
                labelled[s.key] = s
            }
        }
        func labelSource(_ s: LabeledValue) -> FieldSource { FieldSource(s.part ?? s.form, line: s.sourceLine) }
        /// A value read from a sentence of the new text, or of the forwarded mail.
        func prose(_ line: String, forwarded: Bool) -> FieldSource {
            FieldSource(forwarded ? .forwarded : .sentence, line: line, prose: true)
        }
        let year = received?.year

        if let s = labelled["payer"], let p = ApplicationRules.person(s.value).name {
            r.fields["payer"] = .text(p)
            r.sources["payer"] = labelSource(s)
        } else if let p = Self.payerInSentence(text) ?? Self.payerInSentence(originalText) {
            // "på vegne af Jens Holm", "lagt ud af Jens Holm": the mail names the payer in a sentence.
            r.fields["payer"] = .text(p.name)
            r.sources["payer"] = prose(p.line, forwarded: Self.payerInSentence(text) == nil)
        } else if let name = original?.fromName, name.split(separator: " ").count >= 2, !isShop(original?.fromAddress) {
            // A forwarded receipt was paid by whoever sent it first, unless the mail names another.
            r.fields["payer"] = .text(name)
            r.sources["payer"] = FieldSource(.forwarded, line: original?.fromLine ?? name)
            r.hints.append("Udlægshaver ikke nævnt: afsenderen af den videresendte mail, \(name), er antaget")
        } else if let name = sender.map({ PersonName.natural($0.name) }), name.split(separator: " ").count >= 2,
                  !name.contains("@") {
            // People send their own receipts: the sender is the payer unless the mail names another.
            r.fields["payer"] = .text(name)
            r.sources["payer"] = FieldSource(.sender, line: sender.map(\.formatted) ?? name)
            r.hints.append("Udlægshaver ikke nævnt: afsenderen \(name) er antaget")
        }
        var occasion = labelled["occasion"].map { ApplicationRules.oneLine($0.value) }
        var occasionSource = labelled["occasion"].map(labelSource)
        if occasion?.isEmpty ?? true {
            if let m = meetingLine(in: text) {
                (occasion, occasionSource) = (m.phrase, prose(m.line, forwarded: false))
            } else if let m = meetingLine(in: originalText) {
                (occasion, occasionSource) = (m.phrase, prose(m.line, forwarded: true))
            }
        }
        if occasion?.isEmpty ?? true {
            let places: [(String, FieldSource.Kind)] = [(text, .sentence), (subject ?? "", .subject), (originalText, .forwarded),
                                                        (original?.subject ?? "", .forwarded)]
            for (t, kind) in places {
                guard let ref = References.first(in: t) else { continue }
                let line = t.split(separator: "\n").first { References.first(in: String($0)) != nil }.map(String.init) ?? t
                (occasion, occasionSource) = (ref, FieldSource(kind, line: line.trimmingWhitespace(), prose: false))
                break
            }
        }
        if let o = occasion, !o.isEmpty {
            r.fields["occasion"] = .text(o)
            r.sources["occasion"] = occasionSource
            if let d = DanishValues.date(in: o, defaultYear: year) {
                r.fields["occasion.date"] = .date(d)
                r.sources["occasion.date"] = occasionSource
            }
        }

        if let f = payment.finding(in: text) {
            r.fields["companyCard"] = .bool(f.companyCard)
            r.sources["companyCard"] = prose(f.line, forwarded: false)
        } else if let f = payment.finding(in: originalText) {
            r.fields["companyCard"] = .bool(f.companyCard)
            r.sources["companyCard"] = prose(f.line, forwarded: true)
        } else if let f = payment.finding(in: subject ?? "") {
            r.fields["companyCard"] = .bool(f.companyCard)
            r.sources["companyCard"] = FieldSource(.subject, line: subject ?? "", prose: true)
        }

        let amountText = labelled["amount"]?.value
        if let s = labelled["amount"], let m = DanishValues.money(in: s.value, allowBare: true) {
            r.fields["amount"] = .money(m)
            r.sources["amount"] = labelSource(s)
        } else if let a = Self.sentenceAmount(in: originalText) {
            r.fields["amount"] = .money(a.money)
            r.sources["amount"] = prose(a.line, forwarded: true)
        } else if let a = Self.sentenceAmount(in: text) {
            r.fields["amount"] = .money(a.money)
            r.sources["amount"] = prose(a.line, forwarded: false)
        }

        r.receiptFiles = attachmentTypes.filter(Self.isReceiptFile).count

        if r.fields["payer"] == nil { r.missing.append("payer") }
        if r.fields["occasion"] == nil { r.missing.append("occasion") }
        if r.receiptFiles == 0 { r.missing.append("attachment") }

        if r.fields["amount"] == nil {
            r.hints.append("Beløb ikke angivet i mailen: sekretariatet aflæser det på bilaget")
        } else if amountText == nil && labelled["amount"] == nil && text.contains("€") {
            r.hints.append("Beløbet er måske ikke i kroner")
        }
        switch r.fields["companyCard"] {
        case .bool(true)?: r.hints.append("Betalt med firmakort: ingen refusion via NemKonto")
        case .bool(false)?: r.hints.append("Betalt privat: refunderes via NemKonto (\"Udlæg, \(isMeeting(occasion) ? "SSP-møde" : "SSP-indsatser")\")")
        default: r.hints.append("Firmakort ikke nævnt: refunderes via NemKonto")
        }
        if let o = occasion, !isMeeting(o), References.first(in: o) == nil {
            var h = "Øvrigt udlæg (hverken møde eller indsats): kræver forudgående godkendelse af områdeansvarlig eller SSP Sekretariatet"
            if let who = approvedBy(in: text) { h += "; mailen nævner \"\(who)\"" }
            r.hints.append(h)
        }

        // The deadline is 15 December of the year the money was spent.
        if let received {
            let expenseYear: Int
            if case .date(let d)? = r.fields["occasion.date"] { expenseYear = d.year } else { expenseYear = received.year }
            let deadline = DayDate(year: expenseYear, month: config.site.receiptDeadline.month,
                                   day: config.site.receiptDeadline.day)
            if received > deadline {
                r.late = true
                r.hints.append("For sent: modtaget \(received.danish), fristen var \(deadline.danish)")
            }
        }
        // A card statement on a line of its own label ("Betalt med: eget kort") is no free text.
        if let c = r.sources["companyCard"], c.prose, let h = reader.head(of: c.line), h.key == "card" {
            r.sources["companyCard"] = FieldSource(.label, line: c.line)
        }
        for key in ["payer", "occasion", "amount"] where r.sources[key]?.prose == true {
            r.hints.append("\(config.replies.fieldNames[key] ?? key): \(ApplicationRules.proseHintEnd)")
        }
        return r
    }

    /// Whether a forwarded mail came from a shop or a machine (an order confirmation), not a person who paid.
    private func isShop(_ address: String?) -> Bool {
        guard let a = address?.lowercased(), let at = a.firstIndex(of: "@") else { return false }
        let local = String(a[..<at])
        let words = config.rules.noReplyLocalParts + ["info", "ordre", "order", "kundeservice", "service", "shop", "butik", "webshop",
                                                      "kvittering", "receipt", "faktura", "invoice", "billing", "salg", "sales"]
        return words.contains { local.contains($0) }
    }

    private static let payerCues = ["pa vegne af", "lagt ud af", "betalt af", "udlaeg for", "udlaeg fra", "on behalf of", "paid by"]

    /// A payer a sentence names after "på vegne af", "lagt ud af", "betalt af" …: the capitalised name that follows.
    static func payerInSentence(_ text: String) -> (name: String, line: String)? {
        guard !text.isEmpty else { return nil }
        for line in text.lineSlices() {
            let f = Fold.key(line)
            for cue in payerCues {
                guard let r = Fold.firstMatch(f, phrase: cue) else { continue }
                let skip = f[..<r.upperBound].split(separator: " ").count
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" || $0 == "\t" })
                guard skip < words.count else { continue }
                let after = words[skip...].prefix(5).map { w in
                    let t = w.trimmingEdges(of: ".,;:()\"")
                    return (word: t, folded: Fold.key(t))
                }
                if let n = ContactLine.nameInSentence(Array(after)), after.first.map({ n.hasPrefix($0.word) }) == true {
                    return (n, String(line).trimmingWhitespace())
                }
            }
        }
        return nil
    }

    /// The amount a sentence gives ("har lagt 845 kr. ud", "2 pizzaer à 120 kr., i alt 240 kr."):
    /// the one named as the total, else the first that is no unit price.
    static func sentenceAmount(in text: String) -> (money: Money, line: String)? {
        guard !text.isEmpty else { return nil }
        for line in text.lineSlices() {
            let l = String(line)
            let spans = DanishValues.amountSpans(in: l)
            guard let first = spans.first else { continue }
            guard spans.count > 1 else { return (first.money, l.trimmingWhitespace()) }
            let cut = BudgetReader.items(l, spans)
            return (cut.total ?? cut.items.first?.money ?? first.money, l.trimmingWhitespace())
        }
        return nil
    }

    /// A display name as a person's name: "Hansen, Jørgen (BUF)" → "Jørgen Hansen".
    /// A line of our own fill-in template left as it was: an instruction in parentheses or another
    /// label. A label left empty is followed by such a line, which is never its value.
    static func isTemplateLine(_ value: String) -> Bool {
        let v = value.split(separator: "\n").first.map { $0.trimmingWhitespace() } ?? ""
        return v.isEmpty || (v.hasPrefix("(") && v.hasSuffix(")")) || v.hasSuffix(":")
    }

    static func isReceiptFile(_ contentType: String) -> Bool {
        contentType == "application/pdf" || contentType.hasPrefix("image/") && contentType != "image/gif"
            || contentType == "application/octet-stream" || contentType.contains("officedocument")
            || contentType == "application/msword" || contentType == "application/vnd.ms-excel"
    }

    private func isMeeting(_ occasion: String?) -> Bool {
        guard let o = occasion else { return false }
        let f = Fold.key(o)
        return f.contains("mode") || f.contains("forplejning") || f.contains("seminar")
    }

    /// A line naming a meeting and its date: "Ydre Nørrebro lokaludvalgsmøde d. 2. februar 2027".
    private func meetingLine(in text: String) -> (phrase: String, line: String)? {
        for line in text.split(separator: "\n") {
            let f = Fold.key(line)
            guard f.contains("mode"), DanishValues.date(in: String(line), defaultYear: 2000) != nil else { continue }
            let written = String(line).trimmingWhitespace()
            if let phrase = Self.meetingPhrase(String(line)) { return (phrase, written) }
            // The clause that names the meeting, not the whole sentence around it.
            var clauses = [ApplicationRules.oneLine(String(line))]
            for sep in [" (", ", ", ": ", "). "] {
                clauses = clauses.flatMap { $0.components(separatedBy: sep) }
            }
            let clause = clauses.first { Fold.key($0).contains("mode") } ?? clauses[0]
            var c = clause.trimmingWhitespace()
            for lead in ["og ", "hermed kvittering for ", "kvittering for ", "vedhaeftet kvittering for "] where Fold.key(c).hasPrefix(lead) {
                c = String(c.dropFirst(lead.count))
            }
            return (c.trimmingTrailingPunctuation(), written)
        }
        return nil
    }

    /// The words that name a meeting and its date inside a sentence: "Jeg har lagt 845 kr. ud til pizza
    /// til Bispebjerg lokaludvalgsmøde d. 3. maj." → "Bispebjerg lokaludvalgsmøde d. 3. maj"; nil when
    /// the date does not follow the meeting's name.
    static func meetingPhrase(_ line: String) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" })
        func letters(_ w: Substring) -> String { Fold.key(w).filter(\.isLetter) }
        func isCapitalised(_ w: Substring) -> Bool { w.drop(while: { "(\"'«»".contains($0) }).first.map { $0.isUppercase } ?? false }
        guard let m = words.firstIndex(where: { w in
            let f = letters(w)
            return f.contains("mode") && !f.hasPrefix("fremmode") && !f.hasPrefix("model") && !f.hasPrefix("imode")
        }) else { return nil }
        var start = m
        while start > 0, isCapitalised(words[start - 1]), start - 1 > 0 || words.count > 1,
              !words[start - 1].hasSuffix("."), !words[start - 1].hasSuffix(",") {
            start -= 1
        }
        if start == 0, m > 0, ["hermed", "her", "kvittering", "vedhaeftet"].contains(letters(words[0])) { start = m }
        var k = m + 1
        // "mødet i Valby Lokaludvalg": the meeting's place or body after it.
        if k < words.count, !words[m].hasSuffix(","), ["i", "for", "hos", "med", "pa"].contains(letters(words[k])),
           k + 1 < words.count, isCapitalised(words[k + 1]) {
            k += 2
            while k < words.count, isCapitalised(words[k]), !words[k - 1].hasSuffix(",") { k += 1 }
        }
        func clean(_ w: Substring) -> String { Fold.key(w).trimmingEdges(of: ".,;:()") }
        func isYear(_ i: Int) -> Bool { i < words.count && clean(words[i]).count == 4 && Int(clean(words[i])) != nil }
        func stops(_ w: Substring) -> Bool { w.last.map { ",);:".contains($0) } ?? false }
        // "mødet i Valby lokaludvalg d. 4/5": a few more words of the meeting's name before its date.
        func startsDate(_ i: Int) -> Bool {
            let f = clean(words[i])
            return ["d", "den", "on"].contains(f) || DanishValues.monthNumbers[f] != nil || (f.first?.isNumber ?? false)
        }
        var ahead = k
        while ahead < min(words.count, k + 3), !startsDate(ahead), !stops(words[ahead]), !words[ahead].hasSuffix(".") { ahead += 1 }
        if ahead < words.count, ahead > k, startsDate(ahead) { k = ahead }
        // The date right after the name: "d. 3. maj", "den 3/5 2027", "10. november 2027".
        var end = k
        scan: while end < words.count {
            let w = words[end], f = clean(w)
            if ["d", "den", "on"].contains(f) {
                end += 1
            } else if DanishValues.monthNumbers[f] != nil {
                end += 1
                if !stops(w), isYear(end) { end += 1 }
                break scan
            } else if let c = f.first, c.isNumber {
                end += 1
                let numeric = f.contains("/") || f.contains("-") || f.filter({ $0 == "." }).count >= 1 && f.last != "."
                if numeric || stops(w) {
                    if !stops(w), isYear(end) { end += 1 }
                    break scan
                }
            } else {
                break scan
            }
            if stops(w) { break }
        }
        guard end > k else { return nil }
        var phrase = words[start..<end].joined(separator: " ").trimmingEdges(of: "(),;: \"")
        while let l = phrase.last, ".,;:)".contains(l), phrase.filter({ $0 == "(" }).count < phrase.filter({ $0 == ")" }).count || l != ")" {
            phrase.removeLast()
        }
        guard DanishValues.date(in: phrase, defaultYear: 2000) != nil else { return nil }
        return phrase
    }

    private func approvedBy(in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let f = Fold.key(line)
            if let r = ["godkendt af", "aftalt med", "godkendt pa forhand af"].lazy.compactMap({ Fold.find(f, $0, from: f.startIndex) }).first {
                let offset = f.distance(from: f.startIndex, to: r.lowerBound)
                let l = ApplicationRules.oneLine(String(line))
                return ApplicationRules.short(String(l.dropFirst(min(offset, l.count)))).trimmingTrailingPunctuation()
            }
        }
        return nil
    }
}

/// Project references `SSP-YYYY-NNNN` in text.
public enum References {
    /// The first reference in `text`, upper-cased; also finds `ssp 2027-0007` and `SSP-2027-7`.
    public static func first(in text: String) -> String? {
        // Read in place: copying a long body into an array cost more than the search.
        if let found = text.utf8.withContiguousStorageIfAvailable(first(bytes:)) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(first(bytes:))
    }

    private static func first(bytes u: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        while i + 3 < u.count {
            if (u[i] | 0x20) == UInt8(ascii: "s"), (u[i + 1] | 0x20) == UInt8(ascii: "s"), (u[i + 2] | 0x20) == UInt8(ascii: "p"),
               i == 0 || !isAlnum(u[i - 1]) {
                var j = i + 3
                j += dash(u, j, orSpace: true)
                let y = digits(u, &j)
                if y.count == 4, case let d = dash(u, j, orSpace: false), d > 0 {
                    j += d
                    let n = digits(u, &j)
                    if (1...4).contains(n.count), j == u.count || !isAlnum(u[j]), let num = Int(n) {
                        let padded = String(repeating: "0", count: 4 - String(num).count) + String(num)
                        return "SSP-\(y)-\(padded)"
                    }
                }
            }
            i += 1
        }
        return nil
    }

    /// The length in bytes of the dash at `j`: Outlook and Word turn "-" into an en dash as people
    /// type, and a non-breaking hyphen or space keeps a reference on one line; 0 when there is none.
    private static func dash(_ u: UnsafeBufferPointer<UInt8>, _ j: Int, orSpace: Bool) -> Int {
        guard j < u.count else { return 0 }
        if u[j] == UInt8(ascii: "-") || (orSpace && u[j] == UInt8(ascii: " ")) { return 1 }
        if orSpace, j + 1 < u.count, u[j] == 0xC2, u[j + 1] == 0xA0 { return 2 }
        // U+2010…U+2014 (hyphen, non-breaking hyphen, figure dash, en dash, em dash) and U+2212 (minus).
        if j + 2 < u.count, u[j] == 0xE2, (u[j + 1] == 0x80 && (0x90...0x94).contains(u[j + 2])) || (u[j + 1] == 0x88 && u[j + 2] == 0x92) {
            return 3
        }
        return 0
    }

    private static func digits(_ u: UnsafeBufferPointer<UInt8>, _ j: inout Int) -> String {
        var s = ""
        while j < u.count, u[j] >= 0x30, u[j] <= 0x39, s.count < 5 {
            s.append(Character(Unicode.Scalar(u[j])))
            j += 1
        }
        return s
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }
}
