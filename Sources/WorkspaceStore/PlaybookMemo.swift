import Glibc
import PlaybookSpec
import ProgrammeEngine
import Synchronization

/// What this process already knows about stored playbook texts, by their SHA-256: which
/// texts it has hashed, and what each parsed to. A workspace's clients mostly share one
/// playbook, so listing a thousand of them hashes and reads that playbook once rather than
/// a thousand times.
final class PlaybookMemo: Sendable {
  /// Texts this process has hashed, by their lowercase hex SHA-256.
  private let hashed = Mutex<[String: String]>([:])
  /// Playbooks by the SHA-256 of their text, each checked against its text first.
  private let playbooks = Mutex<[String: Result<Playbook, PlaybookError>]>([:])

  /// Whether `sha256` (lowercase hex) is the SHA-256 of `text`: hashed once per text, then
  /// answered by comparing bytes with the text that hashed to it.
  func verify(_ text: String, hashesTo sha256: String) -> Bool {
    if let known = hashed.withLock({ $0[sha256] }) {
      return Self.sameBytes(known, text)
    }
    guard SHA256.hex(text.utf8) == sha256 else { return false }
    hashed.withLock { $0[sha256] = text }
    return true
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

  /// Byte equality: `==` on strings compares by canonical equivalence, which is slower
  /// and would let a differently normalised text through.
  private static func sameBytes(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { x in
      b.withUTF8 { y in
        x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
      }
    }
  }
}

/// The process's memory of stored playbooks.
let storedPlaybooks = PlaybookMemo()
