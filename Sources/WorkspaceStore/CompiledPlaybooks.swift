import Foundation
import Glibc
import PlaybookSpec
import ProgrammeEngine

/// A per-user cache of stored playbooks already parsed and validated, so that an everyday
/// read does not parse YAML again.
///
/// Each client file keeps its playbook's whole YAML text and that text's SHA-256; the read
/// checks the two agree before anything here is asked. An entry is the playbook's compiled
/// form (`Playbook.compiled()`) in a file named after that SHA-256, with, inside it, the
/// SHA-256 of the text it was parsed from (worked out by the writer from that text, never
/// taken from its caller) and a checksum of its own bytes, so that only an entry written for
/// exactly this text, whole and undamaged, is ever used. Anything else (no entry, a
/// truncated or damaged one, one from another text or another Accord) is a miss: the text
/// is parsed as before and the entry written again.
///
/// The cache is kept per user outside the workspace (`standard`), since a workspace may be
/// synced or in git. It is only ever an optimisation: failing to read or write it must
/// never fail a command, and the YAML text in the client file stays the one source of truth.
public struct CompiledPlaybooks: Sendable {
  /// The folder of entries, one `<sha256>.v<format>-<layout>` per playbook text.
  public let directory: URL

  public init(directory: URL) {
    self.directory = directory
  }

  /// `$XDG_CACHE_HOME/accord/playbooks`, else `$HOME/.cache/accord/playbooks` (the XDG base
  /// directory rules for data that may be deleted at any time); nil when neither variable
  /// holds an absolute path.
  ///
  /// - Parameter environment: the variables to use; nil (the default) reads the process's own.
  public static func standard(environment: [String: String]? = nil) -> CompiledPlaybooks? {
    let path = UserFolder.cache.path("playbooks") { name in environment.map { $0[name] } ?? processVariable(name) }
    return path.map { CompiledPlaybooks(directory: URL(fileURLWithPath: $0, isDirectory: true)) }
  }

  /// The layout of an entry around the compiled form (see `encode`): 2 since entries hold
  /// the text's SHA-256 where they held its length and a checksum of it, which a reader can
  /// only work out from the text made into a string.
  static let layout = 2

  /// Where the entry for the text with lowercase hex SHA-256 `sha256` is kept. The formats
  /// are in the name so that two versions of Accord sharing a cache do not overwrite each
  /// other's entries.
  public func path(for sha256: String) -> String {
    directory.appendingPathComponent("\(sha256).v\(Playbook.compiledFormat)-\(Self.layout)").path
  }

  /// The playbook of the text whose SHA-256 the caller has checked is `sha256`, parsed as
  /// `file`: from the cache when it holds a sound entry for that text, else parsed from
  /// `source()` (asked for only then), and then remembered for next time.
  func playbook(sha256: String, file: String, source: () -> String) -> Result<Playbook, PlaybookError> {
    guard Self.isKey(sha256) else { return Self.parse(source(), file: file) }
    let path = path(for: sha256)
    if let existing = try? POSIXFile.readAll(path), let playbook = Self.entry(existing, key: sha256, file: file) {
      return .success(playbook)
    }
    let text = source()
    let parsed = Self.parse(text, file: file)
    if case let .success(playbook) = parsed, let entry = Self.encode(playbook, source: text), entry.key == sha256 {
      store(entry.bytes, at: path)
    }
    return parsed
  }

  private static func parse(_ source: String, file: String) -> Result<Playbook, PlaybookError> {
    Result { () throws(PlaybookError) in try Playbook.parse(source, file: file) }
  }

  /// Only a lowercase hex SHA-256 names an entry, so a key can never choose another path.
  private static func isKey(_ text: String) -> Bool {
    text.utf8.count == 64
      && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }

  // MARK: The entry's bytes

  /// An entry is `ACCORDPB`, the 64-character key (the lowercase hex SHA-256 of the text
  /// the playbook was parsed from), the compiled form's length, the compiled form, and a
  /// checksum of everything before it. Numbers are 8 bytes, little endian.
  static let magic = Array("ACCORDPB".utf8)

  /// An entry's bytes for `playbook`, parsed from `source`, and its key: the SHA-256 of
  /// `source`, worked out here so that an entry can only ever name the text it was parsed
  /// from. Nil when the playbook has no compiled form.
  static func encode(_ playbook: Playbook, source: String) -> (key: String, bytes: Data)? {
    guard let compiled = playbook.compiled() else { return nil }
    let key = SHA256.hex(source.utf8)
    var bytes = magic
    bytes += Array(key.utf8)
    bytes += littleEndianBytes(UInt64(compiled.count))
    bytes += compiled
    let sum = bytes.withUnsafeBytes { checksum($0) }
    bytes += littleEndianBytes(sum)
    return (key, Data(bytes))
  }

  /// The playbook in an entry's bytes, or nil unless they are exactly one whole entry for
  /// `key`, its checksum matches, and its playbook was parsed as `file`.
  static func entry(_ data: Data, key: String, file: String) -> Playbook? {
    let keyBytes = Array(key.utf8)
    let header = magic.count + keyBytes.count + 8
    return data.withUnsafeBytes { bytes -> Playbook? in
      func number(at offset: Int) -> UInt64 {
        bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
      }
      guard bytes.count >= header + 8,
        bytes.prefix(magic.count).elementsEqual(magic),
        bytes[magic.count..<magic.count + keyBytes.count].elementsEqual(keyBytes),
        number(at: header - 8) == UInt64(bytes.count - header - 8)
      else { return nil }
      let body = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 8)])
      guard checksum(body) == number(at: bytes.count - 8),
        let playbook = Playbook(compiled: UnsafeRawBufferPointer(rebasing: body[header...])),
        playbook.location.file == file
      else { return nil }
      return playbook
    }
  }

  private static func littleEndianBytes(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  /// A 64-bit checksum of `bytes`, a word at a time: enough to tell a damaged or truncated
  /// entry from a whole one (it is no defence against someone who can write the user's own
  /// cache, who could as well change the client files or the binary).
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(bytes.count)
    var index = 0
    func mix(_ word: UInt64) {
      var value = word &* 0x87c3_7b91_1142_53d5
      value = value << 31 | value >> 33
      hash ^= value &* 0x4cf5_ad43_2745_937f
      hash = (hash << 27 | hash >> 37) &* 5 &+ 0x52dc_e729
    }
    while index + 8 <= bytes.count {
      mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
      index += 8
    }
    var tail: UInt64 = 0
    for (shift, byte) in bytes[index...].enumerated() {
      tail |= UInt64(byte) << (8 * UInt64(shift))
    }
    mix(tail)
    // Final avalanche (MurmurHash3's fmix64), so every input bit reaches every output bit.
    hash ^= hash >> 33
    hash &*= 0xff51_afd7_ed55_8ccd
    hash ^= hash >> 33
    hash &*= 0xc4ce_b9fe_1a85_ec53
    hash ^= hash >> 33
    return hash
  }

  // MARK: Writing

  /// Writes an entry through a temporary file and a rename, so a reader sees the old entry
  /// or the new, never half of one. Any failure leaves the cache as it was and is ignored.
  /// No fsync: an entry lost or torn by a power cut is refused by its checksum and written
  /// again.
  private func store(_ bytes: Data, at path: String) {
    guard (try? UserFolder.makePrivate(directory)) != nil else { return }
    let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let temporary = path + ".tmp-\(getpid())-\(random)"
    guard let descriptor = try? POSIXFile.open(
      temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, action: "create")
    else { return }
    let written = (try? POSIXFile.writeAll(descriptor, bytes)) != nil && fchmod(descriptor, 0o600) == 0
    close(descriptor)
    if !written || rename(temporary, path) != 0 {
      unlink(temporary)
    }
  }
}
