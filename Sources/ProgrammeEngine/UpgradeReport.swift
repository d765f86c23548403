import PlaybookSpec

/// What moving a client to another playbook version changes: the playbook's own
/// differences by id, what becomes of the client's done work, signatures and roles, and
/// every consequence for where the client stands.
public struct UpgradeReport: Sendable, Hashable {
  /// Ids added, removed and changed between two versions of one kind of element.
  public struct Differences: Sendable, Hashable {
    public var added: [String] = []
    public var removed: [String] = []
    /// Each changed id with what changed about it (`title`, `terms`, `owner`, ...).
    public var changed: [Changed] = []

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
  }

  /// One element kept under its id but changed.
  public struct Changed: Sendable, Hashable {
    public var id: String
    /// What changed, by the playbook's key names, in a fixed order.
    public var what: [String]
  }

  /// A signature the upgrade affects.
  public struct SignatureChange: Sendable, Hashable {
    public var agreement: String
    public var role: String
    public var person: String
  }

  /// An agreement whose acknowledgements the upgrade makes stale, and how many.
  public struct AcknowledgementChange: Sendable, Hashable {
    public var agreement: String
    public var people: Int
  }

  /// A stage whose state the upgrade changes.
  public struct StageChange: Sendable, Hashable {
    public var stage: String
    /// Nil for a stage the new playbook adds.
    public var before: StageState?
    public var after: StageState
  }

  /// A role the new playbook drops, and who held it.
  public struct RoleHolder: Sendable, Hashable {
    public var role: String
    public var person: String
  }

  public var from: PlaybookVersion?
  public var to: PlaybookVersion?
  public var stages = Differences()
  public var milestones = Differences()
  public var agreements = Differences()
  public var roles = Differences()
  /// Whether the survey's definition changed (statements, teams, levels, scale).
  public var surveyChanged = false
  /// Done milestones that stay done, in the new playbook's order.
  public var keptDone: [String] = []
  /// Done milestones the new playbook does not have: their completion no longer counts.
  public var droppedDone: [String] = []
  /// Signatures that counted and are on other terms than the new agreement: stale.
  public var staleSignatures: [SignatureChange] = []
  /// Per agreement, how many acknowledgements on the roster counted and no longer do (the
  /// terms changed, or the agreement no longer asks): those people acknowledge again.
  public var staleAcknowledgements: [AcknowledgementChange] = []
  /// Signatures whose agreement, or whose role among its signatories, the new playbook drops.
  public var droppedSignatures: [SignatureChange] = []
  /// Roles held today that the new playbook does not have.
  public var droppedRoles: [RoleHolder] = []
  /// Every stage whose state changes, in the new playbook's order (dropped stages are in
  /// `stages.removed`).
  public var stageChanges: [StageChange] = []

  /// Stages open today that the upgrade locks (an earlier stage is no longer complete).
  public var stagesLocked: [String] {
    stageChanges.filter { ($0.before?.isOpen ?? false) && $0.after == .locked }.map(\.stage)
  }

  /// Whether the upgrade undoes work already done: it drops a done milestone or locks a
  /// stage that is open today. Such an upgrade needs `--force`.
  public var needsForce: Bool { !droppedDone.isEmpty || !stagesLocked.isEmpty }

  /// Whether the playbook itself differs in anything the report lists.
  public var playbookChanged: Bool {
    !(stages.isEmpty && milestones.isEmpty && agreements.isEmpty && roles.isEmpty) || surveyChanged
  }

  init(before: Programme, after: Programme) {
    from = before.playbookVersion
    to = after.playbookVersion
    let old = before.playbook, new = after.playbook
    stages = Self.differences(old.stages, new.stages, id: \.id) { a, b in
      var what: [String] = []
      if a.title != b.title { what.append("title") }
      if a.description != b.description { what.append("description") }
      if Self.ids(a.gate) != Self.ids(b.gate) { what.append("gate") }
      if a.target != b.target { what.append("target") }
      return what
    }
    let oldMilestones = before.index.milestones, newMilestones = after.index.milestones
    milestones = Self.differences(
      old.stages.flatMap(\.milestones), new.stages.flatMap(\.milestones), id: \.id
    ) { a, b in
      var what: [String] = []
      if a.title != b.title { what.append("title") }
      if a.description != b.description { what.append("description") }
      if a.owner.id != b.owner.id { what.append("owner") }
      if a.needs.map(\.id) != b.needs.map(\.id) { what.append("needs") }
      if Self.ids(a.gate) != Self.ids(b.gate) { what.append("gate") }
      if a.evidence != b.evidence { what.append("evidence") }
      if a.due != b.due { what.append("due") }
      if a.recurrence != b.recurrence { what.append("every") }
      if old.stages[oldMilestones[a.id]!.stage].id != new.stages[newMilestones[b.id]!.stage].id {
        what.append("stage")
      }
      return what
    }
    let oldAgreements = before.index.agreements, newAgreements = after.index.agreements
    agreements = Self.differences(before.index.agreementList, after.index.agreementList, id: \.id) { a, b in
      var what: [String] = []
      if a.termsHash != b.termsHash {
        if a.title != b.title { what.append("title") }
        if a.terms != b.terms { what.append("terms") }
        if a.signatories.map(\.id) != b.signatories.map(\.id) { what.append("signatories") }
        // Targets are part of the terms (`Agreement.canonicalContent`).
        func targets(_ agreement: Agreement) -> [String] { agreement.targets.map { "\($0.metric.id)=\($0.value)" }.sorted() }
        if targets(a) != targets(b) { what.append("targets") }
      }
      if a.needs.map(\.id) != b.needs.map(\.id) { what.append("needs") }
      if a.due != b.due { what.append("due") }
      if a.acknowledgedBy?.teams.map(\.id) != b.acknowledgedBy?.teams.map(\.id)
        || a.acknowledgedBy?.quorum != b.acknowledgedBy?.quorum
      {
        what.append("acknowledged-by")
      }
      if old.stages[oldAgreements[a.id]!.stage].id != new.stages[newAgreements[b.id]!.stage].id {
        what.append("stage")
      }
      return what
    }
    roles = Self.differences(old.roles, new.roles, id: \.id) { a, b in a.title == b.title ? [] : ["title"] }
    surveyChanged = Self.content(of: old.survey) != Self.content(of: new.survey)

    let newOrder = new.stages.flatMap(\.milestones).map(\.id)
    keptDone = newOrder.filter { after.done.contains($0) }
    droppedDone = old.stages.flatMap(\.milestones).map(\.id).filter {
      before.done.contains($0) && !after.done.contains($0)
    }
    for agreement in before.index.agreementList {
      for signature in before.signatures(of: agreement.id) where !signature.isStale {
        let change = SignatureChange(agreement: agreement.id, role: signature.role, person: signature.person)
        let carried = after.signatures[agreement.id]?[signature.role]
        if let carried {
          if carried.isStale { staleSignatures.append(change) }
        } else {
          droppedSignatures.append(change)
        }
      }
    }
    for agreement in before.index.agreementList {
      let counted = before.acknowledgementProgress(of: agreement.id).reduce(0) { $0 + $1.acknowledged }
      guard counted > 0 else { continue }
      let still = after.acknowledgementProgress(of: agreement.id).reduce(0) { $0 + $1.acknowledged }
      if still < counted { staleAcknowledgements.append(AcknowledgementChange(agreement: agreement.id, people: counted - still)) }
    }
    droppedRoles = old.roles.compactMap { role in
      guard let person = before.assignments[role.id], after.assignments[role.id] == nil else { return nil }
      return RoleHolder(role: role.id, person: person)
    }
    let beforeStates = Dictionary(
      zip(old.stages.map(\.id), before.stageStates()), uniquingKeysWith: { first, _ in first })
    for (stage, state) in zip(new.stages.map(\.id), after.stageStates()) where beforeStates[stage] != state {
      stageChanges.append(StageChange(stage: stage, before: beforeStates[stage], after: state))
    }
  }

  /// What a survey asks and how it is scored, without where the YAML says it.
  private static func content(of survey: Survey?) -> [String] {
    guard let survey else { return [] }
    var content = ["\(survey.scale.minimum)-\(survey.scale.maximum)", "\(survey.anonymity)"]
    content += survey.teams.map { "team " + $0.id + ":" + $0.title }
    content += survey.levels.map { "level " + $0.id + ":" + $0.title }
    for dimension in survey.dimensions {
      content.append(dimension.id + ":" + dimension.title)
      content += dimension.statements.map { $0.id + ":" + $0.text }
    }
    return content
  }

  private static func ids(_ gate: Gate?) -> [[String]] {
    guard let gate else { return [] }
    return [gate.agreements.map(\.id), gate.milestones.map(\.id), gate.affirmed.map(\.id)]
  }

  /// Added, removed and changed elements by id, in the order each version lists them.
  private static func differences<Element>(
    _ old: [Element], _ new: [Element], id: (Element) -> String, changes: (Element, Element) -> [String]
  ) -> Differences {
    var byID: [String: Element] = [:]
    for element in old where byID[id(element)] == nil { byID[id(element)] = element }
    let newIDs = Set(new.map(id))
    var differences = Differences()
    differences.removed = old.map(id).filter { !newIDs.contains($0) }
    for element in new {
      guard let earlier = byID[id(element)] else {
        differences.added.append(id(element))
        continue
      }
      let what = changes(earlier, element)
      if !what.isEmpty { differences.changed.append(Changed(id: id(element), what: what)) }
    }
    return differences
  }
}
