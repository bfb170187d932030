import Foundation
@testable import Intake
import MailCore

/// The project's own config (config/ssp-intake.json), read once for all intake tests.
let testConfig: IntakeConfig = {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")
    do {
        let site = try Data(contentsOf: dir.appendingPathComponent("ssp-intake.json"))
        return try IntakeConfig.decode(site: site) { try Data(contentsOf: dir.appendingPathComponent($0)) }
    } catch {
        fatalError("config/ssp-intake.json must load in tests: \(error)")
    }
}()

let testEngine = IntakeEngine(config: testConfig)

/// A message from header lines and a plain UTF-8 body, CRLF on the wire.
func mail(_ headers: [String], _ body: String) -> MailMessage {
    var h = headers
    if !h.contains(where: { $0.lowercased().hasPrefix("content-type:") }) {
        h.append("Content-Type: text/plain; charset=utf-8")
        h.append("Content-Transfer-Encoding: 8bit")
    }
    let text = h.joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\n", with: "\r\n")
    return MailMessage(bytes: Array(text.utf8))
}

/// Evaluates a message built with `mail`.
func evaluate(_ headers: [String], _ body: String) -> IntakeResult {
    testEngine.evaluate(mail(headers, body))
}

let completeApplication = """
    1. Navn på indsatsen: Tryghedsvandringer i Sydhavnen
    2. Periode: 1. marts 2027 – 30. juni 2027
    3. Målgruppe: Unge 13-17 år i Sydhavnen
    4. Mål: Færre konflikter ved Mozarts Plads
    5. Samarbejdspartnere: Sydhavn Skole, Klub Sydhavn og Københavns Politi
    6. Evaluering: Optælling og interview i juni
    7. Økonomiansvarlig: Karen Holm
    8. Tovholder: Ali Demir, ali.demir@kk.dk, 22 33 44 55
    Kontaktperson fra ledergruppen: Pernille Skov
    Forankring: Kongens Enghave, Klub Sydhavn
    Metode: Social pejling
    Budget:
    Forplejning 2.000 kr. marts 2027
    Honorar 3.000 kr. maj 2027
    I alt 5.000 kr.
    """

/// Deterministic random numbers (SplitMix64) so a failing fuzz case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
