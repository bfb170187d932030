import CurlTransport
import Store

/// A sink that tells when a reply is past the point of no return: the server has all of it, and
/// only the end of data that makes the server take it is still to be sent.
protocol HandoverReplySink: ReplySink {
    /// Delivers as `deliver(_:)` does, running `handedOver` at that moment; when it throws, the
    /// reply is not sent and its error is thrown.
    func deliver(_ item: OutboxItem, handedOver: @escaping () throws -> Void) throws
}

// Here, beside delivery, rather than in the sink's own file: the claim states are delivery's.
extension SmtpSink: HandoverReplySink {
    func deliver(_ item: OutboxItem, handedOver: @escaping () throws -> Void) throws {
        do {
            try sender.send(item.bytes, from: from, to: [item.to], handedOver: handedOver)
        } catch let e as SmtpError {
            throw DeliveryError(e.message, permanent: e.permanent)
        }
    }
}
