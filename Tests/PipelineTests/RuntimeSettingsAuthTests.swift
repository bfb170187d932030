import Foundation
import Intake
@testable import Pipeline
import Testing

/// `auth` of the source and the sink: a password as before, or an OAuth2 client; strict, in Danish, secrets read late.
@Suite struct RuntimeSettingsAuthTests {
    static let base = URL(fileURLWithPath: "/etc/ssp-intake")
    static let tokenURL = "https://login.microsoftonline.com/1f2e3d4c-0000-4000-8000-123456789abc/oauth2/v2.0/token"
    static var oauth: [String: Any] {
        ["kind": "oauth2", "tokenUrl": tokenURL, "clientId": "6b1d7f0e-app", "clientSecretEnv": "SSP_OAUTH_SECRET",
         "scope": "https://outlook.office365.com/.default"]
    }

    /// A test argument: a source's extra keys as JSON text (the dictionaries themselves are not Sendable).
    static func json(_ extra: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: extra)) ?? Data(), as: UTF8.self)
    }

    static func site(source: [String: Any]? = nil, sink: [String: Any]? = nil) throws -> Data {
        var site: [String: Any] = ["poolKroner": 1]
        site["source"] = source
        site["sink"] = sink
        return try JSONSerialization.data(withJSONObject: site)
    }

    static func imap(_ extra: [String: Any]) -> [String: Any] {
        ["kind": "imap", "url": "imaps://outlook.office365.com:993", "user": "ssp@kk.dk"].merging(extra) { $1 }
    }

    static func smtp(_ extra: [String: Any]) -> [String: Any] {
        ["kind": "smtp", "url": "smtp://smtp.office365.com:587", "user": "ssp@kk.dk"].merging(extra) { $1 }
    }

    static func decode(source: [String: Any]? = nil, sink: [String: Any]? = nil,
                       environment: [String: String] = [:]) throws -> RuntimeSettings {
        try RuntimeSettings.decode(try site(source: source, sink: sink), base: base, environment: environment)
    }

    static func refusal(source: [String: Any]? = nil, sink: [String: Any]? = nil) -> String? {
        do {
            _ = try decode(source: source, sink: sink)
            return nil
        } catch let e as RuntimeSettingsError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    @Test func anOAuth2ClientOnBothSides() throws {
        let s = try Self.decode(source: Self.imap(["auth": Self.oauth]), sink: Self.smtp(["auth": Self.oauth]),
                                environment: ["SSP_OAUTH_SECRET": "abc~123"])
        guard case .imap(let server, _, _, _)? = s.source, case .smtp(let out) = s.sink else {
            Issue.record("an IMAP source and an SMTP sink")
            return
        }
        for server in [server, out] {
            #expect(server.password == nil && server.user == "ssp@kk.dk")
            let o = try #require(server.oauth2)
            #expect(o.tokenURL == Self.tokenURL && o.clientID == "6b1d7f0e-app" && o.scope == "https://outlook.office365.com/.default")
            #expect(try o.clientSecret.reveal() == "abc~123")
            #expect("\(o.clientSecret)" == "miljøvariablen SSP_OAUTH_SECRET")
        }
    }

    /// The secret is not read when the settings are: commands that connect to nothing need none.
    @Test func theSecretIsReadOnlyWhenAServerIsUsed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var fromFile = Self.oauth
        fromFile["clientSecretEnv"] = nil
        fromFile["clientSecretFile"] = "secret.txt"
        let s = try RuntimeSettings.decode(try Self.site(source: Self.imap(["auth": fromFile]), sink: Self.smtp(["auth": Self.oauth])),
                                           base: dir, environment: [:])
        guard case .imap(let server, _, _, _)? = s.source, case .smtp(let out) = s.sink else { Issue.record("imap and smtp"); return }
        #expect { try out.oauth2?.clientSecret.reveal() } throws: {
            "\($0)" == "sink: miljøvariablen SSP_OAUTH_SECRET med klienthemmeligheden er ikke sat"
        }
        #expect { try server.oauth2?.clientSecret.reveal() } throws: {
            "\($0)" == "source: kan ikke læse filen med klienthemmeligheden \(dir.path)/secret.txt"
        }
        try Data("s3cr3t~v\n".utf8).write(to: dir.appendingPathComponent("secret.txt"))
        #expect(try server.oauth2?.clientSecret.reveal() == "s3cr3t~v")
    }

    /// Today's password keys beside `url` work unchanged, and `auth` with kind `password` says the same.
    @Test func passwordsAsBeforeAndInAuth() throws {
        let env = ["SSP_IMAP_PASSWORD": "pw1", "SSP_SMTP_PASSWORD": "pw2"]
        let old = try Self.decode(source: Self.imap(["passwordEnv": "SSP_IMAP_PASSWORD"]), sink: Self.smtp(["passwordEnv": "SSP_SMTP_PASSWORD"]),
                                  environment: env)
        let new = try Self.decode(source: Self.imap(["auth": ["kind": "password", "passwordEnv": "SSP_IMAP_PASSWORD"]]),
                                  sink: Self.smtp(["auth": ["kind": "password", "passwordEnv": "SSP_SMTP_PASSWORD"]]), environment: env)
        for s in [old, new] {
            guard case .imap(let server, _, _, _)? = s.source, case .smtp(let out) = s.sink else { Issue.record("imap and smtp"); return }
            #expect(try server.password?.reveal() == "pw1" && server.oauth2 == nil)
            #expect(try out.password?.reveal() == "pw2" && out.oauth2 == nil)
        }
        // A sink that takes no login stays one.
        guard case .smtp(let open) = try Self.decode(sink: ["kind": "smtp", "url": "smtp://relay.kk.dk:25"]).sink else { return }
        #expect(open.password == nil && open.oauth2 == nil)
    }

    @Test(arguments: [
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth, "passwordEnv": "X"]), "source: giv adgangskoden i source.auth eller i passwordEnv/passwordFile, ikke begge steder"),
        (RuntimeSettingsAuthTests.json(["auth": ["kind": "kerberos"]]), "source.auth.kind \"kerberos\" er ukendt (password eller oauth2)"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.merging(["passwordEnv": "X"]) { $1 }]), "source.auth.passwordEnv hører til kind \"password\", ikke \"oauth2\""),
        (RuntimeSettingsAuthTests.json(["auth": ["kind": "password", "passwordEnv": "X", "clientId": "a"]]), "source.auth.clientId hører til kind \"oauth2\", ikke \"password\""),
        (RuntimeSettingsAuthTests.json(["auth": ["kind": "password"]]), "source.auth: giv passwordEnv eller passwordFile (én af dem, aldrig selve adgangskoden)"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.filter { $0.key != "scope" }]), "source.auth: oauth2 skal have tokenUrl, clientId, scope og clientSecretEnv eller clientSecretFile"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.merging(["clientId": ""]) { $1 }]), "source.auth: oauth2 skal have tokenUrl, clientId, scope og clientSecretEnv eller clientSecretFile"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.filter { $0.key != "clientSecretEnv" }]), "source.auth: giv clientSecretEnv eller clientSecretFile (én af dem, aldrig selve hemmeligheden)"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.merging(["clientSecretFile": "s"]) { $1 }]), "source.auth: giv clientSecretEnv eller clientSecretFile (én af dem, aldrig selve hemmeligheden)"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.merging(["tokenUrl": "http://login.microsoftonline.com/t/token"]) { $1 }]),
         "source.auth.tokenUrl: adressen skal begynde med https:// (http:// kun til 127.0.0.1, testriggen)"),
        (RuntimeSettingsAuthTests.json(["auth": RuntimeSettingsAuthTests.oauth.merging(["tokenUrl": "https://app:pw@login.microsoftonline.com/t/token"]) { $1 }]),
         "source.auth.tokenUrl: adressen må ikke indeholde bruger eller adgangskode"),
        (RuntimeSettingsAuthTests.json([:]), "source: giv passwordEnv eller passwordFile (aldrig selve adgangskoden), eller auth med kind \"oauth2\""),
    ] as [(String, String)])
    func aSourceAuthThatCannotBeUsedIsNamed(_ extra: String, _ message: String) throws {
        let keys = try JSONSerialization.jsonObject(with: Data(extra.utf8)) as? [String: Any] ?? [:]
        #expect(Self.refusal(source: Self.imap(keys)) == message)
    }

    /// XOAUTH2 names the mailbox: a sink with an OAuth2 client needs `user`; the loopback rig may use plain HTTP.
    @Test func theSinksOAuth2NeedsItsMailbox() throws {
        #expect(Self.refusal(sink: ["kind": "smtp", "url": "smtp://smtp.office365.com:587", "auth": Self.oauth])
                == "sink: oauth2 kræver user (postkassen, der sendes fra)")
        #expect(Self.refusal(sink: Self.smtp(["auth": ["kind": "oauth2"]]))
                == "sink.auth: oauth2 skal have tokenUrl, clientId, scope og clientSecretEnv eller clientSecretFile")
        let rig = Self.oauth.merging(["tokenUrl": "http://127.0.0.1:12080/t/oauth2/v2.0/token"]) { $1 }
        guard case .smtp(let s) = try Self.decode(sink: Self.smtp(["auth": rig])).sink else { Issue.record("smtp"); return }
        #expect(s.oauth2?.tokenURL == "http://127.0.0.1:12080/t/oauth2/v2.0/token")
    }

    /// The strict key check knows `auth`'s keys, and a typo among them is named with the key it meant.
    @Test func authsKeysAreKnownAndTyposNamed() throws {
        let keys = IntakeConfig.siteKeys.union(RuntimeSettings.siteKeys)
        let good = try JSONSerialization.jsonObject(with: try Self.site(source: Self.imap(["auth": Self.oauth]), sink: Self.smtp(["auth": Self.oauth])))
        #expect(keys.unknownKey(in: good) == nil)
        var typo = Self.oauth
        typo["clientSecretEnvv"] = typo.removeValue(forKey: "clientSecretEnv")
        let bad = try JSONSerialization.jsonObject(with: try Self.site(sink: Self.smtp(["auth": typo])))
        let u = try #require(keys.unknownKey(in: bad))
        #expect(u.path == "sink.auth.clientSecretEnvv" && u.suggestion == "sink.auth.clientSecretEnv")
        let secretInline = try JSONSerialization.jsonObject(with: try Self.site(source: Self.imap(["auth": Self.oauth.merging(["clientSecret": "x"]) { $1 }])))
        #expect(keys.unknownKey(in: secretInline)?.path == "source.auth.clientSecret", "a secret in the config is refused as a key")
    }
}
