import Foundation
import ProgrammeEngine
import SeededRandom
import Testing

@testable import WorkspaceStore

/// The digest that checks stored playbook texts on every read (swift-crypto) gives exactly
/// the fingerprint the store writes (the SHA-256 every file has carried).
@Suite struct PlaybookDigestTests {
  @Test func theDigestIsTheFingerprintTheStoreWrites() throws {
    // FIPS 180-4's own examples, and the empty text.
    #expect(playbookDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(playbookDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    var random = SeededRandom(seed: SeededRandom.seed(for: "playbook digest"))
    let pieces = ["stages:\n", "  - id: x\n", "é", "🤝", "\t", "\u{0}", String(repeating: "y", count: 63)]
    for _ in 0..<300 {
      let text = (0..<Int.random(in: 0...400, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
      #expect(playbookDigest(text) == SHA256.hex(text.utf8))
      #expect(StoredPlaybook(id: "p", version: 1, title: "t", origin: "o", source: text).sha256 == playbookDigest(text))
    }
  }
}
