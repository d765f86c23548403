import ProgrammeEngine
import SeededRandom
import Testing

@testable import WorkspaceStore

@Suite struct SHA256Tests {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA256ShortMsg" and the long-message test).
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
  ])
  func nistVectors(message: String, digest: String) {
    #expect(SHA256.hex(message.utf8) == digest)
  }

  @Test func oneMillionA() {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(
      SHA256.hex(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Lengths around the padding boundaries (55 bytes fits the length in one block, 56 needs
  /// a second); digests from coreutils' sha256sum.
  @Test(arguments: [
    (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
    (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
    (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
    (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
  ])
  func paddingBoundaries(length: Int, digest: String) {
    #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
  }

  /// Feeding the message in pieces gives the same digest as feeding it whole.
  @Test func incrementalUpdates() {
    var hasher = SHA256()
    for piece in ["abcdbcdecdefdefgefgh", "fghighijhijkijkljklmklmn", "lmnomnopnopq"] {
      hasher.update(piece.utf8)
    }
    let hex = hasher.finalize().map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }
    #expect(hex.joined() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }
}

/// The wrapper hashes contiguous bytes in place and copies anything else: both paths, fed
/// whole or in pieces, give one digest, and it is the fingerprint the store writes for a
/// playbook's text (the SHA-256 every file has carried).
@Suite struct SHA256PathTests {
  @Test func contiguousAndOtherSequencesGiveOneDigest() {
    var random = SeededRandom(seed: SeededRandom.seed(for: "sha256 paths"))
    let pieces = ["stages:\n", "  - id: x\n", "é", "🤝", "\t", "\u{0}", String(repeating: "y", count: 63)]
    for _ in 0..<300 {
      let text = (0..<Int.random(in: 0...400, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
      let whole = SHA256.hex(text.utf8)
      #expect(SHA256.hex(text.utf8.lazy.map { $0 }) == whole)
      #expect(SHA256.hex(Array(text.utf8)) == whole)
      var hasher = SHA256()
      let bytes = Array(text.utf8)
      let cut = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
      hasher.update(bytes[..<cut])
      hasher.update(bytes[cut...].lazy.map { $0 })
      #expect(hasher.hexDigest() == whole)
      #expect(StoredPlaybook(id: "p", version: 1, title: "t", origin: "o", source: text).sha256 == whole)
    }
  }
}
