import Foundation

/// Who undid something in the open, when, and why (the event's note): a withdrawn round,
/// an archived client.
public struct Stamp: Sendable, Hashable {
  public var by: String
  public var at: Date
  public var reason: String?

  public init(by: String, at: Date, reason: String?) {
    self.by = by
    self.at = at
    self.reason = reason
  }
}
