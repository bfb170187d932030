import Store

/// A delivery that did not happen; `permanent` failures are not retried.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var permanent: Bool
    public init(_ message: String, permanent: Bool) {
        self.message = message
        self.permanent = permanent
    }
    public var description: String { message }
}

/// Where replies go once they are in the outbox.
public protocol ReplySink {
    /// Delivers one reply; delivering the same one twice must not send it twice where the sink can tell.
    func deliver(_ item: OutboxItem) throws
    /// True when a delivery only lasts once `sync()` has returned, and delivering again is harmless:
    /// the pipeline then marks a page of replies sent after one `sync()` instead of one by one.
    var syncsInBatches: Bool { get }
    /// Makes every delivery so far durable.
    func sync() throws
}

extension ReplySink {
    public var syncsInBatches: Bool { false }
    public func sync() throws {}
}

/// A sink that tells when a reply is past the point of no return: the server has all of it, and
/// only the end of data that makes the server take it is still to be sent.
public protocol HandoverReplySink: ReplySink {
    /// Delivers as `deliver(_:)` does, running `handedOver` at that moment; when it throws, the
    /// reply is not sent and its error is thrown.
    func deliver(_ item: OutboxItem, handedOver: @escaping () throws -> Void) throws
}
