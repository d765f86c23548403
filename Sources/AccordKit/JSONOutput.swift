import Foundation
import ProgrammeEngine
import WorkspaceStore

/// Machine output: sorted keys and stable order, so scripts and diffs can rely on it.
/// The keys documented in docs/guide/commands.md are a contract; more may be added, none renamed.
package enum JSONOutput {
  ///
  /// The text is JSONEncoder's with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes`,
  /// byte for byte, written by `PrettyJSONEncoder` in a fraction of the time (it leaves what
  /// it does not support to JSONEncoder), and a final newline.
  package static func print(_ value: some Encodable) throws {
    let bytes = try PrettyJSONEncoder.encodeOrFallBack(value)
    Swift.print(String(decoding: bytes, as: UTF8.self))
  }
}

/// `next --json`.
package struct NextJSON: Encodable {
  package var client: String
  package var complete: Bool
  package var actions: [ActionJSON]
  package var blocked: [BlockerJSON]
  /// An archived client has no next actions until it is restored.
  package var archived: Bool

  /// Present only while recurring work goes on after everything else is done.
  package var sustaining: Bool?

  package init(client: String, next: NextActions, archived: Bool, dates: ItemDates = .none, sustaining: Bool = false) {
    self.client = client
    self.archived = archived
    complete = next.isComplete
    actions = next.actions.map { ActionJSON(action: $0, due: DueJSON($0.dateKey, in: dates)) }
    blocked = next.blocked.map(BlockerJSON.init)
    self.sustaining = sustaining ? true : nil
  }

  /// What `next --json` prints with no filter: every action due on `programme` at `time`.
  package init(_ programme: Programme, at time: Date, dates: ItemDates = .none) {
    self.init(
      client: programme.client, next: programme.nextActions(at: time), archived: programme.archived != nil,
      dates: dates, sustaining: programme.isSustaining)
  }
}

package struct ActionJSON: Encodable {
  package var action: Action
  /// The target's date, when it has one.
  package var due: DueJSON?

  private enum Key: String, CodingKey {
    case kind, target, stage, role, person, terms, staleTerms, signedTerms, delegate
  }

  package func encode(to encoder: any Encoder) throws {
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

package struct BlockerJSON: Encodable {
  package var blocker: Blocker

  private enum Key: String, CodingKey { case stage, milestone, agreements, milestones }
  package func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(blocker.stage, forKey: .stage)
    try container.encode(blocker.milestone, forKey: .milestone)
    try container.encode(blocker.hold.agreements.map(GateHold.UnsignedJSON.init), forKey: .agreements)
    try container.encode(blocker.hold.milestones, forKey: .milestones)
  }
}

/// `status --json`.
package struct StatusJSON: Encodable {
  package struct Stage: Encodable {
    package var id: String
    package var title: String
    package var state: String
    package var milestones: [Milestone]
    /// The date the stage should be complete by (its `target`, or a date set), while it is not.
    package var target: DueJSON?
  }
  /// Where a recurring milestone stands.
  package struct Recurrence: Encodable {
    package var every: String
    package var times: Int?
    package var until: String?
    package var done: Int
    package var skipped: Int
    /// The occurrence due next; absent when it recurs no more.
    package var current: Int?
  }
  package struct Milestone: Encodable {
    package var id: String
    package var title: String
    package var state: String
    package var owner: String
    /// Who completed it (whose act it was: the person it was recorded for, when it was)
    /// and when, while it is done.
    var completedBy: String?
    var completedAt: String?
    /// Who entered a completion recorded for `completedBy` (`--on-behalf-of`); absent otherwise.
    package var enteredBy: String?
    /// The holder a delegate completed it for; absent otherwise.
    package var holder: String?
    /// When it is due, while it is not done and has a date.
    package var due: DueJSON?
    /// For recurring work: its occurrences.
    package var recurrence: Recurrence?
  }
  package struct Agreement: Encodable {
    package var id: String
    package var title: String
    package var stage: String
    package var state: String
    package var signatories: [String]
    package var signatures: [SignatureJSON]
    /// The SHA-256 of the agreement's canonical content in force.
    package var termsHash: String
    /// When every signature is due, while one is owed and there is a date.
    package var due: DueJSON?
    /// For an agreement with `acknowledged-by`: each team it asks, with its count (never names).
    package var acknowledgements: [TeamProgress]?
  }
  package struct Playbook: Encodable {
    package var id: String
    package var version: Int
    package var title: String
    package var sha256: String
  }

  package var client: String
  package var name: String
  package var playbook: Playbook
  package var progress: Int
  package var stage: String?
  package var stages: [Stage]
  package var agreements: [Agreement]
  package var assignments: [String: String]
  package var revision: Int
  package var surveyRounds: [SurveyRoundJSON]
  package var opportunity: Nullable<OpportunitySettingJSON>
  /// Who archived the client, when and why; null unless it is archived.
  package var archived: Nullable<StampJSON>
  /// The delegations in force when the status was asked for.
  package var delegations: [DelegationJSON]
  /// The day dates were judged on; absent when the client has no dates.
  package var asOf: String?
  /// Present only while recurring work goes on after everything else is done.
  package var sustaining: Bool?

  package init(record: ClientRecord, programme: Programme, now: Date = Date(), dates: ItemDates = .none) {
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
          signatures: programme.standings(of: $0.id).map(SignatureJSON.init),
          termsHash: $0.termsHash, due: DueJSON($0.id, in: dates),
          acknowledgements: $0.acknowledgedBy == nil ? nil : programme.acknowledgementProgress(of: $0.id))
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
package struct DelegationJSON: Encodable {
  package var role: String
  package var holder: String
  package var delegate: String
  /// The last day it holds, `YYYY-MM-DD`, to its end in UTC.
  package var until: String
  package var reason: String?
  package var by: String
  package var at: String

  private enum Key: String, CodingKey { case role, holder, delegate, until, reason, by, at }

  package init(_ delegation: Delegation) {
    role = delegation.role
    holder = delegation.holder
    delegate = delegation.delegate
    until = delegation.until
    reason = delegation.reason
    by = delegation.by
    at = Timestamp.format(delegation.at)
  }

  package func encode(to encoder: any Encoder) throws {
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

package struct SignatureJSON: Encodable {
  package var role: String
  package var person: String
  package var at: String
  /// The terms hash signed; absent for a signature recorded before signatures carried it.
  package var terms: String?
  /// Whether the signature is on other terms than the agreement in force (it does not count).
  var stale: Bool
  /// The holder a delegate signed for; absent otherwise.
  package var holder: String?
  /// Who entered a signature recorded for `person` (`--on-behalf-of`), and the evidence
  /// file's `{"name", "sha256"}`; absent otherwise.
  package var enteredBy: String?
  package var evidence: EvidenceFile?
  /// When the role has passed to someone else since: who holds it now, and when they
  /// affirmed the signature (absent while they have not: signed by a predecessor).
  package var heldBy: String?
  package var affirmedAt: String?

  package init(_ standing: SignatureStanding) {
    self.init(standing.signature)
    if !standing.signature.isStale, let holder = standing.holder, standing.signedFor != holder {
      heldBy = holder
      affirmedAt = standing.affirmation.flatMap { $0.person == holder ? Timestamp.format($0.at) : nil }
    }
  }

  package init(_ signature: Signature) {
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
package struct ClientJSON: Encodable {
  package var client: String
  package var name: String
  package var stage: String?
  package var progress: Int
  package var actions: Int
  /// Listed only by `clients --all`.
  package var archived: Bool
  /// Recurring work goes on after everything else is done.
  package var sustaining = false
  /// How many items are overdue, and the earliest date of any open item (null for none).
  package var overdue = 0
  package var nextDue: String?

  private enum Key: String, CodingKey {
    case client, name, stage, progress, actions, archived, sustaining, overdue, nextDue
  }

  package func encode(to encoder: any Encoder) throws {
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
package struct ChangeJSON: Encodable {
  package struct Transition: Encodable {
    package var stage: String
    package var from: String
    package var to: String
  }

  package var client: String
  package var event: Event
  package var transitions: [Transition]
  package var next: NextJSON
  /// `survey import` only: `comma` or `semicolon`, what separated the file's cells.
  package var separator: String?
  /// `schedule` only: the later items moved with the date (`--cascade`), empty for none.
  package var moved: [Moved]?
  /// The API only: true when the request was a retry under an `Idempotency-Key` whose change
  /// its first attempt made; nothing was written again. Absent otherwise.
  package var replayed: Bool?

  /// An item `schedule --cascade` moved, and its dates before and after.
  package struct Moved: Encodable {
    package var item: String
    package var from: String
    package var to: String

    package init(item: String, from: String, to: String) {
      self.item = item
      self.from = from
      self.to = to
    }
  }

  package init(before: Programme?, after: Programme, dates: ItemDates = .none) {
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
}
