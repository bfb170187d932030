import Foundation
import FuzzSupport
import MailCore

// libFuzzer target for the MIME parser: parse, walk every part, decode every body and text.
// Built for fuzzing by scripts/fuzz (-sanitize=fuzzer,address -DFUZZING); in a normal build it
// replays the files given on the command line, so a crash found by the fuzzer can be rerun.

func exercise(_ bytes: [UInt8]) {
    let m = MailMessage(bytes: bytes)
    _ = m.subject
    _ = m.from
    _ = m.date
    _ = m.references
    for p in m.leafParts {
        _ = m.decodedBody(p)
        if p.contentType.isText { _ = m.text(p) }
    }
    let c = m.content()
    for a in c.attachments { _ = m.data(of: a) }
    _ = MessageReport(m).jsonLine()
}

#if FUZZING
// SwiftPM links an executable's entry point as `<Target>_main`; libFuzzer's driver runs from here.
@_cdecl("FuzzMIME_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, exercise)
}
#else
@main
struct Replay {
    static func main() { replayFiles(exercise) }
}
#endif
