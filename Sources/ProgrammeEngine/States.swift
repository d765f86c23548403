import Foundation
import PlaybookSpec

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
  /// The signer: whoever signed, be it the role's holder, their delegate, or the person the
  /// consultant or czar recorded a signature on paper for.
  public var person: String
  public var at: Date
  /// The SHA-256 of the agreement's canonical content the signer signed; nil for a
  /// signature recorded before signatures carried it.
  public var terms: String?
  /// Whether `terms` differs from the agreement in force: a stale signature does not count.
  public var isStale: Bool
  /// The agreement as its signer read it, when the engine knows it (the terms in force
  /// when the signature was made, kept across upgrades), so that a stale signature can
  /// show what changed since; nil for one that was stale when it was recorded.
  public var signedAgreement: Agreement?
  /// The terms hash this signature stands for: `terms`, or for a signature from before
  /// signatures carried it, the hash of the agreement in force when it was recorded.
  var read: String?
  /// When `person` signed as the role's delegate: the holder they signed for.
  public var holder: String?
  /// When the consultant or czar recorded the signature for `person` (`--on-behalf-of`):
  /// who entered it. Nil when the signer entered it themselves.
  public var enteredBy: String?
  /// With `enteredBy`: the file shown for the signature, by name and SHA-256.
  public var evidence: EvidenceFile?

  public init(role: String, person: String, at: Date, terms: String? = nil, isStale: Bool = false) {
    self.role = role
    self.person = person
    self.at = at
    self.terms = terms
    self.isStale = isStale
  }
}

/// Exactly what keeps a gate closed: agreements with the roles that still owe a
/// signature (or, for an agreement the staff must acknowledge, the teams short of their
/// quorum; for one the gate asks to be affirmed, the roles whose holder has not), and
/// milestones not yet done.
public struct GateHold: Sendable, Hashable, Codable {
  /// An agreement the gate waits for, and what it waits for of it.
  public struct Unsigned: Sendable, Hashable, Codable {
    public var agreement: String
    /// The signatory roles that have not signed it (on the terms in force).
    public var roles: [String]
    /// Those of `roles` whose signature is on other terms than the agreement in force:
    /// the terms changed, and they must sign again.
    public var stale: [String] = []
    /// For an agreement with `acknowledged-by` that some team has not acknowledged to its
    /// quorum: every team it asks, with its progress; empty otherwise.
    public var acknowledgements: [TeamProgress] = []
    /// For an agreement the gate asks to be affirmed: the signatory roles whose signature
    /// was made by a predecessor and not affirmed by the holder now.
    public var unaffirmed: [String] = []

    public init(
      agreement: String, roles: [String], stale: [String] = [], acknowledgements: [TeamProgress] = [],
      unaffirmed: [String] = []
    ) {
      self.agreement = agreement
      self.roles = roles
      self.stale = stale
      self.acknowledgements = acknowledgements
      self.unaffirmed = unaffirmed
    }

    private enum CodingKeys: String, CodingKey { case agreement, roles, stale, acknowledgements, unaffirmed }

    // Summaries kept before acknowledgements and affirmations have neither key.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      agreement = try container.decode(String.self, forKey: .agreement)
      roles = try container.decode([String].self, forKey: .roles)
      stale = try container.decodeIfPresent([String].self, forKey: .stale) ?? []
      acknowledgements = try container.decodeIfPresent([TeamProgress].self, forKey: .acknowledgements) ?? []
      unaffirmed = try container.decodeIfPresent([String].self, forKey: .unaffirmed) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(agreement, forKey: .agreement)
      try container.encode(roles, forKey: .roles)
      try container.encode(stale, forKey: .stale)
      if !acknowledgements.isEmpty { try container.encode(acknowledgements, forKey: .acknowledgements) }
      if !unaffirmed.isEmpty { try container.encode(unaffirmed, forKey: .unaffirmed) }
    }
  }

  public var agreements: [Unsigned]
  public var milestones: [String]

  public var isEmpty: Bool { agreements.isEmpty && milestones.isEmpty }
}

/// Signatures are compared by what was signed, not by where the YAML said it: the agreement
/// a signer read is the same whichever file name its source location carries.
extension Signature {
  public static func == (lhs: Signature, rhs: Signature) -> Bool {
    lhs.role == rhs.role && lhs.person == rhs.person && lhs.at == rhs.at && lhs.terms == rhs.terms
      && lhs.isStale == rhs.isStale && lhs.read == rhs.read && lhs.holder == rhs.holder
      && lhs.enteredBy == rhs.enteredBy && lhs.evidence == rhs.evidence
      && lhs.signedAgreement?.canonicalContent == rhs.signedAgreement?.canonicalContent
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(role)
    hasher.combine(person)
    hasher.combine(at)
    hasher.combine(terms)
    hasher.combine(isStale)
  }
}
