/// One problem found in a playbook, located at the node that causes it.
///
/// Printed as `playbooks/x.yaml:12:5: error: unknown role 'czr' (known: consultant, czar)`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public var location: SourceLocation
  public var message: String

  public init(_ message: String, at location: SourceLocation) {
    self.message = message
    self.location = location
  }

  public var description: String { "\(location): error: \(message)" }
}

/// Every problem found in one playbook, in file order. Never empty.
public struct PlaybookError: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics.sorted { $0.location < $1.location }
  }

  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
