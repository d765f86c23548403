import ProgrammeEngine

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
  public var source: String {
    didSet { sha256 = SHA256.hex(source.utf8) }
  }
  /// Lowercase hex SHA-256 of `source`'s UTF-8 bytes.
  public private(set) var sha256: String

  /// A stored playbook; `sha256` is computed from `source`.
  public init(id: String, version: Int, title: String, origin: String, source: String) {
    self.id = id
    self.version = version
    self.title = title
    self.origin = origin
    self.source = source
    self.sha256 = SHA256.hex(source.utf8)
  }

  /// A stored playbook read from a file, or `nil` when `sha256` is not the fingerprint of
  /// `source`. A workspace's clients mostly share one playbook, so each text is hashed
  /// once per process.
  init?(id: String, version: Int, title: String, origin: String, source: String, verifying sha256: String) {
    guard storedPlaybooks.verify(source, hashesTo: sha256.lowercased()) else { return nil }
    self.id = id
    self.version = version
    self.title = title
    self.origin = origin
    self.source = source
    self.sha256 = sha256.lowercased()
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
    source = try container.decode(String.self, forKey: .source)
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
}
