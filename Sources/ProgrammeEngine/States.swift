import Foundation

/// Where a stage stands for one client.
public enum StageState: String, Sendable, Codable, CaseIterable {
  /// An earlier stage is not complete, whatever this stage's own milestones say.
  case locked
  /// Every earlier stage is complete but this stage's gate does not hold.
  case gated
  /// Open, with milestones still to do.
  case active
  /// Open, and every milestone done.
  case complete

  /// Whether work in the stage may happen (and its agreements may be signed).
  public var isOpen: Bool { self == .active || self == .complete }
}

/// Where a milestone stands for one client.
public enum MilestoneState: String, Sendable, Codable, CaseIterable {
  /// Its stage is not active, a milestone it needs is not done, or its own gate does not hold.
  case blocked
  /// It may be completed now.
  case ready
  case done
}

/// Where an agreement stands for one client.
public enum AgreementState: String, Sendable, Codable, CaseIterable {
  /// At least one signatory role has not signed.
  case open
  /// Every signatory role has signed.
  case signed
}

/// One role's signature on an agreement.
public struct Signature: Sendable, Hashable {
  public var role: String
  public var person: String
  public var at: Date

  public init(role: String, person: String, at: Date) {
    self.role = role
    self.person = person
    self.at = at
  }
}

/// Exactly what keeps a gate closed: agreements with the roles that still owe a
/// signature, and milestones not yet done.
public struct GateHold: Sendable, Hashable {
  /// An agreement the gate waits for, and the signatory roles that have not signed it.
  public struct Unsigned: Sendable, Hashable {
    public var agreement: String
    public var roles: [String]
  }

  public var agreements: [Unsigned]
  public var milestones: [String]

  public var isEmpty: Bool { agreements.isEmpty && milestones.isEmpty }
}
