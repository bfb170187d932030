import CaseModel
import CurlTransport
import Foundation
import Intake
import MailPorts
import Pipeline
import Secretariat
import Store

/// What every store command needs: the config, the runtime settings and the open store.
struct Workspace {
    let config: IntakeConfig
    let settings: RuntimeSettings
    let store: IntakeStore
    let engine: IntakeEngine
    /// The site file as the user named it, for messages.
    let configPath: String

    /// Whether a command may make the data directory and the database, or needs them to be there.
    enum StoreAccess {
        /// Only `run` (and what, like it, takes in mail) and `user add` (set-up before the first run) start a store.
        case create
        /// Everything else reads or changes an existing store; a missing one is 66 and nothing is made.
        case existing
    }

    /// The mail servers a pipeline talks to; only those are given their passwords.
    struct MailUse: OptionSet {
        let rawValue: Int
        static let reading = MailUse(rawValue: 1)
        static let sending = MailUse(rawValue: 2)
        static let all: MailUse = [.reading, .sending]
    }

    /// Opens everything named by `--config` (or the default); problems are one-line CLI errors.
    static func open(_ configPath: String?, store access: StoreAccess = .existing) throws -> Workspace {
        let (config, data) = try ConfigLoader.loadSite(configPath)
        let path = ConfigLoader.path(configPath)
        let settings: RuntimeSettings
        do {
            settings = try RuntimeSettings.decode(data, base: URL(fileURLWithPath: path).deletingLastPathComponent())
        } catch let e as RuntimeSettingsError {
            throw CLIError(code: .config, message: "konfigurationen \(path): \(e.description)")
        }
        let dbPath = settings.dataDirectory.appendingPathComponent("ssp-intake.sqlite").path
        switch access {
        case .create:
            do {
                try FileManager.default.createDirectory(at: settings.dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw CLIError(code: .cantCreate,
                               message: "kan ikke oprette datamappen \(settings.dataDirectory.path): \(DanishSystemError.reason(error))")
            }
        case .existing:
            guard FileManager.default.fileExists(atPath: dbPath) else {
                throw CLIError(code: .noInput, message: "ingen database i \(dbPath) – kør først \"ssp-intake run --once\"")
            }
        }
        do {
            let store = try IntakeStore(path: dbPath, create: access == .create)
            return Workspace(config: config, settings: settings, store: store, engine: IntakeEngine(config: config), configPath: path)
        } catch let e as StoreError {
            throw CLIError(code: e.isBusy ? .tempFail : .ioError, message: "databasen \(dbPath): \(DanishSystemError.database(e))")
        }
    }

    /// The Secretariat's view of this workspace.
    var desk: Desk { Desk(store: store, config: config, poolKroner: settings.poolKroner, dataDirectory: settings.dataDirectory) }

    /// The pipeline with the configured source and sink, each only when `mail` says it is used:
    /// the Secretariat's actions queue replies but send none, so they need no password.
    func pipeline(log: @escaping (String) -> Void, mail: MailUse = .all) throws -> Pipeline {
        Pipeline(store: store, engine: engine, source: mail.contains(.reading) ? try source() : nil,
                 sink: mail.contains(.sending) ? try sink() : nil, dataDirectory: settings.dataDirectory, log: log)
    }

    /// The configured mailbox's adapter (nil: none configured). This file is the only one that makes transport adapters.
    func source() throws -> MailSource? {
        switch settings.source {
        case .folder(let url, let max)?: return FolderSource(directory: url, maxMessageBytes: max)
        case .imap(let server, let mailbox, let after, let max)?:
            // The settings are refused without a user and a password for IMAP.
            let imap = ImapSettings(url: server.url, mailbox: mailbox, user: server.user ?? "",
                                    password: try reveal(server.password) ?? "", caFile: server.caFile)
            return ImapSource(settings: imap, after: after, maxMessageBytes: max)
        case nil: return nil
        }
    }

    /// The configured reply channel's adapter.
    func sink() throws -> ReplySink {
        switch settings.sink {
        case .folder(let url): return OutboxFolderSink(directory: url)
        case .smtp(let server):
            let smtp = SmtpSettings(url: server.url, user: server.user, password: try reveal(server.password), caFile: server.caFile)
            do {
                return try SmtpSink(settings: smtp, from: config.site.mailbox.address)
            } catch {
                throw CLIError(code: .config, message: "konfigurationen \(configPath): sink.url \(server.url) kan ikke bruges "
                               + "(skal begynde med smtp:// eller smtps://)")
            }
        }
    }

    // The password is read here, when a server is about to be used, so read commands need none.
    private func reveal(_ secret: Secret?) throws -> String? {
        do {
            return try secret?.reveal()
        } catch let e as RuntimeSettingsError {
            throw CLIError(code: .config, message: "konfigurationen \(configPath): \(e.description)")
        }
    }
}
