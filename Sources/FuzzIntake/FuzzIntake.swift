import Foundation
import FuzzSupport
import Intake
import MailCore

// libFuzzer target for the intake rules: recognise, extract, validate and compose the reply,
// with the project's own config. See Sources/FuzzMIME/main.swift for how it is built and replayed.

let configDir = ProcessInfo.processInfo.environment["SSP_INTAKE_CONFIG_DIR"] ?? "config"
let engine: IntakeEngine = {
    let dir = URL(fileURLWithPath: configDir)
    guard let site = FileManager.default.contents(atPath: dir.appendingPathComponent("ssp-intake.json").path),
          let config = try? IntakeConfig.decode(site: site, read: { try Data(contentsOf: dir.appendingPathComponent($0)) })
    else { fatalError("FuzzIntake needs the config folder (SSP_INTAKE_CONFIG_DIR, default ./config)") }
    return IntakeEngine(config: config)
}()

func exercise(_ bytes: [UInt8]) {
    let m = MailMessage(bytes: bytes)
    let r = engine.evaluate(m, received: Date(timeIntervalSince1970: 1_800_000_000), reference: "SSP-2027-0001")
    if let plan = r.reply {
        let out = ReplyComposer.compose(plan, inReplyTo: m, from: engine.config.site.mailbox,
                                        date: Date(timeIntervalSince1970: 1_800_000_000), messageID: "fuzz@kk.dk")
        // A reply must never carry a header line that did not come from us (CR/LF injection).
        let head = String(decoding: out, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") where !line.hasPrefix(" ") {
            let name = line.prefix { $0 != ":" }
            precondition(["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted",
                          "X-Auto-Response-Suppress", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"].contains(String(name)),
                         "reply header injected: \(line)")
        }
    }
    _ = IntakeReport(r)
}

#if FUZZING
// SwiftPM links an executable's entry point as `<Target>_main`; libFuzzer's driver runs from here.
@_cdecl("FuzzIntake_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, exercise)
}
#else
@main
struct Replay {
    static func main() { replayFiles(exercise) }
}
#endif
