import PlaybookSpec

// Moving a running client to another version of its playbook.
//
// The history is kept as it is: events before the upgrade were checked against the playbook
// in force then, and replay checks them against it again (the store keeps every text a client
// ran on). From the `upgraded` event on, the new playbook is in force. What carries over is
// decided by id: a done milestone the new playbook still has stays done; a signature stays
// where the agreement still has that signatory role, and counts only if the agreement's terms
// hash is the one it signed; a role the new playbook drops is no longer held, nor delegated.

extension Programme {
  /// What moving to `newPlaybook` would change for this client, without changing it.
  public func upgradeReport(to newPlaybook: Playbook, version: PlaybookVersion) -> UpgradeReport {
    var after = self
    after.switchPlaybook(to: newPlaybook, version: version)
    return UpgradeReport(before: self, after: after)
  }

  /// Moves the client to `newPlaybook`, recording `event` (which must be `.upgraded`, from
  /// the playbook in force to `newPlaybook`), and returns what changed.
  ///
  /// Only the consultant may upgrade, and must say why (the event's note). An upgrade that
  /// would drop a done milestone or lock a stage that is open today is refused unless
  /// `force`.
  @discardableResult
  public mutating func upgrade(to newPlaybook: Playbook, _ event: Event, force: Bool) throws(Refusal)
    -> UpgradeReport
  {
    let to = try checkUpgrade(to: newPlaybook, event)
    var after = self
    after.switchPlaybook(to: newPlaybook, version: to)
    let report = UpgradeReport(before: self, after: after)
    if !force, report.needsForce {
      throw .upgradeNeedsForce(dropsDone: report.droppedDone, locks: report.stagesLocked)
    }
    self = after
    record(event)
    return report
  }

  /// An upgrade in a stored history: whether it needed --force was settled when it was
  /// made, so replay checks the rest and moves on, without working out a report.
  mutating func replayUpgrade(to newPlaybook: Playbook, _ event: Event) throws(Refusal) {
    let to = try checkUpgrade(to: newPlaybook, event)
    switchPlaybook(to: newPlaybook, version: to)
    record(event)
  }

  /// The rules of an upgrade but --force: who, why, and from the text in force to another
  /// text of the same playbook. Answers the version it moves to.
  private func checkUpgrade(to newPlaybook: Playbook, _ event: Event) throws(Refusal) -> PlaybookVersion {
    guard case let .upgraded(from, to) = event.change else { throw .notAnUpgrade(event.change.type) }
    let holder = try check(event)
    guard event.holder == holder else { throw .wrongHolder(recorded: event.holder, expected: holder) }
    let current = playbookVersion ?? PlaybookVersion(id: playbook.id, version: playbook.version, sha256: from.sha256)
    guard from == current else { throw .playbookMismatch(inForce: current, named: from) }
    guard to.id == newPlaybook.id, to.version == newPlaybook.version else {
      let given = PlaybookVersion(id: newPlaybook.id, version: newPlaybook.version, sha256: to.sha256)
      throw .playbookMismatch(inForce: given, named: to)
    }
    guard to.id == from.id else { throw .otherPlaybook(inForce: from.id, given: to.id) }
    guard to.sha256 != from.sha256 else { throw .alreadyOnPlaybook(from) }
    guard Self.hasText(event.note) else { throw .reasonRequired(action: "upgrading a client's playbook") }
    return to
  }

  /// Puts `newPlaybook` in force, carrying done work, signatures and roles over by id.
  private mutating func switchPlaybook(to newPlaybook: Playbook, version: PlaybookVersion) {
    let newIndex = PlaybookIndex(newPlaybook)
    // What the new text adds, or whose terms it changes, starts its clock at the upgrade.
    upgradeRestarts =
      newIndex.stages.keys.filter { index.stages[$0] == nil }
      + newIndex.milestones.keys.filter { index.milestones[$0] == nil }
      + newIndex.agreements.keys.filter { id in
        index.agreements[id]?.element.termsHash != newIndex.agreements[id]!.element.termsHash
      }
    playbook = newPlaybook
    playbookVersion = version
    index = newIndex
    done = done.filter { newIndex.milestones[$0] != nil }
    completions = completions.filter { newIndex.milestones[$0.key] != nil }
    scheduledDates = scheduledDates.filter {
      newIndex.milestones[$0.key] != nil || newIndex.agreements[$0.key] != nil || newIndex.stages[$0.key] != nil
    }
    // Recurring work keeps its occurrences while it still recurs, and is done or not by the
    // new text's `times` and `until`. Work that stops recurring is done if it was done once.
    for (id, behind) in occurrences where newIndex.milestones[id].map({ $0.element.recurrence == nil }) == true {
      if let last = behind.last(where: { !$0.skipped }) { done.insert(id); completions[id] = last.position }
    }
    occurrences = occurrences.filter { newIndex.milestones[$0.key]?.element.recurrence != nil }
    for id in newIndex.milestones.keys {
      let entry = newIndex.milestones[id]!
      if entry.element.recurrence != nil {
        if occurrences[id] == nil, let position = completions[id] {
          occurrences[id] = [Occurrence(position: position, skipped: false)]
        }
        let behind = occurrences[id] ?? []
        var ended: Int?
        if let times = entry.element.recurrence?.times, behind.count >= times { ended = behind.last?.position }
        if let until = entry.element.recurrence?.until, done.contains(until) { ended = ended ?? completions[until] }
        if let ended { done.insert(id); completions[id] = ended } else { done.remove(id); completions[id] = nil }
      }
    }
    doneCount = Array(repeating: 0, count: newPlaybook.stages.count)
    for id in done { doneCount[newIndex.milestones[id]!.stage] += 1 }
    assignments = assignments.filter { newIndex.roles.contains($0.key) }
    // A role the new text drops has nobody to act for, as a hand-over ends a delegation.
    delegations = delegations.filter { newIndex.roles.contains($0.key) }

    var carried: [String: [String: Signature]] = [:]
    for (id, byRole) in signatures {
      guard let agreement = newIndex.agreements[id]?.element else { continue }
      let roles = Set(agreement.signatories.map(\.id))
      let inForce = agreement.termsHash
      for (role, var signature) in byRole where roles.contains(role) {
        signature.isStale = (signature.read ?? signature.terms) != inForce
        carried[id, default: [:]][role] = signature
      }
    }
    signatures = carried
    fullySigned = newIndex.agreementList.map { unsignedRoles(of: $0).isEmpty }
  }
}
