import Intake
import Store

extension Pipeline {
    /// True when no reply may go out because of its recipient: `plan`'s, or, when the rules
    /// planned none for that reason, the sender's. The reason goes into the record's history
    /// (`show`), where the secretariat sees that the sender got no answer and why.
    func refusesRecipient(_ plan: ReplyPlan?, _ c: Context, record: Int64?) throws -> Bool {
        let why: String
        if let plan {
            guard let refusal = ReplyPlanner.recipientRefusal(plan.to) else { return false }
            why = refusal
        } else {
            // Only a refusal for the address itself: other reasons for no reply are no news.
            guard let sender = c.result.sender, let refusal = ReplyPlanner.recipientRefusal(sender),
                  c.result.noReplyReason == refusal else { return true }
            why = refusal
        }
        try store.audit(actor: "pipeline", record: record, message: c.stored.id, action: "svar ikke sendt", detail: why)
        log("besked \(c.stored.id): \(why)")
        return true
    }
}
