import Foundation
import Pipeline
import MailCore
import Store

/// Writes the files a case's mails (or one mail) carry into a folder, under their names from the
/// mail made safe, never over another file: a second run finds its files there and writes nothing.
public enum AttachmentExport {
    /// One attachment and where it went.
    public struct Written: Sendable, Encodable {
        /// The mail it came with (`M-4`).
        public var mail: String
        /// The name in the mail (untrusted).
        public var original: String
        /// The file's path in the folder.
        public var path: String
        public var size: Int
        /// False when the folder already held these very bytes under this name (an earlier run).
        public var new: Bool
    }

    /// The mails whose attachments `reference` names: a case's mails, or the one mail of `M-N`; nil when nothing has it.
    public static func messages(_ reference: String, store: IntakeStore) throws -> [Int64]? {
        if let id = StoredMessage.id(label: reference) { return try store.message(id) == nil ? nil : [id] }
        guard let r = try store.record(label: reference) else { return nil }
        return try store.messageIDs(ofCase: r.id)
    }

    /// Writes every attachment of the mails `ids`, in their order, into `directory` (made when missing).
    /// The bytes come from the stored mail itself, so a mail that failed has its files too.
    public static func write(messages ids: [Int64], store: IntakeStore, to directory: URL) throws -> [Written] {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ActionError("kan ikke oprette mappen \(directory.path): \(DanishSystemError.reason(error))")
        }
        var out: [Written] = []
        for id in ids {
            guard let m = try store.message(id) else { continue }
            let mail = MailMessage(bytes: m.raw)
            for (i, a) in mail.content().attachments.enumerated() {
                let data = Data(mail.data(of: a))
                let name = SafeFileName.make(a.filename, fallback: "vedhæftet-\(m.label)-\(i + 1)")
                var isNew = true
                // The same bytes already under this name or a numbered one are this file from an earlier run.
                let chosen = SafeFileName.unique(name) { candidate in
                    let url = directory.appendingPathComponent(candidate)
                    guard fm.fileExists(atPath: url.path) else { return false }
                    if fm.contents(atPath: url.path) == data { isNew = false; return false }
                    return true
                }
                let url = directory.appendingPathComponent(chosen)
                if isNew {
                    do {
                        try data.write(to: url, options: .withoutOverwriting)
                    } catch {
                        throw ActionError("kan ikke skrive \(url.path): \(DanishSystemError.reason(error))")
                    }
                }
                out.append(Written(mail: m.label, original: a.filename ?? "", path: url.path, size: data.count, new: isNew))
            }
        }
        return out
    }
}
