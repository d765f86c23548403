/// SHA-256 (FIPS 180-4): the fingerprint of the playbook text stored with each client, of the
/// histories this machine has seen (`SeenRevisions`), of an agreement's terms and of each
/// event in the hash chain. In the engine, so that the engine can tell a stale signature.
///
/// Hand-written rather than taken from swift-crypto so that a clean build stays fast. Every
/// read hashes the stored playbook's text, which for a large playbook is hundreds of
/// kilobytes, so whole blocks are compressed straight from the caller's bytes when they
/// are contiguous, with no per-byte copying or allocation.
public struct SHA256: Sendable {
  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  private var state: SIMD8<UInt32> = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
    0x5be0_cd19,
  ]
  /// Bytes waiting for a full 64-byte block.
  private var pending: [UInt8] = []
  /// How much of the message the compressed blocks hold, in bits.
  private var compressedBits: UInt64 = 0

  /// An empty hash, ready for `update`.
  public init() {
    pending.reserveCapacity(64)
  }

  /// The lowercase hex SHA-256 of `bytes`, for example `SHA256.hex(text.utf8)`.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.hexDigest()
  }

  /// The digest of everything added so far, as lowercase hex. Like `finalize`, call it once.
  public mutating func hexDigest() -> String {
    let digits = Array("0123456789abcdef".utf8)
    let digest = finalize()
    return String(unsafeUninitializedCapacity: 64) { buffer in
      for (index, byte) in digest.enumerated() {
        buffer[2 * index] = digits[Int(byte >> 4)]
        buffer[2 * index + 1] = digits[Int(byte & 0x0f)]
      }
      return 64
    }
  }

  /// Adds `bytes` to the message.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
      update(contiguous: UnsafeRawBufferPointer(buffer))
    }
    guard done == nil else { return }
    for byte in bytes {
      pending.append(byte)
      if pending.count == 64 { compressPending() }
    }
  }

  private mutating func update(contiguous bytes: UnsafeRawBufferPointer) {
    var offset = 0
    // Top up a partial block first, then take whole blocks straight from the caller's bytes.
    if !pending.isEmpty {
      let take = min(64 - pending.count, bytes.count)
      pending.append(contentsOf: bytes[0..<take])
      offset = take
      if pending.count == 64 { compressPending() }
    }
    while bytes.count - offset >= 64 {
      compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 64]))
      offset += 64
    }
    if offset < bytes.count {
      pending.append(contentsOf: bytes[offset...])
    }
  }

  private mutating func compressPending() {
    let block = pending
    block.withUnsafeBytes { compress($0) }
    pending.removeAll(keepingCapacity: true)
  }

  /// The 32-byte digest of everything added so far. Call it once: it pads the message.
  public mutating func finalize() -> [UInt8] {
    let bitLength = compressedBits &+ UInt64(pending.count) &* 8
    // Padding: a single 1 bit, zeros up to 56 bytes mod 64, then the length in bits.
    pending.append(0x80)
    if pending.count > 56 {
      pending += [UInt8](repeating: 0, count: 64 - pending.count)
      compressPending()
    }
    pending += [UInt8](repeating: 0, count: 56 - pending.count)
    for shift in stride(from: 56, through: 0, by: -8) {
      pending.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    compressPending()
    var digest: [UInt8] = []
    digest.reserveCapacity(32)
    for index in 0..<8 {
      let word = state[index]
      digest += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) }
    }
    return digest
  }

  /// One 64-byte block, eight rounds at a time so that the working variables change
  /// places by renaming rather than by moving values around.
  private mutating func compress(_ block: UnsafeRawBufferPointer) {
    compressedBits &+= 512
    Self.roundConstants.withUnsafeBufferPointer { constants in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
        for index in 0..<16 {
          schedule[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
        for index in 16..<64 {
          let w15 = schedule[index - 15]
          let w2 = schedule[index - 2]
          let sigma0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 >> 3)
          let sigma1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 >> 10)
          schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
        }
        var (a, b, c, d) = (state[0], state[1], state[2], state[3])
        var (e, f, g, h) = (state[4], state[5], state[6], state[7])
        @inline(__always)
        func round(
          _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
          _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ index: Int
        ) {
          let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
          let choice = (e & f) ^ (~e & g)
          let temp1 = h &+ sum1 &+ choice &+ constants[index] &+ schedule[index]
          let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
          let majority = (a & b) ^ (a & c) ^ (b & c)
          d &+= temp1
          h = temp1 &+ sum0 &+ majority
        }
        for index in stride(from: 0, to: 64, by: 8) {
          round(a, b, c, &d, e, f, g, &h, index)
          round(h, a, b, &c, d, e, f, &g, index + 1)
          round(g, h, a, &b, c, d, e, &f, index + 2)
          round(f, g, h, &a, b, c, d, &e, index + 3)
          round(e, f, g, &h, a, b, c, &d, index + 4)
          round(d, e, f, &g, h, a, b, &c, index + 5)
          round(c, d, e, &f, g, h, a, &b, index + 6)
          round(b, c, d, &e, f, g, h, &a, index + 7)
        }
        state &+= SIMD8(a, b, c, d, e, f, g, h)
      }
    }
  }

}

@inline(__always)
private func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
  (value >> count) | (value << (32 - count))
}
