import Testing
import MailCore

/// Deterministic test input: byte i is i*31+7 mod 256, the same rule used to produce the hashlib table.
private func patternBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}

private func hexString(_ digest: [UInt8]) -> String {
    digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

@Suite("SHA-256")
struct SHA256Tests {
    // FIPS 180-4 / NIST CSRC example vectors.
    @Test func emptyInput() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abc() {
        #expect(SHA256.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage448Bits() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hex(Array(message.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func oneMillionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestIsThirtyTwoBytesAndMatchesHex() {
        let digest = SHA256.hash("abc".utf8)
        #expect(digest.count == 32)
        #expect(hexString(digest) == SHA256.hex("abc".utf8))
    }

    // Expected digests from Python's hashlib.sha256 over patternBytes(n), chosen around the
    // 55/56/64-byte padding boundaries where an off-by-one in finalize would show.
    static let hashlibTable: [(Int, String)] = [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (1, "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879"),
        (2, "140d811b81973993df99b8b1742b383ab83f6f52bf7af850812e7bba02ff11da"),
        (3, "647674a296197442f518bcca323ec605dd8d098b2d4f22ee1fdcdd2bb753a189"),
        (31, "5e5f9fa56d6337115e86a2508477e87c7d5296d0b0743ecfde2d0caeed2db37d"),
        (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
        (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
        (57, "5b46e502092be01b1100193e089fdda95638c12e19a1d24f308eb2c3d3ae849d"),
        (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
        (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
        (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
        (100, "c22e490daa445fb2fba44278c022df135310fd278cabca4ad7919eddcccd1dce"),
        (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
        (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
        (121, "614571410beab3df68d50132a341d338575653da8374c630441bbe380b9b3136"),
        (127, "192409cd280e14b743642ad1343fbd3e82d9305de72c078117745a679210cc3d"),
        (128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356"),
        (129, "81e89a7b2911aaa7795f9e3d4910cb47d6cd2b00d83b8399481527261a1a7519"),
        (191, "2a30958d124d569d0a4832c608c772181557edbae684ff368be6592d3bf500c7"),
        (192, "6e3a9b4ecba7af3a46e4f5c90fe02c99b5715144444b38049a42ac8313b30346"),
        (255, "c9241bc45a34a7e4028b10346f6edc6336c11c4e2484dff4e4cff74a003b6da1"),
        (256, "c8c6e02d597fa6c407a5fec30c981c7bbad08972240eea89841b8f37e2fbf32c"),
        (1000, "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179"),
    ]

    @Test(arguments: hashlibTable)
    func agreesWithHashlib(length: Int, expected: String) {
        let input = patternBytes(length)
        #expect(SHA256.hex(input) == expected)
        // Same bytes through the raw-buffer entry point and through a non-contiguous collection.
        var raw = SHA256()
        input.withUnsafeBytes { raw.update($0) }
        #expect(hexString(raw.finalize()) == expected)
        let lazyBytes = (0..<length).lazy.map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(SHA256.hex(lazyBytes) == expected)
    }

    @Test(arguments: [1, 3, 7, 13, 55, 63, 64, 65, 127, 1000])
    func streamingInChunksEqualsOneShot(chunkSize: Int) {
        let input = patternBytes(5000)
        var hasher = SHA256()
        var offset = 0
        while offset < input.count {
            let end = min(offset + chunkSize, input.count)
            hasher.update(input[offset..<end])
            offset = end
        }
        #expect(hasher.finalize() == SHA256.hash(input))
    }

    @Test func streamingWithVaryingOddChunksAndEmptyUpdates() {
        let input = patternBytes(4099)
        var hasher = SHA256()
        var offset = 0
        var step = 0
        while offset < input.count {
            let size = [0, 1, 5, 17, 63, 70, 129, 2][step % 8]
            let end = min(offset + size, input.count)
            hasher.update(input[offset..<end])
            offset = end
            step += 1
        }
        #expect(hexString(hasher.finalize()) == SHA256.hex(input))
    }

    @Test func largeNonContiguousInputCrossesChunkBoundaries() {
        let length = 3 * 1024 + 17
        let lazyBytes = (0..<length).lazy.map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(SHA256.hash(lazyBytes) == SHA256.hash(patternBytes(length)))
    }
}
