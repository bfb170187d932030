import Foundation

/// What a handler answers: a status, header fields and the bytes of the body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Text in UTF-8 with its media type, e.g. `text/html` or `text/plain`.
    public static func text(_ text: String, status: Int = 200, type: String = "text/plain") -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "\(type); charset=utf-8")]), body: Array(text.utf8))
    }

    public static func html(_ html: String, status: Int = 200) -> HTTPResponse { text(html, status: status, type: "text/html") }

    /// 303 See Other: after a POST the browser fetches `location` with GET, so a reload does not post again.
    public static func redirect(to location: String, status: Int = 303) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Location", location)]))
    }

    /// Bytes the browser must save, never show: `Content-Disposition: attachment` with the name in
    /// RFC 8187's `filename*=UTF-8''…` and an ASCII `filename="…"` for clients that know only that.
    /// The media type is not trusted: anything the browser might render is sent as an octet stream.
    public static func download(_ bytes: [UInt8], filename: String, contentType: String = "application/octet-stream") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType.isEmpty ? "application/octet-stream" : contentType)
        headers.add("Content-Disposition", ContentDisposition.attachment(filename: filename))
        headers.add("X-Content-Type-Options", "nosniff")
        return HTTPResponse(status: 200, headers: headers, body: bytes)
    }
}
