import MailCore

/// A person as a contact line gives them: name, e-mail and phone in any order, separated by
/// whatever the writer uses (`,` `;` `|` `/` ` - ` `–`, parentheses, line breaks), or in a sentence.
public struct ContactLine: Sendable, Hashable {
    public var name: String?
    public var email: String?
    public var phone: String?

    public init(name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }

    /// Reads `value`: "Sara Holm / sara.holm@kk.dk / +45 23 45 67 89", "Sara Holm (sara.holm@kk.dk, 23 45 67 89)",
    /// "Vores tovholder er Sara Holm, som kan træffes på 23 45 67 89".
    public static func read(_ value: String) -> ContactLine {
        var c = ContactLine(email: DanishValues.email(in: value), phone: DanishValues.phone(in: value))
        var fallback: String?
        for segment in segments(value) {
            let words = nameWords(segment)
            guard !words.isEmpty else { continue }
            let text = words.map(\.word).joined(separator: " ")
            let letters = text.filter(\.isLetter).count
            guard letters >= 2 else { continue }
            if let n = nameInSentence(words) {
                c.name = n
                return c
            }
            // "Mette (SSP Valby)": one word is a name too, when nothing better comes.
            if fallback == nil, words.count <= 4, !isRole(words[0].folded) { fallback = text }
        }
        c.name = fallback
        return c
    }

    /// The parts of a contact line between separators; a parenthesis is a part of its own.
    static func segments(_ value: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(value)
        var i = 0
        func flush() {
            let t = current.trimmingWhitespace()
            if !t.isEmpty { out.append(t) }
            current = ""
        }
        while i < chars.count {
            let ch = chars[i]
            switch ch {
            case "\n", "\t", ",", ";", "|", "/", "(", ")", "[", "]", "<", ">", "•", "·":
                flush()
            case "-", "–", "—":
                // Only a dash with blanks around it separates: "Anne-Mette" and "23-45-67-89" stay whole.
                let spaced = i > 0 && chars[i - 1] == " " && i + 1 < chars.count && chars[i + 1] == " "
                if spaced || ch != "-" && (i == 0 || chars[i - 1] == " ") { flush() } else { current.append(ch) }
            default:
                current.append(ch)
            }
            i += 1
        }
        flush()
        return out
    }

    private static let contactWords: Set<String> = [
        "tlf", "telefon", "telefonnummer", "tlfnr", "mobil", "mobilnummer", "mob", "mail", "e-mail", "email", "mailadresse",
        "tel", "phone", "cell", "kontakt", "kontaktes", "pa", "eller", "og", "direkte", "nr", "nummer",
    ]

    /// The segment's words without addresses, numbers and words like "tlf.": what could be a name.
    static func nameWords(_ segment: String) -> [(word: String, folded: String)] {
        var words: [(word: String, folded: String)] = []
        var segment = Substring(segment)
        // "Navn: Sara Holm": the label, not the first name.
        for label in ["navn:", "name:", "navn :"] where Fold.key(segment.prefix(label.count)) == label {
            segment = segment.dropFirst(label.count)
        }
        for raw in segment.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" || $0 == ":" }) {
            if raw.contains("@") || raw.contains(where: \.isNumber) || raw.hasPrefix("+") || raw.hasPrefix("www.") { continue }
            let w = raw.trimmingEdges(of: ".,:;!?\"'»«“”„")
            if w.isEmpty { continue }
            let f = Fold.key(w)
            if contactWords.contains(f) && words.isEmpty { continue }
            if contactWords.contains(f) && (f == "tlf" || f == "telefon" || f == "mobil" || f == "mail" || f == "e-mail" || f == "email") { continue }
            words.append((w, f))
        }
        return words
    }

    private static let roleEndings = ["leder", "konsulent", "medarbejder", "paedagog", "koordinator", "tovholder", "radgiver",
                                      "laerer", "betjent", "ansvarlig", "chef", "assistent", "mentor", "sekretaer", "direktor",
                                      "inspektor", "coordinator", "manager", "officer", "worker", "teacher"]

    /// Whether a folded word names a role ("klubleder", "ssp-konsulent"), not a person.
    static func isRole(_ f: String) -> Bool {
        f.hasPrefix("ssp") || roleEndings.contains { f.hasSuffix($0) }
    }

    private static let particles: Set<String> = ["van", "von", "de", "da", "di", "la", "le", "af", "bin", "ibn", "el", "al"]

    private static func isCapitalised(_ w: String) -> Bool {
        guard let f = w.first, f.isUppercase else { return false }
        // "SSP", "BUF": all capitals is an abbreviation, not a name.
        return w.count == 1 || w.dropFirst().contains(where: \.isLowercase) || w.contains("-")
    }

    /// A name in `words`: the first run of two or more capitalised words ("er Sara Holm, som …"),
    /// roles before it left out ("Klubleder Sara Holm"); nil when there is none.
    static func nameInSentence(_ words: [(word: String, folded: String)]) -> String? {
        var i = 0
        while i < words.count {
            guard isCapitalised(words[i].word), !isRole(words[i].folded) else { i += 1; continue }
            var j = i + 1
            var run = [words[i].word]
            while j < words.count {
                if isCapitalised(words[j].word) && !isRole(words[j].folded) {
                    run.append(words[j].word)
                } else if particles.contains(words[j].folded), j + 1 < words.count, isCapitalised(words[j + 1].word) {
                    run.append(words[j].word)
                } else {
                    break
                }
                j += 1
            }
            if run.count >= 2 && run.count <= 5 { return run.joined(separator: " ") }
            i = j
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without the characters of `set` at either end.
    func trimmingEdges(of set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
