import CaseModel
import Intake

/// The Danish words for the codes a case's view carries: reply kinds, outbox states, decisions, mails.
public enum DanishNames {
    /// A reply's kind as the Secretariat calls it ("kvittering for ansøgning").
    public static func replyKind(_ code: String) -> String {
        switch ReplyKind(rawValue: code) {
        case .applicationReceived?: "kvittering for ansøgning"
        case .missingFields?: "besked om manglende oplysninger"
        case .approvalRequest?: "anmodning om godkendelse"
        case .receiptRegistered?: "kvittering registreret"
        case .receiptMissing?: "kvittering mangler oplysninger"
        case .receiptLate?: "kvittering modtaget for sent"
        case .decisionRecorded?: "beslutning registreret"
        case .decisionNotAccepted?: "beslutning ikke godtaget"
        case .mailReceived?: "mail modtaget"
        case .statusReportReceived?: "status modtaget"
        case .moveProposed?: "svar på forslag om flytning"
        case .leaderApprovedNotice?: "besked om ledergruppens godkendelse"
        case .leaderRejectedNotice?: "besked om ledergruppens afslag"
        case .grantNotice?: "besked om bevilling"
        case .refusalNotice?: "besked om afslag"
        case nil: code
        }
    }

    /// How far a reply got (see Outbox.swift for the states).
    public static func replyStatus(_ code: String) -> String {
        switch code {
        case "queued": "venter på afsendelse"
        case "sending": "sendes nu"
        case "handed": "afleveret til mailserveren"
        case "sent": "sendt"
        case "failed": "kunne ikke sendes"
        case "bounced": "kom retur"
        default: code
        }
    }

    /// A leader's decision as read from the mail.
    public static func decision(_ code: String) -> String {
        switch Decision(rawValue: code) {
        case .approved?: "godkendt"
        case .rejected?: "afvist"
        case .unclear?: "uklar"
        case nil: code
        }
    }

    /// Where a stored mail stands in the intake.
    public static func mailStatus(_ code: String) -> String {
        switch code {
        case "new": "ikke behandlet endnu"
        case "processed": "behandlet"
        case "failed": "kunne ikke behandles"
        default: code
        }
    }

    /// What the rules took a mail for (the codes are shared with the case kinds).
    public static func mailKind(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "ikke læst" }
        return CaseKind(rawValue: code)?.danish ?? code
    }

    /// The audit log's actor as the Secretariat reads it: the program by its Danish name.
    public static func actor(_ auditName: String) -> String {
        auditName == Actor.pipeline.auditName ? ActorRole.pipeline.danish : auditName
    }
}
