import Foundation
/// Limits that keep a broken or hostile message from costing unbounded time or memory; going over one is a finding.
public struct MIMELimits: Sendable, Hashable {
    /// Bytes beyond this are not parsed (the raw message is still kept by the caller).
    public var maxMessageBytes: Int = 64 << 20
    public var maxParts: Int = 1_000
    public var maxDepth: Int = 30
    public var maxHeaderFields: Int = 1_000

    public init() {}

    public static let standard = MIMELimits()

    /// The top header block only, no parts: what a source reads of a message as it arrives.
    public static let headersOnly: MIMELimits = {
        var l = MIMELimits()
        l.maxDepth = 0
        return l
    }()
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

    /// Parses one part. `rawEnd` is where the part ends when the line break that the
    /// next delimiter claims is counted in: a multipart whose delimiters never appear
    /// keeps that break as body, as Python's `email` does.
    mutating func parsePart(_ range: Range<Int>, rawEnd: Int? = nil, depth: Int, defaultType: ContentType) -> MIMEPart {
        partCount += 1
        let (headers, bodyStart) = HeaderParser.parse(bytes, range.lowerBound, range.upperBound,
                                                      limits: limits, findings: &findings)
        let ct = ContentType.parse(headers.first("content-type"), default: defaultType, findings: &findings)
        let cte = TransferEncoding(headers["content-transfer-encoding"])
        let disp = headers.first("content-disposition").map {
            ParameterizedValue.parse($0.rawValue, findings: &findings)
        }
        var body = bodyStart..<range.upperBound
        var children: [MIMEPart] = []
        if ct.isMultipart {
            let (parsed, leafEnd) = parseMultipart(ct, body: body, depth: depth)
            children = parsed
            if children.isEmpty {
                // Not a usable multipart: keep it as one leaf holding what stands before
                // its close delimiter (or all of it).
                var start = bodyStart
                if let rawEnd, rawEnd > range.upperBound {
                    var ignored: [Finding] = []
                    start = HeaderParser.parse(bytes, range.lowerBound, rawEnd, limits: limits, findings: &ignored).bodyStart
                }
                body = start..<max(start, leafEnd ?? rawEnd ?? range.upperBound)
            }
        } else if ct.mimeType == "message/delivery-status" {
            children = parseDeliveryStatus(body, depth: depth)
        } else if ct.type == "message" {
            switch cte {
            case .sevenBit, .eightBit, .binary: break
            default:
                // RFC 2046 §5.2.1 forbids encoding message/*. The tree then shows what
                // stands there (as Python's `email` does); the attachment decodes it.
                findings.append(Finding("encoded-message-rfc822", "embedded message is transfer-encoded"))
            }
            if depth + 1 > limits.maxDepth {
                findings.append(Finding("depth-limit", "embedded message at depth \(depth + 1) not parsed"))
            } else if partCount < limits.maxParts {
                children = [parsePart(body, depth: depth + 1, defaultType: .textPlain)]
            }
        }
        return MIMEPart(headers: headers, contentType: ct, transferEncoding: cte, disposition: disp,
                        bodyRange: body, range: range, children: children, depth: depth)
    }

    /// RFC 3464 §2.1: a delivery status is blocks of header fields separated by blank
    /// lines (per-message, then one per recipient); each block becomes a child part
    /// with headers and no body.
    ///
    ///     Reporting-MTA: dns; mx.kk.dk
    ///
    ///     Final-Recipient: rfc822; tovholder@kk.dk
    ///     Action: failed
    ///     Status: 5.1.1
    private mutating func parseDeliveryStatus(_ body: Range<Int>, depth: Int) -> [MIMEPart] {
        guard depth + 1 <= limits.maxDepth else { return [] }
        var children: [MIMEPart] = []
        var i = body.lowerBound
        let end = body.upperBound
        // A block runs to the next blank line, which is consumed; a second blank line
        // in a row makes an empty block, as in Python's `email`.
        repeat {
            let start = i
            var blockEnd = end
            while i < end {
                let le = bytes.lineEnd(from: i, end: end)
                if le == i {
                    blockEnd = i
                    i = bytes.skipLineBreak(at: le, end: end)
                    break
                }
                let next = bytes.skipLineBreak(at: le, end: end)
                i = next == le ? end : next
            }
            guard partCount < limits.maxParts else { break }
            var r = start..<min(blockEnd, i)
            if i >= end {
                // Python's `email` gives the delimiter's line break to the last block, not the part.
                var e = r.upperBound
                if e > r.lowerBound, bytes[e - 1] == 0x0A { e -= 1 }
                if e > r.lowerBound, bytes[e - 1] == 0x0D { e -= 1 }
                r = r.lowerBound..<e
            }
            children.append(parsePart(r, depth: depth + 1, defaultType: .textPlain))
        } while i < end
        return children
    }

    /// The children of a multipart; when there are none, also where its leaf body ends.
    private mutating func parseMultipart(_ ct: ContentType, body: Range<Int>, depth: Int) -> ([MIMEPart], Int?) {
        guard let boundary = ct.boundary, !boundary.isEmpty else {
            findings.append(Finding("multipart-without-boundary", ct.mimeType))
            return ([], nil)
        }
        guard depth + 1 <= limits.maxDepth else {
            findings.append(Finding("depth-limit", "multipart at depth \(depth + 1) not parsed"))
            return ([], nil)
        }
        let split = splitMultipart(body, boundary: Array(boundary.utf8))
        if split.parts.isEmpty {
            findings.append(Finding("boundary-not-found", boundary))
            return ([], split.closeLine)
        }
        if split.closeLine == nil { findings.append(Finding("missing-closing-boundary", boundary)) }
        let childDefault: ContentType = ct.mimeType == "multipart/digest" ? .messageRFC822 : .textPlain
        var children: [MIMEPart] = []
        for (r, rawEnd) in split.parts {
            if partCount >= limits.maxParts {
                findings.append(Finding("part-limit", "parts beyond \(limits.maxParts) not parsed"))
                break
            }
            children.append(parsePart(r, rawEnd: rawEnd, depth: depth + 1, defaultType: childDefault))
        }
        return (children, nil)
    }

    /// RFC 2046 §5.1.1: a delimiter is `--boundary` at the start of a line, followed by
    /// optional blanks; `--boundary--` closes. The line break before a delimiter belongs
    /// to it. A missing close ends the last part at the end of the enclosing body.
    ///
    ///     --_000_DB9PR
    ///     Content-Type: text/plain; charset="iso-8859-1"
    ///     …
    ///     --_000_DB9PR--
    func splitMultipart(_ body: Range<Int>, boundary: [UInt8]) -> (parts: [(Range<Int>, rawEnd: Int)], closeLine: Int?) {
        var parts: [(Range<Int>, rawEnd: Int)] = []
        var partStart: Int? = nil
        var i = body.lowerBound
        let end = body.upperBound
        let blen = boundary.count
        return bytes.withUnsafeBufferPointer { b in
            while i < end {
                // Only a line starting with "--" can be a delimiter: skip the others with memchr.
                if b[i] != UInt8(ascii: "-") || i + 1 >= end || b[i + 1] != UInt8(ascii: "-") {
                    guard let base = b.baseAddress else { break }
                    let start = UnsafeRawPointer(base)
                    let lf = memchr(start + i, 0x0A, end - i).map { UnsafeRawPointer($0) - start } ?? end
                    // A bare CR also ends a line; a CR right before the LF is part of CRLF.
                    if let cr = memchr(start + i, 0x0D, lf - i).map({ UnsafeRawPointer($0) - start }), cr + 1 < lf {
                        i = cr + 1
                    } else {
                        i = lf + 1
                    }
                    continue
                }
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
                        // Back-to-back delimiters enclose no part (RFC 2046's BNF has none there).
                        if let s = partStart, s < i {
                            parts.append((s..<trimBreak(b, s, i), i))
                        }
                        if closing { return (parts, i) }
                        partStart = nextLine(b, le, end)
                    }
                }
                let next = nextLine(b, le, end)
                if next == le { break }
                i = next
            }
            // Without a close delimiter the end of the body acts as one, taking its line break.
            // A part opened by the last delimiter exists even when it is empty.
            if let s = partStart { parts.append((s..<trimBreak(b, s, end), end)) }
            return (parts, nil)
        }
    }

    /// `end` less one line break just before it (not going below `start`).
    private func trimBreak(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var pe = end
        if pe > start, b[pe - 1] == 0x0A { pe -= 1 }
        if pe > start, b[pe - 1] == 0x0D { pe -= 1 }
        return pe
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
