import Foundation
import PlaybookSpec

// The programme's rules: what each kind of event needs to be accepted. `apply` runs them
// before it records an event; replay runs them for every event of a stored history.

extension Programme {
  /// Checks `event` against the rules, all but its `holder`; answers the holder it must name.
  func check(_ event: Event) throws(Refusal) -> String? {
    guard Self.isUsableName(event.by) else { throw .invalidPerson(event.by) }
    // A change is applied once: a retried request or a change sent again carries the id of
    // the event it made the first time.
    if let id = event.id, eventIDs.contains(id) { throw .duplicateEvent(id: id) }
    // Today's rules for names and notes hold for what is recorded now; a stored history is
    // replayed by the rules it was written under, and shown escaped (`Shown`).
    if isRecording { try checkText(of: event) }
    if case .started = event.change {
      guard !hasStarted else { throw .alreadyStarted }
      // Nobody holds a role yet to record anything for someone else.
      if event.onBehalfOf != nil || event.evidence != nil {
        throw .notAllowed(person: event.by, operation: .recordOnBehalf, roles: [])
      }
      return nil
    }
    guard hasStarted else { throw .notStarted }
    // The person whose act it is: the one the consultant or czar recorded it for, else the
    // person at the keyboard. Every rule below is about them.
    let person = event.actor
    try checkOnBehalf(event)
    // An archived client is kept as it was: only bringing it back changes it.
    if archived != nil {
      switch event.change {
      // A seal comes before the change it is written with (a restore), and changes nothing.
      case .archived, .restored, .sealed: break
      default: throw .clientArchived
      }
    }

    var holder: String?
    switch event.change {
    case .started:
      break
    case .upgraded:
      // The rest is checked by `upgrade(to:_:force:)`, which has the playbook it moves to.
      holder = try require(person, holdsOneOf: [consultantRole], to: .upgrade, at: event.at)
    case .archived:
      holder = try require(person, holdsOneOf: [consultantRole], to: .archive, at: event.at)
      guard archived == nil else { throw .alreadyArchived }
      guard Self.hasText(event.note) else { throw .reasonRequired(action: "archiving a client") }
    case .restored:
      holder = try require(person, holdsOneOf: [consultantRole], to: .restore, at: event.at)
      guard archived != nil else { throw .notArchived }
    case let .surveyWithdrawn(round):
      holder = try checkWithdrawal(round: round, by: person, note: event.note, at: event.at)
    case let .assigned(role, assignee):
      guard index.roles.contains(role) else { throw unknownRole(role) }
      guard Self.isUsableName(assignee) else { throw .invalidPerson(assignee) }
      holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .assignRoles, at: event.at)
      guard assignments[role] != assignee else {
        throw .alreadyAssigned(role: role, person: assignee)
      }
    case let .completed(id):
      guard let entry = index.milestones[id] else { throw unknownMilestone(id) }
      guard !done.contains(id) else { throw .alreadyDone(milestone: id) }
      holder = try require(
        person, holdsOneOf: [entry.element.owner.id, czarRole], to: .complete(milestone: id), at: event.at)
      let obstacles = self.obstacles(toCompleting: id)
      guard obstacles.isEmpty else { throw .notReady(milestone: id, obstacles: obstacles) }
    case let .reopened(id):
      guard index.milestones[id] != nil else { throw unknownMilestone(id) }
      holder = try require(person, holdsOneOf: [czarRole, consultantRole], to: .reopen(milestone: id), at: event.at)
      // Reopening recurring work takes back its latest occurrence.
      let recurs = index.milestones[id]?.element.recurrence != nil
      guard recurs ? occurrences[id]?.isEmpty == false : done.contains(id) else { throw .notDone(milestone: id) }
      guard Self.hasText(event.note) else { throw .reasonRequired(action: "reopening a milestone") }
    case let .signed(id, role, terms):
      guard let entry = index.agreements[id] else { throw unknownAgreement(id) }
      let signatories = entry.element.signatories.map(\.id)
      guard signatories.contains(role) else {
        throw .notASignatory(agreement: id, role: role, signatories: signatories)
      }
      holder = try require(person, holdsOneOf: [role], to: .sign(agreement: id, role: role), at: event.at)
      // A new signature is on the terms in force, or refused: nobody signs text they were not
      // shown. A stored history replays as it was written (a signature without its terms
      // counts as signed on the terms in force; one on other terms is stale, not refused).
      if isRecording, let terms { try checkTerms(terms, of: id) }
      // A stale signature (on other terms) may be replaced by one on the terms in force.
      if let existing = signatures[id]?[role], !existing.isStale {
        throw .alreadySigned(agreement: id, role: role, by: existing.person)
      }
      let obstacles = self.obstacles(toSigning: id)
      guard obstacles.isEmpty else { throw .signingClosed(agreement: id, obstacles: obstacles) }
    case let .revoked(id, role):
      guard index.agreements[id] != nil else { throw unknownAgreement(id) }
      guard let signature = signatures[id]?[role] else {
        throw .notSigned(agreement: id, role: role)
      }
      // The signer may withdraw, and so may whoever holds the role now.
      if signature.person != person {
        holder = try require(person, holdsOneOf: [role], to: .revoke(agreement: id, role: role), at: event.at)
      }
      guard Self.hasText(event.note) else { throw .reasonRequired(action: "revoking a signature") }
    case let .surveyImported(round, responses):
      holder = try checkImport(round: round, responses: responses, by: person, at: event.at)
    case let .surveyOpened(round, codes, closes):
      holder = try checkOpening(round: round, codes: codes, closes: closes, by: person, at: event.at)
    case let .surveyClosed(round, responses):
      holder = try checkClosing(round: round, responses: responses, by: person, at: event.at)
    case let .opportunitySet(inputs):
      // The consultant brings the numbers; the czar keeps them current once alone.
      holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .setOpportunity, at: event.at)
      let problems = inputs.problems
      guard problems.isEmpty else { throw .invalidOpportunity(problems) }
    case .sealed:
      // Written by the store with the change that follows it, by that change's author, who
      // needs no role to take the text into the chain: the change itself is checked.
      guard event.onBehalfOf == nil, event.evidence == nil else {
        throw .notAllowed(person: event.by, operation: .recordOnBehalf, roles: [])
      }
    case let .skipped(id):
      guard let entry = index.milestones[id] else { throw unknownMilestone(id) }
      guard entry.element.recurrence != nil else { throw .notRecurring(milestone: id) }
      guard !done.contains(id) else { throw .alreadyDone(milestone: id) }
      holder = try require(
        person, holdsOneOf: [entry.element.owner.id, czarRole], to: .skip(milestone: id), at: event.at)
      let obstacles = self.obstacles(toCompleting: id)
      guard obstacles.isEmpty else { throw .notReady(milestone: id, obstacles: obstacles) }
      guard Self.hasText(event.note) else { throw .reasonRequired(action: "skipping an occurrence") }
    case let .scheduled(item, date):
      try checkItem(item)
      guard CalendarDate(parsing: date) != nil else { throw .invalidDate(date) }
      holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .schedule(item: item), at: event.at)
      if let state = finishedState(of: item) { throw .itemFinished(item: item, state: state) }
      guard Self.hasText(event.note) else { throw .reasonRequired(action: "setting a date") }
    case let .delegated(role, delegate, until):
      try checkDelegation(role: role, to: delegate, until: until, by: person, event: event)
    case let .metricRecorded(metric, value, date, reading):
      holder = try checkReading(metric: metric, value: value, date: date, reading: reading, by: person, at: event.at)
    case let .joined(member, email, team, level):
      holder = try checkJoining(
        RosterMember(name: member, email: email, team: team, level: level, at: event.at, by: event.by),
        by: person, at: event.at)
    case let .left(member):
      holder = try checkLeaving(member, by: person, note: event.note, at: event.at)
    case let .acknowledged(agreement, terms):
      try checkAcknowledging(agreement, terms: terms, by: person)
    case let .affirmed(agreement, role, terms):
      try checkAffirming(agreement, role: role, terms: terms, by: person)
    case let .delegationEnded(role):
      guard index.roles.contains(role) else { throw unknownRole(role) }
      try require(person, holdsOneOf: [role, consultantRole], to: .endDelegation(role: role), at: nil)
      guard let delegation = delegations[role], delegation.holds(at: event.at) else {
        throw .notDelegated(role: role)
      }
    }
    return holder
  }

  /// Refuses a signature on `agreement` that names terms (`shown`, their SHA-256) other than
  /// those in force: the terms the signer was shown are not the ones they would sign. An
  /// unknown agreement is refused, naming the nearest one.
  public func checkTerms(_ shown: String, of agreement: String) throws(Refusal) {
    guard let entry = index.agreements[agreement] else { throw unknownAgreement(agreement) }
    let inForce = entry.element.termsHash
    guard shown == inForce else { throw .termsChanged(agreement: agreement, given: shown, inForce: inForce) }
  }

  /// Refuses a name or note in `event` that `TextRules` does not allow, naming the character
  /// and where it is.
  func checkText(of event: Event) throws(Refusal) {
    if TextRules.nameProblem(event.by) != nil { throw .invalidPerson(event.by) }
    if let other = event.onBehalfOf, TextRules.nameProblem(other) != nil { throw .invalidPerson(other) }
    if let note = event.note, let problem = TextRules.noteProblem(note) { throw .invalidNote(problem) }
    if let evidence = event.evidence, let problem = TextRules.nameProblem(evidence.name) {
      throw .invalidEvidence("the evidence file's name '\(Shown.name(evidence.name))' \(problem)")
    }
    switch event.change {
    case let .started(_, name, _):
      if TextRules.nameProblem(name) != nil { throw .invalidName(field: "client name", name: name) }
    case let .assigned(_, person), let .delegated(_, person, _), let .joined(person, _, _, _):
      if TextRules.nameProblem(person) != nil { throw .invalidPerson(person) }
    case let .surveyImported(_, responses), let .surveyClosed(_, responses):
      for response in responses where TextRules.nameProblem(response.respondent) != nil {
        throw .invalidName(field: "respondent", name: response.respondent)
      }
    default: break
    }
  }

  /// Refuses an id that names no stage, milestone or agreement, naming the nearest one.
  public func checkItem(_ id: String) throws(Refusal) {
    guard index.milestones[id] == nil, index.agreements[id] == nil, index.stages[id] == nil else { return }
    let known = Array(index.milestones.keys) + Array(index.agreements.keys) + Array(index.stages.keys)
    throw .unknownItem(id, suggestion: closestMatch(to: id, among: known.sorted()))
  }

  /// "done", "signed" or "complete" for an item that is finished, nil for one that is not.
  func finishedState(of id: String) -> String? {
    if index.milestones[id] != nil { return done.contains(id) ? "done" : nil }
    if let number = index.agreementNumbers[id] {
      return unsignedRoles(of: index.agreementList[number]).isEmpty ? "signed by every signatory" : nil
    }
    if let position = index.stages[id] { return stageStates(through: position)[position] == .complete ? "complete" : nil }
    return nil
  }

  /// A survey round may be imported by the consultant (the neutral third party people
  /// answer frankly to) or the czar (who runs the later rounds after the hand-over).
  private func checkImport(round: String, responses: [SurveyResponse], by person: String, at time: Date)
    throws(Refusal) -> String?
  {
    guard let survey = playbook.survey else { throw .noSurvey }
    let holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .importSurvey, at: time)
    if let problem = Identifier.problem(with: round) { throw .invalidRoundName(round, problem: problem) }
    // A round open on the web has its name already.
    guard !surveyRounds.contains(where: { $0.name == round }), openRound(round) == nil else {
      throw .roundExists(round)
    }
    guard !responses.isEmpty else { throw .emptyRound(round) }
    try checkResponses(responses, of: round, to: survey)
    return holder
  }

  /// Refuses a response the survey does not take, or a respondent who answered twice.
  func checkResponses(_ responses: [SurveyResponse], of round: String, to survey: Survey) throws(Refusal) {
    var respondents: Set<String> = []
    let statements = Set(survey.statements.map(\.id))
    for response in responses {
      if let problem = survey.problem(with: response, statementIDs: statements) {
        throw .invalidResponse(round: round, problem: problem)
      }
      guard respondents.insert(response.respondent).inserted else {
        throw .invalidResponse(
          round: round, problem: "respondent '\(response.respondent)' answered more than once")
      }
    }
  }

  /// A round may be withdrawn by whoever may import one, once, with a reason.
  private func checkWithdrawal(round: String, by person: String, note: String?, at time: Date)
    throws(Refusal) -> String?
  {
    guard playbook.survey != nil else { throw .noSurvey }
    let holder = try require(
      person, holdsOneOf: [consultantRole, czarRole], to: .withdrawSurvey(round: round), at: time)
    guard let found = surveyRounds.first(where: { $0.name == round }) else {
      throw .unknownRound(round, suggestion: closestMatch(to: round, among: surveyRounds.map(\.name)))
    }
    guard found.withdrawn == nil else { throw .roundWithdrawn(round) }
    guard Self.hasText(note) else { throw .reasonRequired(action: "withdrawing a survey round") }
    return holder
  }
}
