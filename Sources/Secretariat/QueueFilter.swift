import CaseModel

/// Danish names for the codes the queue's rows carry: a case's kind and status, or a failed mail.
public enum Danish {
    /// Mails that are no cases: failed ones, and ones left in the mailbox (too large).
    public static let mails: [String: (kind: String, status: String)] = [
        "failed": ("fejlet", "fejlet"), "left": ("efterladt", "efterladt i postkassen"),
    ]
    public static func kind(_ k: String) -> String { mails[k]?.kind ?? CaseKind(rawValue: k)?.danish ?? k }
    public static func status(_ s: String) -> String { mails[s]?.status ?? CaseStatus(rawValue: s)?.danish ?? s }
}

/// A filter value that names no kind or status; its text lists the valid ones, in Danish.
public struct UnknownValue: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// The queue's filters: a kind or status named by its code or by the Danish word the queue shows.
public enum QueueFilter {
    /// The code of a kind the user named by code or in Danish; failed and left mail have codes of their own.
    public static func kindCode(_ text: String) throws -> String {
        try code(text, "slags", mailWord: { $0.kind }, named: { CaseKind(named: $0)?.rawValue }, names: CaseKind.allCases.map(\.danish))
    }

    /// The code of a status the user named by code or in Danish.
    public static func statusCode(_ text: String) throws -> String {
        try code(text, "status", mailWord: { $0.status }, named: { CaseStatus(named: $0)?.rawValue },
                 names: CaseStatus.allCases.map(\.danish))
    }

    private static func code(_ text: String, _ what: String, mailWord: ((kind: String, status: String)) -> String,
                             named: (String) -> String?, names: [String]) throws -> String {
        let t = text.lowercased()
        if let mail = Danish.mails.first(where: { $0.key == t || mailWord($0.value) == t }) { return mail.key }
        guard let code = named(text) else {
            let all = names + Danish.mails.values.map(mailWord).sorted()
            throw UnknownValue("ukendt \(what) '\(text)' (en af \(all.joined(separator: ", ")))")
        }
        return code
    }
}
