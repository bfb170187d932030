import Foundation
import MailCore
@testable import Pipeline
import Store
import Testing

// Nested in RigServers: suites run side by side, and one that stops a server must not meet another that uses it.
extension RigServers {
/// The whole thread as it runs against Exchange Online: the service (the built CLI) reads through the
/// Exchange-like front (no keywords, no ESEARCH, IDLE) and sends through the XOAUTH2-only SMTP sink,
/// with OAuth2 tokens that live 20 s; the leader's approval carries the headers Exchange writes on
/// mail between two users of the tenant, and the trust profile is exchangeOnline.
@Suite(.serialized) struct ExchangeScenarioTests {
    static let tenant = "4e1e9e0b-6f3b-4c8e-9a59-3f1b2c7d8e90"
    static let secretEnv = "SSP_SCENARIO_SECRET"

    static func text(_ s: String) -> [UInt8] { Array(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    static func application(_ coordinator: String, _ title: String, _ run: String) -> [UInt8] {
        text("""
            From: Malene Koch <\(coordinator)>
            To: SSP København <ssp@kk.dk>
            Subject: Ansøgning om lokal SSP-indsats: \(title)
            Message-ID: <ans-\(run)@kk.dk>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Hej SSP Sekretariatet

            1. Navn på indsatsen: \(title)
            2. Periode: 1. september 2027 – 30. juni 2027
            3. Målgruppe: Unge 13-17 år omkring Valby Station, som ikke kommer i klub i vinterhalvåret.
            4. Mål: Et trygt mødested fredag aften, og mindst 20 unge bliver faste brugere af klubben.
            5. Samarbejdspartnere: Valby Ungdomsklub
            6. Evaluering: Klubben tæller fremmøde hver fredag og evaluerer med de unge i marts og juni.
            7. Økonomiansvarlig: Kenneth Dahl, klubleder, Valby Ungdomsklub
            8. Tovholder: Malene Koch, \(coordinator), tlf. 26 38 51 07
            Kontaktperson fra ledergruppen: Dorthe Kjær Vestergaard (dorthe.vestergaard@kk.dk)
            Forankring: Valby – Valby Ungdomsklub
            Metode: Åbne fredagsaftener med musik, mad og sport.
            Deling af erfaringer: Vi har lært af Sen-aften-fodbold i Mimersparken.

            Budget:
            Honorar til aftenpersonale, november 2027: 12.000,00 kr.
            Lydanlæg og spil, november 2027: 3.500,00 kr.
            Forplejning, december 2027: 4.500,00 kr.
            Honorar til aftenpersonale, januar 2028: 12.000,00 kr.
            I alt: 32.000,00 kr.

            Venlig hilsen
            Malene Koch

            """)
    }

    /// An answer in the thread of `parent` (its Message-ID and subject), with `headers` on top.
    static func answer(from: String, to parent: MailMessage, body: String, headers: String = "", run: String, n: Int) -> [UInt8] {
        text("""
            \(headers)From: \(from)
            To: SSP København <ssp@kk.dk>
            Subject: SV: \(parent.subject ?? "")
            Message-ID: <svar-\(n)-\(run)@kk.dk>
            In-Reply-To: <\(parent.messageID ?? "")>
            References: <\(parent.messageID ?? "")>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            \(body)

            """)
    }

    /// The headers Exchange Online writes on mail between two users of the tenant (its Authentication-Results has no id).
    static let internalHeaders = """
        Authentication-Results: dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=kk.dk;
        X-MS-Exchange-Organization-AuthAs: Internal
        X-MS-Exchange-Organization-AuthMechanism: 04
        X-MS-Exchange-Organization-MessageDirectionality: Originating
        X-MS-Exchange-CrossTenant-AuthAs: Internal
        X-MS-Exchange-CrossTenant-FromEntityHeader: Hosted
        X-MS-Exchange-CrossTenant-Id: \(tenant)

        """

    /// What the sink holds for `address` whose subject holds `tag`, decoded, in arrival order.
    static func mails(_ o: OAuthRig, to address: String, _ tag: String) -> [MailMessage] {
        o.replies(to: address).map { MailMessage(bytes: $0.bytes) }.filter { ($0.subject ?? "").contains(tag) }
            .sorted { ($0.date ?? .distantPast) < ($1.date ?? .distantPast) }
    }

    @Test(.timeLimit(.minutes(3))) func theWholeThreadThroughTheExchangeFrontWithTokensOf20Seconds() throws {
        let o = try OAuthRig.shared()
        let client = try o.newClient(lifetime: 20)
        let box = try o.newMailbox()
        let front = try ExchangeFrontTests.Front(o.rig)
        let ws = try BuiltCLI.workspace(o, client: client, mailbox: box, secretEnv: Self.secretEnv, pollInterval: 60)
        // The Exchange-like front instead of Dovecot itself, and the tenant's trust profile.
        var site = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.config))) as? [String: Any])
        var source = try #require(site["source"] as? [String: Any])
        source["url"] = "imaps://127.0.0.1:\(front.port)"
        site["source"] = source
        site["trust"] = ["profile": "exchangeOnline", "tenantId": Self.tenant, "tenantDomains": ["kk.dk"]]
        try JSONSerialization.data(withJSONObject: site).write(to: URL(fileURLWithPath: ws.config))

        let logFile = ws.dir.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let service = BuiltCLI.process(["run", "--config", ws.config], environment: [Self.secretEnv: client.clientSecret])
        service.standardError = try FileHandle(forWritingTo: logFile)
        service.standardOutput = FileHandle.nullDevice
        try service.run()
        defer { if service.isRunning { kill(service.processIdentifier, SIGKILL) } }
        let log = { String(decoding: (try? Data(contentsOf: logFile)) ?? Data(), as: UTF8.self) }
        let start = Date()

        let run = String(UUID().uuidString.prefix(8).lowercased())
        let coordinator = "malene.koch.\(run)@kk.dk", leader = "dorthe.vestergaard@kk.dk"
        let title = "Vinterklub i Valby \(run)"
        try o.append(Self.application(coordinator, title, run), to: box)

        // 1. The period is invalid: the coordinator is told what to send. IDLE answers within seconds, not at the 60 s poll.
        #expect(OAuthRigTests.waitFor(20) { !Self.mails(o, to: coordinator, run).isEmpty }, "\(log())")
        let notice = try #require(Self.mails(o, to: coordinator, run).first)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(Self.mails(o, to: leader, run).isEmpty)

        // 2. The follow-up completes it: the leader group is asked.
        try o.append(Self.answer(from: "Malene Koch <\(coordinator)>", to: notice,
                                 body: "Periode: 1. november 2027 – 28. februar 2028\n\nVenlig hilsen\nMalene", run: run, n: 1), to: box)
        #expect(OAuthRigTests.waitFor(20) { !Self.mails(o, to: leader, run).isEmpty }, "\(log())")
        let request = try #require(Self.mails(o, to: leader, run).first)
        #expect(request.subject?.hasPrefix("Godkendelse af SSP-indsats SSP-") == true)

        // Past a token's life: the next logins need renewed tokens.
        Thread.sleep(until: start.addingTimeInterval(25))

        // 3. The leader approves by answering, from inside the tenant.
        try o.append(Self.answer(from: "Dorthe Kjær Vestergaard <\(leader)>", to: request, body: "Godkendt.\n\nDorthe",
                                 headers: Self.internalHeaders, run: run, n: 2), to: box)
        #expect(OAuthRigTests.waitFor(20) { Self.mails(o, to: coordinator, run).contains { $0.subject?.hasPrefix("Ledergruppen har godkendt") == true } },
                "\(log())")

        // Another token life for anything doubled to show, then a clean stop.
        Thread.sleep(until: start.addingTimeInterval(50))
        kill(service.processIdentifier, SIGTERM)
        service.waitUntilExit()
        #expect(service.terminationStatus == 0, "\(log())")

        let toCoordinator = Self.mails(o, to: coordinator, run).compactMap(\.subject)
        #expect(toCoordinator.filter { $0.hasPrefix("Ledergruppen har godkendt") }.count == 1, "\(toCoordinator)")
        let toLeader = Self.mails(o, to: leader, run).compactMap(\.subject)
        #expect(toLeader.count == 2 && toLeader.first?.hasPrefix("Godkendelse af SSP-indsats") == true, "\(toLeader)")   // the request, then the receipt of the decision
        let store = try IntakeStore(path: ws.dir.appendingPathComponent("var/ssp-intake.sqlite").path, create: false)
        #expect(try store.db.query("SELECT count(*) FROM messages").first?.first?.int == 3)
        #expect(try store.messages(status: "failed").isEmpty)
        let status = try store.db.query("SELECT status FROM records WHERE kind = 'application'").map { $0.first?.text ?? "" }
        #expect(status == ["leaderApproved"], "\(status)")
        let trusted = try store.db.query("SELECT trusted, applied FROM approvals").map { $0.map(\.int) }
        #expect(trusted == [[1, 1]], "\(trusted)")
        #expect(!front.commands.contains { $0.contains("$SSP") || $0.uppercased().contains("KEYWORD") }, "\(front.commands)")
        #expect(front.commands.contains { $0.hasSuffix(" IDLE") })
        let stats = try o.stats(client)
        #expect((stats["issued"] ?? 0) >= 3 && (stats["expired"] ?? 0) == 0, "\(stats)")   // SMTP after 25 s needs a renewed one
        #expect(!log().contains(client.clientSecret))
    }
}
}
