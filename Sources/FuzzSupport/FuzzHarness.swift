import Foundation

// What the two fuzz targets share: libFuzzer's entry points and the replay of saved inputs.
// Each target defines only its `exercise` function and hands it over here.

/// The input handler of the running target; set once before the fuzzer starts.
nonisolated(unsafe) private var currentTarget: ([UInt8]) -> Void = { _ in }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    currentTarget(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// Runs libFuzzer's driver on `target` (only in a build with -sanitize=fuzzer, which links libFuzzer).
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ target: @escaping ([UInt8]) -> Void) -> CInt {
    currentTarget = target
    var c = argc
    var v = argv
    return runFuzzerDriver(&c, &v) { data, size in fuzzOneInput(data, size) }
}
#endif

/// Feeds each file named on the command line to `target`: how a saved crash is rerun.
public func replayFiles(_ target: ([UInt8]) -> Void) {
    for path in CommandLine.arguments.dropFirst() {
        guard let d = FileManager.default.contents(atPath: path) else { continue }
        target([UInt8](d))
    }
    print("replayed \(CommandLine.arguments.count - 1) inputs")
}
