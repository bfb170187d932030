import CaseModel
import Intake
import Store

/// What the Secretariat decided by hand, laid over the rules' reading whenever a mail is read again:
/// a corrected field, a case moved to another project, a case it closed or paid out.
extension Pipeline {
    /// Statuses only the Secretariat gives; reading the mail again never takes a case out of them.
    static let settledByHand: Set<CaseStatus> = [.closed, .refunded]

    /// `reading` with the record's corrections applied in the order they were made; one the rules
    /// no longer take is left out and audited, never lost.
    func withCorrections(_ reading: ApplicationReading, _ kind: CorrectedKind, record id: Int64, year: Int?) throws -> ApplicationReading {
        guard id != 0 else { return reading }
        var r = reading
        for c in try store.corrections(record: id) {
            do {
                r = try engine.corrected(r, kind, field: c.field, value: c.value, year: year)
            } catch {
                try store.audit(actor: Actor.pipeline.auditName, record: id, message: nil, action: "rettelse ikke anvendt",
                                detail: "\(c.field): \(error)")
            }
        }
        return r
    }

    /// The project the Secretariat chose for record `id`, over what the mail says.
    func handLinked(_ link: ProjectLink, record id: Int64) throws -> ProjectLink {
        guard id != 0, let manual = try store.manualLink(record: id) else { return link }
        guard let project = try manual.flatMap(store.record) else { return .none }
        return .project(project, .reference)
    }
}
