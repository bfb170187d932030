/// Where a case stands; its raw value is the code the store and `--json` use.
public enum CaseStatus: String, Sendable, Hashable, CaseIterable, Codable {
    // Applications.
    case incomplete, awaitingLeader, leaderApproved, leaderRejected, approved, rejected
    // Receipts and status reports.
    case registered, late, linked, unlinked
    /// A receipt the Secretariat paid out to the one who laid out the money.
    case refunded
    /// The reference and a project's title in the same mail name different projects: the Secretariat links it.
    case conflict
    // Decisions that were not applied.
    case untrusted, unclear
    /// From a leader of another local area than the project's: the Secretariat decides.
    case held
    /// Older (by its `Date:`) than a decision the same leader has already made on the case.
    case superseded
    // Everything else.
    case review, automatic, closed

    /// The Danish words the Secretariat reads.
    public var danish: String {
        switch self {
        case .incomplete: "mangler oplysninger"
        case .awaitingLeader: "afventer ledergruppen"
        case .leaderApproved: "godkendt af ledergruppen"
        case .leaderRejected: "afvist af ledergruppen"
        case .approved: "bevilget"
        case .rejected: "afvist"
        case .registered: "registreret"
        case .refunded: "udbetalt"
        case .late: "for sent"
        case .linked: "knyttet til indsats"
        case .unlinked: "ikke knyttet"
        case .conflict: "modstridende henvisning"
        case .untrusted: "ikke troværdig"
        case .unclear: "uklar"
        case .held: "andet lokalområde"
        case .superseded: "ældre beslutning"
        case .review: "til gennemsyn"
        case .automatic: "automatisk"
        case .closed: "afsluttet"
        }
    }

    /// True while the case waits for a person in the Secretariat.
    public var needsSecretariat: Bool {
        switch self {
        case .leaderApproved, .conflict, .untrusted, .unclear, .held, .review, .unlinked: true
        default: false
        }
    }

    /// The status named by its code or its Danish words (case-insensitive), as a user types it.
    public init?(named text: String) {
        let t = text.lowercased()
        guard let s = Self.allCases.first(where: { $0.rawValue.lowercased() == t || $0.danish == t }) else { return nil }
        self = s
    }
}
