import Foundation

/// Name/value pairs of a query string or an `application/x-www-form-urlencoded` body, in order.
public struct FormFields: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)]

    public init(_ pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// Decodes `a=1&b=x+y&c=%C3%A6` as the WHATWG URL standard's urlencoded parser does: `&`
    /// separates pairs, the first `=` splits one, `+` is a space, and percent-escapes are UTF-8
    /// bytes (Foundation decodes them). Nil when an escape is malformed or not UTF-8: such input
    /// came from no browser's form, and guessing at it would hide the fault.
    public init?(urlEncoded text: Substring) {
        var pairs: [(name: String, value: String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let eq = piece.firstIndex(of: "=") {
                name = piece[..<eq]
                value = piece[piece.index(after: eq)...]
            } else {
                name = piece
                value = ""
            }
            guard let n = Self.decode(name), let v = Self.decode(value) else { return nil }
            pairs.append((n, v))
        }
        self.pairs = pairs
    }

    public init?(urlEncoded text: String) { self.init(urlEncoded: text[...]) }

    /// The body's bytes, which must be UTF-8 like the escapes they contain.
    public init?(urlEncoded body: [UInt8]) {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        self.init(urlEncoded: text)
    }

    private static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`, in order (a repeated checkbox, a multiple select).
    public func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    public static func == (a: FormFields, b: FormFields) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
