import Foundation
import PlaybookSpec
import ProgrammeEngine
import Synchronization

/// What this process already knows about stored playbook texts, by their SHA-256: which
/// texts it has hashed, and what each parsed to. A workspace's clients mostly share one
/// playbook, so listing a thousand of them hashes and reads that playbook once rather than
/// a thousand times.
final class PlaybookMemo: Sendable {
  /// Texts this process has hashed, by their lowercase hex SHA-256: each as the bytes of the
  /// JSON string a client file held it in.
  private let hashed = Mutex<[String: Data]>([:])
  /// Playbooks by the SHA-256 of their text, each checked against its text first.
  private let playbooks = Mutex<[String: Result<Playbook, PlaybookError>]>([:])

  /// Whether `sha256` (lowercase hex) is the SHA-256 of the text that `escaped`, the bytes
  /// of a JSON string (`JSONReader.stringBytes()`), holds: hashed once per text as it is
  /// unescaped, then answered by comparing bytes with the ones that hashed to it. (The same
  /// bytes are the same text; a text escaped another way is hashed again.)
  func verify(escaped: Data, hashesTo sha256: String) -> Bool {
    if let known = hashed.withLock({ $0[sha256] }), known == escaped {
      return true
    }
    guard escaped.withUnsafeBytes({ Self.hashes($0, to: sha256) }) else { return false }
    // Kept as it is, a slice of the file it came from: copying the text (hundreds of
    // kilobytes, fresh pages to fault in) cost an everyday read as much as reading the file.
    // The record read keeps that file's bytes anyway, as the string of the text was kept.
    hashed.withLock { $0[sha256] = escaped }
    return true
  }

  /// Whether the text `raw` holds, unescaped, hashes to `sha256`: the pieces are gathered
  /// into one buffer of a few pages and hashed a bufferful at a time, so no string of the
  /// whole text is made.
  static func hashes(_ raw: UnsafeRawBufferPointer, to sha256: String) -> Bool {
    var hasher = SHA256()
    let capacity = 32 * 1024
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    var filled = 0
    func flush() {
      hasher.update(raw: UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
      filled = 0
    }
    JSONReader.unescape(raw) { piece in
      if filled + piece.count > capacity { flush() }
      if piece.count > capacity {
        hasher.update(raw: piece)
        return
      }
      UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + piece.count]).copyMemory(from: piece)
      filled += piece.count
    }
    flush()
    return hasher.finalize(matchingHex: sha256)
  }

  /// The playbook of the text whose SHA-256 is `sha256`, from `compute` the first time.
  /// The caller has checked the text against `sha256`, so the hash stands for the text.
  func playbook(
    _ sha256: String, _ compute: () -> Result<Playbook, PlaybookError>
  ) -> Result<Playbook, PlaybookError> {
    if let found = playbooks.withLock({ $0[sha256] }) { return found }
    let value = compute()
    playbooks.withLock { $0[sha256] = value }
    return value
  }
}

/// The process's memory of stored playbooks.
let storedPlaybooks = PlaybookMemo()
