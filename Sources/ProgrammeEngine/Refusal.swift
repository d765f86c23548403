import PlaybookSpec

/// Why the programme's rules refuse a change. Each case carries what a person needs to
/// put things right, and `description` says it in the playbook's own words.
public enum Refusal: Error, Sendable, Hashable {
  /// The history must begin with exactly one `started` event.
  case notStarted
  /// A client is started once; its history already begins with `started`.
  case alreadyStarted
  /// The history holds an event with this id already: a change is applied once, however
  /// often it is sent (a retried request, a change sent again).
  case duplicateEvent(id: String)
  /// The playbook has no milestone with this id; `suggestion` is the nearest one, if close.
  case unknownMilestone(String, suggestion: String?)
  /// The playbook has no agreement with this id; `suggestion` is the nearest one, if close.
  case unknownAgreement(String, suggestion: String?)
  /// The playbook defines no such role; `suggestion` is the nearest of `known`, if close.
  case unknownRole(String, known: [String], suggestion: String?)
  /// A person's name is blank or holds a character a name may not (`TextRules.nameProblem`).
  case invalidPerson(String)
  /// Another name (`field`: a client's name, a respondent) that `TextRules.nameProblem` refuses.
  case invalidName(field: String, name: String)
  /// A note or reason that `TextRules.noteProblem` refuses: too long, or a character it may
  /// not hold, with its position.
  case invalidNote(TextProblem)
  /// The person holds none of `roles`, the roles allowed to make this change.
  case notAllowed(person: String, operation: Operation, roles: [String])
  /// The role is already held by this person.
  case alreadyAssigned(role: String, person: String)
  /// The milestone is already done.
  case alreadyDone(milestone: String)
  /// Only a done milestone can be reopened.
  case notDone(milestone: String)
  /// The milestone cannot be completed yet; the obstacles say why.
  case notReady(milestone: String, obstacles: [Obstacle])
  /// The agreement cannot be signed yet; the obstacles say why.
  case signingClosed(agreement: String, obstacles: [Obstacle])
  /// Every signatory role this person holds has already signed the agreement.
  case alreadySigned(agreement: String, role: String, by: String)
  /// The person holds several signatory roles that could sign; `--role` must pick one.
  case ambiguousRole(agreement: String, roles: [String])
  /// The role named is not one of the agreement's signatories.
  case notASignatory(agreement: String, role: String, signatories: [String])
  /// There is no signature to revoke for this role.
  case notSigned(agreement: String, role: String)
  /// Revoking and reopening undo recorded work, so they must say why.
  case reasonRequired(action: String)
  /// The client's playbook defines no survey, so there is nothing to import answers to.
  case noSurvey
  /// A survey round's name must be an id, since it is typed on command lines.
  case invalidRoundName(String, problem: String)
  /// Round names are unique per client: each names one set of answers for good.
  case roundExists(String)
  /// A round without a single response measures nothing.
  case emptyRound(String)
  /// A response that is not an answer to the playbook's survey.
  case invalidResponse(round: String, problem: String)
  /// Opportunity inputs that cannot be calculated with; each problem says why.
  case invalidOpportunity([String])
  /// The client is archived: nothing changes it until it is restored.
  case clientArchived
  /// The client is archived already.
  case alreadyArchived
  /// Only an archived client can be restored.
  case notArchived
  /// No survey round of this name was imported; `suggestion` is the nearest, if close.
  case unknownRound(String, suggestion: String?)
  /// The round has been withdrawn already.
  case roundWithdrawn(String)
  /// The answers are exactly those of round `earlier` (the same file imported twice, most
  /// likely); `--force` imports them anyway as `round`.
  case duplicateRound(round: String, earlier: String, earlierWithdrawn: Bool)
  /// An upgrade names a playbook text this history does not hold (a damaged file), or an
  /// `upgraded` event was applied without the playbook it moves to.
  case unknownPlaybook(PlaybookVersion)
  /// An upgrade says it moves from a playbook other than the one in force, or to a text
  /// whose id or version is not the playbook's own.
  case playbookMismatch(inForce: PlaybookVersion, named: PlaybookVersion)
  /// A client moves to new versions of its own playbook, not to another playbook.
  case otherPlaybook(inForce: String, given: String)
  /// The client runs on exactly this playbook text already.
  case alreadyOnPlaybook(PlaybookVersion)
  /// The upgrade would drop done milestones or lock stages open today: `--force` (with a
  /// reason) takes it all the same.
  case upgradeNeedsForce(dropsDone: [String], locks: [String])
  /// Only an `upgraded` event moves a client to another playbook.
  case notAnUpgrade(String)
  /// The client runs playbook `inForce`, not the one `expected` names (`upgrade --from`).
  case notOnPlaybook(inForce: String, expected: String)
  /// Nobody holds the role, so there is nobody to act for.
  case roleUnassigned(String)
  /// A delegation to the person who holds the role already.
  case delegateIsHolder(role: String, person: String)
  /// A delegation whose last day is before the day it is made.
  case untilInPast(role: String, until: String, today: String)
  /// A day that is not `YYYY-MM-DD`, or not a real day.
  case invalidDay(String)
  /// There is no delegation of the role in force to end.
  case notDelegated(role: String)
  /// The event names another role holder than the one its author acted for (`expected`,
  /// nil when they acted for themselves).
  case wrongHolder(recorded: String?, expected: String?)
  /// Recording what another person did needs the evidence file shown for it.
  case evidenceRequired
  /// Evidence that cannot be recorded as it is.
  case invalidEvidence(String)
  /// The playbook has no stage, milestone or agreement with this id.
  case unknownItem(String, suggestion: String?)
  /// A date that is not `YYYY-MM-DD`, or not a real date.
  case invalidDate(String)
  /// The item is finished (a milestone done, an agreement signed by all, a stage complete):
  /// it has no date left to set.
  case itemFinished(item: String, state: String)
  /// Only an occurrence of a recurring milestone can be skipped.
  case notRecurring(milestone: String)
  /// Handing over the consultant role takes control from its holder: the front end must
  /// have it confirmed first (`Programme.handOverLoss(of:to:)` says what is lost).
  case confirmationRequired(role: String, holder: String, person: String, loss: String)
  /// A signature names other terms than the agreement's in force (`inForce`): the signer was
  /// shown `given` (its SHA-256), and the terms have changed since, so nobody signs text they
  /// were not shown.
  case termsChanged(agreement: String, given: String, inForce: String)
  /// A new signature must name the terms its signer was shown; one that names none is a
  /// front end's mistake, refused rather than taken as the terms in force.
  case termsRequired(agreement: String)
  /// The playbook has no metric with this id; `suggestion` is the nearest one, if close.
  case unknownMetric(String, suggestion: String?)
  /// A reading the metric cannot have: not a number, out of its range, not whole for a
  /// count, dated after the day it is recorded; `problem` says which.
  case invalidReading(metric: String, problem: String)
  /// The round is not open for answers on the web: never opened, or closed already.
  case roundNotOpen(String)
  /// The playbook names no teams (at its top level or in its survey): it keeps no roster.
  case noTeams
  /// Roster details that cannot be taken as they are; `problem` says why.
  case invalidMember(person: String, problem: String)
  /// The person is on the roster already, with exactly these details.
  case alreadyOnRoster(person: String)
  /// The person is not on the client's roster; `suggestion` is the nearest name, if close.
  case notOnRoster(person: String, suggestion: String?)
  /// The agreement asks nobody to acknowledge it (it has no `acknowledged-by`).
  case notForAcknowledging(agreement: String)
  /// The person's team is not one of those the agreement asks to acknowledge it.
  case teamNotAsked(agreement: String, person: String, team: String, teams: [String])
  /// The person acknowledged the terms in force already.
  case alreadyAcknowledged(agreement: String, person: String)
  /// The role's holder made (or a delegate made for them) the signature themselves.
  case nothingToAffirm(agreement: String, role: String)
  /// The role's holder affirmed the signature already.
  case alreadyAffirmed(agreement: String, role: String, person: String)
}

/// A change that only some roles may make, for `Refusal.notAllowed`.
public enum Operation: Sendable, Hashable {
  case assignRoles
  case complete(milestone: String)
  case reopen(milestone: String)
  case sign(agreement: String, role: String?)
  case revoke(agreement: String, role: String)
  case importSurvey
  case setOpportunity
  case archive
  case restore
  case withdrawSurvey(round: String)
  case upgrade
  case delegate(role: String)
  case endDelegation(role: String)
  /// Recording what another person did elsewhere (`--on-behalf-of`).
  case recordOnBehalf
  case schedule(item: String)
  case skip(milestone: String)
  case recordMetric(metric: String)
  /// Opening or closing a survey round for answers on the web.
  case runSurvey(round: String)
  /// Putting people on the client's roster or taking them off.
  case keepRoster
  /// Seeing who on the roster has acknowledged what (and who has not).
  case seeRoster
  /// Affirming a predecessor's signature for a role.
  case affirm(agreement: String, role: String?)

  /// A stable name for programs, such as `complete` or `sign`.
  public var name: String {
    switch self {
    case .assignRoles: "assign"
    case .complete: "complete"
    case .reopen: "reopen"
    case .sign: "sign"
    case .revoke: "revoke"
    case .importSurvey: "import-survey"
    case .setOpportunity: "set-opportunity"
    case .archive: "archive"
    case .restore: "restore"
    case .withdrawSurvey: "withdraw-survey"
    case .upgrade: "upgrade"
    case .delegate: "delegate"
    case .endDelegation: "end-delegation"
    case .recordOnBehalf: "record-on-behalf"
    case .schedule: "schedule"
    case .skip: "skip"
    case .recordMetric: "record-metric"
    case .runSurvey: "run-survey"
    case .keepRoster: "keep-roster"
    case .seeRoster: "see-roster"
    case .affirm: "affirm"
    }
  }
}

extension Operation: CustomStringConvertible {
  /// The operation as a person reads it after "may not".
  public var description: String {
    switch self {
    case .assignRoles: "assign roles"
    case let .complete(milestone): "complete '\(milestone)'"
    case let .reopen(milestone): "reopen '\(milestone)'"
    case let .sign(agreement, role?): "sign '\(agreement)' as \(role)"
    case let .sign(agreement, nil): "sign '\(agreement)'"
    case let .revoke(agreement, role): "revoke the '\(role)' signature on '\(agreement)'"
    case .importSurvey: "import survey answers"
    case .setOpportunity: "set the opportunity inputs"
    case .archive: "archive the client"
    case .restore: "restore the client"
    case let .withdrawSurvey(round): "withdraw survey round '\(round)'"
    case .upgrade: "upgrade the client's playbook"
    case let .delegate(role): "delegate the role '\(role)'"
    case let .endDelegation(role): "end the delegation of the role '\(role)'"
    case .recordOnBehalf: "record what someone else did"
    case let .schedule(item): "set the date of '\(item)'"
    case let .skip(milestone): "skip an occurrence of '\(milestone)'"
    case let .recordMetric(metric): "record a reading of '\(metric)'"
    case let .runSurvey(round): "open or close survey round '\(round)'"
    case .keepRoster: "change the client's roster"
    case .seeRoster: "see who on the client's roster has acknowledged what"
    case let .affirm(agreement, role?): "affirm the '\(role)' signature on '\(agreement)'"
    case let .affirm(agreement, nil): "affirm '\(agreement)'"
    }
  }
}

/// One thing standing between a milestone or agreement and the next step.
public enum Obstacle: Sendable, Hashable {
  /// An earlier stage is not complete.
  case stageLocked(stage: String, waitingFor: String)
  /// The stage's gate does not hold.
  case stageGated(stage: String, hold: GateHold)
  /// Milestones it needs are not done.
  case needs([String])
  /// One of the milestones it needs is recurring work still under way: done as a milestone
  /// only when it stops recurring, after `remaining` more occurrences (when the playbook
  /// fixes their number) or once `until` is done.
  case recurring(milestone: String, remaining: Int?, until: String?)
  /// The milestone's own gate does not hold.
  case milestoneGated(GateHold)
  /// The milestone needs evidence recorded first, such as an imported survey round.
  case evidenceMissing(Evidence)
}

extension Refusal: CustomStringConvertible {
  public var description: String {
    switch self {
    case .notStarted:
      return "the history does not begin with a 'started' event"
    case .alreadyStarted:
      return "the client has already been started"
    case let .duplicateEvent(id):
      return "the history holds an event with id \(id) already: a change is made once, never twice"
    case let .unknownMilestone(id, suggestion):
      return "the playbook has no milestone '\(id)'" + didYouMean(suggestion)
    case let .unknownAgreement(id, suggestion):
      return "the playbook has no agreement '\(id)'" + didYouMean(suggestion)
    case let .unknownRole(id, known, suggestion):
      return "the playbook has no role '\(id)'" + didYouMean(suggestion)
        + " (known: \(known.joined(separator: ", ")))"
    case let .confirmationRequired(_, _, _, loss):
      return loss + ". Nothing was changed: confirm the hand-over (--yes on the command line, "
        + "\"confirm\": true through the API)"
    case let .invalidPerson(name):
      return "person '\(Shown.name(name))' " + (TextRules.nameProblem(name)?.description ?? "is not a usable name")
    case let .invalidName(field, name):
      return "\(field) '\(Shown.name(name))' " + (TextRules.nameProblem(name)?.description ?? "is not usable")
    case let .invalidNote(problem):
      let rule: String
      if case .tooLong = problem.kind {
        rule = ""
      } else {
        rule = ": a note may run over several lines, but may hold no other control character and no bidirectional override"
      }
      return "the note \(problem)" + rule
    case let .notAllowed(person, operation, roles):
      return "\(person) may not \(operation): only \(list(roles.map { "the \($0)" }, or: true)) may"
    case let .alreadyAssigned(role, person):
      return "\(person) already holds the role '\(role)'"
    case let .alreadyDone(milestone):
      return "milestone '\(milestone)' is already done"
    case let .notDone(milestone):
      return "milestone '\(milestone)' is not done, so there is nothing to reopen"
    case let .notReady(milestone, obstacles):
      return "milestone '\(milestone)' is not ready" + Self.explain(obstacles)
    case let .signingClosed(agreement, obstacles):
      return "agreement '\(agreement)' cannot be signed yet" + Self.explain(obstacles)
    case let .alreadySigned(agreement, role, by):
      return "agreement '\(agreement)' is already signed for role '\(role)' (by \(by))"
    case let .ambiguousRole(agreement, roles):
      return "you hold several roles that sign '\(agreement)' (\(roles.joined(separator: ", "))): "
        + "pick one with --role"
    case let .notASignatory(agreement, role, signatories):
      return "role '\(role)' does not sign '\(agreement)' (signatories: "
        + "\(signatories.joined(separator: ", ")))"
    case let .notSigned(agreement, role):
      return "agreement '\(agreement)' has no signature for role '\(role)' to revoke"
    case let .reasonRequired(action):
      return "\(action) needs a reason"
    case .noSurvey:
      return "the client's playbook defines no survey"
    case let .invalidRoundName(name, problem):
      return "'\(name)' cannot name a survey round: \(problem)"
    case let .roundExists(name):
      return "a survey round named '\(name)' has already been imported or opened; give this one another name"
    case let .emptyRound(name):
      return "survey round '\(name)' holds no responses"
    case let .invalidResponse(round, problem):
      return "survey round '\(round)': \(problem)"
    case let .invalidOpportunity(problems):
      return "the opportunity inputs cannot be used: " + problems.joined(separator: "; ")
    case .clientArchived:
      return "the client is archived: nothing about it can change until it is restored (accord restore)"
    case .alreadyArchived:
      return "the client is archived already"
    case .notArchived:
      return "the client is not archived, so there is nothing to restore"
    case let .unknownRound(name, suggestion):
      return "no survey round '\(name)' has been imported" + didYouMean(suggestion)
    case let .roundWithdrawn(name):
      return "survey round '\(name)' has been withdrawn already"
    case let .roundNotOpen(name):
      return "survey round '\(name)' is not open for answers (accord survey status lists the open rounds)"
    case .noTeams:
      return "the playbook names no teams, so the client has no roster: add 'teams:' at the playbook's top level "
        + "(or a survey with its teams)"
    case let .invalidMember(person, problem):
      return "\(Shown.name(person)): \(problem)"
    case let .alreadyOnRoster(person):
      return "\(Shown.name(person)) is on the roster already, with these details"
    case let .notOnRoster(person, suggestion):
      return "\(Shown.name(person)) is not on the client's roster" + didYouMean(suggestion)
        + " (accord people list shows it)"
    case let .notForAcknowledging(agreement):
      return "agreement '\(agreement)' asks nobody to acknowledge it: only its signatories sign it"
    case let .teamNotAsked(agreement, person, team, teams):
      return "agreement '\(agreement)' asks \(list(teams)) to acknowledge it; \(Shown.name(person)) is in \(team)"
    case let .alreadyAcknowledged(agreement, person):
      return "\(Shown.name(person)) acknowledged '\(agreement)' on these terms already"
    case let .nothingToAffirm(agreement, role):
      return "the \(role) signature on '\(agreement)' is the role holder's own: there is nothing to affirm"
    case let .alreadyAffirmed(agreement, role, person):
      return "\(Shown.name(person)) affirmed the \(role) signature on '\(agreement)' already"
    case let .duplicateRound(round, earlier, withdrawn):
      return "these answers are exactly those of round '\(earlier)'"
        + (withdrawn ? " (withdrawn)" : "")
        + ", so the same file seems to be imported twice; nothing was imported. "
        + "To record them again as round '\(round)' all the same, add --force"
    case let .unknownPlaybook(version):
      return "the upgrade to \(version) names a playbook text the client's file does not hold"
    case let .playbookMismatch(inForce, named):
      return "the upgrade names \(named), but the playbook is \(inForce)"
    case let .otherPlaybook(inForce, given):
      return "the client runs playbook '\(inForce)'; '\(given)' is another playbook, not a new version of it"
    case let .alreadyOnPlaybook(version):
      return "the client runs \(version) already: nothing to upgrade"
    case let .upgradeNeedsForce(dropsDone, locks):
      var harms: [String] = []
      if !dropsDone.isEmpty {
        harms.append("drop done milestone" + (dropsDone.count == 1 ? " " : "s ") + list(dropsDone.map { "'\($0)'" }))
      }
      if !locks.isEmpty {
        harms.append("lock stage" + (locks.count == 1 ? " " : "s ") + list(locks.map { "'\($0)'" }) + ", open today")
      }
      return "the upgrade would " + harms.joined(separator: " and ")
        + "; nothing was changed. To upgrade all the same, add --force with --reason"
    case let .notAnUpgrade(type):
      return "a '\(type)' event does not change the playbook"
    case let .notOnPlaybook(inForce, expected):
      return "the client runs playbook '\(inForce)', not '\(expected)'; nothing was changed"
    case let .roleUnassigned(role):
      return "nobody holds the role '\(role)', so nobody can act for it; assign it first"
    case let .delegateIsHolder(role, person):
      return "\(person) holds the role '\(role)' already: delegate it to someone else"
    case let .untilInPast(role, until, today):
      return "a delegation of '\(role)' until \(until) would end before it starts (today is \(today), UTC)"
    case let .invalidDay(text):
      return "'\(text)' is not a day of the form 2026-12-31"
    case let .notDelegated(role):
      return "the role '\(role)' is not delegated now, so there is nothing to end"
    case let .wrongHolder(recorded, expected):
      let acted = expected.map { "for \($0), who holds the role" } ?? "for themselves, not as a delegate"
      return "the event records acting for \(recorded ?? "nobody"), but its author acts \(acted)"
    case .evidenceRequired:
      return "recording what someone else did needs the evidence for it (--evidence FILE)"
    case let .invalidEvidence(problem):
      return "the evidence cannot be recorded: \(problem)"
    case let .unknownItem(id, suggestion):
      return "the playbook has no stage, milestone or agreement '\(id)'" + didYouMean(suggestion)
    case let .invalidDate(text):
      return "'\(text)' is not a date of the form 2026-12-31"
    case let .itemFinished(item, state):
      return "'\(item)' is \(state) already: it has no date left to set"
    case let .notRecurring(milestone):
      return "milestone '\(milestone)' does not recur: only an occurrence of recurring work can be skipped"
    case let .unknownMetric(id, suggestion):
      return "the playbook has no metric '\(id)'" + didYouMean(suggestion)
    case let .invalidReading(metric, problem):
      return "the reading of '\(metric)' cannot be recorded: \(problem)"
    case let .termsChanged(agreement, given, inForce):
      return "the terms of '\(agreement)' changed since you read them (you read \(Self.short(given)), "
        + "in force now \(Self.short(inForce))); read them again before you sign or acknowledge"
    case let .termsRequired(agreement):
      return "a signature on '\(agreement)' must name the terms its signer was shown (their SHA-256)"
    }
  }

  /// A terms hash as the text output shortens it: its first 12 characters, shown as a name
  /// is (a hash given through a form may be anything).
  private static func short(_ hash: String) -> String {
    hash.isEmpty ? "nothing" : Shown.name(String(hash.prefix(12)))
  }

  private static func explain(_ obstacles: [Obstacle]) -> String {
    obstacles.map { "\n  " + $0.description }.joined()
  }
}

extension Obstacle: CustomStringConvertible {
  public var description: String {
    switch self {
    case let .stageLocked(stage, waitingFor):
      return "stage '\(stage)' is locked until stage '\(waitingFor)' is complete"
    case let .stageGated(stage, hold):
      return "stage '\(stage)' is gated:" + hold.explanation(indent: "    ")
    case let .needs(milestones):
      return "it needs \(list(milestones.map { "'\($0)'" })) done first"
    case let .recurring(milestone, remaining?, _):
      return "'\(milestone)' recurs: \(remaining) more occurrence\(remaining == 1 ? "" : "s") to complete or skip first"
    case let .recurring(milestone, nil, until?):
      return "'\(milestone)' recurs until '\(until)' is done"
    case let .recurring(milestone, nil, nil):
      return "'\(milestone)' recurs"
    case let .milestoneGated(hold):
      return "its gate is closed:" + hold.explanation(indent: "    ")
    case .evidenceMissing(.survey):
      return "it needs a round of the survey imported first"
    }
  }
}

extension GateHold {
  /// One line per thing the gate waits for, each starting on a new line.
  public func explanation(indent: String) -> String {
    var lines: [String] = []
    for unsigned in agreements {
      if !unsigned.roles.isEmpty {
        lines.append(
          "agreement '\(unsigned.agreement)' still needs signatures from "
            + list(unsigned.roles)
            + (unsigned.stale.isEmpty
              ? "" : " (the terms changed since " + list(unsigned.stale) + " signed: sign again)"))
      }
      if !unsigned.acknowledgements.isEmpty {
        lines.append(
          "agreement '\(unsigned.agreement)' still needs acknowledging: "
            + TeamProgress.summary(unsigned.acknowledgements))
      }
      if !unsigned.unaffirmed.isEmpty {
        lines.append(
          "agreement '\(unsigned.agreement)' was signed by a predecessor: the "
            + list(unsigned.unaffirmed) + " now must affirm it")
      }
    }
    for milestone in milestones {
      lines.append("milestone '\(milestone)' is not done")
    }
    return lines.map { "\n" + indent + $0 }.joined()
  }
}

/// " (did you mean 'x'?)", or nothing without a suggestion.
public func didYouMean(_ suggestion: String?) -> String {
  suggestion.map { " (did you mean '\($0)'?)" } ?? ""
}

/// "a", "a and b", "a, b and c" (or "or" in place of "and").
func list(_ items: [String], or: Bool = false) -> String {
  let joiner = or ? " or " : " and "
  guard items.count > 1 else { return items.first ?? "" }
  return items.dropLast().joined(separator: ", ") + joiner + items.last!
}
