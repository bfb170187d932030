/// Why the server could not start.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var address: ListenAddress

    public var description: String { "\(address): \(message)" }
}
