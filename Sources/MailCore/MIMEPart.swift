/// Limits that keep a broken or hostile message from costing unbounded time or memory; going over one is a finding.
public struct MIMELimits: Sendable, Hashable {
    /// Bytes beyond this are not parsed (the raw message is still kept by the caller).
    public var maxMessageBytes: Int = 64 << 20
    public var maxParts: Int = 1_000
    public var maxDepth: Int = 30
    public var maxHeaderFields: Int = 1_000

    public init() {}

    public static let standard = MIMELimits()
}

/// One node of a message's MIME tree; its ranges point into the message's bytes.
public struct MIMEPart: Sendable {
    public let headers: MessageHeaders
    public let contentType: ContentType
    public let transferEncoding: TransferEncoding
    /// Content-Disposition (RFC 2183), when present.
    public let disposition: ParameterizedValue?
    /// The raw (still transfer-encoded) body within the message bytes.
    public let bodyRange: Range<Int>
    /// The whole part, headers included, within the message bytes.
    public let range: Range<Int>
    /// Sub-parts of a multipart, or the single embedded message of a message/rfc822 part.
    public let children: [MIMEPart]
    public let depth: Int

    /// True when this node holds other parts (a parsed multipart or message/rfc822).
    public var isContainer: Bool { !children.isEmpty }

    /// `inline`, `attachment` or another disposition type, lowercased.
    public var dispositionType: String? {
        guard let v = disposition?.value, !v.isEmpty else { return nil }
        return v
    }

    /// The decoded file name: Content-Disposition's `filename`, else Content-Type's `name`.
    public var filename: String? {
        if let f = disposition?.parameters["filename"], !f.isEmpty { return f }
        if let n = contentType.parameters["name"], !n.isEmpty { return n }
        return nil
    }

    /// Leaf parts of this subtree in document order (embedded messages are descended into).
    public var leaves: [MIMEPart] {
        var out: [MIMEPart] = []
        collectLeaves(into: &out)
        return out
    }

    private func collectLeaves(into out: inout [MIMEPart]) {
        if children.isEmpty {
            out.append(self)
        } else {
            for c in children { c.collectLeaves(into: &out) }
        }
    }
}

/// Builds the MIME tree of a message, RFC 2045–2049.
struct MIMEParser {
    let bytes: [UInt8]
    let limits: MIMELimits
    var findings: [Finding] = []
    private var partCount = 0

    init(bytes: [UInt8], limits: MIMELimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parsePart(_ range: Range<Int>, depth: Int, defaultType: ContentType) -> MIMEPart {
        partCount += 1
        let (headers, bodyStart) = HeaderParser.parse(bytes, range.lowerBound, range.upperBound,
                                                      limits: limits, findings: &findings)
        let ct = ContentType.parse(headers.first("content-type"), default: defaultType, findings: &findings)
        let cte = TransferEncoding(headers["content-transfer-encoding"])
        let disp = headers.first("content-disposition").map {
            ParameterizedValue.parse($0.rawValue, findings: &findings)
        }
        let body = bodyStart..<range.upperBound
        var children: [MIMEPart] = []
        if ct.isMultipart {
            children = parseMultipart(ct, body: body, depth: depth)
        } else if ct.mimeType == "message/rfc822" || ct.mimeType == "message/global" {
            switch cte {
            case .sevenBit, .eightBit, .binary:
                if depth + 1 > limits.maxDepth {
                    findings.append(Finding("depth-limit", "embedded message at depth \(depth + 1) not parsed"))
                } else if partCount < limits.maxParts {
                    children = [parsePart(body, depth: depth + 1, defaultType: .textPlain)]
                }
            default:
                // RFC 2046 §5.2.1 forbids encoding message/rfc822; keep it whole as an attachment.
                findings.append(Finding("encoded-message-rfc822", "kept as an attachment"))
            }
        }
        return MIMEPart(headers: headers, contentType: ct, transferEncoding: cte, disposition: disp,
                        bodyRange: body, range: range, children: children, depth: depth)
    }

    private mutating func parseMultipart(_ ct: ContentType, body: Range<Int>, depth: Int) -> [MIMEPart] {
        guard let boundary = ct.boundary, !boundary.isEmpty else {
            findings.append(Finding("multipart-without-boundary", ct.mimeType))
            return []
        }
        guard depth + 1 <= limits.maxDepth else {
            findings.append(Finding("depth-limit", "multipart at depth \(depth + 1) not parsed"))
            return []
        }
        let (ranges, closed) = splitMultipart(body, boundary: Array(boundary.utf8))
        if ranges.isEmpty {
            findings.append(Finding("boundary-not-found", boundary))
            return []
        }
        if !closed { findings.append(Finding("missing-closing-boundary", boundary)) }
        let childDefault: ContentType = ct.mimeType == "multipart/digest" ? .messageRFC822 : .textPlain
        var children: [MIMEPart] = []
        for r in ranges {
            if partCount >= limits.maxParts {
                findings.append(Finding("part-limit", "parts beyond \(limits.maxParts) not parsed"))
                break
            }
            children.append(parsePart(r, depth: depth + 1, defaultType: childDefault))
        }
        return children
    }

    /// RFC 2046 §5.1.1: a delimiter is `--boundary` at the start of a line, followed by
    /// optional blanks; `--boundary--` closes. The line break before a delimiter belongs
    /// to it. A missing close ends the last part at the end of the enclosing body.
    ///
    ///     --_000_DB9PR
    ///     Content-Type: text/plain; charset="iso-8859-1"
    ///     …
    ///     --_000_DB9PR--
    func splitMultipart(_ body: Range<Int>, boundary: [UInt8]) -> (parts: [Range<Int>], closed: Bool) {
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var i = body.lowerBound
        let end = body.upperBound
        let blen = boundary.count
        return bytes.withUnsafeBufferPointer { b in
            while i < end {
                var le = i
                while le < end, b[le] != 0x0A, b[le] != 0x0D { le += 1 }
                if le - i >= blen + 2, b[i] == UInt8(ascii: "-"), b[i + 1] == UInt8(ascii: "-"),
                   memcmpEqual(b, i + 2, boundary) {
                    var k = i + 2 + blen
                    var closing = false
                    if k + 1 < le, b[k] == UInt8(ascii: "-"), b[k + 1] == UInt8(ascii: "-") {
                        closing = true
                        k += 2
                    }
                    while k < le, isWSP(b[k]) { k += 1 }
                    if k == le {
                        if let s = partStart {
                            var pe = i
                            if pe > s, b[pe - 1] == 0x0A { pe -= 1 }
                            if pe > s, b[pe - 1] == 0x0D { pe -= 1 }
                            parts.append(s..<max(s, pe))
                        }
                        if closing { return (parts, true) }
                        partStart = nextLine(b, le, end)
                    }
                }
                let next = nextLine(b, le, end)
                if next == le { break }
                i = next
            }
            if let s = partStart { parts.append(s..<end) }
            return (parts, false)
        }
    }

    @inline(__always)
    private func nextLine(_ b: UnsafeBufferPointer<UInt8>, _ le: Int, _ end: Int) -> Int {
        guard le < end else { return le }
        if b[le] == 0x0D { return (le + 1 < end && b[le + 1] == 0x0A) ? le + 2 : le + 1 }
        return le + 1
    }

    @inline(__always)
    private func memcmpEqual(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ s: [UInt8]) -> Bool {
        for k in 0..<s.count where b[at + k] != s[k] { return false }
        return true
    }
}
