import CCrypto

/// SHA-256 through OpenSSL's EVP interface: a session token is stored only as its digest, so a
/// copy of the database lets no one log in.
public enum Digest {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        let ok = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &out, &size, EVP_sha256(), nil) }
        // EVP_Digest fails only on allocation failure inside OpenSSL: not a condition to continue from.
        precondition(ok == 1 && size == 32, "EVP_Digest(SHA-256) failed")
        return Array(out.prefix(Int(size)))
    }

    /// The digest of a string's UTF-8 as lowercase hex.
    public static func sha256Hex(_ text: String) -> String {
        Hex.encode(sha256(Array(text.utf8)))
    }
}
