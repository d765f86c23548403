/// An e-mail address as Accord accepts one: `local@domain`, printable ASCII, one `@`, no
/// spaces, quotes, brackets or separators. Deliberately narrower than RFC 5321 allows, so
/// that an address can be written into a header or an SMTP command as it is, with no
/// quoting and no way to end the line (header and command injection).
package struct MailAddress: Sendable, Hashable, CustomStringConvertible {
  package let value: String

  /// The address, or nil with `problem` saying why not.
  package init(_ text: String) throws(AddressProblem) {
    if let problem = Self.problem(text) { throw AddressProblem(address: text, problem: problem) }
    value = text
  }

  package var description: String { value }

  /// The part after the `@`.
  var domain: String { String(value[value.index(after: value.firstIndex(of: "@")!)...]) }

  /// Why `text` is not an address Accord accepts, or nil when it is.
  package static func problem(_ text: String) -> String? {
    let bytes = Array(text.utf8)
    if bytes.isEmpty { return "it is empty" }
    if bytes.count > 254 { return "it is longer than 254 characters" }
    if bytes.contains(where: { $0 < 0x21 || $0 >= 0x7F }) {
      return "it may hold only printable ASCII, with no spaces, tabs, line breaks or control characters"
    }
    let forbidden = Set("<>()[]\\,;:\"'`".utf8)
    if let bad = bytes.first(where: forbidden.contains) {
      return "'\(Character(UnicodeScalar(bad)))' is not allowed"
    }
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2 else { return "it must have exactly one '@'" }
    let (local, domain) = (parts[0], parts[1])
    if local.isEmpty { return "nothing before the '@'" }
    if local.utf8.count > 64 { return "the part before the '@' is longer than 64 characters" }
    if domain.isEmpty { return "no domain after the '@'" }
    if domain.hasPrefix(".") || domain.hasSuffix(".") || domain.contains("..") || domain.hasPrefix("-") {
      return "'\(domain)' is not a domain"
    }
    return nil
  }
}

/// An address `accord address`, `--from` or the workspace's settings give that Accord does
/// not accept.
package struct AddressProblem: Error, CustomStringConvertible {
  package var address: String
  package var problem: String

  package init(address: String, problem: String) {
    self.address = address
    self.problem = problem
  }

  package var description: String {
    "'\(MailText.oneLine(address))' is not an e-mail address Accord can use: \(problem)"
  }
}
