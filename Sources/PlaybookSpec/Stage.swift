/// One step of the programme (benchmark, coaching, implementation, sustain).
///
/// A stage opens when every earlier stage is complete and its gate, if any, is satisfied.
public struct Stage: Sendable, Hashable {
  public var id: String
  public var title: String
  public var description: String?
  public var milestones: [Milestone]
  public var agreements: [Agreement]
  /// What must hold before the stage opens, beyond the earlier stages being complete.
  public var gate: Gate?
  /// How long after it opens the stage should be complete, if the playbook says.
  public var target: Interval?
  public var location: SourceLocation

  public init(
    id: String, title: String, description: String? = nil, milestones: [Milestone],
    agreements: [Agreement] = [], gate: Gate? = nil, target: Interval? = nil, location: SourceLocation
  ) {
    self.id = id
    self.title = title
    self.description = description
    self.milestones = milestones
    self.agreements = agreements
    self.gate = gate
    self.target = target
    self.location = location
  }
}

/// A piece of work someone must mark done.
public struct Milestone: Sendable, Hashable {
  public var id: String
  public var title: String
  public var description: String?
  /// The role responsible for completing it (the czar may complete any milestone).
  public var owner: Reference
  /// Milestones, in this stage or an earlier one, that must be done first.
  public var needs: [Reference]
  /// A gate of the milestone's own, for work that waits on an agreement mid-stage.
  public var gate: Gate?
  /// What must be recorded for the client before the milestone can be completed.
  public var evidence: Evidence?
  /// How long after it becomes ready the milestone is due (for a recurring one, its first
  /// occurrence; `every` when absent).
  public var due: Interval?
  /// How it recurs, for work done again and again (the sustain step's check-ins).
  public var recurrence: Recurrence?
  public var location: SourceLocation

  public init(
    id: String, title: String, description: String? = nil, owner: Reference,
    needs: [Reference] = [], gate: Gate? = nil, evidence: Evidence? = nil,
    due: Interval? = nil, recurrence: Recurrence? = nil, location: SourceLocation
  ) {
    self.id = id
    self.title = title
    self.description = description
    self.owner = owner
    self.needs = needs
    self.gate = gate
    self.evidence = evidence
    self.due = due
    self.recurrence = recurrence
    self.location = location
  }
}

/// Terms that each signatory role must sign; signed agreements open gates.
public struct Agreement: Sendable, Hashable {
  public var id: String
  public var title: String
  public var terms: String?
  /// Every one of these roles must sign before the agreement counts as signed.
  public var signatories: [Reference]
  /// Milestones that must be done before signing opens.
  public var needs: [Reference]
  /// How long after signing opens every signatory should have signed. Not part of the
  /// terms: moving a date never makes a signature stale.
  public var due: Interval?
  /// The values the agreement commits its metrics to, in file order. Part of the terms:
  /// signing the agreement signs them.
  public var targets: [Target]
  public var location: SourceLocation

  public init(
    id: String, title: String, terms: String? = nil, signatories: [Reference],
    needs: [Reference] = [], due: Interval? = nil, targets: [Target] = [], location: SourceLocation
  ) {
    self.id = id
    self.title = title
    self.terms = terms
    self.signatories = signatories
    self.needs = needs
    self.due = due
    self.targets = targets
    self.location = location
  }
}

/// A condition that keeps a stage or milestone closed: every named agreement signed
/// by all its signatories and every named milestone done.
public struct Gate: Sendable, Hashable {
  public var agreements: [Reference]
  public var milestones: [Reference]
  public var location: SourceLocation

  public init(agreements: [Reference] = [], milestones: [Reference] = [], location: SourceLocation) {
    self.agreements = agreements
    self.milestones = milestones
    self.location = location
  }
}
