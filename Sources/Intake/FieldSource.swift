/// Where a field's value was read: how it was written or which part of the mail held it, and the line.
public struct FieldSource: Sendable, Hashable, Codable {
    /// How a value was written (after a label, in a table row, in a sentence) or which part held it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case label, table, sentence, docx, forwarded, attachment, subject, sender

        /// The Danish word `show` prints.
        public var danish: String {
            switch self {
            case .label: return "feltnavn"
            case .table: return "tabel"
            case .sentence: return "fritekst"
            case .docx: return "Word-fil"
            case .forwarded: return "videresendt mail"
            case .attachment: return "vedhæftet fil"
            case .subject: return "emnefelt"
            case .sender: return "afsender"
            }
        }
    }

    public var source: Kind
    /// The line the value was read from, as written (at most 200 characters).
    public var line: String
    /// True when the value was read from free text, which a person should check whatever part held it.
    public var prose: Bool

    public init(_ source: Kind, line: String, prose: Bool? = nil) {
        self.source = source
        self.line = line.count <= 200 ? line : String(line.prefix(199)) + "…"
        self.prose = prose ?? (source == .sentence)
    }

    enum CodingKeys: String, CodingKey { case source, line }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(Kind.self, forKey: .source), line: try c.decode(String.self, forKey: .line))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(line, forKey: .line)
    }
}
