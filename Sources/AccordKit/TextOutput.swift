import Foundation
import PlaybookSpec
import ProgrammeEngine

/// The human renderings: aligned, calm, in the playbook's own words.
package struct TextOutput {
  package var style = TextStyle.current

  package init(style: TextStyle = TextStyle.current) { self.style = style }

  /// The answer to "what has to happen next, and who must do it?".
  package func next(
    _ programme: Programme, _ next: NextActions, filter: String? = nil, long: Bool = false, dates: ItemDates = .none
  ) -> [String] {
    let stages = programme.stageStates()
    var lines = [headline(programme, stages: stages)]
    if programme.archived != nil {
      return lines + [""] + archivedNotice(programme)
    }
    if next.isComplete {
      lines.append("")
      lines.append("The programme is complete: every stage is done.")
      // Agreed metrics outlive the stages: their readings and reviews are still work.
      guard !next.actions.isEmpty else { return lines }
    }
    lines.append("")
    if next.actions.isEmpty {
      let scope = filter.map { " for \($0)" } ?? ""
      lines.append(style.heading("Next actions") + scope)
      lines.append(
        next.blocked.isEmpty || filter != nil
          ? "  Nothing to do\(scope) right now."
          : "  Nothing can move until the gates below open.")
    } else {
      lines.append(style.heading("Next actions") + (filter.map { " for \($0)" } ?? ""))
      var table = Table()
      for action in next.actions {
        var title = title(of: action, in: programme.playbook)
        if let terms = action.terms { title += " (terms \(Self.short(terms)))" }
        if let stale = action.staleTerms {
          title += "; the terms changed since \(Self.short(stale)) was signed: sign again"
        }
        if let delegate = action.delegate { title += "; \(delegate) may act for \(action.role) (delegated)" }
        let due = dates.isEmpty ? [] : [dates.phrase(action.dateKey) ?? ""]
        table.append(
          [action.kind.rawValue, action.target, who(action.role, action.person)] + due + [style.dim(title)])
      }
      let rows = table.render()
      for (action, row) in zip(next.actions, rows) {
        lines.append(row)
        if long, let text = description(of: action, in: programme.playbook) {
          lines += Self.indented(text, by: "      ").map(style.dim)
        }
        if let signed = action.signedAgreement,
          let inForce = programme.playbook.stages.lazy.flatMap(\.agreements).first(where: { $0.id == action.target })
        {
          let diff = TermsDiff.lines(from: signed, to: inForce)
          if !diff.isEmpty { lines += ["      what changed since it was signed:"] + diff.map { "        " + $0 } }
        }
      }
    }
    if !next.blocked.isEmpty {
      lines.append("")
      lines.append(style.heading("Closed gates"))
      for blocker in next.blocked {
        let subject =
          blocker.milestone.map { "milestone '\($0)' (stage \(blocker.stage))" }
          ?? "stage '\(blocker.stage)'"
        lines.append("  \(subject) waits until:" + blocker.hold.explanation(indent: "    "))
      }
    }
    return lines
  }

  /// Every stage, milestone and agreement with its state.
  package func status(
    _ programme: Programme, sha256: String, revision: Int, now: Date = Date(), dates: ItemDates = .none
  ) -> [String] {
    let stages = programme.stageStates()
    let playbook = programme.playbook
    let total = playbook.stages.reduce(0) { $0 + $1.milestones.count }
    let done = playbook.stages.reduce(0) { sum, stage in
      sum + stage.milestones.filter { programme.isDone($0.id) }.count
    }
    let started = programme.history[0]
    var lines = [headline(programme, stages: stages)]
    lines.append(
      style.dim(
        "playbook \(playbook.id) v\(playbook.version) (sha256 \(sha256.prefix(12))), "
          + "started \(Timestamp.format(started.at)) by \(started.by), revision \(revision)"))
    // The latest upgrade, so that a client moved to a new version says from which and why.
    if let upgrade = programme.history.last(where: { if case .upgraded = $0.change { true } else { false } }),
      case let .upgraded(from, _) = upgrade.change
    {
      lines.append(
        style.dim(
          "upgraded from v\(from.version) (sha256 \(from.sha256.prefix(12))) \(Timestamp.format(upgrade.at)) "
            + "by \(Shown.name(upgrade.by))" + (upgrade.note.map { ": " + Shown.note($0, indent: "    ") } ?? "")))
    }
    lines.append("progress \(programme.progress)% (\(done) of \(total) milestones done)")
    lines += archivedNotice(programme)
    for (stage, state) in zip(playbook.stages, stages) {
      lines.append("")
      lines.append(
        style.heading("\(stage.id)  \(state.rawValue)") + "  " + stage.title
          + (dates.phrase(stage.id).map { "  (target: \($0))" } ?? ""))
      if let gate = stage.gate {
        let hold = programme.hold(on: gate)
        let names = gate.agreements.map(\.id) + gate.milestones.map(\.id) + gate.affirmed.map { "\($0.id) affirmed" }
        lines.append(
          "  gate: " + names.joined(separator: ", ") + (hold.isEmpty ? " (open)" : " (closed)"))
      }
      var table = Table()
      for milestone in stage.milestones {
        let state = programme.state(ofMilestone: milestone.id, stages: stages)?.rawValue ?? ""
        let done = programme.completion(of: milestone.id).map {
          "  done by \($0.actor) on \(Timestamp.format($0.at).prefix(10))" + Self.actingFor($0, naming: false)
        }
        var title = milestone.title + (done ?? "")
        if let progress = programme.recurrence(of: milestone.id), let every = milestone.recurrence?.every {
          let behind = progress.done + progress.skipped
          title += "  (every \(every), "
            + (progress.times.map { "\(behind) of \($0) behind" } ?? "\(behind) behind, until \(progress.until ?? "")")
            + (progress.skipped > 0 ? ", \(progress.skipped) skipped" : "") + ")"
        }
        if let due = dates.phrase(milestone.id) { title += "  " + due }
        table.append(milestone.id, state, milestone.owner.id, style.dim(title))
      }
      lines += table.render()
    }
    let agreements = playbook.stages.flatMap(\.agreements)
    if !agreements.isEmpty {
      lines.append("")
      lines.append(style.heading("Agreements"))
      for agreement in agreements {
        let state = programme.state(ofAgreement: agreement.id)?.rawValue ?? ""
        lines.append(
          "  \(agreement.id)  \(state)  " + style.dim(agreement.title)
            + style.dim("  (terms \(Self.short(agreement.termsHash)))")
            + (dates.phrase(agreement.id).map { "  " + $0 } ?? ""))
        let standings = Dictionary(
          programme.standings(of: agreement.id).map { ($0.signature.role, $0) },
          uniquingKeysWith: { first, _ in first })
        var table = Table()
        for role in agreement.signatories.map(\.id) {
          if let standing = standings[role] {
            let signature = standing.signature
            table.append(
              role,
              "signed by \(signature.person)\(Self.signedFor(signature)) at \(Timestamp.format(signature.at))"
                + Self.signedTerms(signature) + Self.affirmation(standing))
          } else {
            table.append(role, "not signed")
          }
        }
        lines += table.render(indent: "    ")
        let progress = programme.acknowledgementProgress(of: agreement.id)
        if !progress.isEmpty {
          lines.append("    acknowledged: " + TeamProgress.summary(progress))
        }
      }
    }
    lines += measurements(programme)
    lines.append("")
    lines.append(style.heading("Roles"))
    var roles = Table()
    for role in playbook.roles {
      roles.append(role.id, programme.assignments[role.id].map(Shown.name) ?? "unassigned", style.dim(role.title))
    }
    lines += roles.render()
    lines += delegations(programme.delegations(activeAt: now))
    return lines
  }

  /// One line per event, oldest first.
  package func log(_ history: [Event]) -> [String] {
    var table = Table()
    for event in history {
      var what: String
      switch event.change {
      case let .started(client, name, _): what = "\(client) (\(name))"
      case let .assigned(role, person): what = "\(role) -> \(person)"
      case let .completed(milestone), let .reopened(milestone), let .skipped(milestone): what = milestone
      case let .scheduled(item, date): what = "\(item) due \(date)"
      case let .signed(agreement, role, terms):
        what = "\(agreement) as \(role)" + (terms.map { " on terms \(Self.short($0))" } ?? "")
      case let .revoked(agreement, role): what = "\(agreement) as \(role)"
      case let .surveyImported(round, responses), let .surveyClosed(round, responses):
        what = "\(round) (\(responses.count) responses)"
      case let .surveyOpened(round, codes, closes):
        what = round + (codes.map { " (\($0) links" } ?? " (one shared link") + (closes.map { ", closes \($0))" } ?? ")")
      case let .opportunitySet(inputs): what = opportunitySummary(inputs)
      case .archived, .restored: what = ""
      case let .surveyWithdrawn(round): what = round
      case let .upgraded(from, to): what = "\(from) -> \(to)"
      case let .delegated(role, person, until): what = "\(role) -> \(person) until \(until)"
      case let .delegationEnded(role): what = role
      case let .sealed(sha256): what = "playbook text \(Self.short(sha256)) taken into the history's chain"
      case let .metricRecorded(metric, value, date, reading):
        what = "\(metric) \(value) on \(date)" + (reading == MetricReading.baselineMark ? " (baseline)" : "")
      case let .joined(person, email, team, level):
        what = "\(person) <\(email)>, \(team)" + (level.isEmpty ? "" : ", \(level)")
      case let .left(person): what = person
      case let .acknowledged(agreement, terms):
        what = agreement + (terms.map { " on terms \(Self.short($0))" } ?? "")
      case let .affirmed(agreement, role, terms):
        what = "\(agreement) as \(role)" + (terms.map { " on terms \(Self.short($0))" } ?? "")
      }
      let acting = Self.actingFor(event)
      if !acting.isEmpty { what += (what.isEmpty ? "" : ",") + acting }
      let door = [event.via.map { "via \($0.rawValue)" }, Self.printed(event)].compactMap { $0 }
      if !door.isEmpty { what += (what.isEmpty ? "" : " ") + "(\(door.joined(separator: "; ")))" }
      // Stored text shown escaped, and a note's later lines under it, never at a line's start.
      what = Shown.name(what)
      let note = noteCell(event.note)
      if let first = note.first { what += (what.isEmpty ? "" : "  ") + first }
      table.append(
        [Timestamp.format(event.at), Shown.name(event.by), event.change.type, what], continued: Array(note.dropFirst()))
    }
    return table.render(indent: "")
  }

  /// What a change made in a session from a link someone else printed adds: who printed it.
  package static func printed(_ event: Event) -> String? {
    event.printedBy.map { "\(event.by), signed in by a link \($0) printed" }
  }

  /// A note as `log` shows it, in brackets, dim: its first line, then each later line, to be
  /// indented under it (`Table.append(_:continued:)`); empty for no note.
  func noteCell(_ note: String?) -> [String] {
    guard let note else { return [] }
    let lines = Shown.noteLines(note)
    return lines.enumerated().map { number, line in
      style.dim((number == 0 ? "(" : "") + line + (number == lines.count - 1 ? ")" : ""))
    }
  }

  /// What a change opened or closed: stages whose state moved.
  package func transitions(from before: Programme, to after: Programme) -> [String] {
    zip(after.playbook.stages, zip(before.stageStates(), after.stageStates()))
      .filter { $1.0 != $1.1 }
      .map { stage, states in "stage \(stage.id): \(states.0.rawValue) -> \(states.1.rawValue)" }
  }

  private func headline(_ programme: Programme, stages: [StageState]) -> String {
    let position = stages.firstIndex { $0 != .complete }
    let stage = position.map {
      "stage \($0 + 1) of \(stages.count), \(programme.playbook.stages[$0].id) (\(stages[$0].rawValue))"
    } ?? "complete"
    return style.heading(programme.headline) + ": \(stage), \(programme.progress)% done"
      + (programme.isSustaining ? ", sustaining" : "") + (programme.archived == nil ? "" : ", archived")
  }

  /// For an archived client, who archived it, when and why, and how to bring it back.
  package func archivedNotice(_ programme: Programme) -> [String] {
    guard let archived = programme.archived else { return [] }
    return [
      "Archived \(Timestamp.format(archived.at)) by \(Shown.name(archived.by))"
        + (archived.reason.map { ": " + Shown.note($0, indent: "    ") } ?? "") + ".",
      "Nothing about it changes until it is restored: accord restore \(programme.client)",
    ]
  }

  /// One line per agreement that asks the staff to acknowledge it: each team's progress.
  package func acknowledgementLines(_ programme: Programme) -> [String] {
    programme.playbook.stages.flatMap(\.agreements).compactMap { agreement in
      let progress = programme.acknowledgementProgress(of: agreement.id)
      return progress.isEmpty ? nil : "  \(agreement.id): " + TeamProgress.summary(progress)
    }
  }

  /// Whether the role's holder now stands behind a signature: nothing when they made it;
  /// who holds the role, and whether they affirmed it, when a predecessor did.
  package static func affirmation(_ standing: SignatureStanding) -> String {
    guard standing.signedFor != standing.holder, !standing.signature.isStale else { return "" }
    guard let holder = standing.holder else { return "; nobody holds the role now" }
    if let affirmation = standing.affirmation, affirmation.person == holder {
      return "; affirmed by \(Shown.name(holder)), who holds the role now, at \(Timestamp.format(affirmation.at))"
    }
    return "; signed by a predecessor: \(Shown.name(holder)), who holds the role now, has not affirmed it"
  }

  /// A hash as text output shows it: its first 12 hex digits.
  package static func short(_ hash: String) -> String { String(hash.prefix(12)) }

  /// What a signature says about its terms: nothing for one recorded before signatures
  /// carried them, the short hash, or that it is stale.
  package static func signedTerms(_ signature: Signature) -> String {
    guard let terms = signature.terms else { return "" }
    return signature.isStale
      ? " on other terms (\(short(terms))): stale, must sign again" : " on terms \(short(terms))"
  }

  private func who(_ role: String, _ person: String?) -> String {
    "\(role): " + (person.map(Shown.name) ?? "unassigned")
  }

  /// What `next --long` puts under an action: the milestone's description, or the terms of
  /// the agreement to sign.
  private func description(of action: Action, in playbook: Playbook) -> String? {
    switch action.kind {
    case .complete, .survey:
      playbook.stages.lazy.flatMap(\.milestones).first { $0.id == action.target }?.description
    case .sign, .acknowledge, .affirm:
      // The targets are part of the terms to sign.
      playbook.stages.lazy.flatMap(\.agreements).first { $0.id == action.target }.flatMap { agreement in
        let targets = playbook.targetLines(of: agreement).map { "Target: " + $0 }
        guard !targets.isEmpty else { return agreement.terms }
        return ([agreement.terms?.trimmingCharacters(in: .newlines)].compactMap { $0 } + targets).joined(separator: "\n")
      }
    case .assign:
      nil
    case .record, .review:
      playbook.metrics.first { $0.id == action.target }?.description
    }
  }

  private func title(of action: Action, in playbook: Playbook) -> String {
    switch action.kind {
    case .complete:
      playbook.stages.lazy.flatMap(\.milestones).first { $0.id == action.target }?.title ?? ""
    case .sign:
      playbook.stages.lazy.flatMap(\.agreements).first { $0.id == action.target }?.title ?? ""
    case .assign:
      "assign someone as " + (playbook.roles.first { $0.id == action.target }?.title ?? action.target)
    case .survey:
      "import a round of survey answers (accord survey import)"
    case .record:
      "record a reading of " + (playbook.metrics.first { $0.id == action.target }?.title ?? action.target)
        + " (accord metric record)"
    case .review:
      "review " + (playbook.metrics.first { $0.id == action.target }?.title ?? action.target)
        + " with both teams: off track two readings in a row (accord metric show)"
    case .acknowledge:
      "have the staff acknowledge it: " + TeamProgress.summary(action.progress ?? [])
        + " (accord invite --roster; accord people list shows who has)"
    case .affirm:
      "affirm it as \(action.role)"
        + (action.signedBy.map { "; signed by \(Shown.name($0))" } ?? "")
        + (action.signedAt.map { " on \(Timestamp.format($0).prefix(10))" } ?? "") + " (accord affirm)"
    }
  }
}

extension Programme {
  /// How text output names the client: `Acme Ltd [acme]`, or the id alone when the
  /// client's name is its id.
  package var headline: String { name == client ? client : "\(name) [\(client)]" }
}

extension TextOutput {
  /// One stage, milestone or agreement, whole.
  package func show(_ item: ShowJSON, in programme: Programme) -> [String] {
    var lines = [style.heading(programme.headline) + ": \(item.kind) \(item.id) (\(item.state))"]
    lines.append(item.title)
    var facts = Table()
    if item.kind != "stage" { facts.append("stage", item.stage) }
    if let owner = item.owner { facts.append("owner", owner + " (" + (item.person ?? "unassigned") + ")") }
    if let needs = item.needs, !needs.isEmpty { facts.append("needs", needs.joined(separator: ", ")) }
    if let gate = item.gate {
      let names = gate.agreements + gate.milestones
      facts.append("gate", names.joined(separator: ", ") + (gate.open ? " (open)" : " (closed)"))
    }
    if let evidence = item.evidence { facts.append("evidence", evidence) }
    if let by = item.completedBy, let at = item.completedAt {
      facts.append(
        "done",
        "by \(by)" + Self.signedFor(holder: item.completionHolder, enteredBy: item.completionEnteredBy, evidence: nil)
          + " at \(at)")
    }
    if let hash = item.termsHash { facts.append("terms hash", Self.short(hash)) }
    if let signatories = item.signatories {
      let signed = Dictionary((item.signatures ?? []).map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
      for role in signatories {
        facts.append(
          "signatory",
          role + ": "
            + (signed[role].map { signature in
              "signed by \(signature.person)"
                + Self.signedFor(holder: signature.holder, enteredBy: signature.enteredBy, evidence: signature.evidence)
                + " at \(signature.at)"
                + (signature.terms.map { terms in
                  signature.stale
                    ? " on other terms (\(Self.short(terms))): stale, must sign again"
                    : " on terms \(Self.short(terms))"
                } ?? "")
            } ?? "not signed"))
      }
    }
    if let milestones = item.milestones, !milestones.isEmpty {
      facts.append("milestones", milestones.joined(separator: ", "))
    }
    if let agreements = item.agreements, !agreements.isEmpty {
      facts.append("agreements", agreements.joined(separator: ", "))
    }
    lines += facts.render()
    if let text = item.description ?? item.terms {
      lines.append("")
      lines.append(style.heading(item.terms == nil ? "Description" : "Terms"))
      lines += Self.indented(text)
    }
    if item.targets != nil,
      let agreement = programme.playbook.stages.lazy.flatMap(\.agreements).first(where: { $0.id == item.id })
    {
      lines.append("")
      lines.append(style.heading("Targets"))
      lines += programme.playbook.targetLines(of: agreement).map { "  " + $0 }
    }
    if let events = item.events, !events.isEmpty {
      lines.append("")
      lines.append(style.heading("History"))
      lines += log(events).map { "  " + $0 }
    }
    return lines
  }

  /// `text` as indented lines, its own line breaks kept.
  static func indented(_ text: String, by indent: String = "  ") -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }
      .map { $0.trimmingTrailingSpaces() }
      .reversed().drop { $0.isEmpty }.reversed()
  }
}
