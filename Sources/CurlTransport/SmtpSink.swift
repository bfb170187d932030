import MailPorts
import Store

/// Replies through an SMTP server; a 5xx is final, anything else is retried from the outbox.
public final class SmtpSink: ReplySink {
    let sender: SmtpSender
    let from: String

    public init(settings: SmtpSettings, from: String) throws {
        sender = try SmtpSender(settings)
        self.from = from
    }

    public func deliver(_ item: OutboxItem) throws {
        do {
            try sender.send(item.bytes, from: from, to: [item.to])
        } catch let e as SmtpError {
            throw DeliveryError(e.message, permanent: e.permanent)
        }
    }
}
