import MailCore

/// What a message is, as far as the secretariat's work goes.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    case application, receipt, approval, statusReport, automatic, unknown
}

/// A leader's decision as read from the new text of a reply.
public enum Decision: String, Sendable, Codable {
    case approved, rejected, unclear
}

/// A field's value as the rules understood it.
public enum FieldValue: Sendable, Hashable, Codable {
    case text(String)
    case date(DayDate)
    case money(Money)
    case bool(Bool)
    case budget([BudgetLine])

    /// The value as one line of Danish text, for replies and tables.
    public var display: String {
        switch self {
        case .text(let s): return s
        case .date(let d): return d.danish
        case .money(let m): return m.danish
        case .bool(let b): return b ? "ja" : "nej"
        case .budget(let lines):
            return lines.map { l in
                let months = l.months.map { Months.danishName($0) }.joined(separator: ", ")
                return "\(l.heading): \(l.amount?.danish ?? "beløb mangler")\(months.isEmpty ? "" : " (\(months))")"
            }.joined(separator: "; ")
        }
    }
}

/// A field that is there but cannot be used, with the reason in Danish.
public struct FieldIssue: Sendable, Hashable, Codable {
    public var field: String
    public var reason: String
}

/// The reply the rules would send for one message.
public struct ReplyPlan: Sendable {
    public var kind: ReplyKind
    public var to: MailAddress
    public var subject: String
    /// The plain-text body (LF lines), before transfer encoding.
    public var body: String
}

/// The kinds of mail the product sends; each has a Danish template in config.
public enum ReplyKind: String, Sendable, Codable, CaseIterable {
    case applicationReceived, missingFields, approvalRequest, receiptRegistered, receiptMissing
    case receiptLate, decisionRecorded, decisionNotAccepted, mailReceived, statusReportReceived
    /// The answer to a sender who says a receipt belongs to another project.
    case moveProposed
    /// What the coordinator is told of the leader group's and the Secretariat's decisions.
    case leaderApprovedNotice, leaderRejectedNotice, grantNotice, refusalNotice
}

/// Everything the intake rules concluded about one message, each decision with its reasons.
public struct IntakeResult: Sendable {
    public var kind: MessageKind
    /// Why the kind, the decision, the trust and the reply came out as they did (Danish).
    public var reasons: [String] = []
    /// Flat dotted keys (`coordinator.email`, `budget.total`) to values.
    public var fields: [String: FieldValue] = [:]
    /// Where each field's value was read (label, table, sentence, Word file, forwarded mail …) and its line.
    public var fieldSources: [String: FieldSource] = [:]
    /// Field keys that are required and absent.
    public var missing: [String] = []
    public var invalid: [FieldIssue] = []
    /// The secretariat's assessment hints: never reasons to reject, shown in the queue.
    public var hints: [String] = []
    public var decision: Decision?
    /// `SSP-YYYY-NNNN` named by the mail (subject first, then the new text).
    public var reference: String?
    /// For a decision: whether it may be applied.
    public var trusted: Bool?
    /// For a receipt: received after the year's deadline.
    public var late: Bool?
    /// True when the mail answers earlier mail about an application (fields add to it).
    public var followUp: Bool = false
    /// The sender the rules answer (Reply-To, else From).
    public var sender: MailAddress?
    /// The application as read from this message alone, for merging with a stored one.
    public var application: ApplicationReading?
    public var sections: TextSections
    public var reply: ReplyPlan?
    public var noReplyReason: String?

    /// True when the application or receipt has every required field and nothing invalid.
    public var isComplete: Bool { missing.isEmpty && invalid.isEmpty }
}
