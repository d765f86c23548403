/// One playbook text a client ran on, as an upgrade names it: the playbook's id and version
/// from its YAML, and the SHA-256 of the text itself, which tells two texts apart even when
/// someone forgot to raise the version.
public struct PlaybookVersion: Sendable, Hashable, Codable {
  public var id: String
  public var version: Int
  /// Lowercase hex SHA-256 of the playbook's text.
  public var sha256: String

  public init(id: String, version: Int, sha256: String) {
    self.id = id
    self.version = version
    self.sha256 = sha256
  }
}

extension PlaybookVersion: CustomStringConvertible {
  /// `alignment v2 (3f2a9c0d41be)`: the id, the version and the text's short hash.
  public var description: String { "\(id) v\(version) (\(sha256.prefix(12)))" }
}
