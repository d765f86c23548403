/// The file a consultant or czar shows for something another person did elsewhere (a
/// charter signed on paper): its name and the SHA-256 of its bytes, recorded with the event.
///
/// The record keeps the hash, not the file: it shows which file was offered as evidence,
/// and whether a copy produced later is that file. It does not prove the person agreed.
public struct EvidenceFile: Sendable, Hashable, Codable {
  /// The file's name as given, without its folder.
  public var name: String
  /// The lowercase hex SHA-256 of the file's bytes.
  public var sha256: String

  public init(name: String, sha256: String) {
    self.name = name
    self.sha256 = sha256
  }

  /// What is wrong with it as a record, or nil: a name to show and a whole SHA-256.
  var problem: String? {
    if !Programme.isUsableName(name) { return "the evidence file's name '\(name)' cannot be shown on one line" }
    let hex = sha256.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    if sha256.utf8.count != 64 || !hex { return "'\(sha256)' is not a SHA-256 in lowercase hex" }
    return nil
  }
}
