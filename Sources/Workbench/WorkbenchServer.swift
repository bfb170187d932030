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
            let context: WorkbenchContext
            do {
                context = try threadContext(databasePath, workbench.site)
            } catch {
                workbench.log("web: databasen \(databasePath) kan ikke åbnes: \(error)")
                return SecurityHeaders.apply(.html(Pages.message("Fejl", "Databasen kan ikke bruges lige nu."), status: 503))
            }
            return workbench.respond(to: request, context: context)
        }
    }

    private static let key = "ssp-intake.workbench.store"

    /// The calling thread's store and what works over it, opened on its first request.
    private static func threadContext(_ path: String, _ site: WorkbenchSite) throws -> WorkbenchContext {
        let slot = Thread.current.threadDictionary
        if let context = slot[key] as? WorkbenchContext { return context }
        let context = WorkbenchContext(store: try IntakeStore(path: path, create: false), site: site)
        slot[key] = context
        return context
    }
}
