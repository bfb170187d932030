/// uuencoded blocks (`begin 644 name` … `end`), as old clients put them in plain text bodies.
public enum Uuencode {
    /// One block found in a text body.
    public struct Block: Sendable, Hashable {
        public var filename: String
        /// The byte range of the whole block, `begin` line to `end` line, in the scanned text.
        public var range: Range<Int>
        public var data: [UInt8]
    }

    /// Finds `begin NNN name` … `end` blocks in a decoded text body.
    ///
    ///     begin 644 budget.txt
    ///     M1F]R<&QE:FYI;F<[-"XU,#`L,#`@:W(N
    ///     `
    ///     end
    public static func blocks(in text: [UInt8], findings: inout [Finding]) -> [Block] {
        var result: [Block] = []
        var i = 0
        let end = text.count
        while i < end {
            let le = text.lineEnd(from: i, end: end)
            if let name = beginLine(text, i, le) {
                let start = i
                let bodyStart = text.skipLineBreak(at: le, end: end)
                var j = bodyStart
                var bodyEnd = end
                var blockEnd = end
                var terminated = false
                while j < end {
                    let lj = text.lineEnd(from: j, end: end)
                    if text.equalsIgnoringCase(text.trimmedRange(j..<lj), "end") {
                        bodyEnd = j
                        blockEnd = text.skipLineBreak(at: lj, end: end)
                        terminated = true
                        break
                    }
                    j = text.skipLineBreak(at: lj, end: end)
                    if j == lj { break }
                }
                if !terminated { findings.append(Finding("uuencode-truncated", name)) }
                var f: [Finding] = []
                let data = decodeBlock(text[bodyStart..<bodyEnd], findings: &f)
                result.append(Block(filename: name, range: start..<blockEnd, data: data))
                i = blockEnd
                continue
            }
            let next = text.skipLineBreak(at: le, end: end)
            if next == le { break }
            i = next
        }
        return result
    }

    /// The filename of a `begin` line (mode is three or four octal digits), or nil.
    static func beginLine(_ t: [UInt8], _ s: Int, _ e: Int) -> String? {
        guard t.hasPrefixIgnoringCase(at: s, end: e, "begin ") else { return nil }
        var i = s + 6
        let modeStart = i
        while i < e, t[i] >= UInt8(ascii: "0"), t[i] <= UInt8(ascii: "7") { i += 1 }
        guard i - modeStart >= 3, i - modeStart <= 4, i < e, t[i] == 0x20 else { return nil }
        let r = t.trimmedRange(i..<e)
        guard !r.isEmpty else { return nil }
        return Charset.sniff(t[r])
    }

    /// Decodes the lines of one block (without `begin`/`end` when called from `blocks`);
    /// the length character of each line bounds what it contributes.
    static func decodeBlock(_ s: ArraySlice<UInt8>, findings: inout [Finding]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(s.count * 3 / 4)
        var i = s.startIndex
        let end = s.endIndex
        while i < end {
            var le = i
            while le < end, s[le] != 0x0A, s[le] != 0x0D { le += 1 }
            defer {
                i = le
                while i < end, s[i] == 0x0A || s[i] == 0x0D { i += 1 }
            }
            guard le > i else { continue }
            if s[i...].starts(with: "begin ".utf8) { continue }
            if le - i == 3, s[i..<le].elementsEqual("end".utf8) { break }
            let count = Int((s[i] &- 0x20) & 0x3F)
            if count == 0 { continue }
            var k = i + 1
            var produced = 0
            while produced < count {
                @inline(__always) func q(_ x: Int) -> UInt8 { k + x < le ? (s[k + x] &- 0x20) & 0x3F : 0 }
                let (q0, q1, q2, q3) = (q(0), q(1), q(2), q(3))
                for b in [q0 << 2 | q1 >> 4, q1 << 4 | q2 >> 2, q2 << 6 | q3] where produced < count {
                    out.append(b)
                    produced += 1
                }
                k += 4
                if k >= le && produced < count {
                    findings.append(Finding("uuencode-short-line"))
                    break
                }
            }
        }
        return out
    }
}
