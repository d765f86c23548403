/// The id syntax shared by playbooks, roles, stages, milestones and agreements (and by
/// survey rounds, which are named on the command line too).
///
/// Ids end up on command lines and in file names, so they are short, ASCII, and never
/// start with `-`, which a shell tool would read as an option. Client ids (`ClientID`)
/// follow the same rules.
public enum Identifier {
  /// The longest id accepted, in characters.
  public static let maximumLength = 64

  /// Why `id` is not a valid id, as a diagnostic message, or nil when it is valid.
  public static func problem(with id: String) -> String? {
    let scalars = id.unicodeScalars
    guard let first = scalars.first else { return "an id must not be empty" }
    if scalars.count > maximumLength {
      return "id \(id.quoted) is longer than \(maximumLength) characters"
    }
    guard first != "-" else {
      return "invalid id \(id.quoted): an id must not start with '-'"
    }
    if let bad = scalars.first(where: { !isAlphanumeric($0) && $0 != "-" && $0 != "_" }) {
      let shown = String(bad).quoted
      return "invalid id \(id.quoted): \(shown) is not allowed, only letters, digits, '-' and '_'"
    }
    return nil
  }

  private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9": return true
    default: return false
    }
  }
}

extension String {
  /// The string in single quotes for a one-line diagnostic: control characters escaped
  /// (a quoted YAML value may hold a newline) and very long values cut short.
  public var quoted: String {
    let limit = 80
    // Most ids and keys are short printable ASCII, which needs no escaping.
    if utf8.count <= limit, utf8.allSatisfy({ (0x20...0x7e).contains($0) }) {
      return "'" + self + "'"
    }
    var text = ""
    for scalar in unicodeScalars.prefix(limit) {
      text += scalar.properties.generalCategory == .control
        ? scalar.escaped(asASCII: true) : String(scalar)
    }
    if unicodeScalars.count > limit { text += "..." }
    return "'\(text)'"
  }
}
