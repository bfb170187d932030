import Dispatch
import Foundation
import Secretariat
import MailPorts
import Pipeline

/// `ssp-intake run`: the service (poll, process, answer, repeat) or one pass with `--once`.
struct RunCommand: Command {
    static let name = "run"
    static let summary = "Læs ny post, behandl den, sæt svar i kø og lever dem (som tjeneste, eller --once)"
    static let help = """
        Brug: ssp-intake run [--once] [--queue] [--config FIL]

        Gemmer hver ny mail fra postkassen (standard: mailbox-samples/; eller
        IMAP), læser den efter reglerne, opretter eller opdaterer sagen,
        sætter svar i kø og leverer dem (standard: som .eml-filer i
        var/outbox/; eller SMTP). Alt gemmes i var/ssp-intake.sqlite. En mail,
        der ikke kan behandles, gemmes som fejlet og vises i køen.

        Uden --once kører den som tjeneste og læser postkassen med det
        konfigurerede interval (pollIntervalSeconds). SIGTERM eller SIGINT
        afslutter pænt: mailen i hånden gøres færdig først. Forbigående fejl
        (serveren svarer ikke) logges og prøves igen med stigende pause.

          --once         én gennemgang (til cron)
          --queue        vis køen bagefter (med --once)
          --config FIL   konfigurationen (standard: config/ssp-intake.json)

        Kun én ssp-intake ad gangen kører på en datamappe (run og reprocess
        tager låsen ssp-intake.lock i datamappen); en anden afslutter med 75
        og nævner den førstes pid. Log på stderr, én linje pr. hændelse, uden
        adgangskoder. En fejlet gennemgang gemmes, så status viser den.
        Afslutningskoder: 0 ok, 64 forkert brug, 73/74 datamappen eller
        databasen kan ikke bruges, 75 databasen er optaget eller en anden
        ssp-intake kører, 77 login afvist, 78 konfigurationen (også en
        adgangskode, der ikke kan læses).
        """

    var configPath: String?
    var once: Bool
    var showQueue: Bool

    init(arguments: [String]) throws {
        let p = try ParsedArguments(arguments, flags: ["--once", "--queue"], options: ["--config"])
        guard p.operands.isEmpty else { throw CLIError.usage("run tager ingen argumenter ud over tilvalg") }
        configPath = p.values["--config"]
        once = p.flags.contains("--once")
        showQueue = p.flags.contains("--queue")
        if showQueue && !once { throw CLIError.usage("--queue kan kun bruges sammen med --once") }
    }

    func run() throws -> ExitCode {
        let ws = try Workspace.open(configPath, store: .create)
        _ = try ws.runnerLock()
        let log: (String) -> Void = { printError("ssp-intake: \($0)") }
        let pipeline = try ws.pipeline(log: log)
        if once {
            let s = try pass(pipeline, log: log)
            if showQueue { print(try QueueCommand.table(ws.desk, kind: nil, status: nil), terminator: "") }
            return s == nil ? .tempFail : .ok
        }
        let stop = StopSignal()
        pipeline.shouldStop = { stop.requested }
        log("tjenesten kører; læser hvert \(ws.settings.pollIntervalSeconds). sekund")
        var wait = Double(ws.settings.pollIntervalSeconds)
        while !stop.requested {
            let ok = try pass(pipeline, log: log) != nil
            // Backoff after a failed poll, up to ten intervals; back to normal after a good one.
            wait = ok ? Double(ws.settings.pollIntervalSeconds) : min(wait * 2, Double(ws.settings.pollIntervalSeconds) * 10)
            let until = Date().addingTimeInterval(wait)
            while !stop.requested && Date() < until { Thread.sleep(forTimeInterval: 0.1) }
        }
        log("stoppet")
        return .ok
    }

    /// One pass; a transient server problem is logged and nil returned, a refused login ends the program.
    static func seconds(_ s: Double) -> String {
        s.formatted(.number.precision(.fractionLength(1)).locale(Locale(identifier: "da_DK"))) + " s"
    }

    private func pass(_ pipeline: Pipeline, log: (String) -> Void) throws -> RunSummary? {
        // What went wrong stays in the store until a pass succeeds, for `status` to show.
        func failed(_ error: Error) {
            try? pipeline.store.recordPassFailure(DanishSystemError.describe(error))
        }
        do {
            let s = try pipeline.runOnce()
            try pipeline.store.clearPassFailure()
            log("\(s.ingested) nye, \(s.processed) behandlet, \(s.failed) fejlet, \(s.delivered) svar leveret"
                + (s.deliveryFailures > 0 ? ", \(s.deliveryFailures) ikke leveret" : "")
                + " (hentet \(Self.seconds(pipeline.lastTimings.fetch)), behandlet \(Self.seconds(pipeline.lastTimings.process)),"
                + " leveret \(Self.seconds(pipeline.lastTimings.deliver)))")
            return s
        } catch let e as SourceError {
            failed(e)
            if case .loginRefused = e { throw CLIError(source: e) }
            log(e.description)
            // Replies already queued still go out while the mailbox is away.
            _ = try? pipeline.processPending()
            _ = try? pipeline.deliver()
            return nil
        } catch {
            failed(error)
            throw error
        }
    }
}

extension Workspace {
    /// The one-runner-per-data-directory lock, held until the process ends; another runner is 75.
    func runnerLock() throws -> RunnerLock {
        do {
            return try RunnerLock.acquire(dataDirectory: settings.dataDirectory)
        } catch let e as RunnerLockError {
            throw CLIError(code: e.isHeld ? .tempFail : .cantCreate, message: e.message)
        }
    }
}

/// Set by SIGTERM/SIGINT; the loop checks it between messages, so no step is left half done.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in self?.set() }
            s.resume()
            sources.append(s)
        }
    }

    private func set() {
        lock.lock()
        flag = true
        lock.unlock()
    }

    var requested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }
}

extension CLIError {
    /// A refused login is 77 (an operator must act), a mailbox away 75 (try later), anything else 74.
    init(source e: SourceError) {
        switch e {
        case .loginRefused: self.init(code: .noPermission, message: e.description)
        case .unavailable: self.init(code: .tempFail, message: e.description)
        case .failed: self.init(code: .ioError, message: e.description)
        }
    }
}
