/// One request as the server read it: the request line decoded, the headers, the cookies and the whole body.
public struct HTTPRequest: Sendable {
    /// As sent (`GET`, `POST`, …); HTTP methods are case-sensitive.
    public var method: String
    /// The path with its percent-escapes decoded (`/sag/S-12`).
    public var path: String
    /// The path as sent, for a router that must tell `%2F` from `/`.
    public var rawPath: String
    /// The query string's fields, decoded.
    public var query: FormFields
    public var headers: HTTPHeaders
    /// The `Cookie` header's name/value pairs, as libmicrohttpd splits them.
    public var cookies: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, rawPath: String? = nil, query: FormFields = FormFields(), headers: HTTPHeaders = HTTPHeaders(),
                cookies: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.rawPath = rawPath ?? path
        self.query = query
        self.headers = headers
        self.cookies = cookies
        self.body = body
    }

    /// The media type of the body without its parameters, lowercased (`application/x-www-form-urlencoded`).
    public var mediaType: String? {
        headers["Content-Type"].map { String($0.prefix { $0 != ";" }).trimmingSpaces().lowercased() }
    }

    /// The body's form fields when it is `application/x-www-form-urlencoded` and well formed; nil otherwise.
    public var form: FormFields? {
        mediaType == "application/x-www-form-urlencoded" ? FormFields(urlEncoded: body) : nil
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
