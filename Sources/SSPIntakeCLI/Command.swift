import Foundation

/// One subcommand: its help text, argument validation and its run step.
protocol Command {
    static var name: String { get }
    static var summary: String { get }
    static var help: String { get }
    /// Validates the arguments; a usage problem throws `CLIError.usage`.
    init(arguments: [String]) throws
    func run() throws -> ExitCode
}

/// Splits arguments into flags (`--x`, `--x=v`, `--x v` for the named value options) and operands.
struct ParsedArguments {
    var flags: Set<String> = []
    var values: [String: String] = [:]
    var operands: [String] = []

    init(_ args: [String], flags allowedFlags: Set<String>, options allowedOptions: Set<String>) throws {
        var i = 0
        var onlyOperands = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyOperands || !a.hasPrefix("-") || a == "-" {
                operands.append(a)
                continue
            }
            if a == "--" { onlyOperands = true; continue }
            var name = a
            var inline: String? = nil
            if let eq = a.firstIndex(of: "=") {
                name = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            }
            if allowedFlags.contains(name) {
                guard inline == nil else { throw CLIError.usage("\(name) tager ingen værdi") }
                flags.insert(name)
            } else if allowedOptions.contains(name) {
                if let v = inline {
                    values[name] = v
                } else {
                    guard i < args.count else { throw CLIError.usage("\(name) skal have en værdi") }
                    values[name] = args[i]
                    i += 1
                }
            } else {
                throw CLIError.usage("ukendt tilvalg \(TerminalText.safe(name))")
            }
        }
    }
}

/// Standard error, for logs and error lines; standard output is for results only.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
