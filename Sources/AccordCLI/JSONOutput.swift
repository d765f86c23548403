import Foundation
import ProgrammeEngine
import WorkspaceStore

/// Machine output: sorted keys and stable order, so scripts and diffs can rely on it.
/// The keys documented in the README are a contract; more may be added, none renamed.
enum JSONOutput {
  ///
  /// The text is JSONEncoder's with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes`,
  /// byte for byte, written by `PrettyJSONEncoder` in a fraction of the time (it leaves what
  /// it does not support to JSONEncoder), and a final newline.
  static func print(_ value: some Encodable) throws {
    let bytes = try PrettyJSONEncoder.encodeOrFallBack(value)
    Swift.print(String(decoding: bytes, as: UTF8.self))
  }
}

/// `next --json`.
struct NextJSON: Encodable {
  var client: String
  var complete: Bool
  var actions: [ActionJSON]
  var blocked: [BlockerJSON]
  /// An archived client has no next actions until it is restored.
  var archived: Bool

  /// Present only while recurring work goes on after everything else is done.
  var sustaining: Bool?

  init(client: String, next: NextActions, archived: Bool, dates: ItemDates = .none, sustaining: Bool = false) {
    self.client = client
    self.archived = archived
    complete = next.isComplete
    actions = next.actions.map { ActionJSON(action: $0, due: DueJSON($0.target, in: dates)) }
    blocked = next.blocked.map(BlockerJSON.init)
    self.sustaining = sustaining ? true : nil
  }

  /// What `next --json` prints with no filter: every action due on `programme` at `time`.
  init(_ programme: Programme, at time: Date, dates: ItemDates = .none) {
    self.init(
      client: programme.client, next: programme.nextActions(at: time), archived: programme.archived != nil,
      dates: dates, sustaining: programme.isSustaining)
  }
}

struct ActionJSON: Encodable {
  var action: Action
  /// The target's date, when it has one.
  var due: DueJSON?

  private enum Key: String, CodingKey {
    case kind, target, stage, role, person, terms, staleTerms, signedTerms, delegate
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(action.kind.rawValue, forKey: .kind)
    try container.encode(action.target, forKey: .target)
    try container.encode(action.stage, forKey: .stage)
    try container.encode(action.role, forKey: .role)
    try container.encode(action.person, forKey: .person)  // null when nobody holds the role
    // For `sign` only: the terms to sign and, when the role signed other terms, those.
    try container.encodeIfPresent(action.terms, forKey: .terms)
    try container.encodeIfPresent(action.staleTerms, forKey: .staleTerms)
    // When the history holds them: the terms text that was signed, to set beside the new.
    if let signed = action.signedAgreement { try container.encode(signed.terms, forKey: .signedTerms) }
    // Who may act for `role` now as its delegate; absent when nobody may.
    try container.encodeIfPresent(action.delegate, forKey: .delegate)
    // The date keys beside the action's own, as `DueJSON` writes them everywhere.
    try due?.encode(to: encoder)
  }
}

struct BlockerJSON: Encodable {
  var blocker: Blocker

  private enum Key: String, CodingKey { case stage, milestone, agreements, milestones }
  private struct Unsigned: Encodable {
    var id: String
    var unsigned: [String]
    /// Those of `unsigned` whose signature is on terms since changed; absent when none.
    var termsChanged: [String]?
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(blocker.stage, forKey: .stage)
    try container.encode(blocker.milestone, forKey: .milestone)
    try container.encode(
      blocker.hold.agreements.map {
        Unsigned(id: $0.agreement, unsigned: $0.roles, termsChanged: $0.stale.isEmpty ? nil : $0.stale)
      },
      forKey: .agreements)
    try container.encode(blocker.hold.milestones, forKey: .milestones)
  }
}

/// `status --json`.
struct StatusJSON: Encodable {
  struct Stage: Encodable {
    var id: String
    var title: String
    var state: String
    var milestones: [Milestone]
    /// The date the stage should be complete by (its `target`, or a date set), while it is not.
    var target: DueJSON?
  }
  /// Where a recurring milestone stands.
  struct Recurrence: Encodable {
    var every: String
    var times: Int?
    var until: String?
    var done: Int
    var skipped: Int
    /// The occurrence due next; absent when it recurs no more.
    var current: Int?
  }
  struct Milestone: Encodable {
    var id: String
    var title: String
    var state: String
    var owner: String
    /// Who completed it (whose act it was: the person it was recorded for, when it was)
    /// and when, while it is done.
    var completedBy: String?
    var completedAt: String?
    /// Who entered a completion recorded for `completedBy` (`--on-behalf-of`); absent otherwise.
    var enteredBy: String?
    /// The holder a delegate completed it for; absent otherwise.
    var holder: String?
    /// When it is due, while it is not done and has a date.
    var due: DueJSON?
    /// For recurring work: its occurrences.
    var recurrence: Recurrence?
  }
  struct Agreement: Encodable {
    var id: String
    var title: String
    var stage: String
    var state: String
    var signatories: [String]
    var signatures: [SignatureJSON]
    /// The SHA-256 of the agreement's canonical content in force.
    var termsHash: String
    /// When every signature is due, while one is owed and there is a date.
    var due: DueJSON?
  }
  struct Playbook: Encodable {
    var id: String
    var version: Int
    var title: String
    var sha256: String
  }

  var client: String
  var name: String
  var playbook: Playbook
  var progress: Int
  var stage: String?
  var stages: [Stage]
  var agreements: [Agreement]
  var assignments: [String: String]
  var revision: Int
  var surveyRounds: [SurveyRoundJSON]
  var opportunity: Nullable<OpportunitySettingJSON>
  /// Who archived the client, when and why; null unless it is archived.
  var archived: Nullable<StampJSON>
  /// The delegations in force when the status was asked for.
  var delegations: [DelegationJSON]
  /// The day dates were judged on; absent when the client has no dates.
  var asOf: String?
  /// Present only while recurring work goes on after everything else is done.
  var sustaining: Bool?

  init(record: ClientRecord, programme: Programme, now: Date = Date(), dates: ItemDates = .none) {
    let states = programme.stageStates()
    client = record.client
    name = record.name
    playbook = Playbook(
      id: record.playbook.id, version: record.playbook.version, title: record.playbook.title,
      sha256: record.playbook.sha256)
    progress = programme.progress
    stage = programme.currentStage(stages: states)?.id
    stages = zip(programme.playbook.stages, states).map { stage, state in
      Stage(
        id: stage.id, title: stage.title, state: state.rawValue,
        milestones: stage.milestones.map { milestone in
          let completion = programme.completion(of: milestone.id)
          return Milestone(
            id: milestone.id, title: milestone.title,
            state: programme.state(ofMilestone: milestone.id, stages: states)?.rawValue ?? "",
            owner: milestone.owner.id, completedBy: completion?.actor,
            completedAt: completion.map { Timestamp.format($0.at) },
            enteredBy: completion?.onBehalfOf == nil ? nil : completion?.by, holder: completion?.holder,
            due: DueJSON(milestone.id, in: dates),
            recurrence: milestone.recurrence.flatMap { recurrence in
              programme.recurrence(of: milestone.id).map {
                Recurrence(
                  every: recurrence.every.description, times: $0.times, until: $0.until, done: $0.done,
                  skipped: $0.skipped, current: $0.current)
              }
            })
        },
        target: DueJSON(stage.id, in: dates))
    }
    agreements = programme.playbook.stages.flatMap { stage in
      stage.agreements.map {
        Agreement(
          id: $0.id, title: $0.title, stage: stage.id,
          state: programme.state(ofAgreement: $0.id)?.rawValue ?? "",
          signatories: $0.signatories.map(\.id),
          signatures: programme.signatures(of: $0.id).map(SignatureJSON.init),
          termsHash: $0.termsHash, due: DueJSON($0.id, in: dates))
      }
    }
    asOf = dates.isEmpty ? nil : dates.today.description
    sustaining = programme.isSustaining ? true : nil
    assignments = programme.assignments
    revision = record.revision
    surveyRounds = SurveyRoundJSON.rounds(of: programme)
    opportunity = Nullable(programme.opportunity.map(OpportunitySettingJSON.init))
    archived = Nullable(programme.archived.map(StampJSON.init))
    delegations = programme.delegations(activeAt: now).map(DelegationJSON.init)
  }
}

/// A delegation in force, for `status --json`.
struct DelegationJSON: Encodable {
  var role: String
  var holder: String
  var delegate: String
  /// The last day it holds, `YYYY-MM-DD`, to its end in UTC.
  var until: String
  var reason: String?
  var by: String
  var at: String

  private enum Key: String, CodingKey { case role, holder, delegate, until, reason, by, at }

  init(_ delegation: Delegation) {
    role = delegation.role
    holder = delegation.holder
    delegate = delegation.delegate
    until = delegation.until
    reason = delegation.reason
    by = delegation.by
    at = Timestamp.format(delegation.at)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(role, forKey: .role)
    try container.encode(holder, forKey: .holder)
    try container.encode(delegate, forKey: .delegate)
    try container.encode(until, forKey: .until)
    try container.encode(reason, forKey: .reason)  // null when none was given
    try container.encode(by, forKey: .by)
    try container.encode(at, forKey: .at)
  }
}

struct SignatureJSON: Encodable {
  var role: String
  var person: String
  var at: String
  /// The terms hash signed; absent for a signature recorded before signatures carried it.
  var terms: String?
  /// Whether the signature is on other terms than the agreement in force (it does not count).
  var stale: Bool
  /// The holder a delegate signed for; absent otherwise.
  var holder: String?
  /// Who entered a signature recorded for `person` (`--on-behalf-of`), and the evidence
  /// file's `{"name", "sha256"}`; absent otherwise.
  var enteredBy: String?
  var evidence: EvidenceFile?

  init(_ signature: Signature) {
    role = signature.role
    person = signature.person
    at = Timestamp.format(signature.at)
    terms = signature.terms
    stale = signature.isStale
    holder = signature.holder
    enteredBy = signature.enteredBy
    evidence = signature.evidence
  }
}

/// One row of `clients --json`.
struct ClientJSON: Encodable {
  var client: String
  var name: String
  var stage: String?
  var progress: Int
  var actions: Int
  /// Listed only by `clients --all`.
  var archived: Bool
  /// Recurring work goes on after everything else is done.
  var sustaining = false
  /// How many items are overdue, and the earliest date of any open item (null for none).
  var overdue = 0
  var nextDue: String?

  private enum Key: String, CodingKey {
    case client, name, stage, progress, actions, archived, sustaining, overdue, nextDue
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(client, forKey: .client)
    try container.encode(name, forKey: .name)
    try container.encode(stage, forKey: .stage)  // null when the programme is complete
    try container.encode(progress, forKey: .progress)
    try container.encode(actions, forKey: .actions)
    try container.encode(archived, forKey: .archived)
    try container.encode(sustaining, forKey: .sustaining)
    try container.encode(overdue, forKey: .overdue)
    try container.encode(nextDue, forKey: .nextDue)
  }
}

/// What a command that changes a client prints with `--json`: the event it recorded (as
/// `log --json` shows events), the stages whose state it moved, and what comes next.
struct ChangeJSON: Encodable {
  struct Transition: Encodable {
    var stage: String
    var from: String
    var to: String
  }

  var client: String
  var event: Event
  var transitions: [Transition]
  var next: NextJSON
  /// `survey import` only: `comma` or `semicolon`, what separated the file's cells.
  var separator: String?
  /// `schedule` only: the later items moved with the date (`--cascade`), empty for none.
  var moved: [Moved]?
  /// The API only: true when the request was a retry under an `Idempotency-Key` whose change
  /// its first attempt made; nothing was written again. Absent otherwise.
  var replayed: Bool?

  /// An item `schedule --cascade` moved, and its dates before and after.
  struct Moved: Encodable {
    var item: String
    var from: String
    var to: String
  }

  init(before: Programme?, after: Programme, dates: ItemDates = .none) {
    client = after.client
    event = after.history[after.history.count - 1]
    let earlier = before?.stageStates()
    transitions = zip(after.playbook.stages, after.stageStates()).enumerated().compactMap { position, pair in
      guard let from = earlier?[position], from != pair.1 else { return nil }
      return Transition(stage: pair.0.id, from: from.rawValue, to: pair.1.rawValue)
    }
    next = NextJSON(
      client: after.client, next: after.nextActions(at: after.history.last?.at), archived: after.archived != nil,
      dates: dates, sustaining: after.isSustaining)
  }

  /// Prints `lines` as text, or this as JSON (its `next` with the dates `next --json` shows,
  /// judged on the day of the change in `workspace`'s time zone).
  static func show(
    _ lines: [String], before: Programme?, after: Programme, json: Bool, separator: String? = nil,
    workspace: WorkspaceOptions
  ) throws {
    if json {
      let dates = try ItemDates.of(
        after, in: workspace.open(holder: Environment.holder(Environment.loginName, "json")),
        now: after.history.last?.at ?? Date())
      var change = ChangeJSON(before: before, after: after, dates: dates)
      change.separator = separator
      try JSONOutput.print(change)
    } else {
      AccordCLI.emit(lines)
    }
  }
}
