import Foundation
import PlaybookSpec

/// One client's programme: its playbook and its history, with every state derived from them.
///
/// A value type with one entry point for change, `apply(_:)`, which either appends the event
/// or throws a `Refusal` and leaves the value as it was. Loading a client replays its history
/// through the same entry point, so a record that breaks the rules is caught on load.
public struct Programme: Sendable {
  /// The playbook in force: the one the client started on, or the one its latest
  /// `upgraded` event moved it to.
  public internal(set) var playbook: Playbook
  /// The playbook in force as an upgrade names it, when the caller said which text it is
  /// (the store always does); nil when only the `Playbook` value is known.
  public internal(set) var playbookVersion: PlaybookVersion?
  /// Every event, oldest first. Never shortened.
  public private(set) var history: [Event] = []
  /// How many events of `history` the state reflects: all of them, except while
  /// `init(history:)` replays a stored history it has taken whole, so that a long history
  /// is held once rather than copied event by event into a second array.
  private(set) var applied = 0
  /// Who holds each role now (role id -> person).
  public internal(set) var assignments: [String: String] = [:]
  /// The survey rounds imported, oldest first.
  public private(set) var surveyRounds: [SurveyRound] = []
  /// The rounds open for answers on the web, oldest first (see `OpenSurveyRound`).
  var openRounds: [OpenSurveyRound] = []
  /// The opportunity calculator's inputs as last set, if ever.
  public private(set) var opportunity: OpportunitySetting?
  /// Who archived the client, when and why; nil unless it is archived now.
  public private(set) var archived: Stamp?
  /// The latest delegation of each role, by role, until it is ended or the role handed
  /// over; one whose day has passed stays here but no longer holds (`Delegation.holds(at:)`).
  public internal(set) var delegations: [String: Delegation] = [:]

  var index: PlaybookIndex
  /// Milestones done now.
  var done: Set<String> = []
  /// Per stage, how many of its milestones are done.
  var doneCount: [Int]
  /// Per agreement, its signatures by role.
  var signatures: [String: [String: Signature]] = [:]
  /// Per done milestone, the position in `history` of the event that completed it.
  var completions: [String: Int] = [:]
  /// Per agreement number (`PlaybookIndex.agreementNumbers`), whether every signatory role
  /// has signed it now, so that a gate is checked without going through each agreement's
  /// signatures (replay checks gates for every event). Only ever true when it is so.
  var fullySigned: [Bool]
  /// Per recurring milestone, its occurrences done or skipped, oldest first, by position in
  /// `history`.
  var occurrences: [String: [Occurrence]] = [:]
  /// Dates set by `scheduled` events, by item.
  var scheduledDates: [String: ScheduledDate] = [:]
  /// When an item's clock last started again: a milestone reopened, a signature revoked, or
  /// an item added (or an agreement's terms changed) by an upgrade.
  var restartedAt: [String: Date] = [:]
  /// The items the upgrade being recorded adds or changes, for `restartedAt`.
  var upgradeRestarts: [String] = []
  /// The ids of the events applied, for `Refusal.duplicateEvent`. Empty for a history
  /// written before events had ids.
  var eventIDs: Set<String> = []
  /// Per metric, its readings in the order recorded (`metricStatus(of:)` sorts them by day).
  var metricReadings: [String: [MetricReading]] = [:]
  /// The client's people now, by name (see Programme+Roster.swift).
  var roster: [String: RosterMember] = [:]
  /// The roster's addresses, lowercased, to the person each is: one address, one person.
  var rosterEmails: [String: String] = [:]
  /// Per agreement, per person, their latest acknowledgement (on whatever terms).
  var acknowledgements: [String: [String: Acknowledged]] = [:]
  /// Per agreement, per signatory role, its holder's affirmation of a predecessor's signature;
  /// cleared when the role signs again or the signature is withdrawn.
  var affirmations: [String: [String: Affirmation]] = [:]

  /// Starts a programme: `event` must be `.started`; its author becomes the consultant.
  /// `sha256` is the playbook text's SHA-256, which an upgrade names as where it moved from.
  public init(playbook: Playbook, sha256: String? = nil, start event: Event) throws(Refusal) {
    self.playbook = playbook
    self.playbookVersion = sha256.map { PlaybookVersion(id: playbook.id, version: playbook.version, sha256: $0) }
    self.index = PlaybookIndex(playbook)
    self.doneCount = Array(repeating: 0, count: playbook.stages.count)
    self.fullySigned = Array(repeating: false, count: index.agreementList.count)
    try apply(event)
  }

  /// Rebuilds a programme from its whole history, checking every event against the rules
  /// of the playbook in force when it was made.
  ///
  /// - Parameters:
  ///   - playbook: the playbook the client started on; `sha256` is its text's SHA-256.
  ///   - upgrades: the playbooks the history's `upgraded` events move to, by the SHA-256
  ///     of their text.
  public init(
    playbook: Playbook, sha256: String? = nil, history: [Event], upgrades: [String: Playbook] = [:]
  ) throws(HistoryError) {
    guard let first = history.first else {
      throw HistoryError(position: 0, event: nil, refusal: .notStarted)
    }
    self.playbook = playbook
    self.playbookVersion = sha256.map { PlaybookVersion(id: playbook.id, version: playbook.version, sha256: $0) }
    self.index = PlaybookIndex(playbook)
    self.doneCount = Array(repeating: 0, count: playbook.stages.count)
    self.fullySigned = Array(repeating: false, count: index.agreementList.count)
    // Taken whole before the first event replays, so that every event, the first too, is
    // checked as stored rather than as recorded now (`isRecording`).
    self.history = history
    do {
      try apply(first)
    } catch {
      throw HistoryError(position: 0, event: first, refusal: error)
    }
    for (position, event) in history.enumerated().dropFirst() {
      do throws(Refusal) {
        if case let .upgraded(_, to) = event.change {
          guard let next = upgrades[to.sha256] else { throw Refusal.unknownPlaybook(to) }
          try replayUpgrade(to: next, event)
        } else {
          try apply(event)
        }
      } catch {
        throw HistoryError(position: position, event: event, refusal: error)
      }
    }
  }

  /// Replays `events`, stored after this programme's history, as `init(history:)` replays
  /// a stored history (checked as stored, not as recorded now): a memory that holds a
  /// verified programme brings it forward by the events written since, not by replaying
  /// the whole history again. `position` in an error counts from the start of the history.
  /// Nothing is promised of the value after an error: the caller drops it. An `upgraded`
  /// event needs its playbook: a history with one is replayed whole.
  public mutating func replay(stored events: [Event]) throws(HistoryError) {
    guard isRecording else { preconditionFailure("a replay is already under way") }
    let start = history.count
    history.append(contentsOf: events)
    for (offset, event) in events.enumerated() {
      do throws(Refusal) {
        if case let .upgraded(_, to) = event.change { throw Refusal.unknownPlaybook(to) }
        try apply(event)
      } catch {
        throw HistoryError(position: start + offset, event: event, refusal: error)
      }
    }
  }

  /// Whether the event being checked is new, rather than one of a stored history replaying.
  var isRecording: Bool { applied == history.count }

  /// Whether the `started` event has been applied (a replay holds the whole history before).
  var hasStarted: Bool { applied > 0 }

  /// The client's id, from the `started` event.
  public var client: String {
    guard case let .started(client, _, _) = history[0].change else { return "" }
    return client
  }

  /// The client's display name, from the `started` event.
  public var name: String {
    guard case let .started(_, name, _) = history[0].change else { return "" }
    return name
  }

  /// Checks `event` against the rules and, if they allow it, appends it.
  public mutating func apply(_ event: Event) throws(Refusal) {
    // An upgrade needs the playbook it moves to: `upgrade(to:_:force:)`.
    if case let .upgraded(_, to) = event.change { throw .unknownPlaybook(to) }
    let holder = try check(event)
    guard event.holder == holder else { throw .wrongHolder(recorded: event.holder, expected: holder) }
    record(event)
  }

  /// The role holder `event` must record in `holder`: the one its author acts for as a
  /// delegate, or nil when they act in their own right. Throws what `apply` would refuse,
  /// whatever the event's own `holder` says. The CLI asks this before it records an event,
  /// so the holder is always the engine's answer, never the caller's guess.
  public func holder(for event: Event) throws(Refusal) -> String? {
    try check(event)
  }

  /// Takes the chain links (`previous`) a store gave the events when it wrote them, so that
  /// the history reads exactly as the file holds it. The rules never read a link, so the
  /// state stays as it is. `events` must be this history, link for link aside.
  public mutating func takeLinks(from events: [Event]) {
    precondition(events.count == history.count, "the events are not this programme's history")
    for index in history.indices where history[index].previous != events[index].previous {
      history[index].previous = events[index].previous
    }
  }

  /// The rounds that count: every round imported and not withdrawn, oldest first. The
  /// first is the baseline.
  public var countedRounds: [SurveyRound] {
    surveyRounds.filter { $0.withdrawn == nil }
  }

  /// The earliest round, withdrawn or not, whose answers are exactly `responses`: importing
  /// it again is almost always the same file by mistake (see `Refusal.duplicateRound`).
  public func round(withSameAnswersAs responses: [SurveyResponse]) -> SurveyRound? {
    surveyRounds.first { $0.hasSameAnswers(as: responses) }
  }

  mutating func record(_ event: Event) {
    if applied == history.count { history.append(event) }
    applied += 1
    if let id = event.id { eventIDs.insert(id) }
    switch event.change {
    case .started:
      assignments[consultantRole] = event.by
    case let .assigned(role, person):
      assignments[role] = person
      // A hand-over ends any delegation of the role: the new holder did not choose the
      // delegate, and must not find someone acting for them unasked.
      delegations[role] = nil
    case let .completed(id):
      if index.milestones[id]!.element.recurrence != nil {
        occurrences[id, default: []].append(Occurrence(position: applied - 1, skipped: false))
        settleRecurrence(of: id)
      } else {
        setDone(id, at: applied - 1)
        // The date was for this completion; a reopening starts a new clock.
        scheduledDates[id] = nil
      }
      for recurring in index.ends[id] ?? [] { settleRecurrence(of: recurring) }
    case let .reopened(id):
      if index.milestones[id]!.element.recurrence != nil {
        occurrences[id]?.removeLast()
        settleRecurrence(of: id)
      } else {
        setDone(id, at: nil)
        restartedAt[id] = event.at
      }
      for recurring in index.ends[id] ?? [] { settleRecurrence(of: recurring) }
    case .sealed:
      break
    case let .skipped(id):
      occurrences[id, default: []].append(Occurrence(position: applied - 1, skipped: true))
      settleRecurrence(of: id)
    case let .scheduled(item, date):
      if let date = CalendarDate(parsing: date) {
        let occurrence = index.milestones[item]?.element.recurrence == nil ? nil : (occurrences[item]?.count ?? 0) + 1
        scheduledDates[item] = ScheduledDate(date: date, occurrence: occurrence, position: applied - 1)
      }
    case let .signed(id, role, terms):
      // A signature recorded without its terms (before signatures carried them) counts as
      // signed on the terms in force.
      let agreement = index.agreements[id]!.element
      let inForce = agreement.termsHash
      var signature = Signature(
        role: role, person: event.actor, at: event.at, terms: terms, isStale: (terms ?? inForce) != inForce)
      signature.read = terms ?? inForce
      signature.signedAgreement = signature.isStale ? nil : agreement
      signature.holder = event.holder
      signature.enteredBy = event.onBehalfOf == nil ? nil : event.by
      signature.evidence = event.evidence
      signatures[id, default: [:]][role] = signature
      affirmations[id]?[role] = nil
      if let number = index.agreementNumbers[id] {
        fullySigned[number] = unsignedRoles(of: index.agreementList[number]).isEmpty
      }
    case let .revoked(id, role):
      signatures[id]?[role] = nil
      affirmations[id]?[role] = nil
      restartedAt[id] = event.at
      if let number = index.agreementNumbers[id] { fullySigned[number] = false }
    case let .surveyImported(round, responses):
      surveyRounds.append(SurveyRound(name: round, responses: responses, by: event.by, at: event.at))
    case let .surveyOpened(round, codes, closes):
      openRounds.append(
        OpenSurveyRound(name: round, by: event.by, at: event.at, codes: codes.flatMap { Int($0) }, closes: closes))
    case let .surveyClosed(round, responses):
      openRounds.removeAll { $0.name == round }
      surveyRounds.append(SurveyRound(name: round, responses: responses, by: event.by, at: event.at))
    case let .opportunitySet(inputs):
      opportunity = OpportunitySetting(inputs: inputs, by: event.by, at: event.at)
    case .archived:
      archived = Stamp(by: event.by, at: event.at, reason: event.note)
    case .restored:
      archived = nil
    case let .surveyWithdrawn(round):
      if let position = surveyRounds.firstIndex(where: { $0.name == round }) {
        surveyRounds[position].withdrawn = Stamp(by: event.by, at: event.at, reason: event.note)
      }
    case .upgraded:
      // `upgrade(to:_:force:)` moves to the new playbook before it records the event, and
      // leaves what it added or changed in `upgradeRestarts`.
      for id in upgradeRestarts { restartedAt[id] = event.at }
      upgradeRestarts = []
    case let .delegated(role, person, until):
      delegations[role] = Delegation(
        role: role, holder: assignments[role] ?? "", delegate: person, until: until,
        ends: CalendarDay.end(of: until) ?? event.at, by: event.actor, at: event.at, reason: event.note)
    case let .delegationEnded(role):
      delegations[role] = nil
    case .joined, .left, .acknowledged, .affirmed:
      recordRoster(event)
    case let .metricRecorded(metric, value, date, reading):
      if let value = Quantity(parsing: value), let day = CalendarDate(parsing: date) {
        let recorded = MetricReading(
          metric: metric, value: value, date: day, isNamedBaseline: reading == MetricReading.baselineMark,
          by: event.actor, at: event.at, note: event.note, position: applied - 1)
        metricReadings[metric, default: []].append(recorded)
      }
    }
  }

  /// Lets `person` make the change if they hold one of `roles`, or, at `time`, act for one
  /// of them as its delegate (no delegate without a time). Answers the holder a delegate
  /// acts for (of the first such role), or nil when they hold one of the roles themselves.
  @discardableResult
  func require(_ person: String, holdsOneOf roles: [String], to operation: Operation, at time: Date?)
    throws(Refusal) -> String?
  {
    var allowed: [String] = []
    for role in roles where !allowed.contains(role) && index.roles.contains(role) {
      if assignments[role] == person { return nil }
      allowed.append(role)
    }
    if let time {
      for role in allowed {
        if let delegation = delegations[role], delegation.delegate == person, delegation.holds(at: time),
          let holder = assignments[role]
        {
          return holder
        }
      }
    }
    throw .notAllowed(person: person, operation: operation, roles: allowed)
  }

  /// The refusal for a role the playbook does not define, naming the nearest one.
  public func unknownRole(_ role: String) -> Refusal {
    let known = playbook.roles.map(\.id)
    return .unknownRole(role, known: known, suggestion: closestMatch(to: role, among: known))
  }

  func unknownMilestone(_ id: String) -> Refusal {
    .unknownMilestone(id, suggestion: closestMatch(to: id, among: Array(index.milestones.keys).sorted()))
  }

  func unknownAgreement(_ id: String) -> Refusal {
    .unknownAgreement(id, suggestion: closestMatch(to: id, among: Array(index.agreements.keys).sorted()))
  }

  /// Names are free text but must be visible on one line: something other than white
  /// space, and no control characters. (Checked on every replayed event, so by scalar
  /// rather than through CharacterSet.)
  public static func isUsableName(_ name: String) -> Bool {
    // Nearly every name is printable ASCII: settle those without Unicode tables.
    if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      return name.utf8.contains { $0 != UInt8(ascii: " ") }
    }
    var visible = false
    for scalar in name.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .control, .lineSeparator, .paragraphSeparator: return false
      default: break
      }
      if !scalar.properties.isWhitespace { visible = true }
    }
    return visible
  }

  static func hasText(_ note: String?) -> Bool {
    note?.unicodeScalars.contains { !$0.properties.isWhitespace } ?? false
  }

  /// The event that completed the milestone, while it is done: who, when, and their note.
  public func completion(of milestone: String) -> Event? {
    completions[milestone].map { history[$0] }
  }

  /// Marks a milestone done by the event at `position`, or not done (nil).
  mutating func setDone(_ id: String, at position: Int?) {
    let stage = index.milestones[id]!.stage
    if let position {
      if done.insert(id).inserted { doneCount[stage] += 1 }
      completions[id] = position
    } else {
      if done.remove(id) != nil { doneCount[stage] -= 1 }
      completions[id] = nil
    }
  }

  /// Whether every milestone of the stage at `position` is done.
  func milestonesDone(inStage position: Int) -> Bool {
    doneCount[position] == playbook.stages[position].milestones.count
  }
}

/// An event in a stored history that the rules refuse: the record is not one Accord wrote.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
  /// The event's position in the history, from 0.
  public var position: Int
  public var event: Event?
  public var refusal: Refusal

  public var description: String {
    guard let event else { return "the history is empty: \(refusal)" }
    return "events[\(position)] (\(event.change.type) by \(Shown.name(event.by)) at "
      + "\(Timestamp.format(event.at))) breaks the rules: \(refusal)"
  }
}

/// Two programmes are equal when they run the same playbook with the same history:
/// everything else is derived from those.
extension Programme: Equatable {
  public static func == (lhs: Programme, rhs: Programme) -> Bool {
    lhs.playbook == rhs.playbook && lhs.history == rhs.history
  }
}
