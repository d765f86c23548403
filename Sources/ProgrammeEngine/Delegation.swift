import Foundation

/// A role's holder (or the consultant) letting another person act for the role until the
/// end of a day, in the open: every event the delegate makes for the role names the holder.
public struct Delegation: Sendable, Hashable {
  public var role: String
  /// Who held the role when it was delegated; a hand-over ends the delegation.
  public var holder: String
  /// Who may act for the role.
  public var delegate: String
  /// The last day it holds, `YYYY-MM-DD`, to its end in UTC.
  public var until: String
  /// The first moment it no longer holds: midnight UTC after `until`.
  public var ends: Date
  /// Who delegated (the holder or the consultant), when, and why.
  public var by: String
  public var at: Date
  public var reason: String?

  /// Whether the delegate may act for the role at `time`.
  public func holds(at time: Date) -> Bool { time < ends }
}
