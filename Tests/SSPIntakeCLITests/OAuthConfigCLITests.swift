import Foundation
import Testing

/// `auth` in the site file as the operator meets it: the Microsoft 365 example is accepted, typos are named, and
/// the client secret is read only by the commands that connect, with a Danish line when it cannot be.
@Suite struct OAuthConfigCLITests {
    static let sample = CLIRun.repoRoot.appendingPathComponent("mailbox-samples/01-outlook-html-application-table.eml").path
    static var auth: [String: Any] {
        ["kind": "oauth2", "tokenUrl": "https://login.microsoftonline.com/t/oauth2/v2.0/token", "clientId": "app",
         "clientSecretEnv": "SSP_TEST_UNSET_OAUTH_SECRET", "scope": "https://outlook.office365.com/.default"]
    }

    static func oauthWorkspace(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> TempWorkspace {
        let ws = try TempWorkspace.make()
        try StrictConfigTests.site(ws) {
            var auth = Self.auth
            change(&auth)
            $0["source"] = ["kind": "imap", "url": "imaps://127.0.0.1:1", "user": "ssp@kk.dk", "auth": auth]
            $0["sink"] = ["kind": "smtp", "url": "smtp://127.0.0.1:1", "user": "ssp@kk.dk", "auth": auth]
        }
        return ws
    }

    @Test func theMicrosoft365ExampleIsAccepted() throws {
        let r = try CLIRun.run(["inspect", "--config", "config/m365.example.json", Self.sample])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("ukendt nøgle"))
    }

    /// No secret is needed to read, and a connecting command without one stops before any connection, in Danish.
    @Test func theSecretIsReadOnlyByTheCommandsThatConnect() throws {
        let ws = try Self.oauthWorkspace()
        #expect(try ws.run(["inspect", Self.sample]).status == 0)
        let r = try ws.run(["run", "--once"])
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr == "ssp-intake: konfigurationen \(ws.configPath): source: miljøvariablen SSP_TEST_UNSET_OAUTH_SECRET "
                + "med klienthemmeligheden er ikke sat\n")
        let file = try Self.oauthWorkspace {
            $0["clientSecretEnv"] = nil
            $0["clientSecretFile"] = "/nonexistent/secret"
        }
        let f = try file.run(["run", "--once"])
        #expect(f.status == 78 && f.stderr.contains("source: kan ikke læse filen med klienthemmeligheden /nonexistent/secret"), "\(f.stderr)")
    }

    @Test func aTypoOrAnInlineSecretInAuthIsRefusedByName() throws {
        let typo = try Self.oauthWorkspace { $0["clientSecretEnvv"] = $0.removeValue(forKey: "clientSecretEnv") }
        StrictConfigTests.expectRefused(try typo.run(["queue"]), key: "sink.auth.clientSecretEnvv",
                                        suggestion: "sink.auth.clientSecretEnv", file: typo.configPath)
        let inline = try Self.oauthWorkspace { $0["clientSecret"] = "hemmelig-værdi" }
        let r = try inline.run(["queue"])
        #expect(r.status == 78 && r.stderr.contains("ukendt nøgle \"sink.auth.clientSecret\""), "\(r.stderr)")
        #expect(!r.stderr.contains("hemmelig-værdi"))
    }

    @Test func aTokenURLWithoutTLSIsRefused() throws {
        let ws = try Self.oauthWorkspace { $0["tokenUrl"] = "http://login.microsoftonline.com/t/oauth2/v2.0/token" }
        let r = try ws.run(["run", "--once"])
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("sink.auth.tokenUrl: adressen skal begynde med https:// (http:// kun til 127.0.0.1, testriggen)\n")
                || r.stderr.hasSuffix("source.auth.tokenUrl: adressen skal begynde med https:// (http:// kun til 127.0.0.1, testriggen)\n"),
                "\(r.stderr)")
    }
}
