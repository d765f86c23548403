import PlaybookSpec
import ProgrammeEngine
import Synchronization

/// Remembers a value computed from a text, for the life of the process. A workspace's
/// clients mostly share one playbook, so listing a thousand of them hashes and parses
/// that playbook once rather than a thousand times.
final class TextMemo<Value: Sendable>: Sendable {
  private let compute: @Sendable (String) -> Value
  /// Values by the text's (fast, in-process) hash; a hit is confirmed by comparing the
  /// texts' bytes. Not with `==`: Swift calls canonically equivalent texts equal (é as one
  /// scalar, or e and a combining accent), but their bytes, and so their SHA-256, differ.
  private let known = Mutex<[Int: [(text: String, value: Value)]]>([:])

  init(_ compute: @escaping @Sendable (String) -> Value) {
    self.compute = compute
  }

  func callAsFunction(_ text: String) -> Value {
    let key = text.hashValue
    if let found = known.withLock({ $0[key]?.first { $0.text.utf8.elementsEqual(text.utf8) }?.value }) {
      return found
    }
    let value = compute(text)
    known.withLock { $0[key, default: []].append((text, value)) }
    return value
  }
}

/// The SHA-256 fingerprints of stored playbook texts.
let fingerprints = TextMemo { SHA256.hex($0.utf8) }

/// Stored playbook texts, parsed and validated.
let parsedPlaybooks = TextMemo { source -> Result<Playbook, PlaybookError> in
  Result { () throws(PlaybookError) in try Playbook.parse(source, file: "playbook.source") }
}
