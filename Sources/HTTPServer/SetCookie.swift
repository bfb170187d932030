/// A `Set-Cookie` header value (RFC 6265 §4.1) with the attributes a session cookie needs.
public struct SetCookie: Sendable, Equatable {
    public enum SameSite: String, Sendable { case strict = "Strict", lax = "Lax" }

    public var name: String
    public var value: String
    public var path = "/"
    public var httpOnly = true
    public var secure = false
    public var sameSite: SameSite? = .strict
    /// Seconds until the browser forgets it; nil for a cookie that ends with the browser, 0 to delete it now.
    public var maxAge: Int?

    public init(name: String, value: String, secure: Bool = false, maxAge: Int? = nil) {
        // Names and values are made by the program (tokens), never taken from a request.
        precondition(name.utf8.allSatisfy(Self.isCookieOctet) && !name.isEmpty && !name.contains("="), "bad cookie name \(name)")
        precondition(value.utf8.allSatisfy(Self.isCookieOctet), "bad cookie value")
        self.name = name
        self.value = value
        self.secure = secure
        self.maxAge = maxAge
    }

    /// A cookie that tells the browser to forget `name` at once.
    public static func deletion(name: String, secure: Bool = false) -> SetCookie {
        SetCookie(name: name, value: "", secure: secure, maxAge: 0)
    }

    public var headerValue: String {
        var s = "\(name)=\(value); Path=\(path)"
        if let maxAge { s += "; Max-Age=\(maxAge)" }
        if secure { s += "; Secure" }
        if httpOnly { s += "; HttpOnly" }
        if let sameSite { s += "; SameSite=\(sameSite.rawValue)" }
        return s
    }

    /// RFC 6265 cookie-octet: printable ASCII except space, `"`, `,`, `;` and `\`.
    private static func isCookieOctet(_ b: UInt8) -> Bool {
        b == 0x21 || (0x23...0x2B).contains(b) || (0x2D...0x3A).contains(b) || (0x3C...0x5B).contains(b) || (0x5D...0x7E).contains(b)
    }
}

extension HTTPResponse {
    public mutating func setCookie(_ cookie: SetCookie) { headers.add("Set-Cookie", cookie.headerValue) }
}
