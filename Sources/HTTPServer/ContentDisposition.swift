import Foundation

/// The `Content-Disposition` header for a download (RFC 6266 with RFC 8187's extended parameter).
public enum ContentDisposition {
    /// RFC 8187 §3.2.1 attr-char: what may stand unescaped in `filename*`.
    private static let attrChars = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")

    /// `attachment; filename="plain.pdf"; filename*=UTF-8''pl%C3%A6n.pdf`. The quoted name keeps
    /// printable ASCII other than `"` and `\`, which become `_`, so no mail can break out of the header.
    public static func attachment(filename: String) -> String {
        let name = filename.isEmpty ? "fil" : filename
        let ascii = String(name.unicodeScalars.map { s -> Character in
            (0x20...0x7E).contains(s.value) && s != "\"" && s != "\\" ? Character(s) : "_"
        })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: attrChars) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
