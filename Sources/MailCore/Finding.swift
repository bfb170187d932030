/// Something the parser noticed and worked around: kept with the message so the secretariat and tests can see it.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable kebab-case identifier such as `unknown-charset`.
    public var code: String
    /// Plain-language detail, e.g. the charset name or the part index.
    public var detail: String

    public init(_ code: String, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? code : "\(code): \(detail)" }
}
