/// What a workbench user may do: the Secretariat acts on cases, a reader only looks.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case sekretariat
    case læser

    /// True when the role may change anything (approve, reject, correct, link, close, refund, reprocess).
    public var mayAct: Bool { self == .sekretariat }

    public var danish: String {
        switch self {
        case .sekretariat: "sekretariat (må handle)"
        case .læser: "læser (ser alt, ændrer intet)"
        }
    }
}
