import Foundation
import HTTPServer
import Workbench

/// `ssp-intake web`: the Secretariat's workbench in the browser, a second process beside the service over the same store.
struct WebCommand: Command {
    static let name = "web"
    static let summary = "Start arbejdsbordet i browseren for sekretariatet"
    static let help = """
        Brug: ssp-intake web [--listen ADRESSE:PORT] [--public-url URL] [--config FIL]

        Starter arbejdsbordet: en hjemmeside på dansk over samme database som
        tjenesten (ssp-intake run). Log ind med en bruger fra ssp-intake user add.
        Kører til den får SIGTERM eller Ctrl-C.

          --listen A:P       hvor der lyttes (standard: 127.0.0.1:8080; port 0
                             vælger en fri port). Kun numeriske adresser; sæt en
                             proxy med kommunens certifikat foran for HTTPS.
          --public-url URL   adressen brugerne skriver, fx https://ssp.kk.dk; med
                             https sendes sessionscookien kun over HTTPS, og
                             formularer godtages kun fra netop den adresse
          --config FIL       konfigurationen (standard: config/ssp-intake.json)

        Afslutningskoder: 0 stoppet, 64 forkert brug, 73/74 databasen kan ikke
        bruges, 75 adressen er optaget, 78 konfigurationen.
        """

    var listen = ListenAddress.loopback
    var publicURL: URL?
    var configPath: String?

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: [], options: ["--listen", "--public-url", "--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("web tager ingen argumenter ud over tilvalg (se ssp-intake web --help)") }
        if let l = p.values["--listen"] {
            guard let a = ListenAddress(l) else { throw CLIError.usage("--listen skal være ADRESSE:PORT med en numerisk adresse, fx 127.0.0.1:8080") }
            listen = a
        }
        if let u = p.values["--public-url"] {
            guard let url = URL(string: u), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw CLIError.usage("--public-url skal være en http- eller https-adresse, fx https://ssp.kk.dk")
            }
            publicURL = url
        }
        configPath = p.values["--config"]
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath)
        // The same file Workspace opened; each server thread opens its own connection to it.
        let databasePath = ws.settings.dataDirectory.appendingPathComponent("ssp-intake.sqlite").path
        let stop = StopSignal()
        let site = WorkbenchSite(config: ws.config, poolKroner: ws.settings.poolKroner,
                                 pollIntervalSeconds: ws.settings.pollIntervalSeconds, dataDirectory: ws.settings.dataDirectory,
                                 log: { printError($0) })
        let workbench = Workbench(site: site, publicURL: publicURL)
        let server: HTTPServer
        do {
            server = try WorkbenchServer.start(workbench, listen: listen, databasePath: databasePath)
        } catch let e as HTTPServerError {
            throw CLIError(code: .tempFail, message: "kan ikke lytte på \(e.description)")
        }
        printError("ssp-intake web: lytter på http://\(server.address)\(publicURL.map { " (offentligt: \($0.absoluteString))" } ?? "")")
        while !stop.requested { usleep(200_000) }
        server.stop()
        printError("ssp-intake web: stoppet")
        return .ok
    }
}
