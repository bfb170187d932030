import Foundation
import MailCore

/// The intake rules in one call: recognise a message, extract and validate what it carries,
/// read a decision and its trust, and choose the reply. Pure and deterministic.
public struct IntakeEngine: Sendable {
    /// Bumped whenever a rule changes what a message gives, so the store knows what to reprocess.
    public static let rulesVersion = 2

    public let config: IntakeConfig
    public let applications: ApplicationRules
    let automatic: AutomaticMail
    let receipts: ReceiptRules
    let decisions: DecisionRules
    public let replies: ReplyPlanner
    /// Read from config once, not for every message.
    private let kindWords: (application: [FoldedWord], receipt: [FoldedWord], statusReport: [FoldedWord])
    private typealias FoldedWord = (word: String, folded: String)
    private let statusSigns: [FoldedWord]

    public init(config: IntakeConfig) {
        self.config = config
        automatic = AutomaticMail(config: config)
        applications = ApplicationRules(config: config)
        receipts = ReceiptRules(config: config)
        decisions = DecisionRules(config: config)
        replies = ReplyPlanner(config: config)
        func folded(_ words: [String]) -> [FoldedWord] { words.map { ($0, Fold.key($0)) } }
        let kw = config.rules.kindWords
        kindWords = (folded(kw.application), folded(kw.receipt), folded(kw.statusReport))
        statusSigns = folded(config.rules.statusReportSigns ?? [])
    }

    /// Everything the rules conclude about `message`. `received` is when it arrived (the Date
    /// header when unknown); `reference` is the one the store already gave its application.
    /// `content` is the message's, when the caller has it already.
    public func evaluate(_ message: MailMessage, content: MessageContent? = nil, received: Date? = nil,
                         reference: String? = nil) -> IntakeResult {
        let content = content ?? message.content()
        // Header values are parsed again on every read: each is read once here.
        let from = message.from
        let originalSubject = message.subject
        let inReplyTo = message.inReplyTo
        let subject = originalSubject ?? ""
        let sections = QuoteSplitter.split(content.text, subject: subject)
        var r = IntakeResult(kind: .unknown, sections: sections)
        r.sender = message.replyTo.first ?? from.first
        r.reference = References.first(in: subject) ?? References.first(in: sections.newText)
        if let m = sections.marker { r.reasons.append("citat/videresendelse fundet: \(m)") }
        let receivedDay = (received ?? message.date).map(Self.copenhagenDay)

        var signs = automatic.signs(message, from: from, subject: originalSubject)
        if let from = from.first?.address, config.isMailbox(from) {
            signs.append("afsenderen er vores egen postkasse")
        }
        // An answer from a machine whose automatic headers were stripped on the way: no loop.
        signs += automatic.loopSigns(message, thread: message.references + inReplyTo, text: content.text,
                                     attachments: content.attachments.count)
        if !signs.isEmpty {
            r.kind = .automatic
            r.reasons += signs.map { "automatisk: \($0)" }
            r.noReplyReason = "automatisk mail besvares aldrig"
            return r
        }

        // What can hold an application: the new text, forwarded mail and attached Word files; never the quote.
        var docTexts: [(text: String, part: FieldSource.Kind)] = []
        for a in content.attachments where Self.isDocx(a) {
            if let t = try? DocxText.text(ofDocx: message.data(of: a)) {
                docTexts.append((t, .docx))
                r.reasons.append("Word-fil læst: \(a.filename ?? "(uden navn)")")
            } else {
                r.reasons.append("Word-fil kunne ikke læses: \(a.filename ?? "(uden navn)")")
            }
        }
        for a in content.attachments where Self.isTextFile(a) && a.size <= 1 << 20 {
            docTexts.append((Self.attachmentText(a, message.data(of: a)), .attachment))
            r.reasons.append("tekstfil læst: \(a.filename ?? "(uden navn)")")
        }
        let parts = ([(sections.newText, nil), (sections.forwarded, .forwarded)] + docTexts.map { ($0.text, $0.part) })
            .filter { !$0.0.isEmpty } as [(String, FieldSource.Kind?)]
        let appText = parts.map(\.0).joined(separator: "\n\n")

        let subjectF = Fold.key(subject), newF = Fold.key(sections.newText)
        func has(_ words: [FoldedWord], _ text: String) -> String? {
            words.first { Fold.contains(text, phrase: $0.folded) }?.word
        }
        // Prose under headings is read where an application is likely: labels were found, or the
        // subject or text says it is one; never in any mail with a numbered list.
        let labelled = applications.sections(appText, prose: false)
        let proseLikely = !labelled.isEmpty || !docTexts.isEmpty || has(kindWords.application, subjectF) != nil
            || has(kindWords.application, newF) != nil
            || (!sections.forwarded.isEmpty && has(kindWords.application, Fold.key(sections.forwarded)) != nil)
        var appSections = proseLikely ? applications.adding(proseIn: appText, to: labelled) : labelled
        Self.markParts(&appSections, parts.map { ($0.0, $0.1) })
        let appKeys = Set(appSections.map(\.key))
        let isReply = QuoteSplitter.subjectIsReply(subject) || !inReplyTo.isEmpty
        let isForward = QuoteSplitter.subjectIsForward(subject)
        let fromAddress = from.first?.address ?? ""
        let isLeader = config.leader(withAddress: fromAddress) != nil
        let (decision, decisionWords) = decisions.decision(folded: newF)
        let answersUs = inReplyTo.contains { ReplyComposer.composedDomain(ofMessageID: $0) != nil }
        let kw = kindWords
        // Each word list is searched in each text at most once, however many branches ask.
        lazy var receiptInSubject = has(kw.receipt, subjectF)
        lazy var statusInSubject = has(kw.statusReport, subjectF)
        lazy var applicationInSubject = has(kw.application, subjectF)
        lazy var statusSign = statusReportSign(subjectF, sections.newText,
                                               plans: Set(appSections.filter { $0.key == "evaluation" }.flatMap { $0.lines + [$0.sourceLine] }))

        if (isReply || isForward) && decision != .unclear && (appKeys.count >= 3 || appKeys.isEmpty || isLeader) {
            r.decision = decision
            r.reasons.append("beslutning i den nye tekst: \(decision.rawValue) (\"\(decisionWords ?? "")\")")
            let (trusted, why) = decisions.trust(message, from: from, sender: r.sender)
            r.trusted = trusted
            r.reasons += why
            if appKeys.count >= 3 {
                r.kind = .application
                r.reasons.append("videresendt ansøgning med \(appKeys.count) felter og en beslutning")
                readApplication(appSections, into: &r, year: receivedDay?.year, followUp: false)
            } else {
                r.kind = .approval
                r.reasons.append(isForward ? "videresendt med en beslutning" : "svar med en beslutning")
            }
        } else if isLeader && isReply && appKeys.isEmpty && receiptInSubject == nil && statusInSubject == nil {
            r.kind = .approval
            r.decision = .unclear
            r.reasons.append("svar fra en leder uden en klar beslutning")
            let (trusted, why) = decisions.trust(message, from: from, sender: r.sender)
            r.trusted = trusted
            r.reasons += why
        } else if appKeys.count < 3, let w = statusInSubject ?? (receiptInSubject == nil ? has(kw.statusReport, newF) : nil) {
            r.kind = .statusReport
            r.reasons.append("status/evaluering: \"\(w)\"")
        } else if appKeys.count < 3, let w = receiptInSubject ?? has(kw.receipt, newF) {
            r.kind = .receipt
            r.reasons.append("kvittering/udlæg: \"\(w)\"")
            let rec = receipts.read(sections.newText, subject: subject, sender: from.first,
                                    attachmentTypes: content.attachments.map(\.contentType), received: receivedDay,
                                    forwarded: sections.forwarded)
            r.fields = rec.fields
            r.fieldSources = rec.sources
            r.missing = rec.missing
            r.invalid = rec.invalid
            r.hints = rec.hints
            r.late = rec.late
        } else if appKeys.count < 8, applicationInSubject == nil || statusInSubject != nil,
                  let w = statusSign ?? (applicationInSubject == nil ? statusInSubject : nil) {
            // A status report names its period and target group too: what it says tells it from a follow-up.
            r.kind = .statusReport
            r.reasons.append("status/evaluering: \"\(w)\"")
        } else if !appKeys.isEmpty && (r.reference != nil || answersUs) && appKeys.count < 8 {
            r.kind = .application
            r.reasons.append("opfølgning på \(r.reference ?? "vores mail") med \(appKeys.count) felt(er)")
            readApplication(appSections, into: &r, year: receivedDay?.year, followUp: true)
        } else if appKeys.count >= 3 || (!appKeys.isEmpty && applicationInSubject != nil)
                    || (applicationInSubject != nil && !docTexts.isEmpty) {
            r.kind = .application
            r.reasons.append("ansøgning: \(appKeys.count) af \(config.rules.applicationFields.count) felter fundet")
            readApplication(appSections, into: &r, year: receivedDay?.year, followUp: false, subject: subject)
        } else {
            r.reasons.append("hverken ansøgning, kvittering, beslutning eller status genkendt")
        }

        let (plan, why) = replies.plan(r, message: message, subject: originalSubject, reference: reference)
        r.reply = plan
        r.noReplyReason = why
        return r
    }

    private func readApplication(_ sections: [LabeledValue], into r: inout IntakeResult, year: Int?, followUp: Bool,
                                 subject: String? = nil) {
        let a = applications.read(sections: sections, year: year, partial: followUp, subject: subject)
        r.application = a
        r.fields = a.fields
        r.fieldSources = a.sources
        r.invalid = a.invalid
        r.hints = a.hints
        r.followUp = followUp
        // A follow-up adds to an application the store holds; what is still missing is known only there.
        r.missing = followUp ? [] : a.missing
    }

    /// Which part of the mail each section stands in, from the line it starts on: the parts were
    /// joined with one blank line between them.
    static func markParts(_ sections: inout [LabeledValue], _ parts: [(String, FieldSource.Kind?)]) {
        guard parts.count > 1 || parts.first?.1 != nil else { return }
        var starts: [(Int, FieldSource.Kind?)] = []
        var line = 0
        for (text, part) in parts {
            starts.append((line, part))
            line += text.lineSlices().count + 1
        }
        for k in sections.indices {
            sections[k].part = starts.last { $0.0 <= sections[k].line }?.1
        }
    }

    /// What says a mail is a status report even when it has an application's labels: a sign in the
    /// subject, a line that starts with one ("Status pr. 1. september:", "Forbrug hidtil: 4.000 kr."),
    /// or a sign anywhere in the new text.
    /// `plans` are the lines of an evaluation plan, where an application says when it will report.
    func statusReportSign(_ subjectF: String, _ newText: String, plans: Set<String>) -> String? {
        if let w = statusSigns.first(where: { Fold.contains(subjectF, phrase: $0.folded) }) { return w.word }
        for line in newText.lineSlices() where !plans.contains(line.trimmingWhitespace()) {
            let f = Fold.key(line).trimmingWhitespace()
            if let w = statusSigns.first(where: { Fold.contains(f, phrase: $0.folded) }) { return w.word }
            if f.hasPrefix("status:") || f.hasPrefix("status pr") || f.hasPrefix("status per") { return "Status" }
        }
        return nil
    }

    /// A plain-text or CSV file, such as a budget sent as budget.txt.
    static func isTextFile(_ a: Attachment) -> Bool {
        let name = a.filename?.lowercased() ?? ""
        return a.contentType == "text/plain" || a.contentType == "text/csv" || name.hasSuffix(".txt") || name.hasSuffix(".csv")
    }

    /// The file's text read like a body: CSV cells become table cells, and a file named as a
    /// budget is read under the Budget label when it has none of its own.
    static func attachmentText(_ a: Attachment, _ bytes: [UInt8]) -> String {
        var text = Charset.sniff(bytes[...])
        // Without a CR there is no CR LF to replace (nothing else is canonically one).
        if text.utf8.contains(0x0D) { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        let name = Fold.key(a.filename ?? "")
        let lines = text.lineSlices(omittingEmpty: true)
        if name.hasSuffix(".csv") || (lines.count >= 2 && lines.allSatisfy { PlainText.contains($0, ";") }) {
            text = text.replacingOccurrences(of: ";", with: "\t")
        }
        let firstLine = Fold.key(text.prefix { $0 != "\n" })
        if name.contains("budget") && !firstLine.hasPrefix("budget") { text = "Budget:\n" + text }
        return text
    }

    static func isDocx(_ a: Attachment) -> Bool {
        a.contentType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            || (a.filename?.lowercased().hasSuffix(".docx") ?? false)
    }

    /// The calendar day in Copenhagen when `date` happened.
    public static func copenhagenDay(_ date: Date) -> DayDate {
        let c = copenhagenCalendar.dateComponents([.year, .month, .day], from: date)
        return DayDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// Made once: building a calendar costs more than asking it.
    private static let copenhagenCalendar: Calendar = {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = ReplyComposer.copenhagen
        return cal
    }()
}
