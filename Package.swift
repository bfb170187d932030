// swift-tools-version:6.0
import PackageDescription

// Layers: MailCore and Intake are pure (bytes in, values out, no I/O); MailPorts names what the
// pipeline needs of a mailbox and a reply channel; CurlTransport is the libcurl adapter behind it;
// SSPIntakeCLI is the thin executable. C libraries come in as system libraries with apt
// providers, never as Swift package dependencies.
let package = Package(
    name: "ssp-intake",
    products: [
        .executable(name: "ssp-intake", targets: ["SSPIntakeCLI"]),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CXCrypt", path: "Sources/CXCrypt", pkgConfig: "libxcrypt",
            providers: [.apt(["libcrypt-dev"])]),
        // One typed C function per argument kind of curl's variadic setopt/getinfo.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        // Fixed-argument forms of libmicrohttpd's variadic start_daemon and get_daemon_info.
        .target(name: "CMicroHTTPDShim", dependencies: ["CMicroHTTPD"]),
        // The MIME reader: pure (bytes in, values out); SHA-256 from libcrypto is a computation, no I/O.
        .target(name: "MailCore", dependencies: ["CCrypto"]),
        // The case model: kinds, statuses, the transitions between them and who may cause each. Pure.
        .target(name: "CaseModel"),
        // The intake rules: pure like MailCore (zlib only inflates .docx bytes in memory).
        .target(name: "Intake", dependencies: ["MailCore", "CZlib"]),
        // The SQLite store: the truth about messages, records, replies and decisions.
        .target(name: "Store", dependencies: ["CSQLite", "CaseModel", "Intake", "MailCore"]),
        // What the pipeline needs of a mailbox and of a reply channel, and the errors they give, in no transport's terms.
        .target(name: "MailPorts", dependencies: ["Store", "MailCore"]),
        // The libcurl adapter: the IMAP source and the SMTP sink behind MailPorts.
        .target(name: "CurlTransport", dependencies: ["CCurl", "CCurlShim", "MailPorts", "Store", "MailCore"]),
        // Joins sources, the rules, the store and sinks; knows no transport.
        .target(name: "Pipeline", dependencies: ["CaseModel", "Store", "Intake", "MailCore", "MailPorts"]),
        // The Secretariat's views and actions over the store and the case model: no printing, used by the CLI and the web.
        .target(name: "Secretariat", dependencies: ["CaseModel", "Store", "Intake", "MailCore", "Pipeline"]),
        // The libmicrohttpd adapter: requests in, responses out, nothing of the domain.
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "CMicroHTTPDShim"]),
        // Random bytes, SHA-256 and constant-time comparison from libcrypto; yescrypt from libxcrypt.
        .target(name: "SystemCrypto", dependencies: ["CCrypto", "CXCrypt", "MailCore"]),
        // Who may log in and act: users, roles, sessions and the login throttle over the store.
        .target(name: "Accounts", dependencies: ["Store", "SystemCrypto"]),
        // The workbench in the browser: routes, sessions, CSRF and Origin checks, Danish pages.
        .target(name: "Workbench", dependencies: ["HTTPServer", "Accounts", "Store", "Secretariat", "Pipeline", "Intake", "CaseModel"]),
        .executableTarget(
            name: "SSPIntakeCLI",
            dependencies: ["CaseModel", "MailCore", "Intake", "Store", "MailPorts", "Pipeline", "Secretariat", "CurlTransport", "Accounts", "HTTPServer", "Workbench"],
            path: "Sources/SSPIntakeCLI"),
        // libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer); a normal build replays files.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzMIME", dependencies: ["MailCore", "FuzzSupport"]),
        .executableTarget(name: "FuzzIntake", dependencies: ["Intake", "MailCore", "FuzzSupport"]),
        .testTarget(name: "CaseModelTests", dependencies: ["CaseModel"]),
        .testTarget(name: "MailCoreTests", dependencies: ["MailCore"], exclude: ["CorpusDisagreements.md"]),
        .testTarget(name: "IntakeTests", dependencies: ["Intake", "MailCore"], exclude: ["Extraction"]),
        .testTarget(name: "PipelineTests", dependencies: ["CaseModel", "Pipeline", "Secretariat", "Store", "Intake", "MailCore", "MailPorts", "CurlTransport"],
                    exclude: ["Threads"]),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "CCurl", "CCurlShim"]),
        .testTarget(name: "SecretariatTests", dependencies: ["Secretariat", "CaseModel", "Pipeline", "Store", "Intake", "MailCore"]),
        .testTarget(name: "SSPIntakeCLITests", dependencies: ["MailCore"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "SystemCryptoTests", dependencies: ["SystemCrypto"]),
        .testTarget(name: "AccountsTests", dependencies: ["Accounts", "Store"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "HTTPServer", "Accounts", "Store", "Secretariat", "Pipeline", "Intake", "CaseModel", "MailPorts"]),
    ]
)
