import Foundation
import MailPorts
import Store

extension Pipeline {
    /// The operator's health view: what is on the server but not recorded, the last good poll, the
    /// outbox, the last pass's failure and the state of the store file.
    public struct Health: Sendable {
        public var source: String
        public var unrecorded: [String]
        public var onServer: Int
        public var leftOnServer: Int
        /// Each message left in the mailbox, with the reason: `UID 4: for stor: …` or `stor.eml: for stor: …`.
        public var left: [String]
        public var lastPoll: Date?
        public var outbox: [String: Int]
        public var failedMessages: Int
        /// The last pass's failure (when, what), until a pass succeeds.
        public var lastPassFailure: (at: Date?, message: String)?
        /// What `PRAGMA quick_check` found; empty when the file is sound.
        public var damage: [String]
    }

    public func health() throws -> Health? {
        guard let source else { return nil }
        // First, and on its own: a damaged file may fail every other question.
        let damage = store.quickCheck()
        let server = try source.inventory()
        let known = try store.sourceKeys(source.name).union(try store.skippedKeys(source.name))
        let missing = server.keys.filter { !known.contains($0) }.sorted().map { server[$0] ?? $0 }
        let left = try store.skipped(source.name).map { "\(server[$0.key] ?? $0.uid.map { "UID \($0)" } ?? $0.key): \($0.reason)" }
        return Health(source: source.name, unrecorded: missing, onServer: server.count, leftOnServer: left.count, left: left,
                      lastPoll: try store.meta("lastPoll:" + source.name).flatMap { try? Date($0, strategy: .iso8601) },
                      outbox: try store.outboxCounts(), failedMessages: try store.messages(status: "failed").count,
                      lastPassFailure: try store.lastPassFailure(), damage: damage)
    }
}
