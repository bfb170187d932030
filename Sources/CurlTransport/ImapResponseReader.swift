import Glibc

/// One IMAP server response (RFC 3501 §7): a tagged status, an untagged datum or a continuation
/// request, with the bytes of its literals kept apart from its text.
public struct ImapResponse: Sendable {
    /// `*` for untagged data, `+` for a continuation request, otherwise the command's tag.
    public var tag: String
    /// The response without its final CRLF; each literal's bytes are left out (its `{n}` marker stays).
    public var text: [UInt8]
    /// The literals, in order: for `UID FETCH … BODY.PEEK[]`, the message.
    public var literals: [[UInt8]]

    /// The text after the tag, as a string (for status lines and small data; literals are not in it).
    public var rest: Substring {
        let s = String(decoding: text, as: UTF8.self)
        return s.firstIndex(of: " ").map { s[s.index(after: $0)...] } ?? Substring("")
    }
}

/// Why a response could not be read: the stream ended or broke the limits. The connection is unusable afterwards.
public struct ImapStreamError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads IMAP responses from a byte stream: lines up to CRLF, and after a line that ends in `{n}`,
/// exactly n bytes of literal before the response goes on. Never trusts a size from the server:
/// lines and literals are capped, and a literal's buffer grows only as its bytes arrive.
final class ImapResponseReader {
    /// Fills the buffer with at least one byte, or throws (closed, timed out).
    typealias Fill = (UnsafeMutableRawBufferPointer) throws -> Int

    private let fill: Fill
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    let maxLine: Int
    let maxLiteral: Int

    init(maxLine: Int = 64 << 20, maxLiteral: Int = 256 << 20, chunk: Int = 256 << 10, fill: @escaping Fill) {
        self.fill = fill
        self.maxLine = maxLine
        self.maxLiteral = maxLiteral
        buffer = [UInt8](repeating: 0, count: chunk)
    }

    /// The next whole response.
    func next() throws -> ImapResponse {
        var text: [UInt8] = []
        var literals: [[UInt8]] = []
        while true {
            try appendLine(to: &text)
            guard let n = Self.literalSize(text) else { break }
            guard n <= maxLiteral else {
                throw ImapStreamError(message: "serveren meldte en literal på \(n) bytes, over grænsen på \(maxLiteral)")
            }
            literals.append(try read(exactly: n))
        }
        let space = text.firstIndex(of: 0x20) ?? text.count
        return ImapResponse(tag: String(decoding: text[..<space], as: UTF8.self), text: text, literals: literals)
    }

    /// `{123}` or `{123+}` (LITERAL+) at the end of a line announces a literal of 123 bytes.
    static func literalSize(_ line: [UInt8]) -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.count - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// Appends one line without its CRLF to `text`.
    private func appendLine(to text: inout [UInt8]) throws {
        let first = text.count
        while true {
            let found: Int? = buffer.withUnsafeBytes { b -> Int? in
                guard end > start, let p = memchr(b.baseAddress! + start, 0x0A, end - start) else { return nil }
                return UnsafeRawPointer(p) - b.baseAddress!
            }
            if let lf = found {
                var stop = lf
                if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                text.append(contentsOf: buffer[start..<stop])
                start = lf + 1
                return
            }
            // A CR at the end of what we have may be half of the CRLF: keep it for the next round.
            let keep = end > start && buffer[end - 1] == 0x0D ? 1 : 0
            text.append(contentsOf: buffer[start..<(end - keep)])
            start = end - keep
            guard text.count - first <= maxLine else {
                throw ImapStreamError(message: "en linje fra serveren på over \(maxLine) bytes")
            }
            try refill()
        }
    }

    /// Exactly `n` bytes: what is buffered, then straight from the stream into the literal's own storage.
    private func read(exactly n: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: n) { out, count in
            count = 0
            let have = min(n, end - start)
            if have > 0 {
                buffer.withUnsafeBytes { b in
                    out.baseAddress!.update(from: b.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: have)
                }
                start += have
                count = have
            }
            // Large remainders skip the buffer; small ones go through it, so the line after is read in the same call.
            while n - count >= buffer.count / 2 {
                let got = try fill(UnsafeMutableRawBufferPointer(start: out.baseAddress! + count, count: n - count))
                count += got
            }
            while count < n {
                if start == end { try refill() }
                let take = min(n - count, end - start)
                buffer.withUnsafeBytes { b in
                    (out.baseAddress! + count).update(from: b.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: take)
                }
                start += take
                count += take
            }
        }
    }

    /// Moves what is left to the front and reads more behind it.
    private func refill() throws {
        if start > 0 {
            let left = end - start
            if left > 0 {
                buffer.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + start, left)
                }
            }
            start = 0
            end = left
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let got = try buffer.withUnsafeMutableBytes { b in
            try fill(UnsafeMutableRawBufferPointer(rebasing: b[end...]))
        }
        end += got
    }
}
