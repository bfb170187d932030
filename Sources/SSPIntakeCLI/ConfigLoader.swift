import Foundation
import Intake
import Pipeline

/// Finds and reads the configuration: `--config`, else `$SSP_INTAKE_CONFIG`, else `config/ssp-intake.json`.
/// Strict: a key no decoder reads is refused (78) with the known key it most likely meant.
enum ConfigLoader {
    static let defaultPath = "config/ssp-intake.json"

    static func path(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["SSP_INTAKE_CONFIG"] ?? defaultPath
    }

    /// The site file's keys: the intake config and the runtime settings each read a part of the same file.
    static let siteKeys = IntakeConfig.siteKeys.union(RuntimeSettings.siteKeys)

    static func load(_ explicit: String?) throws -> IntakeConfig {
        try loadSite(explicit).config
    }

    /// The intake config and the site file's bytes, for the runtime settings to read their part.
    static func loadSite(_ explicit: String?) throws -> (config: IntakeConfig, data: Data) {
        let path = path(explicit)
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CLIError(code: .config, message: "kan ikke læse konfigurationen \(path): \(DanishSystemError.reason(error)) "
                           + "(giv --config FIL, eller kør fra projektmappen)")
        }
        try checkKeys(data, siteKeys, file: path)
        let names = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let dir = url.deletingLastPathComponent()
        do {
            let config = try IntakeConfig.decode(site: data, siteName: "") { relative in
                let file = relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : dir.appendingPathComponent(relative)
                let d: Data
                do {
                    d = try Data(contentsOf: file)
                } catch {
                    throw ConfigError("kan ikke læse \(file.path): \(DanishSystemError.reason(error))")
                }
                if relative == names?["rules"] as? String { try checkKeys(d, IntakeConfig.rulesKeys, file: file.path) }
                if relative == names?["replies"] as? String { try checkKeys(d, IntakeConfig.repliesKeys, file: file.path) }
                return d
            }
            return (config, data)
        } catch let e as ConfigError {
            throw CLIError(code: .config, message: "konfigurationen \(path): \(e.message)")
        }
    }

    // Before decoding, so a misspelt required key is told as the typo it is, not as a missing key.
    // Bytes that are not JSON are left to the decoder, whose message says so.
    private static func checkKeys(_ data: Data, _ keys: ConfigKeys, file: String) throws {
        guard let json = try? JSONSerialization.jsonObject(with: data), let unknown = keys.unknownKey(in: json) else { return }
        throw CLIError(code: .config, message: unknown.message(file: file))
    }
}
