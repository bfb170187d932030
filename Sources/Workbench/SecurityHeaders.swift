import HTTPServer

/// The headers every workbench answer carries: nothing from elsewhere may run, frame or sniff.
enum SecurityHeaders {
    static let fields: [(String, String)] = [
        // Scripts, styles and images only from the workbench itself; no inline script can run,
        // so an unescaped value from a mail still could not act.
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        // Case pages hold personal data: no shared cache or browser history cache keeps them.
        ("Cache-Control", "no-store"),
    ]

    static func apply(_ response: HTTPResponse) -> HTTPResponse {
        var r = response
        for (name, value) in fields where r.headers[name] == nil { r.headers.add(name, value) }
        return r
    }
}
