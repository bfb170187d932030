import Foundation
import Testing
@testable import CaseModel

/// The case model as a table: every allowed transition with who may make it, and everything else refused.
@Suite struct TransitionTableTests {
    /// The specification, written apart from the code: "kind: from → to: roles" ("-" is a new case).
    static let expected: [String] = {
        var t = [
            "application: - → incomplete: pipeline",
            "application: - → awaitingLeader: pipeline",
            "application: - → leaderApproved: leader",
            "application: - → leaderRejected: leader",
            "application: incomplete → awaitingLeader: coordinator secretariat",
            "application: incomplete → leaderApproved: coordinator",
            "application: awaitingLeader → incomplete: coordinator secretariat",
            "application: leaderRejected → incomplete: coordinator",
            "application: leaderRejected → awaitingLeader: coordinator",
            "application: incomplete → leaderRejected: leader",
            "application: awaitingLeader → leaderApproved: leader",
            "application: awaitingLeader → leaderRejected: leader",
            "application: leaderApproved → leaderRejected: leader",
            "application: leaderRejected → leaderApproved: leader",
            "application: leaderApproved → approved: secretariat",
            "application: awaitingLeader → approved: secretariat",
            "application: incomplete → approved: secretariat",
            "application: approved → approved: secretariat",
            "application: incomplete → rejected: secretariat",
            "application: awaitingLeader → rejected: secretariat",
            "application: leaderApproved → rejected: secretariat",
            "application: leaderRejected → rejected: secretariat",
        ]
        for s in ["registered", "incomplete", "late", "conflict"] {
            t.append("receipt: - → \(s): pipeline")
            for f in ["registered", "incomplete", "late", "conflict"] where f != s {
                let bySecretariat = f == "conflict" || Set([f, s]) == ["registered", "incomplete"]
                t.append("receipt: \(f) → \(s): " + (bySecretariat ? "pipeline secretariat" : "pipeline"))
            }
            t.append("receipt: \(s) → closed: secretariat")
        }
        t.append("receipt: registered → refunded: secretariat")
        for s in ["linked", "unlinked", "conflict"] {
            t.append("statusReport: - → \(s): pipeline")
            for f in ["linked", "unlinked", "conflict"] where f != s {
                let bySecretariat = s == "linked" || (f == "linked" && s == "unlinked")
                t.append("statusReport: \(f) → \(s): " + (bySecretariat ? "pipeline secretariat" : "pipeline"))
            }
            if s != "linked" { t.append("statusReport: \(s) → closed: secretariat") }
        }
        let held = ["untrusted", "unclear", "unlinked", "held", "superseded"]
        for s in held {
            t.append("approval: - → \(s): pipeline")
            for f in held where f != s { t.append("approval: \(f) → \(s): pipeline") }
            t.append("approval: \(s) → closed: secretariat")
        }
        t += ["proposal: - → review: pipeline", "proposal: review → closed: secretariat",
              "unknown: - → review: pipeline", "unknown: review → closed: secretariat",
              "automatic: - → automatic: pipeline"]
        return t
    }()

    static func line(_ kind: CaseKind, _ from: CaseStatus?, _ to: CaseStatus, _ roles: [ActorRole]) -> String {
        "\(kind.rawValue): \(from?.rawValue ?? "-") → \(to.rawValue): " + roles.map(\.rawValue).sorted().joined(separator: " ")
    }

    @Test func everyTransitionAndActorIsAsSpecifiedAndNothingElseIsAllowed() {
        let spec = Set(Self.expected.map { l -> String in
            let parts = l.components(separatedBy: ": ")
            return parts[0] + ": " + parts[1] + ": " + parts[2].split(separator: " ").sorted().joined(separator: " ")
        })
        var seen: Set<String> = []
        for kind in CaseKind.allCases {
            for from in [nil] + CaseStatus.allCases.map(Optional.some) {
                for to in CaseStatus.allCases {
                    let roles = ActorRole.allCases.filter { CaseModel.allows(kind, from: from, to: to, by: $0) }
                    if !roles.isEmpty { seen.insert(Self.line(kind, from, to, roles)) }
                    for role in ActorRole.allCases {
                        let allowed = roles.contains(role)
                        #expect(allowed == ((try? CaseModel.transition(kind, from: from, to: to, by: role)) != nil))
                    }
                }
            }
        }
        #expect(seen.subtracting(spec).isEmpty, "allowed but not specified: \(seen.subtracting(spec).sorted())")
        #expect(spec.subtracting(seen).isEmpty, "specified but not allowed: \(spec.subtracting(seen).sorted())")
    }

    @Test(arguments: [
        (CaseKind.application, CaseStatus?.some(.awaitingLeader), CaseStatus.leaderApproved, ActorRole.coordinator),
        (.application, .awaitingLeader, .approved, .leader),
        (.application, .incomplete, .approved, .coordinator),
        (.application, .rejected, .approved, .secretariat),
        (.application, .approved, .rejected, .secretariat),
        (.application, nil, .approved, .pipeline),
        (.receipt, .refunded, .closed, .secretariat),
        (.receipt, .refunded, .registered, .pipeline),
        (.receipt, .late, .refunded, .secretariat),
        (.proposal, .review, .closed, .coordinator),
    ])
    func refusalsSayWhatAndWhoInDanish(kind: CaseKind, from: CaseStatus?, to: CaseStatus, role: ActorRole) {
        #expect(throws: TransitionRefused.self) { try CaseModel.transition(kind, from: from, to: to, by: role) }
        do {
            _ = try CaseModel.transition(kind, from: from, to: to, by: role)
        } catch {
            #expect(error.description.contains(kind.danish) && error.description.contains(to.danish))
        }
    }

    @Test func namesAreReadInDanishOrAsCodes() {
        #expect(CaseStatus(named: "afventer ledergruppen") == .awaitingLeader)
        #expect(CaseStatus(named: "AWAITINGLEADER") == .awaitingLeader)
        #expect(CaseKind(named: "Ansøgning") == .application)
        #expect(CaseKind(named: "noget andet") == nil)
        #expect(Set(CaseStatus.allCases.map(\.danish)).count == CaseStatus.allCases.count)
    }
}
