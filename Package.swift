// swift-tools-version:6.0
import PackageDescription

// Layers: MailCore is pure (bytes in, values out, no I/O); CurlTransport is the
// libcurl adapter; SSPIntakeCLI is the thin executable. C libraries come in as
// system libraries with apt providers, never as Swift package dependencies.
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
        // One typed C function per argument kind of curl's variadic setopt/getinfo.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .target(name: "MailCore"),
        .target(name: "CurlTransport", dependencies: ["CCurl", "CCurlShim"]),
        .executableTarget(
            name: "SSPIntakeCLI", dependencies: ["MailCore", "CurlTransport"],
            path: "Sources/SSPIntakeCLI"),
        .testTarget(name: "MailCoreTests", dependencies: ["MailCore"]),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "CCurl", "CCurlShim"]),
        .testTarget(name: "SSPIntakeCLITests", dependencies: ["MailCore"]),
    ]
)
