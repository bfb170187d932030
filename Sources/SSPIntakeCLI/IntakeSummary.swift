import Intake

/// The intake result as Danish lines for people: kind, fields, what is missing, hints and the reply.
enum IntakeSummary {
    static let kindNames: [MessageKind: String] = [
        .application: "ansøgning", .receipt: "kvittering", .approval: "beslutning fra ledergruppen",
        .statusReport: "status/evaluering", .automatic: "automatisk mail", .unknown: "ukendt",
    ]

    static func text(_ r: IntakeResult) -> String {
        var s = "\nSlags:      \(kindNames[r.kind] ?? r.kind.rawValue)\(r.followUp ? " (opfølgning)" : "")\n"
        if let ref = r.reference { s += "Reference:  \(ref)\n" }
        if let d = r.decision {
            let name = [Decision.approved: "godkendt", .rejected: "ikke godkendt", .unclear: "uklar"][d] ?? d.rawValue
            s += "Beslutning: \(name)\(r.trusted == true ? " (troværdig)" : " (ikke troværdig: anvendes ikke)")\n"
        }
        if r.late == true { s += "For sent:   ja\n" }
        s += "Hvorfor:\n" + r.reasons.map { "  - \($0)\n" }.joined()
        if !r.fields.isEmpty {
            s += "Felter:\n"
            for key in r.fields.keys.sorted() {
                s += "  \(key): \(r.fields[key]?.display ?? "")\n"
            }
        }
        if !r.missing.isEmpty { s += "Mangler:    \(r.missing.joined(separator: ", "))\n" }
        for i in r.invalid { s += "Ugyldigt:   \(i.field): \(i.reason)\n" }
        if !r.hints.isEmpty { s += "Hint:\n" + r.hints.map { "  - \($0)\n" }.joined() }
        if let p = r.reply {
            s += "Svar:       \(p.kind.rawValue) til \(p.to.address): \(p.subject)\n"
        } else {
            s += "Svar:       intet (\(r.noReplyReason ?? ""))\n"
        }
        return s
    }
}
