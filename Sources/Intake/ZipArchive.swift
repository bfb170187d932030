import CZlib

/// A read-only ZIP reader over bytes in memory, just enough for Office files.
///
/// Every size and offset in the file is attacker-controlled, so each is bound-checked
/// before use and inflation stops at `limit` whatever the headers claim.
struct ZipArchive {
    struct Entry: Sendable, Equatable {
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let entries: [Entry]

    init(_ bytes: [UInt8], maxEntries: Int = 10_000) throws(DocxError) {
        self.bytes = bytes
        let eocd = try Self.findEndOfCentralDirectory(bytes)
        guard Self.u16(bytes, eocd + 4) == 0, Self.u16(bytes, eocd + 6) == 0 else {
            throw .unsupported("multi-disk ZIP")
        }
        let count = Int(Self.u16(bytes, eocd + 10))
        let cdSize = Int(Self.u32(bytes, eocd + 12))
        let cdOffset = Int(Self.u32(bytes, eocd + 16))
        // ZIP64 announces itself by saturating the 16- and 32-bit fields.
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            throw .unsupported("ZIP64")
        }
        guard count <= maxEntries else { throw .tooLarge }
        guard cdOffset <= eocd, cdSize <= eocd - cdOffset else { throw .corrupt("central directory out of range") }

        var list: [Entry] = []
        list.reserveCapacity(count)
        var p = cdOffset
        let end = cdOffset + cdSize
        for _ in 0..<count {
            guard end - p >= 46, Self.u32(bytes, p) == 0x0201_4B50 else { throw .corrupt("central directory entry") }
            let nameLength = Int(Self.u16(bytes, p + 28))
            let variable = nameLength + Int(Self.u16(bytes, p + 30)) + Int(Self.u16(bytes, p + 32))
            guard end - p - 46 >= variable else { throw .corrupt("central directory entry") }
            // Flag bit 11 says UTF-8; older writers used CP437, which is ASCII for the names Office writes.
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            list.append(Entry(name: name, flags: Self.u16(bytes, p + 8), method: Self.u16(bytes, p + 10),
                              crc: Self.u32(bytes, p + 16),
                              compressedSize: Int(Self.u32(bytes, p + 20)),
                              uncompressedSize: Int(Self.u32(bytes, p + 24)),
                              localHeaderOffset: Int(Self.u32(bytes, p + 42))))
            p += 46 + variable
        }
        entries = list
    }

    func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The uncompressed content of `entry`; throws `tooLarge` once it would exceed `limit` bytes.
    func data(of entry: Entry, limit: Int = 32 << 20) throws(DocxError) -> [UInt8] {
        if entry.flags & 1 != 0 { throw .unsupported("encrypted entry") }
        if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF
            || entry.localHeaderOffset == 0xFFFF_FFFF {
            throw .unsupported("ZIP64")
        }
        if entry.uncompressedSize > limit { throw .tooLarge }
        let h = entry.localHeaderOffset
        guard h <= bytes.count - 30, Self.u32(bytes, h) == 0x0403_4B50 else { throw .corrupt("local header") }
        // The local sizes may be zero (data descriptor), so only the name and extra lengths are taken from it.
        let start = h + 30 + Int(Self.u16(bytes, h + 26)) + Int(Self.u16(bytes, h + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw .corrupt("entry data out of range")
        }
        let input = bytes[start..<(start + entry.compressedSize)]
        let output: [UInt8]
        switch entry.method {
        case 0:
            output = Array(input)
        case 8:
            output = try Self.inflate(input, limit: limit)
        default:
            throw .unsupported("compression method \(entry.method)")
        }
        let crc = output.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc else { throw .corrupt("CRC mismatch in \(entry.name)") }
        return output
    }

    private static func findEndOfCentralDirectory(_ b: [UInt8]) throws(DocxError) -> Int {
        let looksLikeZip = b.count >= 4 && u32(b, 0) == 0x0403_4B50
        guard b.count >= 22 else { throw looksLikeZip ? .corrupt("truncated") : .notAZip }
        var p = b.count - 22
        let lowest = max(0, p - 0xFFFF)
        while p >= lowest {
            // The comment length must reach exactly to the end, or this is a signature inside the comment or data.
            if u32(b, p) == 0x0605_4B50, p + 22 + Int(u16(b, p + 20)) == b.count { return p }
            p -= 1
        }
        throw looksLikeZip ? .corrupt("no end of central directory") : .notAZip
    }

    private static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(DocxError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib init")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var status = Z_OK
        var failure: DocxError?
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while status == Z_OK {
                status = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit {
                    failure = .tooLarge
                    return
                }
                output.append(contentsOf: chunk[0..<produced])
            }
        }
        if let failure { throw failure }
        // Z_BUF_ERROR here means the input ran out before the stream ended.
        guard status == Z_STREAM_END else { throw .corrupt("deflate data") }
        return output
    }

    private static func u16(_ b: [UInt8], _ p: Int) -> UInt16 {
        guard p >= 0, p <= b.count - 2 else { return 0 }
        return UInt16(b[p]) | UInt16(b[p + 1]) << 8
    }

    private static func u32(_ b: [UInt8], _ p: Int) -> UInt32 {
        guard p >= 0, p <= b.count - 4 else { return 0 }
        return UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
    }
}
