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

    /// Opens everything named by `--config` (or the default); problems are one-line CLI errors.
    static func open(_ configPath: String?) throws -> Workspace {
        let config = try ConfigLoader.load(configPath)
        let path = ConfigLoader.path(configPath)
        let url = URL(fileURLWithPath: path)
        let settings: RuntimeSettings
        do {
            settings = try RuntimeSettings.decode(try Data(contentsOf: url), base: url.deletingLastPathComponent())
        } catch {
            throw CLIError(code: .config, message: "config \(path): \(error)")
        }
        do {
            try FileManager.default.createDirectory(at: settings.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw CLIError(code: .cantCreate, message: "cannot create data directory \(settings.dataDirectory.path): \(systemReason(error))")
        }
        let dbPath = settings.dataDirectory.appendingPathComponent("ssp-intake.sqlite").path
        do {
            let store = try IntakeStore(path: dbPath)
            return Workspace(config: config, settings: settings, store: store, engine: IntakeEngine(config: config))
        } catch let e as StoreError {
            throw CLIError(code: e.isBusy ? .tempFail : .ioError, message: "database \(dbPath): \(e.message)")
        }
    }

    /// The Secretariat's view of this workspace.
    var desk: Desk { Desk(store: store, config: config, poolKroner: settings.poolKroner, dataDirectory: settings.dataDirectory) }

    /// The pipeline with the configured source and sink.
    func pipeline(log: @escaping (String) -> Void) throws -> Pipeline {
        Pipeline(store: store, engine: engine, source: source(), sink: try sink(), dataDirectory: settings.dataDirectory, log: log)
    }

    /// The configured mailbox's adapter (nil: none configured). This file is the only one that makes transport adapters.
    func source() -> MailSource? {
        switch settings.source {
        case .folder(let url, let max)?: return FolderSource(directory: url, maxMessageBytes: max)
        case .imap(let server, let mailbox, let after, let max)?:
            // The settings are refused without a user and a password for IMAP.
            let imap = ImapSettings(url: server.url, mailbox: mailbox, user: server.user ?? "", password: server.password ?? "",
                                    caFile: server.caFile)
            return ImapSource(settings: imap, after: after, maxMessageBytes: max)
        case nil: return nil
        }
    }

    /// The configured reply channel's adapter.
    func sink() throws -> ReplySink {
        switch settings.sink {
        case .folder(let url): return OutboxFolderSink(directory: url)
        case .smtp(let server):
            do {
                let smtp = SmtpSettings(url: server.url, user: server.user, password: server.password, caFile: server.caFile)
                return try SmtpSink(settings: smtp, from: config.site.mailbox.address)
            } catch {
                throw CLIError(code: .config, message: "sink: \(error)")
            }
        }
    }
}
