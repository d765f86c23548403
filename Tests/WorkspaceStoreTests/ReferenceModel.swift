import Foundation

/// The programme's rules for completing and signing, written again from docs/playbook.md
/// as plainly as possible, to judge the engine by: what is done, who signed, who holds what.
struct ReferenceModel {
  let playbook: GeneratedPlaybook
  var done: Set<String> = []
  /// Agreement -> role -> the person who signed, and whether it counts: a signature on
  /// other terms than the agreement in force (stale) does not (docs/state-format.md).
  var signatures: [String: [String: (person: String, counts: Bool)]] = [:]
  var assignments: [String: String]
  /// Archived: nothing changes but a restore (docs/guide/consultant.md, Mistakes undone in the open).
  var archived = false
  /// Role -> who may act for it and until when: the end of the `until` day in UTC (docs/guide/
  /// czar-and-signatory.md, Acting for someone else). A hand-over ends it.
  var delegations: [String: (delegate: String, ends: Date)] = [:]

  init(playbook: GeneratedPlaybook, consultant: String) {
    self.playbook = playbook
    assignments = ["consultant": consultant]
  }

  func holds(_ gate: GeneratedPlaybook.Gate?) -> Bool {
    guard let gate else { return true }
    let signed = gate.agreements.allSatisfy { id in
      playbook.agreement(id)!.signatories.allSatisfy { signatures[id]?[$0]?.counts == true }
    }
    return signed && gate.milestones.allSatisfy(done.contains)
  }

  func isComplete(stage: Int) -> Bool {
    holds(playbook.stageGates[stage]) && playbook.milestones(inStage: stage).allSatisfy { done.contains($0.id) }
  }

  /// Every earlier stage complete and the stage's own gate holding.
  func isOpen(stage: Int) -> Bool {
    (0..<stage).allSatisfy(isComplete(stage:)) && holds(playbook.stageGates[stage])
  }

  /// Every gate over the milestone holds, its stage is open and what it needs is done.
  func isReady(_ id: String) -> Bool {
    guard let milestone = playbook.milestone(id), !done.contains(id) else { return false }
    return isOpen(stage: milestone.stage) && milestone.needs.allSatisfy(done.contains) && holds(milestone.gate)
  }

  /// Whether `person` holds `role`, or acts for it at `time` as its delegate.
  func mayAct(_ person: String, for role: String, at time: Date) -> Bool {
    if assignments[role] == person { return true }
    guard let delegation = delegations[role], assignments[role] != nil else { return false }
    return delegation.delegate == person && time < delegation.ends
  }

  func mayComplete(_ id: String, by person: String, at time: Date) -> Bool {
    guard let milestone = playbook.milestone(id) else { return false }
    let allowed = mayAct(person, for: milestone.owner, at: time) || mayAct(person, for: "czar", at: time)
    return !archived && allowed && isReady(id)
  }

  func maySign(_ id: String, as role: String, by person: String, at time: Date) -> Bool {
    guard let agreement = playbook.agreement(id) else { return false }
    return !archived && agreement.signatories.contains(role) && mayAct(person, for: role, at: time)
      && signatures[id]?[role]?.counts != true && isOpen(stage: agreement.stage)
      && agreement.needs.allSatisfy(done.contains)
  }

  /// Whether archiving or restoring is allowed; nil for the other changes, which are judged
  /// elsewhere (or not at all), except that none is allowed while the client is archived.
  /// The consultant's delegate may archive and restore, as any act of the role.
  func mayUndo(_ change: EventChange, by person: String, note: String?, at time: Date) -> Bool? {
    let consultant = mayAct(person, for: "consultant", at: time)
    switch change {
    case .archived:
      let reason = note.map { !$0.allSatisfy(\.isWhitespace) } ?? false
      return consultant && !archived && reason
    case .restored: return consultant && archived
    default: return archived ? false : nil
    }
  }

  /// Whether delegating a role, or ending its delegation, is allowed: by its holder or the
  /// consultant themselves (a delegate cannot pass it on), for a role someone holds, to
  /// someone else, until a day not yet over, with a reason; ending only one in force.
  func mayDelegate(_ change: EventChange, by person: String, note: String?, at time: Date) -> Bool {
    guard !archived else { return false }
    switch change {
    case let .delegated(role, to, until):
      let reason = note.map { !$0.allSatisfy(\.isWhitespace) } ?? false
      guard let holder = assignments[role], let ends = Self.end(of: until) else { return false }
      let byRight = holder == person || assignments["consultant"] == person
      return byRight && to != holder && ends > time && reason
    case let .delegationEnded(role):
      let byRight = assignments[role] == person || assignments["consultant"] == person
      guard let delegation = delegations[role] else { return false }
      return byRight && time < delegation.ends
    default:
      return false
    }
  }

  /// The end of a `YYYY-MM-DD` day in UTC: midnight after it.
  static func end(of day: String) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = day.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3,
      let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    else { return nil }
    return start.addingTimeInterval(86_400)
  }

  /// Takes an event the engine accepted.
  mutating func record(_ change: EventChange, by person: String) {
    switch change {
    case let .assigned(role, to):
      assignments[role] = to
      delegations[role] = nil
    case let .completed(id): done.insert(id)
    case let .reopened(id): done.remove(id)
    case let .signed(id, role, counts): signatures[id, default: [:]][role] = (person, counts)
    case let .revoked(id, role): signatures[id]?[role] = nil
    case .archived: archived = true
    case .restored: archived = false
    case let .delegated(role, to, until): delegations[role] = (to, Self.end(of: until)!)
    case let .delegationEnded(role): delegations[role] = nil
    }
  }

  /// The changes the property test makes, in the model's own terms.
  enum EventChange {
    case assigned(role: String, to: String)
    case completed(String)
    case reopened(String)
    case signed(String, role: String, counts: Bool)
    case revoked(String, role: String)
    case archived
    case restored
    case delegated(role: String, to: String, until: String)
    case delegationEnded(String)
  }
}
