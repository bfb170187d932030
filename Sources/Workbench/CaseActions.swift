import Foundation
import HTTPServer
import Intake
import Pipeline
import Secretariat

/// The case page's forms turned into the Secretariat's actions, with the same refusals as the CLI.
enum CaseAction: String, CaseIterable {
    case approve = "bevilg", reject = "afvis", edit = "ret", link = "flyt", unlink = "fjern"
    case close = "luk", refund = "udbetal", reprocess = "genbehandl"

    /// A form the action cannot use, told in Danish like the library's refusals.
    struct Refusal: Error { var line: String }

    /// Runs the action for `user` (the audit's name) and returns the lines to show (what changed, the mail queued,
    /// warnings) and the case's label afterwards: an application completed by hand gets its SSP reference.
    func perform(_ label: String, form: FormFields, user: String, actions: SecretariatActions,
                 dataDirectory: URL) throws -> (lines: [String], label: String) {
        func text(_ name: String, _ what: String) throws -> String {
            guard let v = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
                throw Refusal(line: "skriv \(what)")
            }
            return v
        }
        let outcome: ActionOutcome
        switch self {
        case .approve:
            let typed = form["beloeb"]?.trimmingCharacters(in: .whitespaces) ?? ""
            let note = form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            outcome = try actions.approve(label, user: user, note: note?.isEmpty == false ? note : nil,
                                          amount: typed.isEmpty ? nil : try Self.amount(typed),
                                          force: form["force"] != nil, aboveRequested: form["over"] != nil)
        case .reject:
            outcome = try actions.reject(label, user: user, reason: try text("grund", "en begrundelse for afslaget"))
        case .edit:
            outcome = try actions.edit(label, field: try text("felt", "hvilket felt der skal rettes"),
                                       value: try text("vaerdi", "den nye værdi"), user: user)
        case .link:
            outcome = try actions.link(label, to: try text("til", "referencen på den ansøgning, sagen skal flyttes til"), user: user)
        case .unlink:
            outcome = try actions.unlink(label, user: user)
        case .close:
            outcome = try actions.close(label, user: user, note: try text("note", "en note om, hvorfor sagen afsluttes"))
        case .refund:
            let d = try text("dato", "udbetalingsdagen")
            let year = IntakeEngine.copenhagenDay(Date()).year
            guard let day = DanishValues.date(in: d, defaultYear: year) else { throw Refusal(line: "\(d) er ikke en dato (fx 05-10-2027)") }
            outcome = try actions.refund(label, date: day, amount: try Self.amount(try text("beloeb", "det udbetalte beløb")), user: user)
        case .reprocess:
            // Reading mail again is the service's work: only one may do it at a time, as for the CLI.
            let lock: RunnerLock
            do { lock = try RunnerLock.acquire(dataDirectory: dataDirectory) } catch let e as RunnerLockError { throw Refusal(line: e.message) }
            defer { withExtendedLifetime(lock) {} }
            let n = try actions.reprocess(label, user: user)
            return (["\(label): \(n) \(n == 1 ? "mail" : "mails") behandlet igen med dagens regler"], label)
        }
        return ([outcome.summary] + outcome.mailed + outcome.warnings.map { "Advarsel: \($0)" }, outcome.record.label)
    }

    /// An amount as typed (`21000`, `21.000,00`, `21.000,00 kr.`); a minus is refused, not dropped. Zero goes on to the library's refusal.
    static func amount(_ text: String) throws -> Money {
        guard !text.hasPrefix("-"), let m = DanishValues.money(in: text, allowBare: true) else {
            throw Refusal(line: "\(text) er ikke et beløb (fx 21000 eller 21.000,00)")
        }
        return m
    }
}
