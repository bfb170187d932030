import CaseModel
import Foundation
import Intake
import Pipeline
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

    /// The pipeline with the configured source and sink.
    func pipeline(log: @escaping (String) -> Void) throws -> Pipeline {
        var source: MailSource? = nil
        switch settings.source {
        case .folder(let url)?: source = FolderSource(directory: url)
        case .imap(let s, let after, let max)?: source = ImapSource(settings: s, after: after, maxMessageBytes: max)
        case nil: break
        }
        let sink: ReplySink
        switch settings.sink {
        case .folder(let url): sink = OutboxFolderSink(directory: url)
        case .smtp(let s):
            do {
                sink = try SmtpSink(settings: s, from: config.site.mailbox.address)
            } catch {
                throw CLIError(code: .config, message: "sink: \(error)")
            }
        }
        return Pipeline(store: store, engine: engine, source: source, sink: sink, dataDirectory: settings.dataDirectory, log: log)
    }
}

/// Danish names for the codes the queue's rows carry: a case's kind and status, or a failed mail.
enum Danish {
    static func kind(_ k: String) -> String { k == "failed" ? "fejlet" : CaseKind(rawValue: k)?.danish ?? k }
    static func status(_ s: String) -> String { s == "failed" ? "fejlet" : CaseStatus(rawValue: s)?.danish ?? s }
}
