import MailPorts
import Store

/// Replies through an SMTP server; a 5xx is final, anything else is retried from the outbox.
public final class SmtpSink: HandoverReplySink {
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

    /// Delivery marks the reply handed over (see `Pipeline.deliver`) just before the end of data.
    public func deliver(_ item: OutboxItem, handedOver: @escaping () throws -> Void) throws {
        do {
            try sender.send(item.bytes, from: from, to: [item.to], handedOver: handedOver)
        } catch let e as SmtpError {
            throw DeliveryError(e.message, permanent: e.permanent)
        }
    }
}
