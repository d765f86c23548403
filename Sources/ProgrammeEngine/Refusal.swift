/// Why the programme's rules refuse a change. Each case carries what a person needs to
/// put things right, and `description` says it in the playbook's own words.
public enum Refusal: Error, Sendable, Hashable {
  /// The history must begin with exactly one `started` event.
  case notStarted
  /// A client is started once; its history already begins with `started`.
  case alreadyStarted
  /// The playbook has no milestone with this id.
  case unknownMilestone(String)
  /// The playbook has no agreement with this id.
  case unknownAgreement(String)
  /// The playbook defines no such role.
  case unknownRole(String, known: [String])
  /// A person's name is empty or holds control characters.
  case invalidPerson(String)
  /// The person does not hold a role allowed to make this change.
  case notAllowed(person: String, action: String, allowed: [String])
  /// The role is already held by this person.
  case alreadyAssigned(role: String, person: String)
  /// The milestone is already done.
  case alreadyDone(milestone: String)
  /// Only a done milestone can be reopened.
  case notDone(milestone: String)
  /// The milestone cannot be completed yet; the obstacles say why.
  case notReady(milestone: String, obstacles: [Obstacle])
  /// The agreement cannot be signed yet; the obstacles say why.
  case signingClosed(agreement: String, obstacles: [Obstacle])
  /// Every signatory role this person holds has already signed the agreement.
  case alreadySigned(agreement: String, role: String, by: String)
  /// The person holds several signatory roles that could sign; `--role` must pick one.
  case ambiguousRole(agreement: String, roles: [String])
  /// The role named is not one of the agreement's signatories.
  case notASignatory(agreement: String, role: String, signatories: [String])
  /// There is no signature to revoke for this role.
  case notSigned(agreement: String, role: String)
  /// Revoking and reopening undo recorded work, so they must say why.
  case reasonRequired(action: String)
}

/// One thing standing between a milestone or agreement and the next step.
public enum Obstacle: Sendable, Hashable {
  /// An earlier stage is not complete.
  case stageLocked(stage: String, waitingFor: String)
  /// The stage's gate does not hold.
  case stageGated(stage: String, hold: GateHold)
  /// Milestones it needs are not done.
  case needs([String])
  /// The milestone's own gate does not hold.
  case milestoneGated(GateHold)
}

extension Refusal: CustomStringConvertible {
  public var description: String {
    switch self {
    case .notStarted:
      return "the history does not begin with a 'started' event"
    case .alreadyStarted:
      return "the client has already been started"
    case let .unknownMilestone(id):
      return "the playbook has no milestone '\(id)'"
    case let .unknownAgreement(id):
      return "the playbook has no agreement '\(id)'"
    case let .unknownRole(id, known):
      return "the playbook has no role '\(id)' (known: \(known.joined(separator: ", ")))"
    case let .invalidPerson(name):
      return "'\(name)' is not a usable name for a person"
    case let .notAllowed(person, action, allowed):
      return "\(person) may not \(action): only \(list(allowed, or: true)) may"
    case let .alreadyAssigned(role, person):
      return "\(person) already holds the role '\(role)'"
    case let .alreadyDone(milestone):
      return "milestone '\(milestone)' is already done"
    case let .notDone(milestone):
      return "milestone '\(milestone)' is not done, so there is nothing to reopen"
    case let .notReady(milestone, obstacles):
      return "milestone '\(milestone)' is not ready" + Self.explain(obstacles)
    case let .signingClosed(agreement, obstacles):
      return "agreement '\(agreement)' cannot be signed yet" + Self.explain(obstacles)
    case let .alreadySigned(agreement, role, by):
      return "agreement '\(agreement)' is already signed for role '\(role)' (by \(by))"
    case let .ambiguousRole(agreement, roles):
      return "you hold several roles that sign '\(agreement)' (\(roles.joined(separator: ", "))): "
        + "pick one with --role"
    case let .notASignatory(agreement, role, signatories):
      return "role '\(role)' does not sign '\(agreement)' (signatories: "
        + "\(signatories.joined(separator: ", ")))"
    case let .notSigned(agreement, role):
      return "agreement '\(agreement)' has no signature for role '\(role)' to revoke"
    case let .reasonRequired(action):
      return "\(action) needs a reason"
    }
  }

  private static func explain(_ obstacles: [Obstacle]) -> String {
    obstacles.map { "\n  " + $0.description }.joined()
  }
}

extension Obstacle: CustomStringConvertible {
  public var description: String {
    switch self {
    case let .stageLocked(stage, waitingFor):
      return "stage '\(stage)' is locked until stage '\(waitingFor)' is complete"
    case let .stageGated(stage, hold):
      return "stage '\(stage)' is gated:" + hold.explanation(indent: "    ")
    case let .needs(milestones):
      return "it needs \(list(milestones.map { "'\($0)'" })) done first"
    case let .milestoneGated(hold):
      return "its gate is closed:" + hold.explanation(indent: "    ")
    }
  }
}

extension GateHold {
  /// One line per thing the gate waits for, each starting on a new line.
  public func explanation(indent: String) -> String {
    var lines: [String] = []
    for unsigned in agreements {
      lines.append(
        "agreement '\(unsigned.agreement)' still needs signatures from "
          + list(unsigned.roles))
    }
    for milestone in milestones {
      lines.append("milestone '\(milestone)' is not done")
    }
    return lines.map { "\n" + indent + $0 }.joined()
  }
}

/// "a", "a and b", "a, b and c" (or "or" in place of "and").
func list(_ items: [String], or: Bool = false) -> String {
  let joiner = or ? " or " : " and "
  guard items.count > 1 else { return items.first ?? "" }
  return items.dropLast().joined(separator: ", ") + joiner + items.last!
}
