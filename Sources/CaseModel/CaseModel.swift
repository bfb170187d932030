/// One change a case may go through, and who may cause it.
public struct Transition: Sendable, Hashable {
    public let kind: CaseKind
    /// nil: the case is created in `to`.
    public let from: CaseStatus?
    public let to: CaseStatus
    public let by: Set<ActorRole>
    /// What the audit log says happened, in Danish.
    public let action: String
}

/// A change the case model does not allow, told in Danish.
public struct TransitionRefused: Error, Sendable, Hashable, CustomStringConvertible {
    public let kind: CaseKind
    public let from: CaseStatus?
    public let to: CaseStatus
    public let by: ActorRole

    public var description: String {
        let allowed = CaseModel.transitions.first { $0.kind == kind && $0.from == from && $0.to == to }
        let what = from.map { "fra \"\($0.danish)\" til \"\(to.danish)\"" } ?? "som ny i \"\(to.danish)\""
        guard let allowed else { return "en \(kind.danish) kan ikke gå \(what)" }
        let who = allowed.by.map(\.danish).sorted().joined(separator: " eller ")
        return "en \(kind.danish) kan kun gå \(what) ved \(who), ikke ved \(by.danish)"
    }
}

/// The case model: every kind's statuses and the transitions between them, with who may cause each.
/// Written once, here, as a table; the store persists it and everything else asks it.
public enum CaseModel {
    public static let transitions: [Transition] = {
        var t: [Transition] = []
        func allow(_ kind: CaseKind, _ from: CaseStatus?, _ to: CaseStatus, _ by: Set<ActorRole>, _ action: String) {
            t.append(Transition(kind: kind, from: from, to: to, by: by, action: action))
        }
        // An application: made from a coordinator's mail, completed by mail from its own thread or
        // address, decided by its leader group, then granted or turned down by the Secretariat.
        allow(.application, nil, .incomplete, [.pipeline], "ansøgning oprettet")
        allow(.application, nil, .awaitingLeader, [.pipeline], "ansøgning oprettet")
        allow(.application, nil, .leaderApproved, [.leader], "ansøgning videresendt og godkendt af ledergruppen")
        allow(.application, nil, .leaderRejected, [.leader], "ansøgning videresendt og afvist af ledergruppen")
        allow(.application, .incomplete, .awaitingLeader, [.coordinator, .secretariat], "komplet")
        // A leader may approve early; the application then needs no request once it is complete.
        allow(.application, .incomplete, .leaderApproved, [.coordinator], "komplet (allerede godkendt af ledergruppen)")
        allow(.application, .awaitingLeader, .incomplete, [.coordinator, .secretariat], "mangler oplysninger igen")
        allow(.application, .leaderRejected, .incomplete, [.coordinator], "revideret ansøgning")
        allow(.application, .leaderRejected, .awaitingLeader, [.coordinator], "revideret ansøgning")
        allow(.application, .incomplete, .leaderRejected, [.leader], "afvist af ledergruppen")
        allow(.application, .awaitingLeader, .leaderApproved, [.leader], "godkendt af ledergruppen")
        allow(.application, .awaitingLeader, .leaderRejected, [.leader], "afvist af ledergruppen")
        // The same leader's later decision stands (by its Date:).
        allow(.application, .leaderApproved, .leaderRejected, [.leader], "afvist af ledergruppen")
        allow(.application, .leaderRejected, .leaderApproved, [.leader], "godkendt af ledergruppen")
        allow(.application, .leaderApproved, .approved, [.secretariat], "bevilget af sekretariatet")
        allow(.application, .awaitingLeader, .approved, [.secretariat], "bevilget af sekretariatet uden ledergruppens godkendelse")
        allow(.application, .incomplete, .approved, [.secretariat], "bevilget af sekretariatet trods manglende oplysninger")
        // A second grant replaces the first; the action says so, and the audit row names the old amount.
        allow(.application, .approved, .approved, [.secretariat], "bevilling ændret af sekretariatet")
        for from: CaseStatus in [.incomplete, .awaitingLeader, .leaderApproved, .leaderRejected] {
            allow(.application, from, .rejected, [.secretariat], "afvist af sekretariatet")
        }

        // Receipts and status reports: the program files them as the rules read them (again, on
        // reprocessing); the Secretariat settles a conflict or an unlinked one.
        let receipt: [CaseStatus] = [.registered, .incomplete, .late, .conflict]
        for to in receipt {
            allow(.receipt, nil, to, [.pipeline], "kvittering modtaget")
            for from in receipt where from != to {
                // A correction by the Secretariat (edit, link) may complete a receipt or show it incomplete.
                let secretariat = from == .conflict || (Set([from, to]) == [.registered, .incomplete])
                allow(.receipt, from, to, secretariat ? [.pipeline, .secretariat] : [.pipeline], "kvittering læst igen")
            }
            allow(.receipt, to, .closed, [.secretariat], "afsluttet af sekretariatet")
        }
        allow(.receipt, .registered, .refunded, [.secretariat], "udbetalt af sekretariatet")
        let report: [CaseStatus] = [.linked, .unlinked, .conflict]
        for to in report {
            allow(.statusReport, nil, to, [.pipeline], "status modtaget")
            for from in report where from != to {
                let secretariat = to == .linked || (from == .linked && to == .unlinked)
                allow(.statusReport, from, to, secretariat ? [.pipeline, .secretariat] : [.pipeline], "status læst igen")
            }
            if to != .linked { allow(.statusReport, to, .closed, [.secretariat], "afsluttet af sekretariatet") }
        }

        // A decision that was not applied stays a case of its own until the Secretariat closes it.
        let notApplied: [CaseStatus] = [.untrusted, .unclear, .unlinked, .held, .superseded]
        for to in notApplied {
            allow(.approval, nil, to, [.pipeline], "beslutning ikke anvendt")
            for from in notApplied where from != to { allow(.approval, from, to, [.pipeline], "beslutning læst igen") }
            allow(.approval, to, .closed, [.secretariat], "afsluttet af sekretariatet")
        }
        for kind: CaseKind in [.proposal, .unknown] {
            allow(kind, nil, .review, [.pipeline], kind == .proposal ? "ændringsforslag fra en anden afsender" : "til gennemsyn")
            allow(kind, .review, .closed, [.secretariat], "afsluttet af sekretariatet")
        }
        allow(.automatic, nil, .automatic, [.pipeline], "automatisk mail")
        return t
    }()

    private static let index: [Key: Transition] = Dictionary(transitions.map { (Key($0.kind, $0.from, $0.to), $0) }) { a, _ in a }

    private struct Key: Hashable {
        let kind: CaseKind, from: CaseStatus?, to: CaseStatus
        init(_ kind: CaseKind, _ from: CaseStatus?, _ to: CaseStatus) { (self.kind, self.from, self.to) = (kind, from, to) }
    }

    /// The transition `role` may make, or why not.
    public static func transition(_ kind: CaseKind, from: CaseStatus?, to: CaseStatus, by role: ActorRole) throws(TransitionRefused) -> Transition {
        guard let t = index[Key(kind, from, to)], t.by.contains(role) else {
            throw TransitionRefused(kind: kind, from: from, to: to, by: role)
        }
        return t
    }

    /// True when `role` may move a `kind` case from `from` to `to`.
    public static func allows(_ kind: CaseKind, from: CaseStatus?, to: CaseStatus, by role: ActorRole) -> Bool {
        index[Key(kind, from, to)]?.by.contains(role) == true
    }

    /// True when `role` may correct a `kind` case's fields or move it to another project while it is in `status`
    /// without changing the status: only the Secretariat, and only while the case is open (closed, paid out
    /// or turned down is history).
    public static func mayAmend(_ kind: CaseKind, in status: CaseStatus, by role: ActorRole) -> Bool {
        role == .secretariat && kind != .automatic && kind != .unknown
            && ![.closed, .refunded, .rejected, .automatic].contains(status)
    }

    /// The statuses a new case of `kind` may start in.
    public static func initial(_ kind: CaseKind) -> Set<CaseStatus> {
        Set(transitions.filter { $0.kind == kind && $0.from == nil }.map(\.to))
    }
}
