/// Process exit codes from sysexits(3), so scripts and systemd can tell failures apart.
enum ExitCode: Int32 {
    case ok = 0
    case failure = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case software = 70
    case cantCreate = 73
    case ioError = 74
    case tempFail = 75
    case noPermission = 77
    case config = 78
}

/// An error that ends the program with a one-line message and a sysexits code.
struct CLIError: Error {
    var code: ExitCode
    var message: String

    static func usage(_ message: String) -> CLIError { CLIError(code: .usage, message: message) }
}
