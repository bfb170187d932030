import CaseModel
import CurlTransport
import Foundation
import Intake
import MailCore
import MailPorts
@testable import Pipeline
import Store
import Testing

/// The whole path through a real Dovecot and a real SMTP server on loopback (scripts/rig).
@Suite(.serialized) struct ImapSmtpTests {
    let rig = Rig.shared

    func sample(_ prefix: String) throws -> [UInt8] {
        let dir = Rig.root.appendingPathComponent("mailbox-samples")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) && $0.hasSuffix(".eml") })
        return [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
    }

    final class Clock: @unchecked Sendable {
        var now = Date()
    }

    func pipeline(_ mailbox: String, after: AfterProcessing = AfterProcessing(flag: "$SSPProcessed", seen: false, moveTo: nil),
                  maxBytes: Int = 40 << 20, clock: Clock = Clock(), smtp: SmtpSettings? = nil) throws -> Pipeline {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        let source = ImapSource(settings: rig.imap(mailbox), after: after, maxMessageBytes: maxBytes)
        let sink = try SmtpSink(settings: smtp ?? rig.smtp(), from: PipelineTests.config.site.mailbox.address)
        return Pipeline(store: store, engine: IntakeEngine(config: PipelineTests.config), source: source, sink: sink,
                        dataDirectory: dir, clock: { clock.now })
    }

    func application(_ p: Pipeline, _ title: String) throws -> RecordRow? {
        try p.store.records(kind: .application).first { $0.title == title }
    }

    @Test func applicationFollowUpAndApprovalThroughRealServers() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box)
        try rig.append(try sample("02-"), to: box)
        var s = try p.runOnce()
        let firstDelivery = try p.store.outbox().map { "\($0.status) \($0.lastError ?? "")" }
        #expect(s.ingested == 1 && s.processed == 1 && s.delivered == 1, "delivery: \(firstDelivery)")
        let app = try #require(try application(p, "Ung-til-ung i Valby"))
        #expect(app.status == .incomplete)
        // The notice arrived, byte for byte what the outbox holds, over TLS.
        let notice = try #require(try p.store.outbox(record: app.id).first { $0.kind == "missingFields" })
        let got = try #require(rig.received(messageID: notice.msgid))
        #expect(Data(got.bytes) == Data(notice.bytes))
        #expect(got.json["tls"] as? Bool == true)
        #expect(got.json["rcpt_tos"] as? [String] == ["mette.soerensen@kk.dk"])
        let m = MailMessage(bytes: got.bytes)
        #expect(m.subject == "SV: Ansøgning om lokal SSP-indsats: Ung-til-ung i Valby")
        #expect(m.headers["auto-submitted"] == "auto-replied")
        #expect(m.inReplyTo == [try #require(MailMessage(bytes: try sample("02-")).messageID)])
        #expect(m.headers["x-rig-run"] == nil)
        let text = m.content().text
        #expect(text.contains("Kære Mette Sørensen"))
        #expect(text.contains("- Evaluering: mangler"))
        #expect(text.contains("- Tovholder, e-mail: mangler"))

        // The follow-up completes it; the approval request goes to the leader contact.
        try rig.append(try sample("12-"), to: box)
        s = try p.runOnce()
        #expect(s.ingested == 1 && s.failed == 0)
        let complete = try #require(try p.store.record(app.id))
        #expect(complete.status == .awaitingLeader && complete.reference != nil)
        let request = try #require(try p.store.outbox(record: app.id).first { $0.kind == "approvalRequest" })
        #expect(request.to == "dorthe.vestergaard@kk.dk")
        let arrived = try #require(rig.received(messageID: request.msgid))
        #expect(Data(arrived.bytes) == Data(request.bytes))
        #expect(MailMessage(bytes: arrived.bytes).content().text.contains("Kære Dorthe Kjær Vestergaard"))

        // The leader answers "Godkendt" in the thread, with our server's dmarc=pass.
        let reply = """
            Authentication-Results: mx.kk.dk; dkim=pass header.d=kk.dk; spf=pass smtp.mailfrom=kk.dk; dmarc=pass header.from=kk.dk\r
            From: =?utf-8?Q?Dorthe_Kj=C3=A6r_Vestergaard?= <dorthe.vestergaard@kk.dk>\r
            To: =?utf-8?Q?SSP_K=C3=B8benhavn?= <ssp@kk.dk>\r
            Subject: SV: \(request.subject)\r
            Date: Mon, 12 Apr 2027 09:00:00 +0200\r
            Message-ID: <leader-\(UUID().uuidString)@kk.dk>\r
            In-Reply-To: <\(request.msgid)>\r
            References: <\(request.msgid)>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Godkendt.\r
            \r
            Fra: SSP København <ssp@kk.dk>\r
            Sendt: 11. april 2027 10:00\r
            Til: Dorthe Kjær Vestergaard\r
            Emne: \(request.subject)\r
            \r
            Svar med "Godkendt" eller "Ikke godkendt".\r

            """
        try rig.append(Array(reply.utf8), to: box)
        s = try p.runOnce()
        #expect(try p.store.record(app.id)?.status == .leaderApproved)
        #expect(s.delivered == 2)   // the decision is confirmed to the leader, and the coordinator told of it

        // A bounce of our notice marks it bounced.
        let bounce = """
            Return-Path: <>\r
            From: MAILER-DAEMON@smtp-out.kk.dk (Mail Delivery System)\r
            To: ssp@kk.dk\r
            Subject: Undelivered Mail Returned to Sender\r
            Message-ID: <bounce-\(UUID().uuidString)@smtp-out.kk.dk>\r
            Date: Mon, 12 Apr 2027 09:05:00 +0200\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            Delivery failed.\r
            --b\r
            Content-Type: message/rfc822\r
            \r
            From: ssp@kk.dk\r
            Message-ID: <\(notice.msgid)>\r
            Subject: x\r
            \r
            x\r
            --b--\r

            """
        try rig.append(Array(bounce.utf8), to: box)
        _ = try p.runOnce()
        #expect(try p.store.outbox(record: app.id).first { $0.msgid == notice.msgid }?.status == "bounced")

        // Processed mail carries the keyword, and \Seen stays as it was (curl's APPEND set it).
        let session = try ImapSession(rig.imap(box))
        let (_, uids) = try session.search(after: 0)
        #expect(uids.count == 4)
        let info = try session.info(uids)
        #expect(info.values.allSatisfy { $0.flags.contains("$SSPProcessed") })
        // Nothing new: a further poll stores and sends nothing.
        #expect(try p.runOnce() == RunSummary())
    }

    @Test func unseenMailStaysUnseenAndProcessedMailCanBeMoved() throws {
        let box = try rig.newMailbox()
        try rig.append(try sample("05-"), to: box)
        let session = try ImapSession(rig.imap(box))
        let (_, uids) = try session.search(after: 0)
        try session.store(uids, "-FLAGS.SILENT (\\Seen)")   // as if nobody had read it yet
        let p = try pipeline(box, after: AfterProcessing(flag: nil, seen: false, moveTo: "Processed"))
        #expect(try p.runOnce().processed == 1)
        let left = try ImapSession(rig.imap(box)).search(after: 0).1
        #expect(left.isEmpty)
        let moved = try ImapSession(rig.imap("Processed"))
        let all = try moved.info(try moved.search(after: 0).1)
        #expect(all.values.contains { !$0.flags.contains("\\Seen") })
    }

    /// The service keeps its connection between polls: a poll with nothing new is two commands,
    /// and mail that arrives in between is seen by the next one.
    @Test func aKeptConnectionPollsWithTwoCommands() throws {
        let box = try rig.newMailbox()
        let source = ImapSource(settings: rig.imap(box), after: AfterProcessing(flag: nil, seen: false, moveTo: nil), maxMessageBytes: 1 << 20)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("poll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        func poll() throws -> (Int, [String]) {
            let before = source.sessionCommandCount
            let n = try source.ingestNew(into: store, log: { _ in }, shouldStop: { false })
            return (n, source.sessionCommands.suffix(source.sessionCommandCount - before).map { $0.split(separator: " ").dropFirst().joined(separator: " ") })
        }
        try rig.append(try sample("01-"), to: box)
        let first = try poll()
        #expect(first.0 == 1 && first.1.contains("AUTHENTICATE") && first.1.contains("SELECT"))
        for _ in 0..<3 {
            let idle = try poll()
            #expect(idle.0 == 0 && idle.1 == ["SELECT", "UID SEARCH"])
        }
        try rig.append(try sample("05-"), to: box)
        let next = try poll()
        #expect(next.0 == 1 && next.1 == ["SELECT", "UID SEARCH", "UID FETCH", "UID FETCH"])
        // The service polls for months on one connection: what it remembers of its commands stays small.
        let sent = source.sessionCommandCount
        for _ in 0..<100 { _ = try poll() }
        #expect(source.sessionCommandCount == sent + 200)
        #expect(source.sessionCommands.count < 128 && source.sessionCommands.last?.hasSuffix("UID SEARCH") == true)
    }

    /// A message arrived when the server took it in (its INTERNALDATE, asked with the sizes and
    /// flags): not when it was polled, and not what the sender's Date header claims.
    @Test func receivedAtIsTheServersInternalDate() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box)
        let mail = try sample("03-")
        // 2026-02-02, not its Date header's day; in the past, as Dovecot puts a future INTERNALDATE at now.
        let arrived = Date(timeIntervalSince1970: 1_770_000_000)
        try rig.append(mail, to: box, date: arrived)
        try rig.append(try sample("09-"), to: box)
        let before = Date().addingTimeInterval(-1)
        #expect(try p.runOnce().ingested == 2)
        let stored = try p.store.messages(status: "processed").compactMap { try p.store.message($0) }
        let dated = try #require(stored.first { $0.subject == MailMessage(bytes: mail).subject })
        #expect(dated.receivedAt == arrived)
        #expect(MailMessage(bytes: mail).date != arrived)
        // Appended without a date: Dovecot's own clock at APPEND, a moment ago.
        let other = try #require(stored.first { $0.id != dated.id })
        #expect(other.receivedAt >= before.addingTimeInterval(-1) && other.receivedAt <= Date().addingTimeInterval(1))
        // The server says the same through the session.
        let session = try ImapSession(rig.imap(box))
        let info = try session.info(try session.search(after: 0).1)
        #expect(info.values.map(\.internalDate).contains(arrived))
    }

    /// A backlog comes in chunks, each committed before the next is taken; mail over the size limit
    /// is passed over where it falls, and a stop between chunks leaves the rest for the next poll.
    @Test func aBacklogStreamsInChunksAndAStopLosesNothing() throws {
        let box = try rig.newMailbox()
        var source = ImapSource(settings: rig.imap(box), after: AfterProcessing(flag: nil, seen: false, moveTo: nil), maxMessageBytes: 40_000)
        source.chunkMessages = 2
        let big = "From: a@kk.dk\r\nSubject: stor\r\nMessage-ID: <big-\(UUID().uuidString)@kk.dk>\r\n\r\n"
            + String(repeating: "Linje med æøå for at fylde beskeden op.\r\n", count: 1500)
        for prefix in ["01-", "02-", "03-"] { try rig.append(try sample(prefix), to: box) }
        try rig.append(Array(big.utf8), to: box)
        for prefix in ["05-", "06-", "07-"] { try rig.append(try sample(prefix), to: box) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try IntakeStore(path: dir.appendingPathComponent("db.sqlite").path)
        var commits: [Int] = []
        var stop = false
        let first = try source.ingestNew(into: store, log: { _ in }, shouldStop: { stop }, committed: {
            commits.append(try store.messages(status: "new").count)
            stop = commits.count == 2
        })
        // Chunks: UIDs 1–2, 3 (then the big UID 4 is passed over), 5–6, 7; the stop came after the second.
        #expect(first == 3 && commits == [2, 3], "each chunk is committed before the next")
        #expect(try store.skipped().map(\.uid) == [4])
        #expect(try store.cursor(source.name)?.lastUID == 4)
        let rest = try source.ingestNew(into: store, log: { _ in }, shouldStop: { false })
        #expect(rest == 3)
        #expect(try store.skipped().map(\.uid) == [4])
        #expect(try store.messages(status: "new").count == 6 && store.cursor(source.name)?.lastUID == 7)
    }

    @Test func imapRestartedDuringPollsLosesAndDoublesNothing() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box)
        for prefix in ["01-", "03-"] { try rig.append(try sample(prefix), to: box) }
        #expect(try p.runOnce().ingested == 2)
        Rig.run(["imap-stop", rig.dir])
        // The pipeline sees the server away as the transport-neutral error, the kind that is tried again.
        #expect { _ = try p.runOnce() } throws: { e in
            guard case .unavailable? = e as? SourceError else { return false }
            return true
        }
        Rig.run(["imap-start", rig.dir])
        try rig.append(try sample("04-"), to: box)
        try rig.append(try sample("06-"), to: box)
        let s = try p.runOnce()
        #expect(s.ingested == 2 && s.failed == 0)
        #expect(try p.store.messages(status: "processed").count == 4)
        #expect(try p.runOnce().ingested == 0)
    }

    @Test func smtpDownRepliesWaitAndGoOutWhenItIsBack() throws {
        let box = try rig.newMailbox()
        let clock = Clock()
        let p = try pipeline(box, clock: clock)
        Rig.run(["smtp-stop", rig.dir])
        try rig.append(try sample("01-"), to: box)
        let down = try p.runOnce()
        Rig.run(["smtp-start", rig.dir])
        #expect(down.processed == 1 && down.delivered == 0 && down.deliveryFailures == 2)
        let waiting = try p.store.outbox(status: "queued")
        #expect(waiting.count == 2 && waiting.allSatisfy { $0.attempts == 1 && $0.lastError != nil })
        // Not yet due: nothing is sent before the backoff has passed.
        #expect(try p.deliver().0 == 0)
        clock.now = clock.now.addingTimeInterval(3600)
        #expect(try p.deliver().0 == 2)
        for item in waiting { #expect(rig.arrivals(messageID: item.msgid) == 1) }
    }

    @Test func aPermanentRefusalIsMarkedFailed() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box)
        let mail = """
            From: Afvist <reject@kk.dk>\r
            To: ssp@kk.dk\r
            Subject: Spørgsmål om årsplanen\r
            Message-ID: <q-\(UUID().uuidString)@kk.dk>\r
            Date: Mon, 12 Apr 2027 09:00:00 +0200\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Hvornår er seminaret?\r

            """
        try rig.append(Array(mail.utf8), to: box)
        let s = try p.runOnce()
        #expect(s.deliveryFailures == 1)
        let failed = try p.store.outbox(status: "failed")
        #expect(failed.count == 1 && failed[0].lastError?.contains("550") == true)
    }

    @Test func oversizedMailStaysOnTheServerAndIsReported() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box, maxBytes: 5000)
        try rig.append(try sample("01-"), to: box)   // 14,945 bytes
        try rig.append(try sample("09-"), to: box)   // small
        let s = try p.runOnce()
        #expect(s.ingested == 1)
        #expect(try p.store.skipped().count == 1)
        #expect(try ImapSession(rig.imap(box)).search(after: 0).1.count == 2)
        #expect(try p.runOnce().ingested == 0)
    }

    @Test func aRecreatedMailboxIsRescannedWithoutDoubling() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box)
        let run = UUID().uuidString   // the same bytes both times, as a recreated mailbox holds them
        for prefix in ["01-", "05-"] { try rig.append(try sample(prefix), to: box, run: run) }
        _ = try p.runOnce()
        let records = try p.store.records().count, replies = try p.store.outbox().count
        let admin = try ImapSession(rig.imap("INBOX"))
        try admin.delete(box)
        try ImapSession(rig.imap("INBOX")).create(box)
        for prefix in ["01-", "05-", "07-"] { try rig.append(try sample(prefix), to: box, run: run) }
        let s = try p.runOnce()
        #expect(s.ingested == 1)   // only 07 is new; 01 and 05 are known by their bytes
        #expect(try p.store.records().count == records)   // 07 approves 01: no new record
        #expect(try p.store.outbox().count == replies + 2)   // the leader's confirmation, the coordinator's notice
    }

    @Test func aWrongPasswordIsAClearError() throws {
        let box = try rig.newMailbox()
        let source = ImapSource(settings: rig.imap(box, password: "wrong"), after: AfterProcessing(flag: nil, seen: false, moveTo: nil),
                                maxMessageBytes: 1 << 20)
        let store = try IntakeStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID()).sqlite").path)
        do {
            _ = try source.ingestNew(into: store, log: { _ in }, shouldStop: { false })
            Issue.record("a wrong password must fail")
        } catch let e as SourceError {
            guard case .loginRefused = e else { Issue.record("expected a refused login, got \(e)"); return }
            #expect(!e.description.contains("wrong"))
            #expect(e.description.hasPrefix("postkassen afviste login"))
        }
    }

    /// 25,000 messages: libcurl 7.88 cuts a long `* SEARCH` line without an error (KNOWN_BUGS 3.1);
    /// ESEARCH and a large buffer mean every UID is seen, and a poll after that asks only for the new ones.
    @Test func twentyFiveThousandMessagesAreAllSeen() throws {
        let box = try rig.newMailbox()
        let maildir = URL(fileURLWithPath: rig.dir).appendingPathComponent("mail/ssp/Maildir/.\(box)/new")
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        // Dovecot reads the files as the mail user; written here, they must belong to it.
        let owner = try FileManager.default.attributesOfItem(atPath: maildir.deletingLastPathComponent().path)[.ownerAccountID]
        let count = 25_000
        for n in 1...count {
            let body = "From: a@kk.dk\r\nSubject: nr \(n)\r\nMessage-ID: <big-\(n)@kk.dk>\r\n\r\nx\r\n"
            let url = maildir.appendingPathComponent("1800000000.M\(n)P1.rig")
            FileManager.default.createFile(atPath: url.path, contents: Data(body.utf8),
                                           attributes: owner.map { [.ownerAccountID: $0] } ?? [:])
        }
        let session = try ImapSession(rig.imap(box))
        let (state, uids) = try session.search(after: 0)
        #expect(uids.count == count)
        #expect(state.exists == count)
        #expect(Set(uids).count == count)
        // Commands answered by one line per message: 700 flags and sizes, 400 moves.
        let some = Array(uids.prefix(700))
        #expect(try session.info(some).count == 700)
        try session.move(Array(uids.suffix(400)), to: "Processed")
        let (_, tail) = try ImapSession(rig.imap(box)).search(after: Int64(count - 410))
        #expect(tail.count == 10)
        // Beyond the highest UID: `n:*` still answers the highest, which must be filtered out.
        let (_, none) = try ImapSession(rig.imap(box)).search(after: Int64(count))
        #expect(none.isEmpty)
        // New mail is seen by the next poll, on a fresh connection and on one kept from before.
        let kept = try ImapSession(rig.imap(box))
        #expect(try kept.search(after: Int64(count)).1.isEmpty)
        try rig.append(try sample("09-"), to: box)
        let (after, new) = try ImapSession(rig.imap(box)).search(after: Int64(count))
        #expect(new == [Int64(count + 1)] && after.uidNext == Int64(count + 2))
        #expect(try kept.search(after: Int64(count)).1 == [Int64(count + 1)])
        #expect(kept.commands.suffix(2).map { $0.split(separator: " ").dropFirst().joined(separator: " ") } == ["SELECT", "UID SEARCH"])
    }

    /// The health view names every message on the server that is not recorded.
    @Test func statusNamesWhatIsOnTheServerButNotRecorded() throws {
        let box = try rig.newMailbox()
        let p = try pipeline(box)
        for prefix in ["01-", "05-"] { try rig.append(try sample(prefix), to: box) }
        _ = try p.runOnce()
        var h = try #require(try p.health())
        #expect(h.onServer == 2 && h.unrecorded.isEmpty && h.lastPoll != nil)
        #expect(h.outbox["sent"] == 3)
        try rig.append(try sample("09-"), to: box)
        h = try #require(try p.health())
        #expect(h.unrecorded == ["UID 3"])
        _ = try p.runOnce()
        #expect(try p.health()?.unrecorded.isEmpty == true)
    }

    /// Small and large mail stream through the same FETCH (BODY.PEEK[]): the stored bytes are
    /// exactly the server's, and unread mail stays unread.
    @Test func batchedAndSingleFetchesKeepExactBytesAndUnreadState() throws {
        let box = try rig.newMailbox()
        let big = "From: a@kk.dk\r\nSubject: stor\r\nMessage-ID: <big-\(UUID().uuidString)@kk.dk>\r\n\r\n"
            + String(repeating: "Linje med æøå og tal 0123456789 for at fylde beskeden op.\r\n", count: 6000)
        try rig.append(try sample("01-"), to: box)
        try rig.append(Array(big.utf8), to: box)
        for prefix in ["03-", "05-", "07-"] { try rig.append(try sample(prefix), to: box) }
        let session = try ImapSession(rig.imap(box))
        let (_, uids) = try session.search(after: 0)
        try session.store(uids, "-FLAGS.SILENT (\\Seen)")
        let p = try pipeline(box)
        #expect(try p.runOnce().ingested == 5)
        let check = try ImapSession(rig.imap(box))
        let (state, all) = try check.search(after: 0)
        let flags = try check.info(all)
        #expect(flags.values.allSatisfy { !$0.flags.contains("\\Seen") }, "the pipeline marked mail as read: \(flags)")
        for uid in all {
            let server = try check.fetch(uid: uid, uidValidity: state.uidValidity)
            #expect(try p.store.contains(sha256: SHA256.hex(server)), "UID \(uid) stored with other bytes")
        }
        // Fetching by UID peeks too: still nothing is marked as read.
        #expect(try check.info(all).values.allSatisfy { !$0.flags.contains("\\Seen") })
        #expect(try p.store.messages(status: "processed").count == 5)
    }

}
