/// A failure of libcrypto or libxcrypt, with what was being done.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var context: String

    public var description: String { "\(context): \(message)" }
}
