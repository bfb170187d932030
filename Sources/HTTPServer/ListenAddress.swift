import Foundation

/// Where the server listens: a numeric IPv4 or IPv6 address and a port (`127.0.0.1:8080`,
/// `[::1]:8080`; port 0 lets the kernel choose). Names are refused: what a name resolves to can
/// change under the operator, and a workbench must not end up on a public interface by accident.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    /// The default: loopback only; a reverse proxy in front gives the world HTTPS.
    public static let loopback = ListenAddress(host: "127.0.0.1", port: 8080)

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; nil when either part is not numeric.
    public init?(_ text: String) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard let p = UInt16(port), !host.isEmpty else { return nil }
        self.init(host: String(host), port: p)
        guard socketAddress() != nil else { return nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The `sockaddr` bytes for this address from getaddrinfo (numeric only), and whether it is IPv6.
    func socketAddress() -> (bytes: [UInt8], ipv6: Bool)? {
        // getaddrinfo also takes inet_aton's old forms ("127.1", "1.2.3"); inet_pton takes only the plain ones.
        var probe = in6_addr()
        guard inet_pton(AF_INET, host, &probe) == 1 || inet_pton(AF_INET6, host, &probe) == 1 else { return nil }
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return nil }
        defer { freeaddrinfo(result) }
        guard let addr = info.pointee.ai_addr else { return nil }
        let bytes = Array(UnsafeRawBufferPointer(start: addr, count: Int(info.pointee.ai_addrlen)))
        return (bytes, info.pointee.ai_family == AF_INET6)
    }
}
