import Foundation
import Testing

@testable import AgreementCertificates

/// The firm's key: its seed, the public key's text form and fingerprint, and what is not a key.
@Suite struct FirmKeyTests {
  static let key = try! FirmKey(seed: Array(repeating: 7, count: 32))

  @Test func thePublicKeyTextRoundTrips() throws {
    let text = Self.key.publicKey.text
    #expect(text.hasPrefix("accord-ed25519:"))
    #expect(try FirmPublicKey(text: text) == Self.key.publicKey)
    #expect(try FirmPublicKey(text: "  " + text + "\n") == Self.key.publicKey)
    #expect(try FirmKey(seed: Self.key.seed).publicKey == Self.key.publicKey)
    #expect(FirmKey().publicKey != FirmKey().publicKey)
  }

  @Test func theFingerprintIsFourGroupsOfTheKeysSHA256() {
    let fingerprint = Self.key.publicKey.fingerprint
    #expect(fingerprint.count == 19)
    #expect(fingerprint.split(separator: "-").map(\.count) == [4, 4, 4, 4])
  }

  @Test(arguments: [
    "", "ed25519:AAAA", "accord-ed25519:", "accord-ed25519:not base64!",
    "accord-ed25519:" + Data(repeating: 1, count: 31).base64EncodedString(),
    "accord-ed25519:" + Data(repeating: 1, count: 33).base64EncodedString(),
  ])
  func whatIsNotAPublicKeyIsRefused(_ text: String) {
    #expect(throws: KeyTextError.self) { try FirmPublicKey(text: text) }
  }

  @Test func aSeedIsThirtyTwoBytes() {
    #expect(throws: KeyTextError.self) { try FirmKey(seed: [1, 2, 3]) }
  }

  @Test func aSignatureIsValidOnlyForItsKeyAndBytes() {
    let other = try! FirmKey(seed: Array(repeating: 9, count: 32))
    let signature = Self.key.sign(Array("terms".utf8))
    #expect(signature.count == 64)
    #expect(Self.key.publicKey.isValidSignature(signature, for: Array("terms".utf8)))
    #expect(!Self.key.publicKey.isValidSignature(signature, for: Array("Terms".utf8)))
    #expect(!other.publicKey.isValidSignature(signature, for: Array("terms".utf8)))
  }
}
