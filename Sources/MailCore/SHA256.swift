/// SHA-256 (FIPS 180-4), written here because Foundation on Linux has no digest API and the product takes no package dependencies.
public struct SHA256: Sendable {
    // The eight working hash values live in separate stored properties rather than
    // an array so that a hasher is a plain value: no heap allocation, no CoW checks.
    private var h0: UInt32 = 0x6a09_e667
    private var h1: UInt32 = 0xbb67_ae85
    private var h2: UInt32 = 0x3c6e_f372
    private var h3: UInt32 = 0xa54f_f53a
    private var h4: UInt32 = 0x510e_527f
    private var h5: UInt32 = 0x9b05_688c
    private var h6: UInt32 = 0x1f83_d9ab
    private var h7: UInt32 = 0x5be0_cd19

    // Bytes of an unfinished 64-byte block, kept inline (a tuple) for the same reason.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount: Int = 0
    // FIPS 180-4 appends the length modulo 2^64 bits, so wrapping arithmetic is the spec.
    private var totalBytes: UInt64 = 0

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handled != nil { return }
        // Non-contiguous collections (lazy maps, slices of linked storage...) are copied
        // through a stack chunk so the block function still sees whole blocks.
        let chunkSize = 1024
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { chunk in
            var count = 0
            for byte in bytes {
                chunk[count] = byte
                count += 1
                if count == chunkSize {
                    update(UnsafeRawBufferPointer(chunk))
                    count = 0
                }
            }
            if count > 0 {
                update(UnsafeRawBufferPointer(start: chunk.baseAddress, count: count))
            }
        }
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var source = buffer.baseAddress, buffer.count > 0 else { return }
        var remaining = buffer.count
        totalBytes &+= UInt64(truncatingIfNeeded: remaining)

        if pendingCount > 0 {
            let take = Swift.min(64 - pendingCount, remaining)
            let offset = pendingCount
            withUnsafeMutableBytes(of: &pending) { block in
                (block.baseAddress! + offset).copyMemory(from: source, byteCount: take)
            }
            pendingCount += take
            source += take
            remaining -= take
            if pendingCount < 64 { return }
            // A copy, because compressing mutates self and may not overlap an access to `pending`.
            let full = pending
            withUnsafeBytes(of: full) { block in compress(block.baseAddress!, blocks: 1) }
            pendingCount = 0
        }

        let wholeBlocks = remaining / 64
        if wholeBlocks > 0 {
            compress(source, blocks: wholeBlocks)
            source += wholeBlocks * 64
            remaining -= wholeBlocks * 64
        }

        if remaining > 0 {
            let tail = remaining
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress!.copyMemory(from: source, byteCount: tail)
            }
            pendingCount = tail
        }
    }

    /// FIPS 180-4 §5.1.1 padding: 0x80, zeros up to 56 mod 64, then the bit length big-endian.
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        let padLength = pendingCount < 56 ? 56 - pendingCount : 120 - pendingCount
        var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                      UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &padding) { bytes in
            bytes[0] = 0x80
            let length = bitLength.bigEndian
            withUnsafeBytes(of: length) { lengthBytes in
                (bytes.baseAddress! + padLength).copyMemory(from: lengthBytes.baseAddress!, byteCount: 8)
            }
            update(UnsafeRawBufferPointer(rebasing: bytes[0..<(padLength + 8)]))
        }
        return [UInt8](unsafeUninitializedCapacity: 32) { out, initialized in
            let raw = UnsafeMutableRawBufferPointer(out)
            raw.storeBytes(of: h0.bigEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: h1.bigEndian, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: h2.bigEndian, toByteOffset: 8, as: UInt32.self)
            raw.storeBytes(of: h3.bigEndian, toByteOffset: 12, as: UInt32.self)
            raw.storeBytes(of: h4.bigEndian, toByteOffset: 16, as: UInt32.self)
            raw.storeBytes(of: h5.bigEndian, toByteOffset: 20, as: UInt32.self)
            raw.storeBytes(of: h6.bigEndian, toByteOffset: 24, as: UInt32.self)
            raw.storeBytes(of: h7.bigEndian, toByteOffset: 28, as: UInt32.self)
            initialized = 32
        }
    }

    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digest = hash(bytes)
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 64) { out in
            digits.withUTF8Buffer { table in
                for (i, byte) in digest.enumerated() {
                    out[2 * i] = table[Int(byte >> 4)]
                    out[2 * i + 1] = table[Int(byte & 0x0f)]
                }
            }
            return 64
        }
    }

    // FIPS 180-4 §6.2.2, run over `blocks` consecutive 64-byte blocks so the state
    // stays in registers and the schedule buffer is set up once per call, not per block.
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        var a0 = h0, b0 = h1, c0 = h2, d0 = h3, e0 = h4, f0 = h5, g0 = h6, hh0 = h7
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            sha256RoundConstants.withUnsafeBufferPointer { k in
                for blockIndex in 0..<blocks {
                    let base = data + blockIndex &* 64
                    for t in 0..<16 {
                        w[t] = base.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self).bigEndian
                    }
                    for t in 16..<64 {
                        let x = w[t &- 15], y = w[t &- 2]
                        let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                        let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                        w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                    }
                    var a = a0, b = b0, c = c0, d = d0, e = e0, f = f0, g = g0, h = hh0
                    // Eight rounds per pass with the working variables' roles rotated in the
                    // arguments instead of moved between registers; after eight they are back in place.
                    for t in stride(from: 0, to: 64, by: 8) {
                        sha256Round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                        sha256Round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                        sha256Round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                        sha256Round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                        sha256Round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                        sha256Round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                        sha256Round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                        sha256Round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                    }
                    a0 &+= a; b0 &+= b; c0 &+= c; d0 &+= d
                    e0 &+= e; f0 &+= f; g0 &+= g; hh0 &+= h
                }
            }
        }
        h0 = a0; h1 = b0; h2 = c0; h3 = d0; h4 = e0; h5 = f0; h6 = g0; h7 = hh0
    }
}

/// One round of FIPS 180-4 §6.2.2 step 3 with the variables named as they stand in it: `d`
/// becomes the new e, `h` the new a (Ch and Maj in their shorter equivalent forms).
@inline(__always)
private func sha256Round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                         _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
    d = d &+ t1
    h = t1 &+ t2
}

@inline(__always)
private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
}

// FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
private let sha256RoundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
]
