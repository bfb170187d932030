import Foundation
import Intake

/// Finds and reads the configuration: `--config`, else `$SSP_INTAKE_CONFIG`, else `config/ssp-intake.json`.
enum ConfigLoader {
    static let defaultPath = "config/ssp-intake.json"

    static func path(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["SSP_INTAKE_CONFIG"] ?? defaultPath
    }

    static func load(_ explicit: String?) throws -> IntakeConfig {
        let path = path(explicit)
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CLIError(code: .config, message: "cannot read config \(path): \(systemReason(error)) (give --config FILE or run from the project folder)")
        }
        let dir = url.deletingLastPathComponent()
        do {
            return try IntakeConfig.decode(site: data) { relative in
                let file = relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : dir.appendingPathComponent(relative)
                do {
                    return try Data(contentsOf: file)
                } catch {
                    throw ConfigError("cannot read \(file.path): \(systemReason(error))")
                }
            }
        } catch let e as ConfigError {
            throw CLIError(code: .config, message: "config \(path): \(e.message)")
        }
    }
}
