import Foundation
import Testing
@testable import Intake
import MailCore

/// The exchangeOnline trust profile over headers in the exact shape Exchange Online writes them
/// (/work/shared/M365.md §1; MicrosoftDocs message-headers-eop-mdo.md).
@Suite struct TrustProfileTests {
    static let tenant = "3f1b5c2e-8d4a-4e7b-9c61-0a2d5e8f7b14"

    static let exchange: DecisionRules = {
        var c = testConfig
        c.site.trust = try! JSONDecoder().decode(IntakeConfig.Trust.self, from: Data("""
            {"profile": "exchangeOnline", "tenantId": "\(tenant)", "tenantDomains": ["kk.dk"]}
            """.utf8))
        return DecisionRules(config: c)
    }()

    /// The headers Exchange Online writes on mail between two users of the tenant (dkim/dmarc none, X-MS internal).
    static func internalHeaders(tenant: String = tenant) -> [String] {
        [
            "Received: from AM9PR09MB4871.eurprd09.prod.outlook.com (2603:10a6:20b:3c8::11) by PA4PR09MB6650.eurprd09.prod.outlook.com with HTTPS; Mon, 10 May 2027 08:12:03 +0000",
            "Authentication-Results: dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=kk.dk;",
            "X-MS-Exchange-Organization-AuthSource: AM9PR09MB4871.eurprd09.prod.outlook.com",
            "X-MS-Exchange-Organization-AuthAs: Internal",
            "X-MS-Exchange-Organization-AuthMechanism: 04",
            "X-MS-Exchange-Organization-MessageDirectionality: Originating",
            "X-MS-Exchange-CrossTenant-AuthAs: Internal",
            "X-MS-Exchange-CrossTenant-FromEntityHeader: Hosted",
            "X-MS-Exchange-CrossTenant-Id: \(tenant)",
            "X-Forefront-Antispam-Report: CIP:255.255.255.255;CTRY:;LANG:da;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:AM9PR09MB4871.eurprd09.prod.outlook.com;PTR:;CAT:NONE;SFS:;DIR:INT;",
        ]
    }

    /// Mail from the internet as Exchange Online receives it: its id-less A-R on top, AuthAs Anonymous.
    static func externalHeaders(dmarc: String = "pass", compauth: String = "pass reason=100", domain: String = "politi.dk") -> [String] {
        [
            "Received: from EUR05-DB8-obe.outbound.protection.outlook.com (2a01:111:f403:2614::701) by AM0PR09MB6120.eurprd09.prod.outlook.com; Mon, 10 May 2027 08:12:03 +0000",
            "Authentication-Results: spf=pass (sender IP is 40.107.22.70) smtp.mailfrom=\(domain); dkim=pass (signature was verified) header.d=\(domain);dmarc=\(dmarc) action=none header.from=\(domain);compauth=\(compauth)",
            "X-MS-Exchange-Organization-AuthSource: AM0PR09MB6120.eurprd09.prod.outlook.com",
            "X-MS-Exchange-Organization-AuthAs: Anonymous",
            "X-MS-Exchange-Organization-MessageDirectionality: Incoming",
            "X-MS-Exchange-CrossTenant-FromEntityHeader: Internet",
            "X-MS-Exchange-CrossTenant-Id: \(tenant)",
        ]
    }

    static func decision(_ headers: [String], from: String) -> (Bool, [String]) {
        let m = mail(headers + ["From: \(from)", "To: SSP <ssp@kk.dk>", "Subject: SV: Godkendelse af SSP-indsats SSP-2027-0006",
                                "Message-ID: <x@eurprd09.prod.outlook.com>"], "Godkendt.\n")
        return exchange.trust(m, sender: nil)
    }

    static let internalLeader = "Dorthe Kjær Vestergaard <dorthe.vestergaard@kk.dk>"
    static let externalLeader = "Kasper Dalgaard Holm <kdh001@politi.dk>"

    @Test func anInternalLeaderLoggedIntoTheTenantIsTrusted() {
        let (ok, reasons) = Self.decision(Self.internalHeaders(), from: Self.internalLeader)
        #expect(ok, "\(reasons)")
        #expect(reasons.last?.contains("AuthAs Internal") == true)
    }

    @Test func anExternalLeaderWithDmarcAndCompauthPassIsTrusted() {
        let (ok, reasons) = Self.decision(Self.externalHeaders(), from: Self.externalLeader)
        #expect(ok, "\(reasons)")
    }

    @Test(arguments: [
        // External dmarc=fail.
        (externalHeaders(dmarc: "fail"), externalLeader, "dmarc=fail"),
        // compauth fail although dmarc passed.
        (externalHeaders(compauth: "fail reason=001"), externalLeader, "compauth=fail"),
        // The X-MS headers written twice: one came with the mail.
        (internalHeaders() + ["X-MS-Exchange-Organization-AuthAs: Internal"], internalLeader, "står 2 gange"),
        (internalHeaders() + ["X-MS-Exchange-CrossTenant-Id: \(tenant)"], internalLeader, "står 2 gange"),
        // Another tenant's internal mail.
        (internalHeaders(tenant: "9a8b7c6d-1111-2222-3333-444455556666"), internalLeader, "X-MS-Exchange-CrossTenant-Id er"),
        // Internal-looking mail without the X-MS headers (from outside: the header firewall removed them).
        (["Authentication-Results: dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=kk.dk;"],
         internalLeader, "X-MS-Exchange-Organization-AuthAs mangler"),
        // An attacker's A-R with a pass, below Exchange's own fail: only the topmost counts.
        (externalHeaders(dmarc: "fail") + ["Authentication-Results: spf=pass smtp.mailfrom=politi.dk;dmarc=pass action=none header.from=politi.dk;compauth=pass reason=100"],
         externalLeader, "dmarc=fail"),
        // An A-R naming a server on top is not Exchange's.
        (["Authentication-Results: mx.evil.example; dmarc=pass header.from=politi.dk"] + externalHeaders(dmarc: "fail"),
         externalLeader, "skrevet af mx.evil.example"),
        // An outside sender marked Internal.
        (externalHeaders().map { $0.hasSuffix("AuthAs: Anonymous") ? "X-MS-Exchange-Organization-AuthAs: Internal" : $0 },
         externalLeader, "AuthAs Internal"),
        // An internal leader's mail that came in from the internet (someone spoofing kk.dk through the MX).
        (externalHeaders(dmarc: "pass", domain: "kk.dk"), internalLeader, "\"Anonymous\""),
    ] as [([String], String, String)])
    func refusedWithItsDanishReason(headers: [String], from: String, reason: String) {
        let (ok, reasons) = Self.decision(headers, from: from)
        #expect(!ok)
        #expect(reasons.last?.hasPrefix("ikke tillid: ") == true)
        #expect(reasons.last?.contains(reason) == true, "\(reasons)")
    }

    @Test func aConfigWithoutProfileKeepsMeaningRfc8601() throws {
        let t = try JSONDecoder().decode(IntakeConfig.Trust.self, from: Data(#"{"requireDmarcPass": true, "authServId": "mx.kk.dk"}"#.utf8))
        #expect(t.profile == .rfc8601 && t.authServId == "mx.kk.dk")
        // Exchange's shape under the rfc8601 profile: no authserv-id of ours, so no trust.
        let m = mail(Self.externalHeaders() + ["From: \(Self.externalLeader)", "Subject: SV: x"], "Godkendt\n")
        #expect(!DecisionRules(config: testConfig).trust(m, sender: nil).0)
    }

    @Test func anUnknownProfileOrAMissingTenantIsAConfigError() {
        #expect(throws: ConfigError.self) {
            try JSONDecoder().decode(IntakeConfig.Trust.self, from: Data(#"{"profile": "exchange"}"#.utf8))
        }
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config")
        var site = try! JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("ssp-intake.json"))) as! [String: Any]
        site["trust"] = ["profile": "exchangeOnline"]
        let data = try! JSONSerialization.data(withJSONObject: site)
        #expect {
            try IntakeConfig.decode(site: data) { try Data(contentsOf: dir.appendingPathComponent($0)) }
        } throws: { ($0 as? ConfigError)?.message.contains("trust.tenantId") == true }
    }
}
