import Foundation
@testable import MailCore

// Shared by the MIME core tests: messages are written inline as string literals
// with explicit "\r\n"; raw 8-bit bytes are spliced in as [UInt8].

/// Parses a message written as a Swift string (its UTF-8 bytes).
func parseMail(_ s: String, limits: MIMELimits = .standard) -> MailMessage {
    MailMessage(bytes: Array(s.utf8), limits: limits)
}

/// The codes of some findings, for `contains` checks.
func findingCodes(_ findings: [Finding]) -> Set<String> {
    Set(findings.map(\.code))
}

/// `s` as UTF-8 bytes.
func utf8Bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// RFC 2047 decoding of unstructured header text.
func decodeWords(_ s: String) -> String {
    EncodedWord.decodeUnstructured(Array(s.utf8))
}

/// A deterministic generator (SplitMix64) so that fuzz failures can be replayed.
struct MIMEFuzzRNG: RandomNumberGenerator {
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
