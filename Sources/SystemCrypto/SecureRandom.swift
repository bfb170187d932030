import CCrypto

/// Unpredictable bytes from OpenSSL's CSPRNG, for session tokens and CSRF tokens.
public enum SecureRandom {
    /// `count` random bytes; throws only when OpenSSL cannot seed itself, which no caller may paper over.
    public static func bytes(_ count: Int) throws -> [UInt8] {
        precondition(count > 0 && count <= Int(Int32.max))
        var out = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&out, Int32(count)) == 1 else {
            throw CryptoError(message: "OpenSSL has no entropy", context: "RAND_bytes")
        }
        return out
    }

    /// A token of `byteCount` random bytes as lowercase hex: safe in a cookie, a form field and a URL as it is.
    public static func token(byteCount: Int = 32) throws -> String {
        Hex.encode(try bytes(byteCount))
    }
}
