import CCrypto

/// Comparison whose time does not depend on where two secrets differ (OpenSSL's CRYPTO_memcmp).
public enum ConstantTime {
    /// True when `a` and `b` are the same bytes. Only the lengths may leak, which for hashes and
    /// tokens of a fixed form tell nothing.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
    }

    public static func equal(_ a: String, _ b: String) -> Bool { equal(Array(a.utf8), Array(b.utf8)) }
}
