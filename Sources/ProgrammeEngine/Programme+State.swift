import Foundation
import PlaybookSpec

extension Programme {
  /// The state of every stage, in playbook order.
  ///
  /// One pass: a stage can only be open when the one before it is complete.
  public func stageStates() -> [StageState] {
    stageStates(through: playbook.stages.count - 1)
  }

  /// The states of the stages up to and including `last`: replaying a history asks
  /// for the stages up to the one each event is in, once per event.
  func stageStates(through last: Int) -> [StageState] {
    var states: [StageState] = []
    guard last >= 0 else { return states }
    states.reserveCapacity(last + 1)
    var earlierComplete = true
    for position in 0...last {
      let state: StageState
      if !earlierComplete {
        state = .locked
      } else if let gate = index.stageGates[position], !holds(gate) {
        state = .gated
      } else {
        state = milestonesDone(inStage: position) ? .complete : .active
      }
      states.append(state)
      earlierComplete = state == .complete
    }
    return states
  }

  /// Whether `gate` holds: `hold(on:)` is empty, found without building the hold.
  func holds(_ gate: Gate) -> Bool {
    for reference in gate.agreements {
      guard let number = index.agreementNumbers[reference.id] else { continue }
      if !agreementHolds(number) { return false }
    }
    for milestone in gate.milestones where !done.contains(milestone.id) { return false }
    for reference in gate.affirmed {
      guard let number = index.agreementNumbers[reference.id] else { continue }
      if !affirmedByAll(number) { return false }
    }
    return true
  }

  /// The same for a stage's gate, by agreement number.
  func holds(_ gate: PlaybookIndex.StageGate) -> Bool {
    // Plain loops: a closure here would capture (copy) the whole programme on every call.
    for number in gate.agreements where !agreementHolds(number) { return false }
    for milestone in gate.milestones where !done.contains(milestone) { return false }
    for number in gate.affirmed where !affirmedByAll(number) { return false }
    return true
  }

  /// Whether agreement `number` has no unsigned role and, if it asks the staff to acknowledge
  /// it, every team it asks has reached its quorum.
  private func agreementHolds(_ number: Int) -> Bool {
    signedByAll(number) && acknowledgedToQuorum(index.agreementList[number])
  }

  /// Whether agreement `number` has no unsigned role: `fullySigned` settles nearly every
  /// one at once; any other is looked at as `hold(on:)` does.
  private func signedByAll(_ number: Int) -> Bool {
    fullySigned[number] || unsignedRoles(of: index.agreementList[number]).isEmpty
  }

  /// Whether agreement `number` is signed by every role, each signature its holder's own or
  /// affirmed by them.
  private func affirmedByAll(_ number: Int) -> Bool {
    signedByAll(number) && unaffirmedRoles(of: index.agreementList[number]).isEmpty
  }

  /// The state of one milestone, given the stage states from `stageStates()`.
  public func state(ofMilestone id: String, stages: [StageState]) -> MilestoneState? {
    guard let entry = index.milestones[id] else { return nil }
    if done.contains(id) { return .done }
    let milestone = entry.element
    let ready =
      stages[entry.stage] == .active
      && milestone.needs.allSatisfy { done.contains($0.id) }
      && (milestone.gate.map { holds($0) } ?? true)
      && missingEvidence(milestone) == nil
    return ready ? .ready : .blocked
  }

  /// The state of one milestone.
  public func state(ofMilestone id: String) -> MilestoneState? {
    state(ofMilestone: id, stages: stageStates())
  }

  /// Whether the agreement is signed by every signatory role.
  public func state(ofAgreement id: String) -> AgreementState? {
    guard let entry = index.agreements[id] else { return nil }
    return unsignedRoles(of: entry.element).isEmpty ? .signed : .open
  }

  /// The agreement's signatures, in the order its signatories are listed.
  public func signatures(of id: String) -> [Signature] {
    guard let entry = index.agreements[id], let byRole = signatures[id] else { return [] }
    return entry.element.signatories.compactMap { byRole[$0.id] }
  }

  /// Whether the milestone is done.
  public func isDone(_ milestone: String) -> Bool { done.contains(milestone) }

  /// Share of the playbook's milestones that are done, 0 to 100, rounded down.
  public var progress: Int {
    let total = index.milestones.count
    return total == 0 ? 100 : done.count * 100 / total
  }

  /// The first stage that is not complete, or nil when the programme is complete.
  public func currentStage(stages: [StageState]) -> Stage? {
    stages.firstIndex { $0 != .complete }.map { playbook.stages[$0] }
  }

  /// What keeps `gate` closed; empty when it holds.
  public func hold(on gate: Gate) -> GateHold {
    var unsigned: [GateHold.Unsigned] = []
    func add(_ id: String, affirmed: Bool) {
      guard let agreement = index.agreements[id]?.element else { return }
      var entry = unsigned.first { $0.agreement == id } ?? .init(agreement: id, roles: unsignedRoles(of: agreement))
      entry.stale = staleRoles(of: agreement)
      if !affirmed {
        let progress = acknowledgementProgress(of: id)
        if !progress.allSatisfy(\.isReached) { entry.acknowledgements = progress }
      } else {
        entry.unaffirmed = unaffirmedRoles(of: agreement)
      }
      let waits = !entry.roles.isEmpty || !entry.acknowledgements.isEmpty || !entry.unaffirmed.isEmpty
      if let position = unsigned.firstIndex(where: { $0.agreement == id }) {
        unsigned[position] = entry
      } else if waits {
        unsigned.append(entry)
      }
    }
    for reference in gate.agreements { add(reference.id, affirmed: false) }
    for reference in gate.affirmed { add(reference.id, affirmed: true) }
    let milestones = gate.milestones.map(\.id).filter { !done.contains($0) }
    return GateHold(agreements: unsigned, milestones: milestones)
  }

  /// The signatory roles without a signature that counts: none, or a stale one.
  func unsignedRoles(of agreement: Agreement) -> [String] {
    let signed = signatures[agreement.id] ?? [:]
    return agreement.signatories.map(\.id).filter { signed[$0].map(\.isStale) ?? true }
  }

  /// The signatory roles whose signature is on other terms than the agreement in force.
  func staleRoles(of agreement: Agreement) -> [String] {
    let signed = signatures[agreement.id] ?? [:]
    return agreement.signatories.map(\.id).filter { signed[$0]?.isStale == true }
  }

  /// The SHA-256 of the agreement's canonical content in force (`Agreement.termsHash`).
  public func termsHash(ofAgreement id: String) -> String? {
    index.agreements[id]?.element.termsHash
  }

  /// Everything that stops the milestone being completed now; empty when it is ready.
  func obstacles(toCompleting id: String) -> [Obstacle] {
    guard let entry = index.milestones[id] else { return [] }
    var obstacles = stageObstacles(entry.stage)
    let missing = entry.element.needs.map(\.id).filter { !done.contains($0) }
    if !missing.isEmpty { obstacles.append(.needs(missing)) }
    obstacles += recurringObstacles(missing)
    if let gate = entry.element.gate {
      let hold = hold(on: gate)
      if !hold.isEmpty { obstacles.append(.milestoneGated(hold)) }
    }
    if let evidence = missingEvidence(entry.element) { obstacles.append(.evidenceMissing(evidence)) }
    return obstacles
  }

  /// The evidence the milestone needs and the client does not have yet, if any.
  func missingEvidence(_ milestone: Milestone) -> Evidence? {
    switch milestone.evidence {
    case .survey?: surveyRounds.contains { $0.withdrawn == nil } ? nil : .survey
    case nil: nil
    }
  }

  /// Everything that stops the agreement being signed now: its stage must have opened
  /// and the milestones it needs must be done.
  func obstacles(toSigning id: String) -> [Obstacle] {
    guard let entry = index.agreements[id] else { return [] }
    var obstacles = stageObstacles(entry.stage)
    let missing = entry.element.needs.map(\.id).filter { !done.contains($0) }
    if !missing.isEmpty { obstacles.append(.needs(missing)) }
    obstacles += recurringObstacles(missing)
    return obstacles
  }

  /// For each of `missing` that is recurring work: how much of it remains.
  private func recurringObstacles(_ missing: [String]) -> [Obstacle] {
    missing.compactMap { id in
      guard let progress = recurrence(of: id) else { return nil }
      let remaining = progress.times.map { max($0 - progress.done - progress.skipped, 0) }
      return .recurring(milestone: id, remaining: remaining, until: progress.until)
    }
  }

  /// Why the stage at `position` is not open, if it is not.
  private func stageObstacles(_ position: Int) -> [Obstacle] {
    let states = stageStates(through: position)
    let stage = playbook.stages[position]
    switch states[position] {
    case .active, .complete:
      return []
    case .gated:
      return [.stageGated(stage: stage.id, hold: stage.gate.map(hold(on:)) ?? .init(agreements: [], milestones: []))]
    case .locked:
      let waiting = states.firstIndex { $0 != .complete } ?? position
      return [.stageLocked(stage: stage.id, waitingFor: playbook.stages[waiting].id)]
    }
  }
}

extension Programme {
  /// The signatory role `person` signs `agreement` for when they do not name one: the one
  /// unsigned signatory role they hold. Refuses when there is none or more than one.
  public func role(toSign id: String, by person: String, at time: Date? = nil) throws(Refusal) -> String {
    guard let agreement = index.agreements[id]?.element else { throw unknownAgreement(id) }
    let held = agreement.signatories.map(\.id).filter { mayAct(person, for: $0, at: time) }
    let open = held.filter { signatures[id]?[$0].map(\.isStale) ?? true }
    switch (held.count, open.count) {
    case (0, _):
      throw .notAllowed(
        person: person, operation: .sign(agreement: id, role: nil), roles: agreement.signatories.map(\.id))
    case (_, 0):
      throw .alreadySigned(agreement: id, role: held[0], by: signatures[id]?[held[0]]?.person ?? person)
    case (_, 1):
      return open[0]
    default:
      throw .ambiguousRole(agreement: id, roles: open)
    }
  }

  /// The role whose signature `person` withdraws when they do not name one: the one
  /// signature on `agreement` they made or whose role they hold.
  public func role(toRevoke id: String, by person: String, at time: Date? = nil) throws(Refusal) -> String {
    guard let agreement = index.agreements[id]?.element else { throw unknownAgreement(id) }
    let candidates = agreement.signatories.map(\.id).filter { role in
      guard let signature = signatures[id]?[role] else { return false }
      return signature.person == person || mayAct(person, for: role, at: time)
    }
    switch candidates.count {
    case 0:
      let held = agreement.signatories.map(\.id).first { mayAct(person, for: $0, at: time) }
      throw .notSigned(agreement: id, role: held ?? "any role \(person) holds")
    case 1:
      return candidates[0]
    default:
      throw .ambiguousRole(agreement: id, roles: candidates)
    }
  }
}
