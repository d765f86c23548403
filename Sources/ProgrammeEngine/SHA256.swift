import Crypto

/// SHA-256 (FIPS 180-4): the fingerprint of the playbook text stored with each client, of the
/// histories this machine has seen (`SeenRevisions`), of an agreement's terms and of each
/// event in the hash chain. In the engine, so that the engine can tell a stale signature.
///
/// A thin wrapper over swift-crypto's `SHA256` (BoringSSL's assembly, SHA extensions where
/// the processor has them): one well-kept crypto library for every hash and signature
/// Accord makes, where a hand-written SHA-256 was one more thing to get right. The wrapper
/// keeps the spelling the code base uses (`SHA256.hex(bytes)`, a hasher fed piece by piece)
/// and hashes contiguous bytes (an array, a native string's UTF-8) in place, without copying:
/// every read hashes the stored playbook's text, hundreds of kilobytes for a large playbook.
public struct SHA256: @unchecked Sendable {
  // Unchecked because swift-crypto's hasher does not declare Sendable; it is a value with a
  // copy-on-write context, so a copy is independent of the original, as an array is.
  private var hasher = Crypto.SHA256()

  /// An empty hash, ready for `update`.
  public init() {}

  /// The lowercase hex SHA-256 of `bytes`, for example `SHA256.hex(text.utf8)`.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.hexDigest()
  }

  /// The digest of everything added so far, as lowercase hex. Like `finalize`, call it once.
  public mutating func hexDigest() -> String {
    Self.hex(digest: finalize())
  }

  /// Adds `bytes` to the message.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
      hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
    }
    guard done == nil else { return }
    // A sequence with no contiguous storage (a lazy map, a bridged string): copied once.
    let copy = [UInt8](bytes)
    copy.withUnsafeBytes { hasher.update(bufferPointer: $0) }
  }

  /// Adds the bytes `bytes` points at.
  public mutating func update(raw bytes: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: bytes)
  }

  /// The 32-byte digest of everything added so far. Call it once.
  public mutating func finalize() -> [UInt8] {
    Array(hasher.finalize())
  }

  /// Whether the digest of everything added so far is `hex` (lowercase, 64 digits), compared
  /// in place: the history's chain checks one link per event, half a million on a long read.
  /// Like `finalize`, call it once.
  public mutating func finalize(matchingHex hex: String) -> Bool {
    let digest = hasher.finalize()
    var hex = hex
    return hex.withUTF8 { text in
      guard text.count == 64 else { return false }
      return digest.withUnsafeBytes { bytes in
        for index in 0..<32 {
          let byte = bytes[index]
          guard text[2 * index] == Self.digits[Int(byte >> 4)], text[2 * index + 1] == Self.digits[Int(byte & 0x0f)]
          else { return false }
        }
        return true
      }
    }
  }

  private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

  /// `digest` as lowercase hex, two digits a byte.
  public static func hex(digest: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
