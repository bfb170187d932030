import CaseModel
import Intake
import Store

/// How a mail was tied to the application it is about, in the order they are tried.
enum LinkWay: Sendable {
    /// In-Reply-To/References name the application or one of our mails about it.
    case thread
    /// The mail quotes the application's reference.
    case reference
    /// The mail's subject names the application's title.
    case title
}

/// Where a receipt or status report belongs.
enum ProjectLink {
    case project(RecordRow, LinkWay)
    /// The reference names the first project, a title in the same mail the second.
    case conflict(RecordRow, RecordRow)
    case none

    var project: RecordRow? {
        if case .project(let p, _) = self { return p }
        return nil
    }

    var auditDetail: String {
        switch self {
        case .project(let p, _): "knyttet til \(p.label)"
        case .conflict(let a, let b): "modstridende: \(a.label) og \(b.label)"
        case .none: "ikke knyttet til en indsats"
        }
    }

    /// The line of the reply that says where the mail went.
    func replyLine(noProject: String) -> String {
        switch self {
        case .project(let p, _):
            "Den er knyttet til indsatsen \"\(p.title ?? "")\" (\(p.label))."
        case .conflict(let a, let b):
            "Mailen nævner både \(a.label) og indsatsen \"\(b.title ?? "")\" (\(b.label)), så SSP Sekretariatet knytter den til den rigtige indsats."
        case .none: noProject
        }
    }
}

extension Pipeline {
    /// The application a reply, decision or follow-up is about: by thread, then reference, then title in the subject.
    func linkedApplication(_ c: Context) throws -> (record: RecordRow, way: LinkWay)? {
        if let r = try threadApplication(c) { return (r, .thread) }
        if let ref = c.result.reference, let r = try store.record(label: ref), r.kind == .application { return (r, .reference) }
        let subject = Fold.key(c.headers.subject ?? "")
        if !subject.isEmpty {
            let matches = try store.applications(namedIn: subject)
            if matches.count == 1, let r = try store.record(matches[0]) { return (r, .title) }
        }
        return nil
    }

    private func threadApplication(_ c: Context) throws -> RecordRow? {
        guard let id = try store.record(forThread: c.headers.thread), var r = try store.record(id) else { return nil }
        // A thread may lead to a decision or a receipt; its application is the one meant.
        if r.kind != .application, let p = r.projectID, let app = try store.record(p) { r = app }
        return r.kind == .application ? r : nil
    }

    /// The project a receipt or status report belongs to: thread, then reference, then title. A
    /// reference and a project title named in the same mail (subject, `texts`, the new text) that
    /// point at different projects are a conflict: the mail is not linked, and waits for the Secretariat.
    func linkedProject(_ c: Context, alsoNamedIn texts: [String]) throws -> ProjectLink {
        if let r = try threadApplication(c) { return .project(r, .thread) }
        let named = Fold.key(([c.headers.subject ?? ""] + texts + [c.result.sections.newText]).joined(separator: " \n "))
        let titled = try store.applications(namedIn: named, limit: 3)
        if let ref = c.result.reference, let r = try store.record(label: ref), r.kind == .application {
            if let other = titled.first(where: { $0 != r.id }), let b = try store.record(other) { return .conflict(r, b) }
            return .project(r, .reference)
        }
        if titled.count == 1, let r = try store.record(titled[0]) { return .project(r, .title) }
        // An occasion that is a project's name, however short the name.
        for t in texts {
            if let id = try store.applications(namedIn: Fold.key(t), minLength: 1, limit: 1).first, let r = try store.record(id) {
                return .project(r, .title)
            }
        }
        return .none
    }
}
