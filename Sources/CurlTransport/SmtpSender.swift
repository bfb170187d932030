import CCurl
import Foundation

/// How to reach the SMTP server; the password comes from the environment or a file.
public struct SmtpSettings: Sendable {
    /// `smtps://host:465` (TLS) or `smtp://host:587` (STARTTLS, always required).
    public var url: String
    public var user: String?
    public var password: String?
    public var caFile: String?

    public init(url: String, user: String?, password: String?, caFile: String?) {
        self.url = url
        self.user = user
        self.password = password
        self.caFile = caFile
    }
}

/// A message the server did not take: `permanent` for a 5xx reply, else worth retrying.
public struct SmtpError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var replyCode: Int
    public var permanent: Bool
    public var description: String { message }
}

/// Sends stored reply bytes through libcurl: MAIL FROM, RCPT TO, DATA (RFC 5321), TLS required.
///
/// One easy handle, and with it one connection, serves message after message: after the 250 to
/// the DATA's end, `send` returns at once (QUIT is sent only when the connection is given up), so
/// the caller can mark the reply sent with nothing in between.
public final class SmtpSender {
    let settings: SmtpSettings
    private var easy: CurlEasy?
    private var lastSend = ContinuousClock.now
    private let recording: Bool
    /// A connection unused for longer is closed before the next message rather than reused: a
    /// server or a firewall may have dropped it without a word.
    static let idleLimit = Duration.seconds(30)

    /// The protocol commands (verbs only) sent since the handle was made, when `recordingCommands`.
    public var sentCommands: [String] { easy?.sentCommands ?? [] }

    public init(_ settings: SmtpSettings, recordingCommands: Bool = false) throws {
        let u = settings.url.lowercased()
        guard u.hasPrefix("smtp://") || u.hasPrefix("smtps://") else {
            throw SmtpError(message: "SMTP-adressen skal begynde med smtps:// eller smtp:// (STARTTLS), ikke \(settings.url)",
                            replyCode: 0, permanent: true)
        }
        self.settings = settings
        recording = recordingCommands
    }

    /// Sends `bytes` (CRLF lines, dot-stuffing is curl's) from `from` to `to`.
    ///
    /// `handedOver` runs when the server has every byte of the message and only the end of data
    /// (`<CRLF>.<CRLF>`, RFC 5321 §4.1.1.4), which makes it take the message, is still to be sent:
    /// a process that dies before then leaves the server nothing to deliver. When it throws, the
    /// end of data is never sent and its error is thrown here.
    public func send(_ bytes: [UInt8], from: String, to: [String], handedOver: (() throws -> Void)? = nil) throws {
        if easy != nil && ContinuousClock.now - lastSend > Self.idleLimit { easy = nil }
        // TLS settings are fixed per handle: 7.88 reuses a cleartext connection if they change (pitfall 4).
        let easy = try self.easy ?? makeHandle()
        self.easy = easy
        var handoverError: Error?
        defer { easy.uploadEnded = nil }
        do {
            try easy.set(CURLOPT_MAIL_FROM, "<\(from)>")
            try easy.set(CURLOPT_MAIL_RCPT, list: to.map { "<\($0)>" })
            // Unsized, so that curl asks once more after the last byte: that is the handover.
            try easy.setUpload(bytes, announcingSize: handedOver == nil)
            easy.uploadEnded = handedOver.map { handedOver in
                {
                    do {
                        try handedOver()
                        return true
                    } catch {
                        handoverError = error
                        return false
                    }
                }
            }
            try easy.perform()
            lastSend = ContinuousClock.now
        } catch let e as CurlError {
            self.easy = nil   // curl closed the connection after a failure; start clean next time
            if let handoverError { throw handoverError }
            let code = (try? easy.info(long: CURLINFO_RESPONSE_CODE)) ?? 0
            let permanent = (500...599).contains(code) || [35, 60, 67].contains(e.code)
            throw SmtpError(message: "\(e.message)\(code > 0 ? " (SMTP \(code))" : "")", replyCode: code, permanent: permanent)
        }
    }

    private func makeHandle() throws -> CurlEasy {
        let easy = CurlEasy()
        do {
            try easy.set(CURLOPT_URL, settings.url)
            if settings.url.lowercased().hasPrefix("smtp://") { try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
            if let ca = settings.caFile { try easy.set(CURLOPT_CAINFO, ca) }
            if let u = settings.user { try easy.set(CURLOPT_USERNAME, u) }
            if let p = settings.password { try easy.set(CURLOPT_PASSWORD, p) }
            try easy.set(CURLOPT_CONNECTTIMEOUT, 10)
            try easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, 30)
            try easy.set(CURLOPT_TIMEOUT, 300)
            if recording { try easy.recordSentCommands() }
        } catch let e as CurlError {
            throw SmtpError(message: e.description, replyCode: 0, permanent: true)
        }
        return easy
    }
}
