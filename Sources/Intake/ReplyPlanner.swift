import Foundation
import MailCore

/// Chooses the reply for a message and fills its Danish template from config.
public struct ReplyPlanner: Sendable {
    let config: IntakeConfig

    public init(config: IntakeConfig) { self.config = config }

    /// Fields in the order a reader expects them, as the application form lists them.
    static let fieldOrder = [
        "name", "period.start", "period.end", "targetGroup", "goals", "partners", "evaluation", "financeOwner",
        "coordinator.name", "coordinator.email", "coordinator.phone", "leaderContact.name", "leaderContact.email",
        "anchoring.geographic", "anchoring.organisational", "method", "experienceSharing", "budget.lines", "budget.total",
        "payer", "occasion", "occasion.date", "companyCard", "amount",
    ]

    /// The reply due for `result`, or nil and why not. `reference` is the application's reference
    /// once the store has given it one.
    /// `notAccepted` turns a decision into "not accepted" with that reason (e.g. no application to apply it to).
    public func plan(_ result: IntakeResult, message: MailMessage, reference: String?,
                     notAccepted: String? = nil) -> (ReplyPlan?, String?) {
        plan(result, message: message, subject: message.subject, reference: reference, notAccepted: notAccepted)
    }

    /// `subject` is the message's, decoded once by the caller. `link` says where a receipt or a status
    /// report was filed (which project, by name and reference); a status report is answered only with it.
    public func plan(_ result: IntakeResult, message: MailMessage, subject: String?, reference: String?,
              notAccepted: String? = nil, link: String? = nil) -> (ReplyPlan?, String?) {
        guard let to = result.sender, !to.address.isEmpty else { return (nil, "mailen har ingen afsenderadresse") }
        if let refusal = Self.recipientRefusal(to) { return (nil, refusal) }
        if config.isMailbox(to.address) {
            return (nil, "afsenderen er vores egen postkasse")
        }
        let kind: ReplyKind
        var values = baseValues(to, fields: result.kind == .application ? result.fields : [:])
        values["reference"] = reference ?? result.reference ?? "(tildeles ved registreringen)"
        switch result.kind {
        case .automatic:
            return (nil, "automatisk mail besvares aldrig")
        case .statusReport:
            guard link != nil else { return (nil, "statusrapporten besvares, når den er knyttet til en indsats") }
            kind = .statusReportReceived
        case .unknown:
            guard config.isInternal(to.address) else {
                return (nil, "ukendt mail fra en afsender uden for de interne domæner besvares ikke")
            }
            kind = .mailReceived
        case .application:
            if result.followUp {
                return (nil, "opfølgning: svaret gives, når ansøgningen \(result.reference ?? "") er opdateret og valideret igen")
            }
            kind = result.isComplete ? .applicationReceived : .missingFields
        case .receipt:
            kind = result.late == true ? .receiptLate : (result.missing.isEmpty ? .receiptRegistered : .receiptMissing)
            if case .bool(true)? = result.fields["companyCard"] {
                values["refusion"] = "Udlægget er betalt med firmakort, så der er ingen refusion."
            } else {
                let meeting = Fold.key(result.fields["occasion"]?.display ?? "").contains("mode")
                values["refusion"] = "Refusionen sker via NemKonto og vil fremgå som \"Udlæg, \(meeting ? "SSP-møde" : "SSP-indsatser")\" på din kontooversigt."
            }
        case .approval:
            switch (result.decision ?? .unclear, result.trusted ?? false) {
            case _ where notAccepted != nil:
                kind = .decisionNotAccepted
                values["grund"] = notAccepted
            case (.unclear, _):
                kind = .decisionNotAccepted
                values["grund"] = "vi ikke kunne læse en klar beslutning (\"Godkendt\" eller \"Ikke godkendt\") i det nye af mailen"
            case (_, false):
                kind = .decisionNotAccepted
                values["grund"] = "afsenderen ikke kunne bekræftes som leder i SSP-ledergruppen"
            case (let d, true):
                kind = .decisionRecorded
                values["beslutning"] = d == .approved ? "godkendt af ledergruppen" : "ikke godkendt af ledergruppen"
                values["naeste"] = d == .approved
                    ? "Næste skridt: SSP Sekretariatet vurderer indsatsen og budgettet, og tovholderen får besked om din beslutning."
                    : "Tovholderen får besked om din beslutning. Sender tovholderen en revideret ansøgning, får du den til godkendelse igen."
            }
            values["kommentar"] = ""
        }
        if kind == .decisionRecorded, result.reference == nil && reference == nil {
            values["reference"] = "indsatsen"
        }
        values["tilknytning"] = link ?? ""
        values["forstaaet"] = understood(result.fields)
        values["mangler"] = missingList(result)
        values["skabelon"] = template(result)
        if kind == .receiptLate {
            let year: Int
            if case .date(let d)? = result.fields["occasion.date"] { year = d.year } else { year = received(message)?.year ?? 0 }
            values["aar"] = String(year)
            values["frist"] = "\(config.site.receiptDeadline.day). \(Months.names[config.site.receiptDeadline.month - 1]) \(year)"
            values["modtaget"] = received(message).map { "\($0.day). \(Months.names[$0.month - 1]) \($0.year)" } ?? "for sent"
        }
        let body = fill(kind, values)
        return (ReplyPlan(kind: kind, to: to, subject: ReplyComposer.replySubject(subject), body: body), nil)
    }

    /// The request to the leader contact to approve a complete application (a new thread).
    public func approvalRequest(fields: [String: FieldValue], reference: String, to leader: MailAddress) -> ReplyPlan {
        var values = baseValues(leader, fields: [:])
        values["reference"] = reference
        values["indsats"] = fields["name"]?.display ?? ""
        values["forstaaet"] = understood(fields)
        let t = config.replies.templates[ReplyKind.approvalRequest.rawValue]
        let subject = substitute(t?.subject ?? "Godkendelse af SSP-indsats {{reference}}", values)
        return ReplyPlan(kind: .approvalRequest, to: leader, subject: Fold.collapse(subject), body: fill(.approvalRequest, values))
    }

    /// The answer to a sender who says a receipt belongs to `reference`: the Secretariat moves it, nothing moved yet.
    public func moveProposed(to: MailAddress, subject: String?, reference: String, project: String) -> ReplyPlan {
        var values = baseValues(to, fields: [:])
        values["reference"] = reference
        values["indsats"] = project
        return ReplyPlan(kind: .moveProposed, to: to, subject: ReplyComposer.replySubject(subject), body: fill(.moveProposed, values))
    }

    /// A decision on an application, as its coordinator is told it.
    public enum Outcome: Sendable {
        /// The leader group approved; `complete` says whether the application lacks nothing.
        case leaderApproved(comment: String?, complete: Bool)
        case leaderRejected(comment: String?)
        /// The Secretariat granted this amount.
        case granted(Money)
        case refused(reason: String)
    }

    /// The mail that tells `to` (the coordinator) of `outcome`, with what comes next. `subject` is
    /// the application's first mail's, so that the mail sits in its thread in Outlook too.
    public func outcome(_ outcome: Outcome, fields: [String: FieldValue], title: String?, reference: String?,
                        to: MailAddress) -> ReplyPlan {
        var values = baseValues(to, fields: fields)
        values["indsats"] = fields["name"]?.display ?? title ?? "jeres indsats"
        values["ref"] = reference.map { " (\($0))" } ?? ""
        values["reference"] = reference ?? ""
        let kind: ReplyKind
        func remark(_ comment: String?) -> String {
            guard var comment, !comment.isEmpty else { return "" }
            // The leader's words, not the sign-off and signature after them.
            for closing in ["med venlig hilsen", "venlig hilsen", "mvh", "vh ", "hilsen "] {
                if let r = comment.range(of: closing, options: .caseInsensitive), r.lowerBound > comment.startIndex {
                    comment = String(comment[..<r.lowerBound]).trimmingWhitespace()
                    break
                }
            }
            return "\n\nLedergruppens bemærkning: \"\(comment)\""
        }
        switch outcome {
        case .leaderApproved(let comment, let complete):
            kind = .leaderApprovedNotice
            values["kommentar"] = remark(comment)
            values["naeste"] = complete
                ? "Næste skridt: SSP Sekretariatet vurderer indsatsen og budgettet og skriver til dig, når det er besluttet."
                : "Ansøgningen mangler stadig nogle oplysninger (se vores tidligere mail). Når de er på plads, vurderer SSP Sekretariatet indsatsen og budgettet."
        case .leaderRejected(let comment):
            kind = .leaderRejectedNotice
            values["kommentar"] = remark(comment)
        case .granted(let amount):
            kind = .grantNotice
            values["beloeb"] = amount.danish
            let d = config.site.receiptDeadline
            values["frist"] = "\(d.day). \(Months.names[d.month - 1])"
            if case .date(let end)? = fields["period.end"] {
                values["slut"] = " (\(end.day). \(Months.names[end.month - 1]) \(end.year))"
            } else {
                values["slut"] = ""
            }
        case .refused(let reason):
            kind = .refusalNotice
            values["grund"] = reason
        }
        let t = config.replies.templates[kind.rawValue]
        let subject = substitute(t?.subject ?? "{{indsats}}{{ref}}", values)
        return ReplyPlan(kind: kind, to: to, subject: Fold.collapse(ReplyComposer.withoutControls(subject)), body: fill(kind, values))
    }

    /// Why no reply may go to `to`, in Danish for the secretariat's history; nil when it may.
    /// The address must be the SMTP recipient exactly as it stands in the reply's To: field,
    /// so one that is not a valid path gets no reply rather than a mended one.
    public static func recipientRefusal(_ to: MailAddress) -> String? {
        guard let problem = SMTPPath.problem(to.address) else { return nil }
        return "svar ikke sendt: adressen \"\(visible(to.address))\" kan ikke bruges som modtager, fordi \(danish(problem))"
    }

    static func danish(_ p: SMTPPath.Problem) -> String {
        switch p {
        case .empty: return "den er tom"
        case .control: return "den indeholder styretegn (fx NUL)"
        case .space: return "den indeholder mellemrum"
        case .eightBit: return "den indeholder tegn uden for ASCII (fx æ, ø eller å), som mailserveren ikke kan tage imod her"
        case .noAt: return "den mangler @"
        case .localPart: return "delen før @ ikke er en gyldig adresse"
        case .localPartTooLong: return "delen før @ er over 64 tegn"
        case .noDomain: return "den mangler et domæne efter @"
        case .domain: return "domænet efter @ ikke er gyldigt"
        case .tooLong: return "den er over 254 tegn"
        }
    }

    /// The address as people can read it in a log: control and format characters as `<U+0000>`, at most 80 characters.
    static func visible(_ address: String) -> String {
        var out = ""
        for c in address.unicodeScalars {
            let category = c.properties.generalCategory
            if category == .control || category == .format {
                out += "<U+" + String(repeating: "0", count: max(0, 4 - String(c.value, radix: 16).count))
                    + String(c.value, radix: 16, uppercase: true) + ">"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out.count <= 80 ? out : String(out.prefix(79)) + "…"
    }

    /// The greeting's name: the application's own coordinator name when the reply goes to the
    /// coordinator (people sign with it), else the display name as people say it ("Fornavn Efternavn").
    private func baseValues(_ to: MailAddress, fields: [String: FieldValue]) -> [String: String] {
        var name = PersonName.natural(to.name)
        if case .text(let mail)? = fields["coordinator.email"], mail.lowercased() == to.address.lowercased(),
           case .text(let coordinator)? = fields["coordinator.name"] {
            name = PersonName.natural(coordinator)
        }
        name = ReplyComposer.displayName(name)
        return ["navn": name.isEmpty ? config.replies.fallbackName : name]
    }

    private func received(_ m: MailMessage) -> DayDate? { m.date.map(IntakeEngine.copenhagenDay) }

    private func fill(_ kind: ReplyKind, _ values: [String: String]) -> String {
        let body = substitute(config.replies.templates[kind.rawValue]?.body ?? "", values)
        // "Kære " with no name left reads wrong: greet without it.
        let greeted = Fold.replacing("Kære \n", with: "Hej\n", in: body)
        return greeted + "\n\n" + config.replies.signature + "\n"
    }

    private func substitute(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var from = template.startIndex
        while let open = Fold.find(template, "{{", from: from) {
            guard let close = Fold.find(template, "}}", from: open.upperBound) else { break }
            out += template[from..<open.lowerBound]
            out += values[String(template[open.upperBound..<close.lowerBound])] ?? ""
            from = close.upperBound
        }
        return out + template[from...]
    }

    private func name(_ key: String) -> String { config.replies.fieldNames[key] ?? key }

    private func understood(_ fields: [String: FieldValue]) -> String {
        // One string appended to, not an array of lines joined.
        var out = ""
        func line(_ parts: String...) {
            if !out.isEmpty { out += "\n" }
            for p in parts { out += p }
        }
        for key in Self.fieldOrder {
            guard let v = fields[key] else { continue }
            if case .budget(let budget) = v {
                line("- ", name(key), ":")
                for l in budget {
                    let months = l.months.map(Months.danishName).joined(separator: ", ")
                    line("    ", l.heading, ": ", l.amount?.danish ?? "beløb mangler", months.isEmpty ? "" : " – " + months)
                }
            } else {
                line("- ", name(key), ": ", v.display)
            }
        }
        return out.isEmpty ? "- (intet endnu)" : out
    }

    private func missingList(_ r: IntakeResult) -> String {
        var lines = r.missing.map { "- \(name($0)): mangler" }
        lines += r.invalid.map { "- \(name($0.field)): \($0.reason)" }
        return lines.joined(separator: "\n")
    }

    /// Fill-in lines for exactly what is missing or invalid, labelled as the form labels them.
    private func template(_ r: IntakeResult) -> String {
        var keys: [String] = []
        for k in r.missing + r.invalid.map(\.field) {
            let top = ApplicationRules.fieldGroup(k)
            let key = ["coordinator", "leaderContact", "anchoring", "budget", "period"].contains(top) ? top : k
            if !keys.contains(key) { keys.append(key) }
        }
        return keys.map { key -> String in
            switch key {
            case "budget": return "Budget (udgiftspost – beløb – måned):\n  \n  I alt:"
            case "period": return "Periode (fra – til):"
            case "coordinator": return "Tovholder (navn, mail og telefon):"
            case "attachment": return "(Vedhæft kvitteringen som PDF eller billede)"
            default: return name(key) + ":"
            }
        }.joined(separator: "\n")
    }
}
