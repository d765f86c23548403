/// Refusals as data for programs: a stable code and the ids involved, beside the sentence
/// `description` gives a person. Codes and keys are a contract (listed in docs/guide/commands.md):
/// new ones may be added, none renamed.
extension Refusal {
  /// A stable name for the refusal, such as `gate-closed` or `not-permitted`.
  public var code: String {
    switch self {
    case .notStarted: "not-started"
    case .alreadyStarted: "already-started"
    case .duplicateEvent: "duplicate-event"
    case .unknownMilestone: "unknown-milestone"
    case .unknownAgreement: "unknown-agreement"
    case .unknownRole: "unknown-role"
    case .invalidPerson: "invalid-person"
    case .invalidName: "invalid-name"
    case .invalidNote: "invalid-note"
    case .notAllowed: "not-permitted"
    case .alreadyAssigned: "already-assigned"
    case .alreadyDone: "already-done"
    case .notDone: "not-done"
    // A gate is what people wait on (signatures); anything else is work still to do.
    case let .notReady(_, obstacles): obstacles.contains(where: \.isGate) ? "gate-closed" : "milestone-not-ready"
    case .signingClosed: "agreement-not-open"
    case .alreadySigned: "already-signed"
    case .ambiguousRole: "ambiguous-role"
    case .notASignatory: "not-a-signatory"
    case .notSigned: "not-signed"
    case .reasonRequired: "reason-required"
    case .noSurvey: "no-survey"
    case .invalidRoundName: "invalid-round-name"
    case .roundExists: "round-exists"
    case .emptyRound: "empty-round"
    case .invalidResponse: "invalid-response"
    case .invalidOpportunity: "invalid-opportunity"
    case .clientArchived: "client-archived"
    case .alreadyArchived: "already-archived"
    case .notArchived: "not-archived"
    case .unknownRound: "unknown-round"
    case .roundWithdrawn: "already-withdrawn"
    case .duplicateRound: "duplicate-round"
    case .unknownPlaybook: "unknown-playbook"
    case .playbookMismatch: "playbook-mismatch"
    case .otherPlaybook: "other-playbook"
    case .alreadyOnPlaybook: "already-on-playbook"
    case .upgradeNeedsForce: "upgrade-needs-force"
    case .notAnUpgrade: "not-an-upgrade"
    case .notOnPlaybook: "not-on-playbook"
    case .roleUnassigned: "role-unassigned"
    case .delegateIsHolder: "delegate-is-holder"
    case .untilInPast: "until-in-past"
    case .invalidDay: "invalid-day"
    case .notDelegated: "not-delegated"
    case .wrongHolder: "wrong-holder"
    case .evidenceRequired: "evidence-required"
    case .invalidEvidence: "invalid-evidence"
    case .unknownItem: "unknown-item"
    case .invalidDate: "invalid-date"
    case .itemFinished: "item-finished"
    case .notRecurring: "not-recurring"
    case .confirmationRequired: "confirmation-required"
    case .termsChanged: "terms-changed"
    case .unknownMetric: "unknown-metric"
    case .invalidReading: "invalid-reading"
    case .termsRequired: "terms-required"
    case .roundNotOpen: "round-not-open"
    case .noTeams: "no-teams"
    case .invalidMember: "invalid-member"
    case .alreadyOnRoster: "already-on-roster"
    case .notOnRoster: "not-on-roster"
    case .notForAcknowledging: "not-for-acknowledging"
    case .teamNotAsked: "team-not-asked"
    case .alreadyAcknowledged: "already-acknowledged"
    case .nothingToAffirm: "nothing-to-affirm"
    case .alreadyAffirmed: "already-affirmed"
    }
  }

  /// The ids involved, by name: `milestone`, `agreement`, `role`, `roles` (still owing, or
  /// allowed), `stage` (a gated or locked stage), `obstacles` and the like.
  public var details: [String: Detail] {
    switch self {
    case .notStarted, .alreadyStarted, .noSurvey, .clientArchived, .alreadyArchived, .notArchived,
      .evidenceRequired, .noTeams:
      return [:]
    case let .invalidMember(person, problem):
      return ["person": .text(person), "problem": .text(problem)]
    case let .alreadyOnRoster(person):
      return ["person": .text(person)]
    case let .notOnRoster(person, suggestion):
      return suggested(["person": .text(person)], suggestion)
    case let .notForAcknowledging(agreement):
      return ["agreement": .text(agreement)]
    case let .teamNotAsked(agreement, person, team, teams):
      return ["agreement": .text(agreement), "person": .text(person), "team": .text(team), "teams": .list(teams)]
    case let .alreadyAcknowledged(agreement, person):
      return ["agreement": .text(agreement), "person": .text(person)]
    case let .nothingToAffirm(agreement, role):
      return ["agreement": .text(agreement), "role": .text(role)]
    case let .alreadyAffirmed(agreement, role, person):
      return ["agreement": .text(agreement), "role": .text(role), "person": .text(person)]
    case let .duplicateEvent(id):
      return ["id": .text(id)]
    case let .roleUnassigned(role), let .notDelegated(role):
      return ["role": .text(role)]
    case let .delegateIsHolder(role, person):
      return ["role": .text(role), "person": .text(person)]
    case let .untilInPast(role, until, today):
      return ["role": .text(role), "until": .text(until), "today": .text(today)]
    case let .invalidDay(text):
      return ["until": .text(text)]
    case let .wrongHolder(recorded, expected):
      var details: [String: Detail] = [:]
      if let recorded { details["holder"] = .text(recorded) }
      if let expected { details["expected"] = .text(expected) }
      return details
    case let .invalidEvidence(problem):
      return ["problem": .text(problem)]
    case let .unknownItem(id, suggestion):
      return suggested(["item": .text(id)], suggestion)
    case let .invalidDate(text):
      return ["date": .text(text)]
    case let .itemFinished(item, state):
      return ["item": .text(item), "state": .text(state)]
    case let .notRecurring(milestone):
      return ["milestone": .text(milestone)]
    case let .unknownMilestone(id, suggestion):
      return suggested(["milestone": .text(id)], suggestion)
    case let .unknownAgreement(id, suggestion):
      return suggested(["agreement": .text(id)], suggestion)
    case let .unknownRole(id, known, suggestion):
      return suggested(["role": .text(id), "known": .list(known)], suggestion)
    case let .confirmationRequired(role, holder, person, loss):
      return ["role": .text(role), "holder": .text(holder), "person": .text(person), "loss": .text(loss)]
    case let .invalidPerson(name):
      return Self.located(["person": .text(name)], TextRules.nameProblem(name))
    case let .invalidName(field, name):
      return Self.located(["field": .text(field), "name": .text(name)], TextRules.nameProblem(name))
    case let .invalidNote(problem):
      return Self.located([:], problem)
    case let .notAllowed(person, operation, roles):
      var details: [String: Detail] = [
        "person": .text(person), "operation": .text(operation.name), "roles": .list(roles),
      ]
      switch operation {
      case let .complete(milestone), let .reopen(milestone), let .skip(milestone):
        details["milestone"] = .text(milestone)
      case let .schedule(item): details["item"] = .text(item)
      case let .recordMetric(metric): details["metric"] = .text(metric)
      case let .sign(agreement, role):
        details["agreement"] = .text(agreement)
        if let role { details["role"] = .text(role) }
      case let .revoke(agreement, role):
        details["agreement"] = .text(agreement)
        details["role"] = .text(role)
      case let .affirm(agreement, role):
        details["agreement"] = .text(agreement)
        if let role { details["role"] = .text(role) }
      case let .withdrawSurvey(round), let .runSurvey(round): details["round"] = .text(round)
      case let .delegate(role), let .endDelegation(role): details["role"] = .text(role)
      case .assignRoles, .importSurvey, .setOpportunity, .archive, .restore, .recordOnBehalf, .upgrade, .keepRoster, .seeRoster: break
      }
      return details
    case let .alreadyAssigned(role, person):
      return ["role": .text(role), "person": .text(person)]
    case let .alreadyDone(milestone), let .notDone(milestone):
      return ["milestone": .text(milestone)]
    case let .notReady(milestone, obstacles):
      return Self.blocked(["milestone": .text(milestone)], obstacles)
    case let .signingClosed(agreement, obstacles):
      return Self.blocked(["agreement": .text(agreement)], obstacles)
    case let .alreadySigned(agreement, role, by):
      return ["agreement": .text(agreement), "role": .text(role), "person": .text(by)]
    case let .ambiguousRole(agreement, roles):
      return ["agreement": .text(agreement), "roles": .list(roles)]
    case let .notASignatory(agreement, role, signatories):
      return ["agreement": .text(agreement), "role": .text(role), "signatories": .list(signatories)]
    case let .notSigned(agreement, role):
      return ["agreement": .text(agreement), "role": .text(role)]
    case let .reasonRequired(action):
      return ["action": .text(action)]
    case let .invalidRoundName(round, problem), let .invalidResponse(round, problem):
      return ["round": .text(round), "problem": .text(problem)]
    case let .roundExists(round), let .emptyRound(round), let .roundWithdrawn(round), let .roundNotOpen(round):
      return ["round": .text(round)]
    case let .unknownRound(round, suggestion):
      return suggested(["round": .text(round)], suggestion)
    case let .duplicateRound(round, earlier, _):
      return ["round": .text(round), "earlier": .text(earlier)]
    case let .invalidOpportunity(problems):
      return ["problems": .list(problems)]
    case let .unknownPlaybook(version), let .alreadyOnPlaybook(version):
      return ["playbook": .text(version.id), "version": .text(String(version.version)), "sha256": .text(version.sha256)]
    case let .playbookMismatch(inForce, named):
      return ["playbook": .text(inForce.id), "sha256": .text(inForce.sha256), "named": .text(named.sha256)]
    case let .otherPlaybook(inForce, given):
      return ["playbook": .text(inForce), "given": .text(given)]
    case let .upgradeNeedsForce(dropsDone, locks):
      return ["milestones": .list(dropsDone), "stages": .list(locks)]
    case let .notAnUpgrade(type):
      return ["type": .text(type)]
    case let .notOnPlaybook(inForce, expected):
      return ["playbook": .text(inForce), "expected": .text(expected)]
    case let .termsChanged(agreement, given, inForce):
      return ["agreement": .text(agreement), "terms": .text(given), "termsInForce": .text(inForce)]
    case let .termsRequired(agreement):
      return ["agreement": .text(agreement)]
    case let .unknownMetric(id, suggestion):
      return suggested(["metric": .text(id)], suggestion)
    case let .invalidReading(metric, problem):
      return ["metric": .text(metric), "problem": .text(problem)]
    }
  }

  /// Where a name or note breaks the rules: `problem` (the sentence), and for a character
  /// that is not allowed, its `position` (from 1) and `character` (`U+202E`).
  private static func located(_ details: [String: Detail], _ problem: TextProblem?) -> [String: Detail] {
    guard let problem else { return details }
    var details = details
    details["problem"] = .text(problem.description)
    if let character = problem.character {
      details["character"] = .text(character)
      details["position"] = .text(String(problem.position))
    }
    return details
  }

  private func suggested(_ details: [String: Detail], _ suggestion: String?) -> [String: Detail] {
    var details = details
    if let suggestion { details["suggestion"] = .text(suggestion) }
    return details
  }

  /// What holds a milestone or agreement: every obstacle, and flattened for a quick look
  /// the stage that holds it and the roles whose signatures a gate still owes.
  private static func blocked(_ details: [String: Detail], _ obstacles: [Obstacle]) -> [String: Detail] {
    var details = details
    details["obstacles"] = .obstacles(obstacles)
    var roles: [String] = []
    for obstacle in obstacles {
      switch obstacle {
      case let .stageLocked(stage, _): details["stage"] = .text(stage)
      case let .stageGated(stage, hold):
        details["stage"] = .text(stage)
        roles += hold.agreements.flatMap(\.roles)
      case let .milestoneGated(hold): roles += hold.agreements.flatMap(\.roles)
      case .needs, .recurring, .evidenceMissing: break
      }
    }
    if !roles.isEmpty { details["roles"] = .list(roles.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }) }
    return details
  }
}

/// A value in a refusal's details: an id or text, a list of them, or what blocks a change.
public enum Detail: Sendable, Hashable, Encodable {
  case text(String)
  case list([String])
  case obstacles([Obstacle])

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case let .text(text): try container.encode(text)
    case let .list(list): try container.encode(list)
    case let .obstacles(obstacles): try container.encode(obstacles)
    }
  }
}

extension Obstacle: Encodable {
  /// Whether the obstacle is a closed gate, a stage's or the milestone's own.
  public var isGate: Bool {
    switch self {
    case .stageGated, .milestoneGated: true
    case .stageLocked, .needs, .recurring, .evidenceMissing: false
    }
  }

  private enum Key: String, CodingKey {
    case kind, stage, waitingFor, milestones, agreements, evidence, milestone, remaining, until
  }

  /// `{"kind": "stage-gated", "stage": ..., "agreements": [{"id", "unsigned"}], "milestones": [...]}`,
  /// the gate's shape as `next --json` shows blocked gates.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    func hold(_ hold: GateHold) throws {
      try container.encode(hold.agreements.map(GateHold.UnsignedJSON.init), forKey: .agreements)
      try container.encode(hold.milestones, forKey: .milestones)
    }
    switch self {
    case let .stageLocked(stage, waitingFor):
      try container.encode("stage-locked", forKey: .kind)
      try container.encode(stage, forKey: .stage)
      try container.encode(waitingFor, forKey: .waitingFor)
    case let .stageGated(stage, gate):
      try container.encode("stage-gated", forKey: .kind)
      try container.encode(stage, forKey: .stage)
      try hold(gate)
    case let .needs(milestones):
      try container.encode("needs", forKey: .kind)
      try container.encode(milestones, forKey: .milestones)
    case let .recurring(milestone, remaining, until):
      try container.encode("recurring", forKey: .kind)
      try container.encode(milestone, forKey: .milestone)
      try container.encodeIfPresent(remaining, forKey: .remaining)
      try container.encodeIfPresent(until, forKey: .until)
    case let .milestoneGated(gate):
      try container.encode("milestone-gated", forKey: .kind)
      try hold(gate)
    case let .evidenceMissing(evidence):
      try container.encode("evidence-missing", forKey: .kind)
      try container.encode(evidence.rawValue, forKey: .evidence)
    }
  }
}

extension GateHold {
  /// An agreement a gate waits for as `next --json` and a refusal's obstacles show it:
  /// `{"id", "unsigned", "termsChanged"?, "acknowledgements"?, "unaffirmed"?}`, the last three
  /// absent when empty.
  public struct UnsignedJSON: Encodable {
    var id: String
    var unsigned: [String]
    /// Those of `unsigned` whose signature is on terms that have since changed.
    var termsChanged: [String]?
    /// Every team asked, with its progress, while some team is short of its quorum.
    var acknowledgements: [TeamProgress]?
    /// The roles whose holder now has not affirmed a predecessor's signature.
    var unaffirmed: [String]?

    public init(_ unsigned: Unsigned) {
      id = unsigned.agreement
      self.unsigned = unsigned.roles
      termsChanged = unsigned.stale.isEmpty ? nil : unsigned.stale
      acknowledgements = unsigned.acknowledgements.isEmpty ? nil : unsigned.acknowledgements
      unaffirmed = unsigned.unaffirmed.isEmpty ? nil : unsigned.unaffirmed
    }
  }
}
