import Foundation
import CCurl
import CCurlShim

/// Errors from libcurl: the CURLcode, curl's own text and what we were doing.
public struct CurlError: Error, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var context: String

    public var description: String { "\(context): curl \(code): \(message)" }

    /// What happened in the operator's Danish; curl's own English text follows in parentheses, for the details.
    static func danish(_ code: CURLcode) -> String {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL: return "protokollen kan ikke bruges"
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return "serverens navn kan ikke slås op"
        case CURLE_COULDNT_CONNECT: return "kan ikke forbinde til serveren"
        case CURLE_OPERATION_TIMEDOUT: return "serveren svarede ikke i tide"
        case CURLE_GOT_NOTHING: return "serveren svarede ikke"
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR: return "forbindelsen til serveren blev afbrudt"
        case CURLE_SSL_CONNECT_ERROR: return "TLS-forbindelsen mislykkedes"
        case CURLE_PEER_FAILED_VERIFICATION: return "serverens certifikat kan ikke godkendes"
        case CURLE_USE_SSL_FAILED: return "serveren tilbyder ikke STARTTLS"
        case CURLE_LOGIN_DENIED: return "login afvist"
        case CURLE_REMOTE_ACCESS_DENIED: return "serveren nægtede adgang"
        default: return "fejl i forbindelsen"
        }
    }
}

/// libcurl's version facts, for logs and the shim test.
public struct CurlVersion: Sendable {
    public var version: String
    public var ssl: String?
    public var protocols: [String]

    /// The version of the libcurl the program is linked with.
    public static var current: CurlVersion {
        CurlGlobal.initialize()
        // CURLVERSION_NOW is a macro Swift cannot see; ELEVENTH is what 7.88 defines it as.
        guard let info = curl_version_info(CURLVERSION_ELEVENTH)?.pointee else {
            return CurlVersion(version: "unknown", ssl: nil, protocols: [])
        }
        var protocols: [String] = []
        if var p = info.protocols {
            while let s = p.pointee {
                protocols.append(String(cString: s))
                p += 1
            }
        }
        return CurlVersion(version: String(cString: info.version),
                           ssl: info.ssl_version.map { String(cString: $0) }, protocols: protocols)
    }
}

/// curl_global_init must run once, before any handle, and not concurrently with anything else.
enum CurlGlobal {
    private static let once: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        // A server that closes mid-write must give an error, not kill the process.
        signal(SIGPIPE, SIG_IGN)
    }()

    static func initialize() { _ = once }
}

/// One libcurl easy handle; freed with the object. Not Sendable: one task owns it.
public final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// The bytes the last transfer wrote; the write callback appends here.
    public private(set) var received: [UInt8] = []
    /// Every protocol line the server sent during the last transfer (IMAP: tagged replies, SELECT's data).
    public private(set) var headerBytes: [UInt8] = []
    private var upload: [UInt8] = []
    private var uploadOffset = 0
    /// Runs once per transfer, when curl has asked for more and every byte of the upload has been
    /// given to it and written out: what the protocol sends next (SMTP's end of data) follows at
    /// once. Returning false aborts the transfer instead, so that nothing more is sent.
    public var uploadEnded: (() -> Bool)?
    private var uploadEndReported = false
    /// The string lists curl holds, one per option: a new one replaces (and frees) the one before.
    private var lists: [CURLoption.RawValue: OpaquePointer] = [:]
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    public init() {
        CurlGlobal.initialize()
        guard let h = curl_easy_init() else {
            preconditionFailure("curl_easy_init failed: out of memory")
        }
        handle = h
        // Signals are no way to time out in a multi-threaded program.
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(handle)
        for l in lists.values { curl_slist_free_all(UnsafeMutablePointer(l)) }
        errorBuffer.deallocate()
    }

    /// Sets a string-list option (SMTP recipients); the list lives until the option is set again
    /// (a handle that sends message after message keeps one list, not one per message).
    public func set(_ option: CURLoption, list: [String]) throws {
        var l: UnsafeMutablePointer<curl_slist>? = nil
        for item in list { l = curl_slist_append(l, item) }
        let rc = ccurl_setopt_slist(handle, option, l)
        if let old = lists.removeValue(forKey: option.rawValue) { curl_slist_free_all(UnsafeMutablePointer(old)) }
        if let l { lists[option.rawValue] = OpaquePointer(l) }
        try check(rc, "setopt \(option.rawValue)")
    }

    /// The bytes the next transfer sends (APPEND, SMTP DATA); nil ends uploading. Without
    /// `announcingSize` curl reads until the read callback has nothing more (so `uploadEnded`
    /// runs) instead of stopping at the size, and SMTP's MAIL FROM carries no SIZE.
    public func setUpload(_ bytes: [UInt8]?, announcingSize: Bool = true) throws {
        upload = bytes ?? []
        uploadOffset = 0
        if bytes != nil {
            _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(self).toOpaque())
            _ = ccurl_setopt_data_cb(handle, CURLOPT_READFUNCTION, curlEasyRead)
            try set(CURLOPT_INFILESIZE_LARGE, offset: announcingSize ? Int64(upload.count) : -1)
            try set(CURLOPT_UPLOAD, 1)
        } else {
            try set(CURLOPT_UPLOAD, 0)
        }
    }

    public func set(_ option: CURLoption, offset value: Int64) throws {
        try check(ccurl_setopt_off(handle, option, curl_off_t(value)), "setopt \(option.rawValue)")
    }

    public func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_setopt_long(handle, option, value), "setopt \(option.rawValue)")
    }

    public func set(_ option: CURLoption, _ value: String?) throws {
        try check(ccurl_setopt_string(handle, option, value), "setopt \(option.rawValue)")
    }

    /// Runs the transfer with the options set so far, collecting what curl writes.
    public func perform() throws {
        received.removeAll(keepingCapacity: true)
        headerBytes.removeAll(keepingCapacity: true)
        errorBuffer[0] = 0
        uploadOffset = 0
        uploadEndReported = false
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = ccurl_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, curlEasyWrite)
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        _ = ccurl_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, curlEasyHeader)
        try check(curl_easy_perform(handle), "perform")
    }

    /// The socket of a connection opened with CONNECT_ONLY, to wait on for data.
    public func activeSocket() throws -> Int32 {
        var fd: curl_socket_t = -1
        try check(ccurl_getinfo_socket(handle, CURLINFO_ACTIVESOCKET, &fd), "getinfo ACTIVESOCKET")
        guard fd >= 0 else { throw CurlError(code: Int(CURLE_UNSUPPORTED_PROTOCOL.rawValue), message: "no connection", context: "socket") }
        return fd
    }

    /// Sends some of `bytes` on a CONNECT_ONLY connection: how many went, 0 when the socket is full.
    public func send(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        var n = 0
        let rc = curl_easy_send(handle, bytes.baseAddress, bytes.count, &n)
        if rc == CURLE_AGAIN { return 0 }
        try check(rc, "send")
        return n
    }

    /// Receives into `buffer` on a CONNECT_ONLY connection: nil when nothing is there yet, 0 when the server closed.
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? {
        var n = 0
        let rc = curl_easy_recv(handle, buffer.baseAddress, buffer.count, &n)
        if rc == CURLE_AGAIN { return nil }
        try check(rc, "recv")
        return n
    }

    public func info(long item: CURLINFO) throws -> Int {
        var v = 0
        try check(ccurl_getinfo_long(handle, item, &v), "getinfo \(item.rawValue)")
        return v
    }

    public func info(string item: CURLINFO) throws -> String? {
        var p: UnsafePointer<CChar>? = nil
        try check(ccurl_getinfo_string(handle, item, &p), "getinfo \(item.rawValue)")
        return p.map { String(cString: $0) }
    }

    public func info(offset item: CURLINFO) throws -> Int64 {
        var v: curl_off_t = 0
        try check(ccurl_getinfo_off(handle, item, &v), "getinfo \(item.rawValue)")
        return Int64(v)
    }

    /// The protocol commands sent since `recordSentCommands()`, as tag and verb only (no arguments, so never a credential).
    public private(set) var sentCommands: [String] = []

    /// Turns on counting of the commands curl sends (for benchmarks), through the debug callback.
    public func recordSentCommands() throws {
        _ = ccurl_setopt_pointer(handle, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(self).toOpaque())
        _ = ccurl_setopt_debug_cb(handle, curlEasyDebug)
        try set(CURLOPT_VERBOSE, 1)
    }

    /// The lines the server sent while curl spoke for us (greeting, CAPABILITY), when recording.
    public private(set) var receivedLines: [String] = []

    fileprivate func heard(_ p: UnsafeRawBufferPointer) {
        receivedLines.append(String(decoding: p, as: UTF8.self))
    }

    fileprivate func sent(_ p: UnsafeRawBufferPointer) {
        for line in String(decoding: p, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            sentCommands.append(line.split(separator: " ").prefix(2).joined(separator: " "))
        }
    }

    fileprivate func append(_ p: UnsafeRawBufferPointer) { received.append(contentsOf: p) }
    fileprivate func appendHeader(_ p: UnsafeRawBufferPointer) { headerBytes.append(contentsOf: p) }

    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, upload.count - uploadOffset)
        guard n > 0 else {
            // curl asks again only once what it was given is on the socket (transfer.c, readwrite_upload).
            if !uploadEndReported, let ended = uploadEnded {
                uploadEndReported = true
                if !ended() { return Int(CURL_READFUNC_ABORT) }
            }
            return 0
        }
        upload.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + uploadOffset, byteCount: n)
        }
        uploadOffset += n
        return n
    }

    private func check(_ code: CURLcode, _ context: String) throws {
        guard code != CURLE_OK else { return }
        // The error buffer says what happened ("Login denied", "Mailbox UIDVALIDITY has changed").
        let detail = String(cString: errorBuffer)
        throw CurlError(code: Int(code.rawValue),
                        message: "\(CurlError.danish(code)) (\(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail))",
                        context: context)
    }
}

// A top-level function, because a C callback cannot capture context.
private func curlEasyWrite(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let user else { return 0 }
    let easy = Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue()
    easy.append(UnsafeRawBufferPointer(start: ptr, count: size * n))
    return size * n
}

private func curlEasyHeader(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let user else { return 0 }
    Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue().appendHeader(UnsafeRawBufferPointer(start: ptr, count: size * n))
    return size * n
}

private func curlEasyRead(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let user else { return 0 }
    return Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue().read(into: UnsafeMutableRawBufferPointer(start: ptr, count: size * n))
}

private func curlEasyDebug(_ h: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?,
                           _ size: Int, _ user: UnsafeMutableRawPointer?) -> Int32 {
    guard let data, let user else { return 0 }
    let easy = Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue()
    if type == CURLINFO_HEADER_OUT { easy.sent(UnsafeRawBufferPointer(start: data, count: size)) }
    if type == CURLINFO_HEADER_IN { easy.heard(UnsafeRawBufferPointer(start: data, count: size)) }
    return 0
}
