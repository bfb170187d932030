/// A file carried by a message: a MIME part, a forwarded message or a uuencoded block.
public struct Attachment: Sendable {
    enum Source: Sendable {
        case part(MIMEPart)
        case uuencoded([UInt8])
    }

    /// The decoded file name from the mail (untrusted: data, never a path).
    public var filename: String?
    /// Lowercased media type, e.g. `image/jpeg`.
    public var contentType: String
    /// `inline` or `attachment` as the sender marked it, nil when unmarked.
    public var disposition: String?
    /// Decoded size in bytes.
    public var size: Int
    let source: Source
}

/// What there is to read in a message: the text chosen for field extraction and the attachments.
public struct MessageContent: Sendable {
    /// The text to read, LF line endings; HTML already turned into text.
    public var text: String
    /// `text/plain` or `text/html`: what the text was taken from (nil when the mail has no text).
    public var textSource: String?
    public var attachments: [Attachment]
    /// Findings from decoding (charsets, transfer encodings), beside the message's structural ones.
    public var findings: [Finding]
}

extension MailMessage {
    /// Chooses the text to read and lists the attachments (RFC 2046 §5.1.3–4 semantics):
    /// in multipart/alternative text/plain wins unless it is empty or a stub; in
    /// multipart/mixed every inline text part is read in order; in multipart/related
    /// the root is read.
    public func content() -> MessageContent {
        var findings: [Finding] = []
        var pieces: [(String, Bool)] = []   // (text, isHTML)
        collectText(root, into: &pieces, findings: &findings)

        var attachments: [Attachment] = []
        collectAttachments(root, into: &attachments, findings: &findings)

        var texts: [String] = []
        for (t, isHTML) in pieces {
            if isHTML {
                texts.append(HTMLText.plainText(fromHTML: t))
                continue
            }
            var bytes = Array(t.utf8)
            let blocks = Uuencode.blocks(in: bytes, findings: &findings)
            for b in blocks.reversed() {
                bytes.removeSubrange(b.range)
            }
            for b in blocks {
                attachments.append(Attachment(filename: b.filename, contentType: "application/octet-stream",
                                              disposition: "attachment", size: b.data.count,
                                              source: .uuencoded(b.data)))
            }
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
        let text = normalizeNewlines(texts.joined(separator: "\n"))
        let source: String? = pieces.isEmpty ? nil : (pieces.contains { !$0.1 } ? "text/plain" : "text/html")
        var seen = Set<Finding>()
        return MessageContent(text: text, textSource: source, attachments: attachments,
                              findings: findings.filter { seen.insert($0).inserted })
    }

    /// The decoded bytes of an attachment.
    public func data(of attachment: Attachment) -> [UInt8] {
        switch attachment.source {
        case .part(let p):
            return decodedBody(p)
        case .uuencoded(let d):
            return d
        }
    }

    /// A text/plain or text/html leaf that is meant to be read, not saved.
    func isBodyText(_ p: MIMEPart) -> Bool {
        guard !p.isContainer, p.contentType.mimeType == "text/plain" || p.contentType.mimeType == "text/html"
        else { return false }
        return p.dispositionType != "attachment" && p.filename == nil
    }

    private func collectText(_ p: MIMEPart, into pieces: inout [(String, Bool)], findings: inout [Finding]) {
        if isBodyText(p) {
            pieces.append((text(p, findings: &findings), p.contentType.subtype == "html"))
            return
        }
        guard p.contentType.isMultipart, !p.children.isEmpty else { return }
        switch p.contentType.subtype {
        case "alternative":
            chooseAlternative(p.children, into: &pieces, findings: &findings)
        case "related":
            let start = p.contentType.parameters["start"].map { MessageIDParser.parse(Array($0.utf8)).first ?? $0 }
            let root = p.children.first { c in
                start != nil && c.headers.first("content-id").flatMap { MessageIDParser.parse($0.rawValue).first } == start
            } ?? p.children[0]
            collectText(root, into: &pieces, findings: &findings)
        case "report", "signed", "encrypted":
            // The first part is the human-readable one (RFC 6522 §3, RFC 1847 §2).
            collectText(p.children[0], into: &pieces, findings: &findings)
        default:
            for c in p.children where c.contentType.isMultipart || isBodyText(c) {
                collectText(c, into: &pieces, findings: &findings)
            }
        }
    }

    private func chooseAlternative(_ children: [MIMEPart], into pieces: inout [(String, Bool)],
                                   findings: inout [Finding]) {
        var options: [[(String, Bool)]] = []
        var localFindings: [[Finding]] = []
        for c in children {
            var ps: [(String, Bool)] = []
            var fs: [Finding] = []
            collectText(c, into: &ps, findings: &fs)
            if !ps.isEmpty {
                options.append(ps)
                localFindings.append(fs)
            }
        }
        guard !options.isEmpty else { return }
        let plain = options.firstIndex { $0.allSatisfy { !$0.1 } }
        let html = options.lastIndex { $0.contains { $0.1 } }
        var chosen = plain ?? html ?? options.count - 1
        if let p = plain, let h = html, isStub(options[p], comparedTo: options[h]) { chosen = h }
        pieces += options[chosen]
        findings += localFindings[chosen]
    }

    /// A plain alternative that carries nothing of the HTML's content: empty, or a
    /// short "this is an HTML message" placeholder while the HTML says much more.
    private func isStub(_ plain: [(String, Bool)], comparedTo html: [(String, Bool)]) -> Bool {
        let p = plain.map(\.0).joined().trimmingWhitespace()
        if p.isEmpty { return true }
        // Only a short plain part can be a stub: the HTML is converted only then.
        let n = p.count
        guard n < 200 else { return false }
        let h = html.map { $0.1 ? HTMLText.plainText(fromHTML: $0.0) : $0.0 }.joined()
        return h.count > 4 * n
    }

    private func collectAttachments(_ p: MIMEPart, into out: inout [Attachment], findings: inout [Finding]) {
        let mt = p.contentType.mimeType
        if p.contentType.type == "message" {
            // A forwarded message (or a delivery status) is one attachment; its parts belong to it.
            var ignored: [Finding] = []
            out.append(Attachment(filename: p.filename, contentType: mt,
                                  disposition: p.dispositionType, size: decodedSize(p, findings: &ignored), source: .part(p)))
            return
        }
        if p.isContainer {
            for c in p.children { collectAttachments(c, into: &out, findings: &findings) }
            return
        }
        if isBodyText(p) { return }
        if p.contentType.isMultipart && p.bodyRange.isEmpty { return }
        out.append(Attachment(filename: p.filename, contentType: mt, disposition: p.dispositionType,
                              size: decodedSize(p, findings: &findings), source: .part(p)))
    }
}

/// CRLF and lone CR become LF.
func normalizeNewlines(_ s: String) -> String {
    guard s.utf8.contains(0x0D) else { return s }
    var out = [UInt8]()
    out.reserveCapacity(s.utf8.count)
    var prevCR = false
    for b in s.utf8 {
        if b == 0x0D {
            out.append(0x0A)
            prevCR = true
            continue
        }
        if b == 0x0A && prevCR {
            prevCR = false
            continue
        }
        prevCR = false
        out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
}
