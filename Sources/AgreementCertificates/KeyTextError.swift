/// Why a key's text or bytes are not a key, as a phrase.
public struct KeyTextError: Error, Sendable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) {
    self.description = description
  }
}
