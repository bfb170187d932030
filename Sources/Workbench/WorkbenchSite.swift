import Accounts
import Foundation
import Intake
import Pipeline
import Secretariat
import Store

/// What the pages and actions need beyond the accounts, from the config the `web` command opened.
public struct WorkbenchSite: Sendable {
    public let config: IntakeConfig
    public let poolKroner: Int
    /// How often the service polls; the operations page calls a poll older than three intervals late.
    public let pollIntervalSeconds: Int
    /// Where the store and the attachments live.
    public let dataDirectory: URL
    let log: @Sendable (String) -> Void

    public init(config: IntakeConfig, poolKroner: Int, pollIntervalSeconds: Int = 60, dataDirectory: URL,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.config = config
        self.poolKroner = poolKroner
        self.pollIntervalSeconds = pollIntervalSeconds
        self.dataDirectory = dataDirectory
        self.log = log
    }
}

/// One server thread's way into the store: its own connection, and the accounts, desk and actions over it.
public final class WorkbenchContext {
    public let store: IntakeStore
    public let accounts: AccountBook
    public let desk: Desk
    let actions: SecretariatActions

    public init(store: IntakeStore, site: WorkbenchSite) {
        self.store = store
        accounts = AccountBook(store: store, log: site.log)
        desk = Desk(store: store, config: site.config, poolKroner: site.poolKroner, dataDirectory: site.dataDirectory)
        // Actions queue replies in the outbox and send none, so the pipeline has no mail transports and needs no passwords.
        let pipeline = Pipeline(store: store, engine: IntakeEngine(config: site.config), source: nil, sink: nil,
                                dataDirectory: site.dataDirectory, log: site.log)
        actions = SecretariatActions(pipeline: pipeline, poolKroner: site.poolKroner)
    }
}
