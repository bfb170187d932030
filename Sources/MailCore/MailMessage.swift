import Foundation

/// A parsed mail: its exact bytes, its MIME tree and what the parser noticed on the way.
public struct MailMessage: Sendable {
    /// The message as received; every range in the tree points into these bytes.
    public let bytes: [UInt8]
    public let root: MIMEPart
    /// Structural findings (limits, missing boundaries, malformed headers).
    public let findings: [Finding]

    /// Parses a message; never fails, whatever the bytes.
    public init(bytes: [UInt8], limits: MIMELimits = .standard) {
        self.bytes = bytes
        var parser = MIMEParser(bytes: bytes, limits: limits)
        var end = bytes.count
        if end > limits.maxMessageBytes {
            parser.findings.append(Finding("size-limit", "\(end) bytes; only the first \(limits.maxMessageBytes) parsed"))
            end = limits.maxMessageBytes
        }
        root = parser.parsePart(0..<end, depth: 0, defaultType: .textPlain)
        var seen = Set<Finding>()
        findings = parser.findings.filter { seen.insert($0).inserted }
    }

    public var headers: MessageHeaders { root.headers }

    /// The Subject, encoded-words decoded; nil when absent.
    public var subject: String? { headers.first("subject")?.decodedValue }
    public var from: [MailAddress] { addresses("from") }
    public var to: [MailAddress] { addresses("to") }
    public var cc: [MailAddress] { addresses("cc") }
    public var replyTo: [MailAddress] { addresses("reply-to") }

    /// Every mailbox of the first field named `name` (address headers of RFC 5322 §3.6.2–3).
    public func addresses(_ name: String) -> [MailAddress] {
        guard let f = headers.first(name) else { return [] }
        return AddressParser.parseList(f.rawValue)
    }

    /// The Date header as an instant; nil when absent or unreadable.
    public var date: Date? { headers.first("date").flatMap { MailDate.parse($0.value) } }

    /// When the last server the mail passed through took it in: the date-time after the last `;` of
    /// the topmost Received field (RFC 5322 §3.6.7: each server prepends its own), e.g. `from a.kk.dk
    /// by mx.kk.dk; Wed, 3 Feb 2027 07:52:27 +0100 (CET)`. Nil when there is none or it is unreadable.
    public var received: Date? {
        guard let raw = headers.first("received")?.rawValue, let semicolon = raw.lastIndex(of: UInt8(ascii: ";")) else { return nil }
        return MailDate.parse(String(decoding: raw[(semicolon + 1)...], as: UTF8.self))
    }

    /// The Message-ID without angle brackets.
    public var messageID: String? { headers.first("message-id").flatMap { MessageIDParser.parse($0.rawValue).first } }
    public var inReplyTo: [String] { headers.first("in-reply-to").map { MessageIDParser.parse($0.rawValue) } ?? [] }
    public var references: [String] { headers.first("references").map { MessageIDParser.parse($0.rawValue) } ?? [] }

    /// Leaf parts in document order, embedded messages descended into.
    public var leafParts: [MIMEPart] { root.leaves }

    /// The raw, still transfer-encoded body of a part.
    public func rawBody(_ part: MIMEPart) -> ArraySlice<UInt8> { bytes[part.bodyRange] }

    /// The transfer-decoded bytes of a part (base64, quoted-printable, uuencode undone).
    public func decodedBody(_ part: MIMEPart, findings: inout [Finding]) -> [UInt8] {
        part.transferEncoding.decode(bytes[part.bodyRange], findings: &findings)
    }

    /// `decodedBody(part).count`, with its findings, without holding the decoded bytes where that can be avoided.
    public func decodedSize(_ part: MIMEPart, findings: inout [Finding]) -> Int {
        part.transferEncoding.decodedCount(bytes[part.bodyRange], findings: &findings)
    }

    public func decodedBody(_ part: MIMEPart) -> [UInt8] {
        var ignored: [Finding] = []
        return decodedBody(part, findings: &ignored)
    }

    /// The text of a text part, charset-decoded, line endings as in the mail.
    public func text(_ part: MIMEPart, findings: inout [Finding]) -> String {
        let data = decodedBody(part, findings: &findings)
        return Charset.decodeText(data[...], label: part.contentType.charset, findings: &findings)
    }

    public func text(_ part: MIMEPart) -> String {
        var ignored: [Finding] = []
        return text(part, findings: &ignored)
    }
}

extension MailMessage {
    /// Parses a message held in `Data`.
    public init(data: Data, limits: MIMELimits = .standard) {
        self.init(bytes: [UInt8](data), limits: limits)
    }
}
