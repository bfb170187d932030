import Foundation
import MailCore

extension IntakeEngine {
    /// A receipt read again from its own mail and the sender's answers to our notices about it:
    /// an answer fills in what the receipt lacked, so the answers come first (the latest first) and
    /// a label found there wins over the original's. Only the new text of each is read: the quoted
    /// notice holds our template's labels, never values.
    public func receipt(original: MailMessage, answers: [MailMessage], received: Date) -> ReceiptReading {
        var texts: [String] = []
        var types: [String] = []
        var forwarded = ""
        let all = answers.reversed() + [original]
        for (n, m) in all.enumerated() {
            let content = m.content()
            let sections = QuoteSplitter.split(content.text, subject: m.subject ?? "")
            texts.append(sections.newText)
            if n == all.count - 1 { forwarded = sections.forwarded }
            types += content.attachments.map(\.contentType)
        }
        return receipts.read(texts.joined(separator: "\n\n"), subject: original.subject, sender: original.from.first,
                             attachmentTypes: types, received: Self.copenhagenDay(received), forwarded: forwarded)
    }
}
