import Accounts
import Foundation
import HTTPServer
import Store

/// Serves a `Workbench` over HTTP, each of the server's threads with its own connection to the store
/// (a connection is not Sendable, and SQLite in WAL lets them read side by side).
public enum WorkbenchServer {
    public static func start(_ workbench: Workbench, listen: ListenAddress, databasePath: String,
                             options: HTTPServer.Options = HTTPServer.Options()) throws -> HTTPServer {
        try HTTPServer(listen: listen, options: options) { request in
            let store: IntakeStore
            do {
                store = try threadStore(databasePath)
            } catch {
                workbench.log("web: databasen \(databasePath) kan ikke åbnes: \(error)")
                return SecurityHeaders.apply(.html(Pages.message("Fejl", "Databasen kan ikke bruges lige nu."), status: 503))
            }
            return workbench.respond(to: request, accounts: AccountBook(store: store, log: workbench.log))
        }
    }

    private static let key = "ssp-intake.workbench.store"

    /// The calling thread's store, opened on its first request.
    private static func threadStore(_ path: String) throws -> IntakeStore {
        let slot = Thread.current.threadDictionary
        if let store = slot[key] as? IntakeStore { return store }
        let store = try IntakeStore(path: path)
        slot[key] = store
        return store
    }
}
