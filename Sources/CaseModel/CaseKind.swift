/// What a case is about; its raw value is the code the store and `--json` use.
public enum CaseKind: String, Sendable, Hashable, CaseIterable, Codable {
    case application
    case receipt
    /// A leader's decision that could not be applied to its application as it stands.
    case approval
    case statusReport
    /// A change to an application proposed by someone who may not make it (another sender, outside its thread).
    case proposal
    case automatic
    case unknown

    /// The Danish word the Secretariat reads.
    public var danish: String {
        switch self {
        case .application: "ansøgning"
        case .receipt: "kvittering"
        case .approval: "beslutning"
        case .statusReport: "status"
        case .proposal: "ændringsforslag"
        case .automatic: "automatisk"
        case .unknown: "ukendt"
        }
    }

    /// The kind named by its code or its Danish word (case-insensitive), as a user types it.
    public init?(named text: String) {
        let t = text.lowercased()
        guard let k = Self.allCases.first(where: { $0.rawValue.lowercased() == t || $0.danish == t }) else { return nil }
        self = k
    }
}
