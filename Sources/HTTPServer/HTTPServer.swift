import CMicroHTTPD
import CMicroHTTPDShim
import Foundation

/// Answers one request; called on libmicrohttpd's threads, several at once.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// An HTTP/1.1 server on libmicrohttpd: a pool of threads reads requests whole (the body up to a
/// limit), hands each to the handler and sends its answer. Owned by one task; `stop()` or deinit ends it.
public final class HTTPServer {
    /// What may be tuned; the defaults suit a workbench for a handful of office staff.
    public struct Options: Sendable {
        /// Threads that read requests and run the handler.
        public var threads = 4
        /// A body larger than this is refused with 413 and never held in memory.
        public var maxBodyBytes = 1 << 20
        /// Request line and headers must fit in this much memory per connection (libmicrohttpd answers 431 otherwise).
        public var connectionMemoryBytes = 64 << 10
        /// A connection idle this long is closed, so slow clients cannot hold every thread.
        public var idleTimeoutSeconds = 30
        public var maxConnections = 256

        public init() {}
    }

    /// The address and the port actually bound (the kernel's choice when asked for port 0).
    public let address: ListenAddress
    private var daemon: OpaquePointer?
    private let core: ServerCore

    /// Starts listening; throws when the address cannot be bound (in use, not this machine's).
    public init(listen: ListenAddress, options: Options = Options(), handler: @escaping HTTPHandler) throws {
        precondition(options.threads >= 1 && options.maxBodyBytes >= 0)
        guard let (addressBytes, ipv6) = listen.socketAddress() else {
            throw HTTPServerError(message: "not a numeric address", address: listen)
        }
        let core = ServerCore(handler: handler, maxBodyBytes: options.maxBodyBytes)
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_AUTO.rawValue
        if ipv6 { flags |= MHD_USE_IPv6.rawValue }
        let cls = Unmanaged.passUnretained(core).toOpaque()
        errno = 0
        let started = addressBytes.withUnsafeBytes { raw in
            cmhd_start_daemon(UInt32(flags), raw.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                              UInt32(options.threads), options.connectionMemoryBytes, UInt32(options.idleTimeoutSeconds),
                              UInt32(options.maxConnections), accessHandler, uriLogger, requestCompleted, cls)
        }
        guard let started else {
            let reason = errno == 0 ? "libmicrohttpd refused to start" : String(cString: strerror(errno))
            throw HTTPServerError(message: reason, address: listen)
        }
        daemon = started
        self.core = core
        address = ListenAddress(host: listen.host, port: cmhd_bound_port(started))
    }

    /// The port clients connect to.
    public var port: UInt16 { address.port }

    /// Stops accepting, closes every connection and waits for the threads; requests under way are cut off.
    public func stop() {
        guard let d = daemon else { return }
        daemon = nil
        MHD_stop_daemon(d)
    }

    deinit { stop() }
}

/// What every callback needs, shared by the pool's threads: immutable after start.
final class ServerCore: Sendable {
    let handler: HTTPHandler
    let maxBodyBytes: Int

    init(handler: @escaping HTTPHandler, maxBodyBytes: Int) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
    }

    static func from(_ cls: UnsafeMutableRawPointer?) -> ServerCore { Unmanaged<ServerCore>.fromOpaque(cls!).takeUnretainedValue() }
}

/// One request while it is read. Made by the URI logger, released when libmicrohttpd reports the
/// request complete; only the thread serving its connection touches it.
final class RequestState {
    /// The request target as sent, before libmicrohttpd unescapes it (which would lose `+` and `%2B` apart).
    let rawTarget: String
    var headersSeen = false
    var body: [UInt8] = []
    var tooLarge = false

    init(rawTarget: String) { self.rawTarget = rawTarget }

    static func from(_ p: UnsafeMutableRawPointer?) -> RequestState { Unmanaged<RequestState>.fromOpaque(p!).takeUnretainedValue() }
}

private let uriLogger: cmhd_uri_log_cb = { _, uri, _ in
    let target = uri.map { String(cString: $0) } ?? ""
    return Unmanaged.passRetained(RequestState(rawTarget: target)).toOpaque()
}

private let requestCompleted: MHD_RequestCompletedCallback = { _, _, context, _ in
    guard let context, let p = context.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(p).release()
    context.pointee = nil
}

/// Called first when the headers are in, then once per piece of the body, then once with none left.
private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, _, method, _, uploadData, uploadSize, context in
    let core = ServerCore.from(cls)
    let state = RequestState.from(context?.pointee)
    guard let connection, let uploadSize else { return .NO }
    if !state.headersSeen {
        state.headersSeen = true
        // An announced body over the limit is refused before it is read, and before `100 Continue`.
        if let length = connectionValue(connection, .HEADER_KIND, "Content-Length").flatMap(Int.init), length > core.maxBodyBytes {
            return send(tooLarge(core), on: connection)
        }
        return .YES
    }
    if uploadSize.pointee > 0 {
        let n = uploadSize.pointee
        if !state.tooLarge, state.body.count + n <= core.maxBodyBytes, let uploadData {
            state.body.append(contentsOf: UnsafeRawBufferPointer(start: uploadData, count: n))
        } else {
            // A chunked body gives no length ahead: read and drop the rest, answer 413 at its end.
            state.tooLarge = true
            state.body = []
        }
        uploadSize.pointee = 0
        return .YES
    }
    if state.tooLarge { return send(tooLarge(core), on: connection) }
    let response: HTTPResponse
    if let request = makeRequest(method: method.map { String(cString: $0) } ?? "", state: state, connection: connection) {
        response = core.handler(request)
    } else {
        response = HTTPResponse.text("Forkert forespørgsel\n", status: 400)
    }
    return send(response, on: connection)
}

private func tooLarge(_ core: ServerCore) -> HTTPResponse {
    var r = HTTPResponse.text("For stor forespørgsel: højst \(core.maxBodyBytes) bytes\n", status: 413)
    // The unread rest of the body would be taken for the next request.
    r.headers.add("Connection", "close")
    return r
}

/// The request from the raw target and libmicrohttpd's parsed headers and cookies; nil when the
/// target's escapes are malformed.
private func makeRequest(method: String, state: RequestState, connection: OpaquePointer) -> HTTPRequest? {
    let target = state.rawTarget
    let rawPath: Substring, rawQuery: Substring
    if let q = target.firstIndex(of: "?") {
        rawPath = target[..<q]
        rawQuery = target[target.index(after: q)...]
    } else {
        rawPath = target[...]
        rawQuery = ""
    }
    guard let path = rawPath.removingPercentEncoding, let query = FormFields(urlEncoded: rawQuery) else { return nil }
    var cookies: [String: String] = [:]
    for (name, value) in connectionValues(connection, .COOKIE_KIND) where cookies[name] == nil {
        cookies[name] = value
    }
    return HTTPRequest(method: method, path: path, rawPath: String(rawPath), query: query,
                       headers: HTTPHeaders(connectionValues(connection, .HEADER_KIND)), cookies: cookies, body: state.body)
}

private final class PairCollector {
    var pairs: [(name: String, value: String)] = []
}

/// Every value of one kind (headers, cookies) with their lengths, so a value is never cut at a NUL.
private func connectionValues(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [(name: String, value: String)] {
    let collector = PairCollector()
    withExtendedLifetime(collector) {
        _ = MHD_get_connection_values_n(connection, kind, { cls, _, key, keySize, value, valueSize in
            let c = Unmanaged<PairCollector>.fromOpaque(cls!).takeUnretainedValue()
            func text(_ p: UnsafePointer<CChar>?, _ n: Int) -> String {
                guard let p else { return "" }
                return p.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
            }
            c.pairs.append((text(key, keySize), text(value, valueSize)))
            return .YES
        }, Unmanaged.passUnretained(collector).toOpaque())
    }
    return collector.pairs
}

private func connectionValue(_ connection: OpaquePointer, _ kind: MHD_ValueKind, _ name: String) -> String? {
    MHD_lookup_connection_value(connection, kind, name).map { String(cString: $0) }
}

/// Queues `response`; a header libmicrohttpd refuses (a line break in it) turns the answer into a 500.
private func send(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    var response = response
    var made = makeMHDResponse(response)
    if made == nil {
        response = .text("Intern fejl\n", status: 500)
        made = makeMHDResponse(response)
    }
    guard let mhd = made else { return .NO }
    defer { MHD_destroy_response(mhd) }
    return MHD_queue_response(connection, UInt32(response.status), mhd)
}

private func makeMHDResponse(_ response: HTTPResponse) -> OpaquePointer? {
    let made = response.body.withUnsafeBytes {
        MHD_create_response_from_buffer($0.count, UnsafeMutableRawPointer(mutating: $0.baseAddress), .RESPMEM_MUST_COPY)
    }
    guard let made else { return nil }
    for (name, value) in response.headers {
        guard !name.utf8.contains(0), !value.utf8.contains(0), MHD_add_response_header(made, name, value) == .YES else {
            MHD_destroy_response(made)
            return nil
        }
    }
    return made
}
