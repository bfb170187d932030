extension StringProtocol {
    /// Without leading and trailing white space (Unicode White_Space: blanks, tabs, NBSP, newlines).
    /// Scalar by scalar, so a 50 KB body is not copied through NSString and UTF-16 to be trimmed.
    public func trimmingWhitespace() -> String {
        let u = unicodeScalars
        guard let first = u.firstIndex(where: { !$0.isBlank }) else { return "" }
        let last = u.lastIndex(where: { !$0.isBlank }) ?? first
        return String(self[first..<u.index(after: last)])
    }
}

extension Unicode.Scalar {
    /// White space, answered without the property tables for ASCII.
    @inlinable public var isBlank: Bool {
        value < 0x80 ? (value == 0x20 || (value >= 0x09 && value <= 0x0D)) : properties.isWhitespace
    }
}
