import Crypto
import Foundation
import ProgrammeEngine

/// The firm's public key: 32 bytes, written as `accord-ed25519:` and their base64.
public struct FirmPublicKey: Sendable, Hashable, CustomStringConvertible {
  /// What the text form begins with, naming the algorithm.
  public static let prefix = "accord-ed25519:"

  public let raw: [UInt8]

  init(raw: [UInt8]) {
    self.raw = raw
  }

  /// Reads the text form, `accord-ed25519:BASE64` (white space around it ignored).
  public init(text: String) throws(KeyTextError) {
    let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix(Self.prefix) else {
      throw KeyTextError("a public key starts with '\(Self.prefix)'")
    }
    guard let bytes = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))) else {
      throw KeyTextError("the text after '\(Self.prefix)' is not base64")
    }
    guard bytes.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil else {
      throw KeyTextError("a public key is 32 bytes, not \(bytes.count)")
    }
    raw = [UInt8](bytes)
  }

  /// `accord-ed25519:` and the base64 of the 32 bytes: the form `accord key show` prints.
  public var text: String { Self.prefix + Data(raw).base64EncodedString() }

  public var description: String { text }

  /// A short name for the key: the first 16 hex digits of the SHA-256 of its 32 bytes,
  /// in four groups (`3f2a-9c01-77be-d410`), to read out over the phone.
  public var fingerprint: String {
    let hex = Array(ProgrammeEngine.SHA256.hex(raw).prefix(16))
    return stride(from: 0, to: 16, by: 4).map { String(hex[$0..<$0 + 4]) }.joined(separator: "-")
  }

  /// Whether `signature` is this key's Ed25519 signature of `bytes`.
  func isValidSignature(_ signature: [UInt8], for bytes: [UInt8]) -> Bool {
    guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
    return key.isValidSignature(signature, for: bytes)
  }
}
