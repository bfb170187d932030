import Foundation

/// What `ssp-intake inspect --json` prints for one message: the documented contract (README).
public struct MessageReport: Sendable, Encodable {
    /// One leaf part, in document order.
    public struct Part: Sendable, Encodable {
        public var contentType: String
        public var charset: String?
        public var filename: String?
        public var disposition: String?
        /// Bytes after transfer decoding.
        public var size: Int
        /// SHA-256 of the transfer-decoded bytes.
        public var sha256: String
        /// For text/*: SHA-256 of the UTF-8 of the charset-decoded text, CRLF turned into LF.
        public var textSha256: String?
        /// Nesting depth (0 is the message itself); lets readers draw the tree.
        public var depth: Int
    }

    /// One entry of the attachment list.
    public struct AttachmentInfo: Sendable, Encodable {
        public var filename: String?
        public var contentType: String
        public var disposition: String?
        public var size: Int
    }

    /// One node of the MIME tree, containers included, in document order.
    public struct TreeNode: Sendable, Encodable {
        public var contentType: String
        public var depth: Int
        public var filename: String?
    }

    /// One header field, encoded-words decoded.
    public struct Header: Sendable, Encodable {
        public var name: String
        public var value: String
    }

    public var file: String?
    public var size: Int
    public var messageId: String?
    public var subject: String?
    public var from: MailAddress?
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var date: String?
    public var inReplyTo: String?
    public var references: [String]
    public var headers: [Header]
    public var parts: [Part]
    public var tree: [TreeNode]
    public var text: String
    public var textSource: String?
    public var attachments: [AttachmentInfo]
    public var findings: [Finding]

    /// Reads everything the report shows from a parsed message.
    public init(_ m: MailMessage, file: String? = nil) {
        self.file = file
        size = m.bytes.count
        messageId = m.messageID
        subject = m.subject
        from = m.from.first
        to = m.to
        cc = m.cc
        date = m.date.map { $0.formatted(.iso8601) }
        inReplyTo = m.inReplyTo.first
        references = m.references
        headers = m.headers.fields.map { Header(name: $0.name, value: $0.decodedValue) }
        var findings = m.findings
        parts = m.leafParts.map { p in
            let data = m.decodedBody(p, findings: &findings)
            var textSha: String? = nil
            if p.contentType.isText {
                let t = Charset.decodeText(data[...], label: p.contentType.charset, findings: &findings)
                textSha = SHA256.hex(normalizeNewlines(t).utf8)
            }
            return Part(contentType: p.contentType.mimeType, charset: p.contentType.charset,
                        filename: p.filename, disposition: p.dispositionType, size: data.count,
                        sha256: SHA256.hex(data), textSha256: textSha, depth: p.depth)
        }
        var nodes: [TreeNode] = []
        func walk(_ p: MIMEPart) {
            nodes.append(TreeNode(contentType: p.contentType.mimeType, depth: p.depth, filename: p.filename))
            p.children.forEach(walk)
        }
        walk(m.root)
        tree = nodes
        let content = m.content()
        text = content.text
        textSource = content.textSource
        attachments = content.attachments.map {
            AttachmentInfo(filename: $0.filename, contentType: $0.contentType, disposition: $0.disposition, size: $0.size)
        }
        var seen = Set<Finding>()
        self.findings = (findings + content.findings).filter { seen.insert($0).inserted }
    }

    enum CodingKeys: String, CodingKey {
        case file, size, messageId, subject, from, to, cc, date, inReplyTo, references, headers, parts, tree
        case text, textSource, attachments, findings
    }

    // Written out so that absent values are `null`, not missing keys: the contract lists every key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(size, forKey: .size)
        try c.encode(messageId, forKey: .messageId)
        try c.encode(subject, forKey: .subject)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(cc, forKey: .cc)
        try c.encode(date, forKey: .date)
        try c.encode(inReplyTo, forKey: .inReplyTo)
        try c.encode(references, forKey: .references)
        try c.encode(headers, forKey: .headers)
        try c.encode(parts, forKey: .parts)
        try c.encode(tree, forKey: .tree)
        try c.encode(text, forKey: .text)
        try c.encode(textSource, forKey: .textSource)
        try c.encode(attachments, forKey: .attachments)
        try c.encode(findings, forKey: .findings)
    }

    /// The report as one line of JSON with sorted keys.
    public func jsonLine() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        let data = (try? enc.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension MessageReport.Part {
    enum CodingKeys: String, CodingKey {
        case contentType, charset, filename, disposition, size, sha256, textSha256, depth
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(charset, forKey: .charset)
        try c.encode(filename, forKey: .filename)
        try c.encode(disposition, forKey: .disposition)
        try c.encode(size, forKey: .size)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(textSha256, forKey: .textSha256)
        try c.encode(depth, forKey: .depth)
    }
}

extension MessageReport.AttachmentInfo {
    enum CodingKeys: String, CodingKey { case filename, contentType, disposition, size }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(filename, forKey: .filename)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(disposition, forKey: .disposition)
        try c.encode(size, forKey: .size)
    }
}
