import SystemCrypto
import Testing

@Suite("yescrypt, SHA-256, random tokens")
struct SystemCryptoTests {
    @Test func yescryptHashVerifiesOnlyItsPassword() throws {
        let hash = try PasswordHash.make("korrekt hest batteri")
        #expect(hash.hasPrefix("$y$"))
        #expect(!hash.contains("korrekt"))
        #expect(PasswordHash.verify("korrekt hest batteri", against: hash))
        #expect(!PasswordHash.verify("korrekt hest batterI", against: hash))
        #expect(!PasswordHash.verify("", against: hash))
    }

    @Test func eachHashHasItsOwnSalt() throws {
        let a = try PasswordHash.make("samme adgangskode"), b = try PasswordHash.make("samme adgangskode")
        #expect(a != b)
        #expect(PasswordHash.verify("samme adgangskode", against: a) && PasswordHash.verify("samme adgangskode", against: b))
    }

    @Test func weakerMethodsAndBrokenHashesAreRefused() throws {
        // The same password under MD5-crypt and SHA-512-crypt, as an edited row might hold it.
        #expect(!PasswordHash.verify("password", against: "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"))
        #expect(!PasswordHash.verify("password", against: "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"))
        #expect(!PasswordHash.verify("password", against: "$y$"))
        #expect(!PasswordHash.verify("password", against: ""))
    }

    @Test func passwordsWithNULAreRefused() {
        #expect(throws: CryptoError.self) { try PasswordHash.make("abc\u{0}defghijkl") }
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(Hex.encode(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func tokensAre256BitsAndDiffer() throws {
        let tokens = try (0..<100).map { _ in try SecureRandom.token() }
        #expect(tokens.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(tokens).count == 100)
        #expect(try SecureRandom.bytes(16).count == 16)
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd"))
        #expect(!ConstantTime.equal("abc", "abcd"))
        #expect(ConstantTime.equal("", ""))
    }
}
