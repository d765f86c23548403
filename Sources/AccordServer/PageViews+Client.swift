import AccordKit
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension PageViews {
  /// The client page: every stage, milestone, agreement and role, the history, and a button
  /// for exactly each action `PermittedActions` found.
  struct ClientPage {
    var name: String
    var headline: String
    var benchmarkHref: String
    /// The client report, one page to print or save (`accord report`).
    var reportHref: String
    var action: String
    var csrf: String
    var failure: String?
    var archived: String?
    var stages: [StageView]
    var roles: [RoleRow]
    var assignable: Assignable?
    /// The playbook's metrics as they stand; the section shows only when there are any.
    var metrics: [MetricRow]
    var hasMetrics: Bool
    /// The form to record a reading, for someone who may record one.
    var recordable: Recordable?
    /// The events the viewer may see, newest first, in words (`PageViews.history`).
    var history: [HistoryItem]
    /// What the person's last change on the page did (`PageViews.done`), after the redirect.
    var done: String? = nil
    /// The address of the programme's picture (`graph.svg`), when the server has Graphviz
    /// to draw it; without, no broken image: the stages below say the same in words.
    var picture: String? = nil
  }

  struct StageView {
    var title: String
    var state: String
    /// The date the stage should be complete by, while it is not.
    var target: DueView?
    var gate: GateView?
    var milestones: [MilestoneView]
    var agreements: [AgreementSummary]
  }

  struct GateView {
    var names: String
    var condition: String
    var holds: [String]
  }

  struct MilestoneView {
    var id: String
    var title: String
    var state: String
    var owner: String
    var done: String?
    var due: DueView?
    var canComplete: Bool
    var canReopen: Bool
  }

  struct AgreementSummary {
    var title: String
    var href: String
    var state: String
    var due: DueView?
    var signatures: [SignatureView]
    var canSign: Bool
    /// Each team's count, for an agreement that asks the staff to acknowledge it (counts
    /// only: names are for the consultant and the czar, on the agreement's page).
    var acknowledgements: String?
    /// "Acknowledge 'TITLE'", for a person on the roster asked to, linking to the agreement.
    var acknowledge: String?
    /// The holder now of a role a predecessor signed for may affirm it, on the agreement's page.
    var canAffirm: Bool
  }

  struct SignatureView {
    var agreement: String
    var role: String
    var holder: String
    var text: String
    var canRevoke: Bool
    var diff: [String]
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var hasDiff: Bool
    /// Whether the role's holder now stands behind it, when a predecessor signed it.
    var standing: String?
  }

  struct RoleRow {
    var id: String
    var title: String
    var holder: String
  }

  struct Assignable {
    var roles: [String]
  }

  struct MetricRow {
    var id: String
    var title: String
    var baseline: String
    var latest: String
    var target: String
    var status: String
    var offTrack: Bool
    var due: DueView?
    /// Every reading, newest first: day, value, and how it was judged.
    var readings: [String]
  }

  struct Recordable {
    var metrics: [String]
    /// Today in the workspace's zone, the form's date until changed.
    var today: String
  }

  /// The metrics section of the client page: the readings as `accord metric show` judges them.
  static func metricRows(_ programme: Programme, dates: ItemDates) -> [MetricRow] {
    programme.metricStatuses().map { status in
      let metric = status.metric
      func shown(_ reading: MetricReading?) -> String {
        reading.map { "\(metric.format($0.value)) on \($0.date)" } ?? "none yet"
      }
      var state = "not judged"
      if let onTrack = status.isOnTrack {
        state = onTrack ? "on track" : "off track"
        if status.needsReview { state += ", \(status.offTrackRun) readings in a row: the czar reviews it with both teams" }
      } else if status.target != nil, !status.isAgreed {
        state = "target not yet agreed"
      }
      let readings = zip(status.readings, status.onTrack).reversed().map { reading, onTrack in
        var line = "\(reading.date)  \(metric.format(reading.value))"
        if reading == status.baseline { line += "  baseline" }
        if let onTrack { line += onTrack ? "  on track" : "  off track" }
        return line + "  by \(Shown.name(reading.by))"
      }
      return MetricRow(
        id: metric.id, title: metric.title, baseline: shown(status.baseline), latest: shown(status.latest),
        target: status.target.map { metric.format($0) + (status.isAgreed ? " (agreed)" : " (not yet agreed)") } ?? "none",
        status: state, offTrack: status.isOnTrack == false, due: due(metric.id, in: dates), readings: readings)
    }
  }

  static func clientPage(
    _ programme: Programme, permitted: PermittedActions, csrf: String, failure: String?, dates: ItemDates = .none,
    today: CalendarDate? = nil, person: String = "", zone: TimeZone = utc
  ) -> ClientPage {
    let states = programme.stageStates()
    let playbook = programme.playbook
    let href = clientHref(programme.client)
    let stages = zip(playbook.stages, states).map { stage, state in
      StageView(
        title: stage.title, state: state.rawValue, target: due(stage.id, in: dates),
        gate: stage.gate.map { gate in
          let hold = programme.hold(on: gate)
          return GateView(
            names: (gate.agreements.map(\.id) + gate.milestones.map(\.id)).joined(separator: ", "),
            condition: hold.isEmpty ? "open" : "closed",
            holds: hold.explanation(indent: "").split(separator: "\n").map(String.init))
        },
        milestones: stage.milestones.map { milestone in
          MilestoneView(
            id: milestone.id, title: milestone.title,
            state: programme.state(ofMilestone: milestone.id, stages: states)?.rawValue ?? "",
            owner: milestone.owner.id + " (" + (programme.assignments[milestone.owner.id] ?? "unassigned") + ")",
            done: programme.completion(of: milestone.id).map {
              "done by \($0.actor) on \(Timestamp.format($0.at).prefix(10))"
            },
            due: due(milestone.id, in: dates),
            canComplete: permitted.complete.contains(milestone.id),
            canReopen: permitted.reopen.contains(milestone.id))
        },
        agreements: stage.agreements.map {
          summary(of: $0, in: programme, permitted: permitted, href: href, dates: dates, person: person)
        })
    }
    return ClientPage(
      name: programme.headline, headline: stagePhrase(programme) + ", \(programme.progress)% done",
      benchmarkHref: href + "/benchmark", reportHref: href + "/report", action: href, csrf: csrf, failure: failure,
      archived: plain.archivedNotice(programme).first,
      stages: stages,
      roles: playbook.roles.map {
        RoleRow(id: $0.id, title: $0.title, holder: programme.assignments[$0.id].map(Shown.name) ?? "unassigned")
      },
      assignable: permitted.assign.isEmpty ? nil : Assignable(roles: permitted.assign),
      metrics: metricRows(programme, dates: dates), hasMetrics: !playbook.metrics.isEmpty,
      recordable: permitted.record.isEmpty
        ? nil : Recordable(metrics: permitted.record, today: (today ?? dates.today).description),
      history: history(programme.history(visibleTo: person), playbook: playbook, zone: zone))
  }

  static func summary(
    of agreement: Agreement, in programme: Programme, permitted: PermittedActions, href: String,
    dates: ItemDates = .none, person: String = ""
  ) -> AgreementSummary {
    let progress = programme.acknowledgementProgress(of: agreement.id)
    let asked = programme.agreementsToAcknowledge(by: person).contains { $0.id == agreement.id }
    return AgreementSummary(
      title: agreement.title, href: href + "/agreements/" + escapePath(agreement.id),
      state: programme.state(ofAgreement: agreement.id)?.rawValue ?? "", due: due(agreement.id, in: dates),
      signatures: signatures(of: agreement, in: programme, permitted: permitted),
      canSign: permitted.sign[agreement.id] != nil,
      acknowledgements: progress.isEmpty ? nil : "Acknowledged: " + TeamProgress.summary(progress),
      acknowledge: asked ? acknowledgeSentence(agreement) : nil,
      canAffirm: permitted.affirm[agreement.id] != nil)
  }

  /// A person's own item for an agreement they are asked to acknowledge, on the client page
  /// and on "my work".
  static func acknowledgeSentence(_ agreement: Agreement) -> String { "Acknowledge '\(agreement.title)'" }

  /// One line per signatory role: who signed, when, on which terms, or that nobody has.
  static func signatures(of agreement: Agreement, in programme: Programme, permitted: PermittedActions)
    -> [SignatureView]
  {
    let signed = Dictionary(
      programme.signatures(of: agreement.id).map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
    let standings = Dictionary(
      programme.standings(of: agreement.id).map { ($0.signature.role, $0) }, uniquingKeysWith: { first, _ in first })
    return agreement.signatories.map(\.id).map { role in
      let signature = signed[role]
      let text = signature.map {
        "signed by \($0.person)" + ($0.holder.map { " for \($0)" } ?? "")
          + ($0.enteredBy.map { " (recorded by \($0))" } ?? "")
          + " at \(Timestamp.format($0.at))" + TextOutput.signedTerms($0)
      } ?? "not signed"
      let diff = signature.flatMap { signature in
        signature.isStale ? signature.signedAgreement.map { TermsDiff.lines(from: $0, to: agreement) } : nil
      } ?? []
      return SignatureView(
        agreement: agreement.id, role: role, holder: programme.assignments[role] ?? "unassigned", text: text,
        canRevoke: permitted.revoke[agreement.id]?.contains(role) ?? false, diff: diff,
        hasDiff: !diff.isEmpty, standing: standings[role].flatMap(standing(of:)))
    }
  }

  /// Whether a role's holder now stands behind a signature a predecessor made: nil when
  /// the holder made it (or it is stale, and must be signed again anyway).
  static func standing(of standing: SignatureStanding) -> String? {
    guard !standing.signature.isStale, standing.signedFor != standing.holder else { return nil }
    guard let holder = standing.holder.map(Shown.name) else { return "signed by a predecessor: nobody holds the role now" }
    if let affirmation = standing.affirmation, affirmation.person == standing.holder {
      return "affirmed by \(holder) at \(Timestamp.format(affirmation.at))"
    }
    return "signed by a predecessor: \(holder) holds the role now and has not affirmed it"
  }

  /// Whether `person` keeps the client's roster (the engine's rule).
  static func keepsRoster(_ programme: Programme, _ person: String) -> Bool {
    programme.keepsRoster(person)
  }

  // MARK: An agreement

  struct AgreementPage {
    var clientName: String
    var clientHref: String
    var id: String
    var title: String
    var href: String
    var state: String
    var stage: String
    /// The terms' paragraphs (split at blank lines; a single line break is a space when read).
    var terms: [String]
    /// The metric targets the agreement commits to, part of its terms, one line each.
    var targets: [String]
    var signatories: String
    var hash: String
    var signatures: [SignatureView]
    var canSign: Bool
    var failure: String?
    /// What the person's last change on the page did (`PageViews.done`), after the redirect.
    var done: String? = nil
    /// For the confirmation page: the role the signature is for.
    var role: String
    var csrf: String
    /// For an agreement that asks the staff to acknowledge it: where each team stands.
    var acknowledgements: Acknowledgements?
    /// The roles whose predecessor's signature the person may affirm, each its own form.
    var affirm: [String]
  }

  /// The acknowledgement section of an agreement's page.
  struct Acknowledgements {
    /// "sales 3 of 10", one line a team.
    var teams: [String]
    /// "80% needed" or "all needed".
    var needed: String
    /// Who has yet to acknowledge: only for the client's consultant and czar (nil for
    /// everyone else, so the template cannot show names it was never given).
    var yetToAcknowledge: Names?
    /// The "I agree" form, for a person on the roster asked to acknowledge it now.
    var canAcknowledge: Bool
    /// "You acknowledged these terms at TIME.", once they have.
    var acknowledged: String?
  }

  struct Names {
    var names: [String]
    var isEmpty: Bool
  }

  static func agreementPage(
    _ agreement: Agreement, stage: Stage, in programme: Programme, permitted: PermittedActions, csrf: String,
    failure: String?, person: String = ""
  ) -> AgreementPage {
    let href = clientHref(programme.client)
    let progress = programme.acknowledgementProgress(of: agreement.id)
    var acknowledgements: Acknowledgements?
    if !progress.isEmpty {
      let names = programme.yetToAcknowledge(agreement.id).map { Shown.name($0.name) }
      acknowledgements = Acknowledgements(
        teams: progress.map(\.text),
        needed: progress.first.map { $0.quorum == "all" ? "all needed" : "\($0.quorum) needed" } ?? "",
        yetToAcknowledge: keepsRoster(programme, person) ? Names(names: names, isEmpty: names.isEmpty) : nil,
        canAcknowledge: programme.agreementsToAcknowledge(by: person).contains { $0.id == agreement.id },
        acknowledged: programme.acknowledgement(of: agreement.id, by: person).map {
          "You acknowledged these terms at \(Timestamp.format($0.at))."
        })
    }
    return AgreementPage(
      clientName: programme.headline, clientHref: href, id: agreement.id, title: agreement.title,
      href: href + "/agreements/" + escapePath(agreement.id),
      state: programme.state(ofAgreement: agreement.id)?.rawValue ?? "", stage: stage.id,
      terms: (agreement.terms ?? "(no terms text)").trimmingCharacters(in: .newlines)
        .components(separatedBy: "\n\n").filter { !$0.isEmpty },
      targets: programme.playbook.targetLines(of: agreement),
      signatories: agreement.signatories.map(\.id).joined(separator: ", "), hash: agreement.termsHash,
      signatures: signatures(of: agreement, in: programme, permitted: permitted),
      canSign: permitted.sign[agreement.id] != nil, failure: failure,
      role: permitted.sign[agreement.id]?.first ?? "", csrf: csrf, acknowledgements: acknowledgements,
      affirm: permitted.affirm[agreement.id] ?? [])
  }
}
