import MailCore

/// SHA-256 (MailCore's, through OpenSSL's EVP): a session token is stored only as its digest, so a
/// copy of the database lets no one log in.
public enum Digest {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { SHA256.hash(bytes) }

    /// The digest of a string's UTF-8 as lowercase hex.
    public static func sha256Hex(_ text: String) -> String { SHA256.hex(text.utf8) }
}
