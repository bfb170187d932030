import CaseModel
import Foundation
import Intake
import Store

/// What every Secretariat view and action reads: the store, the site's config and the year's pool.
public struct Desk {
    public let store: IntakeStore
    public let config: IntakeConfig
    public let poolKroner: Int
    /// Where the store and the attachments live; the report names it.
    public let dataDirectory: URL

    public init(store: IntakeStore, config: IntakeConfig, poolKroner: Int, dataDirectory: URL) {
        self.store = store
        self.config = config
        self.poolKroner = poolKroner
        self.dataDirectory = dataDirectory
    }
}
