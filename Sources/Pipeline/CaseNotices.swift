import CaseModel
import Foundation
import Intake
import MailCore
import Store

/// Mail the program sends about a case rather than in answer to one mail: the coordinator told
/// of each decision, and an approval request for an application the Secretariat completed.
extension Pipeline {
    /// Queues the mail telling the application's coordinator of `outcome`, in the application's
    /// thread, once for `occasion` (a key naming the decision: the same key never mails twice).
    /// `message` is the mail that caused it, when one did. Returns the recipient, or nil when nothing was queued.
    @discardableResult
    public func tellCoordinator(_ outcome: ReplyPlanner.Outcome, about application: RecordRow, occasion: String,
                                message: Int64? = nil) throws -> String? {
        guard let to = coordinator(of: application) else {
            try store.audit(actor: Actor.pipeline.auditName, record: application.id, message: message, action: "ingen besked til tovholderen",
                            detail: "ansøgningen har hverken en gyldig tovholderadresse eller en afsender")
            return nil
        }
        let plan = engine.replies.outcome(outcome, fields: application.reading.fields, title: application.title,
                                          reference: application.reference, to: to)
        return try send(plan, about: application, seed: "\(application.id):\(occasion)", message: message) ? to.address : nil
    }

    /// Queues a new approval request for `application` to its configured leader contact (never an
    /// address written in the application), once for `occasion`. Returns the leader's address.
    @discardableResult
    public func requestApproval(of application: RecordRow, occasion: String) throws -> String? {
        guard let reference = application.reference, let leader = configuredLeader(application.reading.fields) else { return nil }
        let plan = engine.replies.approvalRequest(fields: application.reading.fields, reference: reference,
                                                  to: MailAddress(name: leader.name, address: leader.email))
        return try send(plan, about: application, seed: "\(application.id):\(occasion)", message: nil, threaded: false) ? leader.email : nil
    }

    /// Who hears the application's outcome: its coordinator's address when it is one we can send to, else its sender.
    func coordinator(of application: RecordRow) -> MailAddress? {
        var name = ""
        if case .text(let n)? = application.reading.fields["coordinator.name"] { name = n }
        if case .text(let e)? = application.reading.fields["coordinator.email"], SMTPPath.problem(e) == nil, !engine.config.isMailbox(e) {
            return MailAddress(name: name, address: e)
        }
        guard let sender = application.sender, SMTPPath.problem(sender) == nil, !engine.config.isMailbox(sender) else { return nil }
        return MailAddress(name: name, address: sender)
    }

    /// Composes and queues `plan` in the application's thread (its first mail), unless the same
    /// seed was queued before. Returns whether it was queued now.
    private func send(_ plan: ReplyPlan, about application: RecordRow, seed: String, message: Int64?, threaded: Bool = true) throws -> Bool {
        let domain = engine.config.site.mailbox.messageIdDomain
        let msgid = ReplyComposer.messageID(seed: "\(seed):\(plan.kind.rawValue):\(plan.to.address.lowercased())", domain: domain)
        if try store.hasReply(msgid: msgid) { return false }
        let first = threaded ? try store.messages(ofRecord: application.id).first.map { MailMessage(bytes: $0.raw) } : nil
        let bytes = ReplyComposer.compose(plan, inReplyTo: first, from: engine.config.site.mailbox, date: clock(), messageID: msgid)
        try store.queueReply(msgid: msgid, message: message, record: application.id, kind: plan.kind.rawValue,
                             to: plan.to.address, subject: plan.subject, bytes: bytes, at: clock())
        try store.link(threadIDs: [msgid], to: application.id)
        try store.audit(actor: Actor.pipeline.auditName, record: application.id, message: message, action: "mail i udbakken",
                        detail: "\(plan.kind.rawValue) til \(plan.to.address)")
        return true
    }
}
