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
  /// The staff who must acknowledge the agreement beyond its signatories, if any: the
  /// roster's people of the named teams, each team to its quorum. Not part of the terms:
  /// changing who must acknowledge never makes a signature stale.
  public var acknowledgedBy: Acknowledgement?
  public var location: SourceLocation

  public init(
    id: String, title: String, terms: String? = nil, signatories: [Reference],
    needs: [Reference] = [], due: Interval? = nil, targets: [Target] = [],
    acknowledgedBy: Acknowledgement? = nil, location: SourceLocation
  ) {
    self.id = id
    self.title = title
    self.terms = terms
    self.signatories = signatories
    self.needs = needs
    self.due = due
    self.targets = targets
    self.acknowledgedBy = acknowledgedBy
    self.location = location
  }
}

/// An agreement's `acknowledged-by`: the teams whose people must each read the terms and
/// agree to them, and how many of each team must have done so for a gate to hold.
public struct Acknowledgement: Sendable, Hashable {
  /// Teams of the playbook's roster (`Playbook.rosterTeams`), in the order written.
  public var teams: [Reference]
  public var quorum: Quorum
  public var location: SourceLocation

  public init(teams: [Reference], quorum: Quorum, location: SourceLocation) {
    self.teams = teams
    self.quorum = quorum
    self.location = location
  }
}

/// How much of a team must acknowledge an agreement: everyone, or a share of its people.
public enum Quorum: Sendable, Hashable, CustomStringConvertible {
  case all
  /// 1 to 100 percent of the team, rounded up to whole people.
  case percent(Int)

  /// `all`, or `80%`.
  public init?(parsing text: String) {
    if text == "all" {
      self = .all
      return
    }
    guard text.hasSuffix("%"), let value = Int(text.dropLast()), Self.shares.contains(value),
      text.dropLast().allSatisfy(\.isASCII)
    else { return nil }
    self = .percent(value)
  }

  /// The shares a playbook may ask for, in percent.
  public static let shares = 1...100

  public static let syntax = "'all' or a share of the team such as '80%' (1% to 100%)"

  /// How many of a team of `members` people must have acknowledged: at least one, and
  /// never a fraction of a person (80% of 18 is 15).
  public func needed(of members: Int) -> Int {
    switch self {
    case .all: max(members, 1)
    case let .percent(share): max((members * share + 99) / 100, 1)
    }
  }

  public var description: String {
    switch self {
    case .all: "all"
    case let .percent(share): "\(share)%"
    }
  }
}

/// A condition that keeps a stage or milestone closed: every named agreement signed by all
/// its signatories (and acknowledged by its teams to their quorum, if it asks to be), every
/// named milestone done, and every agreement under `affirmed` affirmed by its signatory
/// roles' current holders.
public struct Gate: Sendable, Hashable {
  public var agreements: [Reference]
  public var milestones: [Reference]
  /// Agreements whose signatures must each be the current role holder's own or affirmed by
  /// them (after a hand-over), beyond being signed.
  public var affirmed: [Reference]
  public var location: SourceLocation

  public init(
    agreements: [Reference] = [], milestones: [Reference] = [], affirmed: [Reference] = [],
    location: SourceLocation
  ) {
    self.agreements = agreements
    self.milestones = milestones
    self.affirmed = affirmed
    self.location = location
  }
}
