import CCurl
import Foundation
import Glibc

/// One logged-in IMAP connection. libcurl opens it, secures it (TLS or STARTTLS, always) and logs
/// in (CONNECT_ONLY); the commands after that are ours, written and read through curl_easy_send and
/// curl_easy_recv. So none of libcurl 7.88's IMAP traps apply (../shared/imap-rig/README.md: the
/// 300 KB cap on a command's untagged lines, literals of a custom FETCH on the header stream, cut
/// SEARCH lines, its own idea of the selected mailbox), and one command can stream a whole backlog.
final class ImapConnection {
    private let easy = CurlEasy()
    private let socket: Int32
    private var reader: ImapResponseReader!
    private var nextTag = 0
    /// Seconds without a byte from the server before a command counts as failed.
    let idleTimeout: Int
    /// False once the stream may be out of step (an error mid-response, BYE): the connection is done.
    private(set) var usable = true
    /// The capabilities the server announced after login (ESEARCH, MOVE, UIDPLUS, LITERAL+ …), upper-cased.
    private(set) var capabilities: Set<String> = []
    /// The latest commands sent, tag and verb only (never an argument, so never a credential): curl's
    /// login commands first, then ours. Only the latest: a kept connection may serve for months.
    private(set) var commands: [String] = []
    /// How many commands were sent in all.
    private(set) var commandCount = 0
    static let keptCommands = 64

    private func note(_ command: String) {
        commands.append(command)
        commandCount += 1
        if commands.count >= 2 * Self.keptCommands { commands.removeFirst(commands.count - Self.keptCommands) }
    }

    init(_ settings: ImapSettings, maxLiteral: Int) throws {
        idleTimeout = max(1, min(60, settings.timeoutSeconds))
        let base = settings.url.hasSuffix("/") ? String(settings.url.dropLast()) : settings.url
        let plain = base.lowercased().hasPrefix("imap://")
        guard plain || base.lowercased().hasPrefix("imaps://") else {
            throw ImapError.failed("adressen skal begynde med imaps:// eller imap:// (STARTTLS), ikke \(settings.url)")
        }
        do {
            try easy.set(CURLOPT_URL, base + "/")
            try easy.set(CURLOPT_USERNAME, settings.user)
            try easy.set(CURLOPT_PASSWORD, settings.password)
            // Never CURLUSESSL_TRY: it would fall back to plain text.
            if plain { try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
            if let ca = settings.caFile { try easy.set(CURLOPT_CAINFO, ca) }
            try easy.set(CURLOPT_CONNECTTIMEOUT, 10)
            try easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, 30)
            try easy.set(CURLOPT_TIMEOUT, settings.timeoutSeconds)
            try easy.set(CURLOPT_CONNECT_ONLY, 1)
            // The login dialogue is watched for the commands it takes and the capabilities it announces.
            try easy.recordSentCommands()
            try easy.perform()
            try easy.set(CURLOPT_VERBOSE, 0)
            socket = try easy.activeSocket()
        } catch let e as CurlError {
            throw ImapError.from(e)
        }
        easy.sentCommands.forEach(note)
        for line in easy.receivedLines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "[" || $0 == "]" })
            // `* CAPABILITY …` or `A004 OK [CAPABILITY …] Logged in`: the last list heard wins.
            if let i = words.firstIndex(where: { $0.uppercased() == "CAPABILITY" }) {
                capabilities = Set(words[(i + 1)...].map { $0.uppercased() })
            }
        }
        reader = ImapResponseReader(maxLiteral: maxLiteral) { [unowned self] buffer in try self.receive(into: buffer) }
    }

    deinit {
        // LOGOUT is a courtesy: a broken or slow server must not hold the program up.
        if usable, let data = "Z LOGOUT\r\n".data(using: .ascii) {
            _ = try? data.withUnsafeBytes { try easy.send($0) }
        }
    }

    /// Runs one command; every untagged response goes to `each` as it arrives. `literal` is sent as
    /// the command's last argument (APPEND), after the server's continuation request.
    /// Returns the tagged OK's text; NO and BAD throw `ImapError.failed` and leave the connection usable.
    @discardableResult
    func run(_ command: String, literal: [UInt8]? = nil, each: (ImapResponse) throws -> Void = { _ in }) throws -> String {
        guard usable else { throw ImapError.transient("the connection was closed after an earlier error") }
        guard !command.contains("\r") && !command.contains("\n") else { throw ImapError.failed("a command with a line break") }
        nextTag += 1
        let tag = "S\(nextTag)"
        let verb = command.split(separator: " ").prefix(command.hasPrefix("UID ") ? 2 : 1).joined(separator: " ")
        note("\(tag) \(verb)")
        do {
            try write(Array("\(tag) \(command)\(literal.map { " {\($0.count)}" } ?? "")\r\n".utf8))
            var literalSent = literal == nil
            while true {
                let r = try reader.next()
                if r.tag == "*" {
                    if r.rest.uppercased().hasPrefix("BYE") { usable = false }
                    do {
                        try each(r)
                    } catch {
                        // The caller gave up mid-response: the rest of it is still on the wire.
                        usable = false
                        throw error
                    }
                } else if r.tag == "+" {
                    guard !literalSent, let literal else { continue }
                    try write(literal + [0x0D, 0x0A])
                    literalSent = true
                } else if r.tag == tag {
                    let status = r.rest
                    if status.uppercased().hasPrefix("OK") { return String(status.dropFirst(2).drop { $0 == " " }) }
                    throw ImapError.failed("\(verb): \(status.prefix(200))")
                }
            }
        } catch let e as ImapError {
            if case .failed = e {} else { usable = false }
            throw e
        } catch let e as CurlError {
            usable = false
            throw ImapError.transient("\(verb): \(e.message)")
        } catch let e as ImapStreamError {
            usable = false
            throw ImapError.transient("\(verb): \(e.message)")
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = try bytes.withUnsafeBytes { try easy.send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            if n == 0 { try wait(for: Int16(POLLOUT)) }
            offset += n
        }
    }

    /// At least one byte; TLS may hold decrypted bytes, so curl is asked before the socket is waited on.
    private func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if let n = try easy.receive(into: buffer) {
                guard n > 0 else {
                    usable = false
                    throw ImapStreamError(message: "serveren lukkede forbindelsen")
                }
                return n
            }
            try wait(for: Int16(POLLIN))
        }
    }

    private func wait(for events: Int16) throws {
        var p = pollfd(fd: socket, events: events, revents: 0)
        while true {
            let rc = poll(&p, 1, Int32(idleTimeout * 1000))
            if rc > 0 { return }
            if rc == 0 { throw ImapStreamError(message: "intet svar fra serveren i \(idleTimeout) s") }
            if errno != EINTR { throw ImapStreamError(message: "poll: systemfejl (kode \(errno))") }
        }
    }
}
