import CCrypto

/// SHA-256 (FIPS 180-4) from OpenSSL's libcrypto, which the program loads already (libcurl's TLS):
/// a computation on bytes in memory, so MailCore stays free of I/O.
public struct SHA256 {
    /// The EVP context, freed with the hasher; a hasher is used by one owner and not copied.
    private final class Context {
        let pointer: OpaquePointer

        init() {
            // EVP fails only when OpenSSL cannot allocate: not a condition to go on from.
            guard let p = EVP_MD_CTX_new(), EVP_DigestInit_ex(p, EVP_sha256(), nil) == 1 else {
                fatalError("EVP_DigestInit_ex(SHA-256) failed")
            }
            pointer = p
        }

        deinit { EVP_MD_CTX_free(pointer) }
    }

    private let context = Context()

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) != nil { return }
        Array(bytes).withUnsafeBytes { update($0) }
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        precondition(EVP_DigestUpdate(context.pointer, base, buffer.count) == 1, "EVP_DigestUpdate failed")
    }

    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context.pointer, &out, &size) == 1 && size == 32, "EVP_DigestFinal_ex failed")
        return Array(out.prefix(32))
    }

    /// The digest in one call (EVP_Digest: no context kept).
    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        if let d = bytes.withContiguousStorageIfAvailable({ oneShot(UnsafeRawBufferPointer($0)) }) { return d }
        return Array(bytes).withUnsafeBytes(oneShot)
    }

    private static func oneShot(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        // An empty buffer may have no address; OpenSSL takes a valid pointer with a count of 0.
        let ok = withUnsafeBytes(of: 0) { zero in
            EVP_Digest(buffer.baseAddress ?? zero.baseAddress, buffer.count, &out, &size, EVP_sha256(), nil)
        }
        precondition(ok == 1 && size == 32, "EVP_Digest(SHA-256) failed")
        return Array(out.prefix(32))
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
}
