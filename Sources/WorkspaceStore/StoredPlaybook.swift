import Foundation
import Glibc
import ProgrammeEngine
import Synchronization

/// The playbook a client was started on, kept whole inside the client's file.
///
/// The YAML text is stored as it was on the day the client started, so the client's
/// history is always read against the rules it was made under, even after the playbook
/// file is edited or deleted. `sha256` fingerprints that text; a file whose text no
/// longer matches its fingerprint is refused on reading.
public struct StoredPlaybook: Codable, Sendable, Equatable {
  /// The playbook's id, for example `sales-marketing-alignment`.
  public var id: String
  /// The playbook's own version number, from its YAML.
  public var version: Int
  /// The playbook's title, for listings.
  public var title: String
  /// Where the text came from: a path, or `bundled:<name>` for a playbook shipped with Accord.
  public var origin: String
  /// The YAML text. Setting it updates `sha256`, so the two always agree in memory.
  ///
  /// A text the quick reader read is made into a string only when first asked for (see
  /// `SourceText`): a read answered from the cache of compiled playbooks never needs it.
  public var source: String {
    get { text.string }
    set {
      text = SourceText(newValue)
      sha256 = SHA256.hex(newValue.utf8)
    }
  }
  /// Lowercase hex SHA-256 of `source`'s UTF-8 bytes.
  public private(set) var sha256: String
  private var text: SourceText

  /// A stored playbook; `sha256` is computed from `source`.
  public init(id: String, version: Int, title: String, origin: String, source: String) {
    self.id = id
    self.version = version
    self.title = title
    self.origin = origin
    self.text = SourceText(source)
    self.sha256 = SHA256.hex(source.utf8)
  }

  /// A stored playbook read from a file, its text still as the file writes it (`escaped`:
  /// the bytes between the quotes of a JSON string that `JSONReader.stringBytes()` checked),
  /// or `nil` when `sha256` is not the fingerprint of that text. The text is hashed as it is
  /// unescaped, without being made into a string; a workspace's clients mostly share one
  /// playbook, so each text is hashed once per process. `trusted`: these bytes were hashed
  /// before and found to hash to `sha256` (`HashedTexts`), so they are not hashed again.
  init?(
    id: String, version: Int, title: String, origin: String, escaped: Data, verifying sha256: String,
    trusted: Bool = false
  ) {
    let sha256 = sha256.lowercased()
    guard trusted || storedPlaybooks.verify(escaped: escaped, hashesTo: sha256) else { return nil }
    self.id = id
    self.version = version
    self.title = title
    self.origin = origin
    self.text = SourceText(escaped: escaped)
    self.sha256 = sha256
  }

  /// Two stored playbooks are the same when their fields and their texts' bytes are: the
  /// same fingerprint, and then the same text (compared as bytes, not as Swift compares
  /// strings, which would take a differently normalised text for the same).
  public static func == (a: StoredPlaybook, b: StoredPlaybook) -> Bool {
    a.id == b.id && a.version == b.version && a.title == b.title && a.origin == b.origin
      && a.sha256 == b.sha256 && a.text.sameText(as: b.text)
  }

  private enum CodingKeys: String, CodingKey {
    case id, version, title, origin, sha256, source
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    version = try container.decode(Int.self, forKey: .version)
    title = try container.decode(String.self, forKey: .title)
    origin = try container.decode(String.self, forKey: .origin)
    let source = try container.decode(String.self, forKey: .source)
    text = SourceText(source)
    let stored = try container.decode(String.self, forKey: .sha256)
    sha256 = SHA256.hex(source.utf8)
    // A mismatch means the text was changed by hand after the client started; the history
    // may no longer make sense against it, so we refuse rather than guess.
    guard stored.lowercased() == sha256 else {
      throw DecodingError.dataCorruptedError(
        forKey: .sha256, in: container,
        debugDescription: "'\(stored)' is not the fingerprint of the stored playbook source "
          + "(which hashes to '\(sha256)'): the source was changed after the client started")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(version, forKey: .version)
    try container.encode(title, forKey: .title)
    try container.encode(origin, forKey: .origin)
    try container.encode(sha256, forKey: .sha256)
    try container.encode(source, forKey: .source)
  }
}

/// A stored playbook's text: a string, or the bytes of the JSON string the file holds it
/// in, made into a string the first time it is asked for and kept.
///
/// A reference, so that copies of a record share the one string once it is made; it never
/// changes what it stands for, only the form it is kept in.
final class SourceText: Sendable {
  private enum Form {
    case text(String)
    /// Bytes `JSONReader.stringBytes()` found and checked, escapes and all.
    case escaped(Data)
  }

  private let form: Mutex<Form>

  init(_ text: String) {
    form = Mutex(.text(text))
  }

  init(escaped: Data) {
    form = Mutex(.escaped(escaped))
  }

  /// The text, made from the file's bytes the first time.
  var string: String {
    form.withLock { form in
      switch form {
      case let .text(text): return text
      case let .escaped(bytes):
        let text = bytes.withUnsafeBytes { JSONReader.unescapedString($0) }
        form = .text(text)
        return text
      }
    }
  }

  /// Whether the two texts are the same bytes.
  func sameText(as other: SourceText) -> Bool {
    if self === other { return true }
    var a = string
    var b = other.string
    return a.withUTF8 { x in
      b.withUTF8 { y in
        x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
      }
    }
  }
}
