import Crypto
import Foundation

/// The firm's Ed25519 key pair, which seals certificates. Only its 32-byte seed is kept (in
/// the firm key file, see `FirmKeyFile`); the public key is derived from it.
public struct FirmKey: Sendable {
  /// The 32-byte seed, as the key file holds it. Kept rather than swift-crypto's key value,
  /// which is not Sendable; the key is made from it when it is used.
  public let seed: [UInt8]

  /// A new key pair from the system's secure random source.
  public init() {
    seed = [UInt8](Curve25519.Signing.PrivateKey().rawRepresentation)
  }

  /// The key pair of a 32-byte seed, as the key file holds it.
  public init(seed: [UInt8]) throws(KeyTextError) {
    guard seed.count == 32, (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) != nil else {
      throw KeyTextError("a private key is 32 bytes, not \(seed.count)")
    }
    self.seed = seed
  }

  private var key: Curve25519.Signing.PrivateKey {
    // The seed was checked when this value was made, so the key can always be made again.
    try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
  }

  /// The public key to give to clients.
  public var publicKey: FirmPublicKey { FirmPublicKey(raw: [UInt8](key.publicKey.rawRepresentation)) }

  /// The 64-byte Ed25519 signature of `bytes`.
  func sign(_ bytes: [UInt8]) -> [UInt8] {
    // Signing with a valid key cannot fail: BoringSSL's Ed25519 signs any message.
    (try? key.signature(for: bytes)).map { [UInt8]($0) } ?? []
  }
}
