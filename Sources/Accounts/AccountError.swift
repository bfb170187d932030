/// Why an account could not be made, in Danish for the person at the keyboard.
public struct AccountError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Equatable { case badName, badPassword, nameTaken }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
