import CaseModel
import Foundation
import Intake
import MailCore
import Store

/// Replies put in the outbox: once per mail and kind, within the reply limits, and never with an
/// application's personal data to someone not entitled to it.
extension Pipeline {
    /// Reply kinds that show what was understood of an application: names, e-mail addresses, phone numbers.
    static let carriesApplication: Set<ReplyKind> = [.applicationReceived, .missingFields, .approvalRequest]

    /// `about` is the application whose data the reply carries: it goes only to those entitled to it.
    func queue(_ plan: ReplyPlan?, _ c: Context, record: Int64?, about application: RecordRow? = nil, threaded: Bool = true) throws {
        // A mail answered before is being read again: what it was told stands.
        guard !c.answered else { return }
        // A recipient that is no valid SMTP path gets no reply, and the record says why.
        guard try !refusesRecipient(plan, c, record: record), let plan else { return }
        if let application, Self.carriesApplication.contains(plan.kind), !entitled(plan.to.address, to: application) {
            try store.audit(actor: Actor.pipeline.auditName, record: record, message: c.stored.id, action: "svar ikke sendt",
                            detail: "\(plan.kind.rawValue) til \(plan.to.address): modtageren er hverken tovholder, afsender eller kontaktperson, og svaret ville vise ansøgningens personoplysninger")
            return
        }
        let domain = engine.config.site.mailbox.messageIdDomain
        let sha = c.stored.sha256.isEmpty ? SHA256.hex(c.stored.raw) : c.stored.sha256
        let msgid = ReplyComposer.messageID(seed: "\(sha):\(plan.kind.rawValue):\(plan.to.address.lowercased())", domain: domain)
        if try store.hasReply(msgid: msgid) { return }   // processed before: queued once, never twice
        // A loop with another robot, or a flood, must stay small whatever the rules decided.
        let limits = engine.config.site.replyLimits ?? .standard
        let now = clock()
        let recipient = plan.to.address.lowercased()
        // Counted in the store once per pass, then kept up to date here: a backlog's thousands of
        // replies must not each count the ones before them.
        if replyCounts.all == nil {
            replyCounts.all = try store.replyCount(since: now.addingTimeInterval(-3_600), atMost: limits.globalPerHour)
        }
        if replyCounts.perSender[recipient] == nil {
            replyCounts.perSender[recipient] = try store.replyCount(to: plan.to.address, since: now.addingTimeInterval(-86_400),
                                                                   atMost: limits.perSenderPerDay)
        }
        let toSender = replyCounts.perSender[recipient]!, toAll = replyCounts.all!
        if toSender >= limits.perSenderPerDay || toAll >= limits.globalPerHour {
            try store.audit(actor: Actor.pipeline.auditName, record: record, message: c.stored.id, action: "svar ikke sendt",
                            detail: "\(plan.kind.rawValue) til \(plan.to.address): grænsen for svar er nået (\(toSender) til afsenderen i døgnet, \(toAll) i timen)")
            log("svar til \(plan.to.address) ikke sendt: grænsen for svar er nået")
            return
        }
        let bytes = ReplyComposer.compose(plan, inReplyTo: threaded ? c.message : nil, from: engine.config.site.mailbox,
                                          date: clock(), messageID: msgid)
        try store.queueReply(msgid: msgid, message: c.stored.id, record: record, kind: plan.kind.rawValue,
                             to: plan.to.address, subject: plan.subject, bytes: bytes, at: clock())
        // A reply undone with its message's savepoint stays counted: the limit errs on the side of fewer replies.
        replyCounts.all! += 1
        replyCounts.perSender[recipient]! += 1
        if let record { try store.link(threadIDs: [msgid], to: record) }
    }
}
