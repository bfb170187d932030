import CXCrypt

/// Passwords hashed with yescrypt (memory-hard) through libxcrypt, in crypt(3)'s `$y$…` form,
/// which carries its own parameters and salt.
public enum PasswordHash {
    /// libxcrypt's prefix for yescrypt.
    public static let prefix = "$y$"

    /// A new hash of `password` with a fresh salt; libxcrypt draws the salt from the system's randomness.
    public static func make(_ password: String) throws -> String {
        try checkPassphrase(password)
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        // Count 0: libxcrypt's default cost for yescrypt, which it raises as machines get faster.
        guard crypt_gensalt_rn(prefix, 0, nil, 0, &setting, Int32(setting.count)) != nil else {
            throw CryptoError(message: "no yescrypt setting", context: "crypt_gensalt_rn")
        }
        let hash = try crypt(password, setting: String(decoding: setting.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
        guard hash.hasPrefix(prefix) else { throw CryptoError(message: "unexpected hash form", context: "crypt_r") }
        return hash
    }

    /// True when `password` hashes, with the stored hash's own setting, to the stored hash. Only
    /// yescrypt hashes are accepted, so an edited row cannot downgrade a user to a weak method.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard stored.hasPrefix(prefix), (try? checkPassphrase(password)) != nil,
              let again = try? crypt(password, setting: stored) else { return false }
        return ConstantTime.equal(again, stored)
    }

    private static func checkPassphrase(_ password: String) throws {
        // C strings end at NUL: the rest of such a password would be silently ignored.
        guard !password.utf8.contains(0) else { throw CryptoError(message: "password contains NUL", context: "password") }
        guard password.utf8.count < Int(CRYPT_MAX_PASSPHRASE_SIZE) else {
            throw CryptoError(message: "password longer than \(CRYPT_MAX_PASSPHRASE_SIZE - 1) bytes", context: "password")
        }
    }

    /// crypt_r with its large work area on the heap; libxcrypt wants it zeroed before first use.
    private static func crypt(_ password: String, setting: String) throws -> String {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        data.initialize(to: crypt_data())
        defer {
            // The work area holds the password: clear it before the memory is reused.
            data.initialize(to: crypt_data())
            data.deinitialize(count: 1)
            data.deallocate()
        }
        guard let out = crypt_r(password, setting, data) else {
            throw CryptoError(message: "hashing failed", context: "crypt_r")
        }
        let hash = String(cString: out)
        // libxcrypt reports failure with a string starting with '*', never a valid hash.
        guard !hash.hasPrefix("*") else { throw CryptoError(message: "hashing failed (\(hash))", context: "crypt_r") }
        return hash
    }
}
