/// The kinds of actor the case model tells apart.
public enum ActorRole: String, Sendable, Hashable, CaseIterable {
    /// An application's coordinator or sender, by mail (or anyone writing in its thread).
    case coordinator
    /// A configured leader whose mail the receiving server vouched for.
    case leader
    /// A person of the SSP Secretariat, by a command or the workbench.
    case secretariat
    /// The program itself: creating cases from mail, reading them again.
    case pipeline

    public var danish: String {
        switch self {
        case .coordinator: "tovholder eller afsender"
        case .leader: "leder"
        case .secretariat: "sekretariatet"
        case .pipeline: "programmet"
        }
    }
}

/// Who causes a change, as the audit log names them.
public enum Actor: Sendable, Hashable {
    case coordinator(address: String)
    case leader(address: String)
    case secretariat(user: String)
    case pipeline

    public var role: ActorRole {
        switch self {
        case .coordinator: .coordinator
        case .leader: .leader
        case .secretariat: .secretariat
        case .pipeline: .pipeline
        }
    }

    /// The audit log's actor column.
    public var auditName: String {
        switch self {
        case .coordinator(let a): "afsender \(a) (mail)"
        case .leader(let a): "leder \(a) (mail)"
        case .secretariat(let u): u
        case .pipeline: "pipeline"
        }
    }
}
