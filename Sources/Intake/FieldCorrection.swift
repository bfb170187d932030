/// A field the Secretariat typed that the rules cannot take, told in Danish.
public struct CorrectionRefused: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// Which case a correction is for: the two kinds the rules read fields from.
public enum CorrectedKind: Sendable {
    case application, receipt
}

/// A field corrected by hand, read by the same rules as a mail's text, so a corrected value is
/// valid exactly when the same words in a mail would have been (and missing/invalid follow).
extension IntakeEngine {
    /// The fields a correction may name for `kind`: the keys, or the Danish names shown in `show` and the queue.
    public func correctableFields(_ kind: CorrectedKind) -> [String] {
        switch kind {
        case .application:
            config.rules.applicationFields.map(\.key)
                + ["period.start", "period.end", "coordinator.name", "coordinator.email", "coordinator.phone",
                   "leaderContact.name", "leaderContact.email"]
        case .receipt: ["payer", "occasion", "amount", "companyCard"]
        }
    }

    /// The field key `text` names: a key, or a Danish name (case-insensitive).
    public func correctableField(_ text: String, _ kind: CorrectedKind) -> String? {
        let t = text.lowercased()
        return correctableFields(kind).first { $0.lowercased() == t || config.replies.fieldNames[$0]?.lowercased() == t }
    }

    /// `reading` with `field` set to `value` as the rules read it, then validated again; refused when
    /// the rules cannot read the value or find it invalid.
    public func corrected(_ reading: ApplicationReading, _ kind: CorrectedKind, field: String, value: String,
                          year: Int?) throws(CorrectionRefused) -> ApplicationReading {
        let value = value.trimmingWhitespace()
        guard !value.isEmpty else { throw CorrectionRefused("en tom værdi kan ikke rettes ind; skriv den rigtige værdi") }
        switch kind {
        case .application: return try correctedApplication(reading, field: field, value: value, year: year)
        case .receipt: return try correctedReceipt(reading, field: field, value: value, year: year)
        }
    }

    private func correctedApplication(_ base: ApplicationReading, field: String, value: String, year: Int?) throws(CorrectionRefused) -> ApplicationReading {
        let group = ApplicationRules.fieldGroup(field)
        guard let label = config.rules.applicationFields.first(where: { $0.key == group })?.labels.first else {
            throw CorrectionRefused("feltet \"\(field)\" findes ikke i en ansøgning")
        }
        // A part of a group (the coordinator's e-mail) is written back into the group's whole line,
        // because the rules replace a group whole.
        let text = field == group ? value : groupLine(base, group: group, replacing: field, with: value)
        let update = applications.read(sections: applications.sections("\(label): \(text)"), year: year, partial: true)
        if let issue = update.invalid.first(where: { ApplicationRules.fieldGroup($0.field) == group }) {
            throw CorrectionRefused("\(fieldName(issue.field)): \(issue.reason)")
        }
        guard update.fields.keys.contains(where: { ApplicationRules.fieldGroup($0) == group }),
              field == group || update.fields[field] != nil else {
            throw CorrectionRefused("\(fieldName(field)): kan ikke læse \"\(value)\"")
        }
        return applications.merged(base, update)
    }

    /// The group's fields as one line the rules read back (`Navn, mail, telefon`; `1. marts 2027 – 30. juni 2027`).
    private func groupLine(_ r: ApplicationReading, group: String, replacing field: String, with value: String) -> String {
        func v(_ key: String) -> String? {
            if key == field { return value }
            switch r.fields[key] {
            case .date(let d)?: return d.danish
            case let other?: return other.display
            case nil: return nil
            }
        }
        switch group {
        case "period": return [v("period.start"), v("period.end")].compactMap { $0 }.joined(separator: " – ")
        case "coordinator": return ["coordinator.name", "coordinator.email", "coordinator.phone"].compactMap(v).joined(separator: ", ")
        case "leaderContact": return ["leaderContact.name", "leaderContact.email"].compactMap(v).joined(separator: ", ")
        default: return value
        }
    }

    private func correctedReceipt(_ base: ApplicationReading, field: String, value: String, year: Int?) throws(CorrectionRefused) -> ApplicationReading {
        var r = base
        switch field {
        case "payer":
            guard let name = ApplicationRules.person(value).name else { throw CorrectionRefused("\(fieldName(field)): kan ikke læse et navn i \"\(value)\"") }
            r.fields["payer"] = .text(name)
        case "occasion":
            let line = ApplicationRules.oneLine(value)
            // The reply template's own label is no occasion (a coordinator may paste it back).
            guard Fold.key(line) != Fold.key(fieldName("occasion")) else { throw CorrectionRefused("\"\(value)\" er feltets navn, ikke et møde eller en reference") }
            r.fields["occasion"] = .text(line)
            r.fields["occasion.date"] = DanishValues.date(in: line, defaultYear: year).map(FieldValue.date)
        case "amount":
            guard !value.hasPrefix("-"), let m = DanishValues.money(in: value, allowBare: true), m.ore > 0 else {
                throw CorrectionRefused("\(fieldName(field)): \"\(value)\" er ikke et beløb over 0 kr.")
            }
            r.fields["amount"] = .money(m)
        case "companyCard":
            let f = Fold.key(value)
            if ["ja", "firmakort"].contains(f) || config.rules.companyCardWords.contains(where: { Fold.contains(f, phrase: Fold.key($0)) }) {
                r.fields["companyCard"] = .bool(true)
            } else if ["nej", "privat"].contains(f) || config.rules.privateCardWords.contains(where: { Fold.contains(f, phrase: Fold.key($0)) }) {
                r.fields["companyCard"] = .bool(false)
            } else {
                throw CorrectionRefused("\(fieldName(field)): skriv ja (firmakort) eller nej (betalt privat)")
            }
        default:
            throw CorrectionRefused("feltet \"\(field)\" findes ikke i en kvittering")
        }
        r.missing.removeAll { $0 == field }
        r.invalid.removeAll { $0.field == field }
        return r
    }

    private func fieldName(_ key: String) -> String { config.replies.fieldNames[key] ?? key }
}
