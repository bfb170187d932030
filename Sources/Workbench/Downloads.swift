import Foundation
import HTTPServer
import MailCore
import Store

/// Attachments and whole mails as files to save, never to show: the browser gets no type it could render.
enum Downloads {
    /// `/bilag/<message id>/<n>`: the n-th attachment (from 1) of a stored mail, under its original name.
    static func attachment(_ store: IntakeStore, message: String, index: String) throws -> HTTPResponse? {
        guard let id = Int64(message), let n = Int(index), n >= 1, let m = try store.message(id) else { return nil }
        let mail = MailMessage(bytes: m.raw)
        let files = mail.content().attachments
        guard n <= files.count else { return nil }
        let a = files[n - 1]
        let name = (a.filename ?? "").isEmpty ? "vedhæftet-\(n)" : a.filename!
        return .download(mail.data(of: a), filename: name, contentType: "application/octet-stream")
    }

    /// `/mail/M-4.eml`: the mail exactly as it arrived, for Outlook to open.
    static func eml(_ store: IntakeStore, file: String) throws -> HTTPResponse? {
        guard file.hasSuffix(".eml"), let id = StoredMessage.id(label: String(file.dropLast(4))), let m = try store.message(id) else { return nil }
        return .download(m.raw, filename: "\(m.label).eml", contentType: "message/rfc822")
    }
}
