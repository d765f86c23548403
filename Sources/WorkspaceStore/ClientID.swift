import PlaybookSpec

/// A client's id, checked to be safe as a file name: ASCII letters, digits, `-` or `_`, not
/// starting with `-`, and no longer than any other id: the rules of `Identifier`.
///
/// The id becomes `<id>.json` and `.<id>.lock` in the workspace, so anything that could walk
/// out of the folder or hide a file (`.`, `/`, NUL, spaces, look-alike Unicode) is refused
/// here, before it can reach the file system. A leading `-` would be read as an option by
/// every command, so it is refused as it is in a playbook's ids.
public struct ClientID: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The id as typed, for example `acme-ltd`.
  public let rawValue: String

  /// The longest id accepted: long enough for any real name, short enough for any file
  /// system, and the same as for every other id.
  public static let maximumLength = Identifier.maximumLength

  /// Checks `raw` and wraps it, or throws `StoreError.invalidClientID` saying what is wrong.
  public init(_ raw: String) throws(StoreError) {
    if let problem = Self.problem(with: raw) {
      throw .invalidClientID(id: raw, problem: problem)
    }
    rawValue = raw
  }

  public var description: String { rawValue }

  public static func < (lhs: ClientID, rhs: ClientID) -> Bool {
    // Byte order, so the listing is the same on every machine whatever its locale.
    lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
  }

  private static func problem(with raw: String) -> String? {
    if raw.isEmpty { return "it is empty" }
    for scalar in raw.unicodeScalars where !isAllowed(scalar) {
      return "\(describe(scalar)) is not allowed"
    }
    if raw.hasPrefix("-") { return "it starts with '-', which would be read as an option" }
    // Counted after the character check, so every character is one byte here.
    if raw.utf8.count > maximumLength {
      return "it is \(raw.utf8.count) characters long, the limit is \(maximumLength)"
    }
    return nil
  }

  private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // 0-9, A-Z, a-z
    case 0x2D, 0x5F: true  // - and _
    default: false
    }
  }

  private static func describe(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case " ": "a space"
    case "\0": "the NUL character"
    case _ where scalar.value < 0x20 || scalar.value == 0x7F:
      "the control character \(codePoint(scalar))"
    case _ where !scalar.isASCII: "'\(scalar)' (\(codePoint(scalar)), not plain ASCII)"
    default: "'\(scalar)'"
    }
  }

  private static func codePoint(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
