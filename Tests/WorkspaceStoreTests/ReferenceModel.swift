/// The programme's rules for completing and signing, written again from docs/playbook.md
/// as plainly as possible, to judge the engine by: what is done, who signed, who holds what.
struct ReferenceModel {
  let playbook: GeneratedPlaybook
  var done: Set<String> = []
  /// Agreement -> role -> the person who signed, and whether it counts: a signature on
  /// other terms than the agreement in force (stale) does not (docs/state-format.md).
  var signatures: [String: [String: (person: String, counts: Bool)]] = [:]
  var assignments: [String: String]
  /// Archived: nothing changes but a restore (docs: README, Mistakes undone in the open).
  var archived = false

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

  func mayComplete(_ id: String, by person: String) -> Bool {
    guard let milestone = playbook.milestone(id) else { return false }
    let allowed = assignments[milestone.owner] == person || assignments["czar"] == person
    return !archived && allowed && isReady(id)
  }

  func maySign(_ id: String, as role: String, by person: String) -> Bool {
    guard let agreement = playbook.agreement(id) else { return false }
    return !archived && agreement.signatories.contains(role) && assignments[role] == person
      && signatures[id]?[role]?.counts != true && isOpen(stage: agreement.stage)
      && agreement.needs.allSatisfy(done.contains)
  }

  /// Whether archiving or restoring is allowed; nil for the other changes, which are judged
  /// elsewhere (or not at all), except that none is allowed while the client is archived.
  func mayUndo(_ change: EventChange, by person: String, note: String?) -> Bool? {
    let consultant = assignments["consultant"] == person
    switch change {
    case .archived:
      let reason = note.map { !$0.allSatisfy(\.isWhitespace) } ?? false
      return consultant && !archived && reason
    case .restored: return consultant && archived
    default: return archived ? false : nil
    }
  }

  /// Takes an event the engine accepted.
  mutating func record(_ change: EventChange, by person: String) {
    switch change {
    case let .assigned(role, to): assignments[role] = to
    case let .completed(id): done.insert(id)
    case let .reopened(id): done.remove(id)
    case let .signed(id, role, counts): signatures[id, default: [:]][role] = (person, counts)
    case let .revoked(id, role): signatures[id]?[role] = nil
    case .archived: archived = true
    case .restored: archived = false
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
  }
}
