import Foundation
import PlaybookSpec

/// One thing that must happen next, and who must do it.
public struct Action: Sendable, Hashable {
  /// What kind of step it is.
  public enum Kind: String, Sendable, Codable {
    /// Mark a ready milestone done.
    case complete
    /// Sign an agreement for one signatory role.
    case sign
    /// Give a role to a person, so that the role's work can happen.
    case assign
    /// Import a round of the survey, the evidence the target milestone waits for.
    case survey
    /// Record a reading of the target metric (one whose playbook says how often).
    case record
    /// Review the target metric with both teams: two readings in a row off track.
    case review
    /// Bring the teams the target agreement asks to acknowledge it up to their quorum: the
    /// czar's to rally (`progress` says where each team stands); each person's own part is
    /// `Programme.agreementsToAcknowledge(by:)`.
    case acknowledge
    /// Affirm the target agreement as the role's holder now: a predecessor in the role signed it.
    case affirm
  }

  public var kind: Kind
  /// The milestone to complete (or to import a survey round for), the agreement to
  /// sign, or the role to assign.
  public var target: String
  /// The stage the step belongs to.
  public var stage: String
  /// The role that must act: the milestone's owner, the signatory role, or for `assign`
  /// and `survey` the consultant (the czar may assign and import too).
  public var role: String
  /// Who holds `role` now; nil when nobody does yet.
  public var person: String?
  /// For `sign`: the SHA-256 of the agreement's terms in force, the terms to sign.
  public var terms: String?
  /// For `sign` when the role signed other terms before: the hash they signed. The terms
  /// changed, so the role must sign again.
  public var staleTerms: String?
  /// For `sign` with `staleTerms`: the agreement as the role signed it, when the client's
  /// history holds it (the terms changed in an upgrade), so the change can be shown.
  public var signedAgreement: Agreement?
  /// Who may act for `role` as its delegate at the time next actions were asked for; nil
  /// when nobody may, or no time was given.
  public var delegate: String?
  /// For `acknowledge`: every team the agreement asks, with its progress.
  public var progress: [TeamProgress]?
  /// For `affirm`: who signed for the role, and when.
  public var signedBy: String?
  public var signedAt: Date?

  /// The key of the action's date in `Programme.dueDates(in:)`: the item it names, or for
  /// a review, `review/` and the metric (a metric's own key is its next reading's date).
  public var dateKey: String {
    switch kind {
    case .review: Self.reviewKey(target)
    case .affirm: Self.affirmKey(target, role: role)
    default: target
    }
  }

  /// The key of a metric review's date.
  public static func reviewKey(_ metric: String) -> String { "review/" + metric }

  /// The key of the date by which a role's new holder should affirm the agreement.
  public static func affirmKey(_ agreement: String, role: String) -> String { "affirm/" + agreement + "/" + role }

  public init(
    kind: Kind, target: String, stage: String, role: String, person: String?,
    terms: String? = nil, staleTerms: String? = nil
  ) {
    self.kind = kind
    self.target = target
    self.stage = stage
    self.role = role
    self.person = person
    self.terms = terms
    self.staleTerms = staleTerms
  }
}

/// Actions are compared by what they ask, not by where the YAML said it (see `Signature`).
extension Action {
  public static func == (lhs: Action, rhs: Action) -> Bool {
    lhs.kind == rhs.kind && lhs.target == rhs.target && lhs.stage == rhs.stage && lhs.role == rhs.role
      && lhs.person == rhs.person && lhs.terms == rhs.terms && lhs.staleTerms == rhs.staleTerms
      && lhs.delegate == rhs.delegate && lhs.progress == rhs.progress && lhs.signedBy == rhs.signedBy
      && lhs.signedAt == rhs.signedAt
      && lhs.signedAgreement?.canonicalContent == rhs.signedAgreement?.canonicalContent
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(target)
    hasher.combine(role)
    hasher.combine(terms)
  }
}

/// A closed gate and exactly what holds it, for a stage whose earlier stages are complete
/// or for a milestone (in an active stage, its needs done) with a gate of its own.
public struct Blocker: Sendable, Hashable, Codable {
  public var stage: String
  /// The gated milestone, or nil when the stage's own gate is closed.
  public var milestone: String?
  public var hold: GateHold

  public init(stage: String, milestone: String?, hold: GateHold) {
    self.stage = stage
    self.milestone = milestone
    self.hold = hold
  }
}

/// The answer to "what has to happen next, and who must do it?".
public struct NextActions: Sendable, Hashable {
  /// Completions first, then signatures, then the assignments those wait for; each in
  /// playbook order.
  public var actions: [Action]
  public var blocked: [Blocker]
  /// Every stage is complete.
  public var isComplete: Bool

  /// Only the actions for `role` (blockers stay: they concern everyone).
  public func filtered(role: String) -> NextActions {
    NextActions(actions: actions.filter { $0.role == role }, blocked: blocked, isComplete: isComplete)
  }

  /// Only the actions `person` must take, or may take as a role's delegate.
  public func filtered(person: String) -> NextActions {
    NextActions(
      actions: actions.filter { $0.person == person || $0.delegate == person }, blocked: blocked,
      isComplete: isComplete)
  }
}
