import AccordKit
import Foundation
import PlaybookSpec
import ProgrammeEngine

extension PageViews {
  /// The client page: first what the viewer must do here (with dates, and a button for
  /// each), then every stage (finished ones folded away), milestone, agreement and role, and
  /// the history; a button for exactly each action `PermittedActions` found.
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
    /// What the viewer owes on this client, in the order `next` gives it.
    var owed: [Owed]
    /// What everyone else owes, and the closed gates, for the viewer to see what they wait for.
    var waiting: [String]
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var hasWaiting: Bool
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

  /// One thing the viewer owes: the sentence, its date, and what to press.
  struct Owed {
    var text: String
    var due: DueView?
    /// A link to the page where it is done ("Sign as Sponsor"), or
    var link: Link?
    /// the milestone the Complete form marks done.
    var complete: String?
  }

  struct Link {
    var href: String
    var label: String
  }

  struct StageView {
    var id: String
    var title: String
    var state: String
    /// A finished stage is folded away, its summary saying so.
    var folded: Bool
    var summary: String
    /// The date the stage should be complete by, while it is not.
    var target: DueView?
    var gate: GateView?
    var milestones: [MilestoneView]
    var agreements: [AgreementSummary]
  }

  struct GateView {
    /// "The implementation stage opens once" / "Opened once".
    var open: Bool
    var names: String
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
    var id: String
    var title: String
    var href: String
    var state: String
    var due: DueView?
    var signatures: [SignatureView]
    /// "Sign as Sponsor", for each role the viewer may sign it for now.
    var sign: [Link]
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
    /// The role's title, for people: "Head of sales".
    var roleTitle: String
    var holder: String
    var text: String
    /// The terms hash the signature was made on, short, and in full for the tooltip.
    var terms: String?
    var shortTerms: String?
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
    /// Nobody holds the role yet.
    var vacant: Bool
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
    var readings: [ReadingRow]
    var hasReadings: Bool
  }

  struct ReadingRow {
    var day: String
    var value: String
    /// "baseline", "on track", "off track", or blank when not judged.
    var judged: String
    var by: String
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
        reading.map { "\(metric.format($0.value)) on \(Readable.day($0.date, today: dates.today))" } ?? "none yet"
      }
      var state = "not judged"
      if let onTrack = status.isOnTrack {
        state = onTrack ? "on track" : "off track"
        if status.needsReview { state += ", \(status.offTrackRun) readings in a row: the czar reviews it with both teams" }
      } else if status.target != nil, !status.isAgreed {
        state = "target not yet agreed"
      }
      let readings = zip(status.readings, status.onTrack).reversed().map { reading, onTrack in
        ReadingRow(
          day: Readable.day(reading.date, today: dates.today), value: metric.format(reading.value),
          judged: reading == status.baseline ? "baseline" : onTrack.map { $0 ? "on track" : "off track" } ?? "",
          by: Shown.name(reading.by))
      }
      return MetricRow(
        id: metric.id, title: metric.title, baseline: shown(status.baseline), latest: shown(status.latest),
        target: status.target.map { metric.format($0) + (status.isAgreed ? " (agreed)" : " (not yet agreed)") } ?? "none",
        status: state, offTrack: status.isOnTrack == false, due: due(metric.id, in: dates), readings: readings,
        hasReadings: !readings.isEmpty)
    }
  }

  /// The client page of `programme` for `person`, its dates judged on `dates.today` and its
  /// times read in `zone`.
  static func clientPage(
    _ programme: Programme, permitted: PermittedActions, csrf: String, failure: String?, dates: ItemDates = .none,
    today: CalendarDate? = nil, person: String = "", zone: TimeZone = utc, now: Date = Date()
  ) -> ClientPage {
    let states = programme.stageStates()
    let playbook = programme.playbook
    let href = clientHref(programme.client)
    let day = today ?? dates.today
    func holder(_ role: String) -> String {
      programme.assignments[role].map(Shown.name) ?? "nobody yet"
    }
    let stages = zip(playbook.stages, states).map { stage, state in
      let done = stage.milestones.count { programme.completion(of: $0.id) != nil }
      return StageView(
        id: stage.id, title: stage.title, state: state.rawValue, folded: state == .complete,
        summary: "\(done) of \(stage.milestones.count) milestones done"
          + (stage.agreements.isEmpty
            ? ""
            : ", \(stage.agreements.count { programme.state(ofAgreement: $0.id) == .signed }) of "
              + "\(stage.agreements.count) agreements signed"),
        target: due(stage.id, in: dates),
        gate: stage.gate.map { gate in
          let hold = programme.hold(on: gate)
          return GateView(
            open: hold.isEmpty,
            names: list((gate.agreements.map(\.id) + gate.milestones.map(\.id)).map { "'\(programme.itemTitle($0))'" }),
            holds: holdReasons(hold, in: programme))
        },
        milestones: stage.milestones.map { milestone in
          MilestoneView(
            id: milestone.id, title: milestone.title,
            state: programme.state(ofMilestone: milestone.id, stages: states)?.rawValue ?? "",
            owner: programme.roleTitle(milestone.owner.id) + ": " + holder(milestone.owner.id),
            done: programme.completion(of: milestone.id).map {
              "done by \(Shown.name($0.actor)) on \(Readable.day(CalendarDate($0.at, in: zone), today: day))"
            },
            due: due(milestone.id, in: dates),
            canComplete: permitted.complete.contains(milestone.id),
            canReopen: permitted.reopen.contains(milestone.id))
        },
        agreements: stage.agreements.map {
          summary(of: $0, in: programme, permitted: permitted, href: href, dates: dates, person: person, zone: zone)
        })
    }
    let next = programme.nextActions(at: now)
    let mine = next.filtered(person: person).actions
    var waiting = next.actions.filter { !mine.contains($0) }.map { sentence(for: $0, in: programme, mine: false) }
    waiting += next.blocked.map { hold(of: $0, in: programme) }
    if programme.archived != nil { waiting = [] }
    return ClientPage(
      name: programme.name, headline: stagePhrase(programme) + ", \(programme.progress)% done",
      benchmarkHref: href + "/benchmark", reportHref: href + "/report", action: href, csrf: csrf, failure: failure,
      archived: plain.archivedNotice(programme).first,
      owed: owed(programme, actions: mine, person: person, permitted: permitted, dates: dates),
      waiting: waiting, hasWaiting: !waiting.isEmpty,
      stages: stages,
      roles: playbook.roles.map {
        RoleRow(id: $0.id, title: $0.title, holder: holder($0.id), vacant: programme.assignments[$0.id] == nil)
      },
      assignable: permitted.assign.isEmpty ? nil : Assignable(roles: permitted.assign),
      metrics: metricRows(programme, dates: dates), hasMetrics: !playbook.metrics.isEmpty,
      recordable: permitted.record.isEmpty
        ? nil : Recordable(metrics: permitted.record, today: day.description),
      history: history(programme.history(visibleTo: person), playbook: playbook, zone: zone))
  }

  /// What `person` owes on `programme`: the agreements they are asked to acknowledge as its
  /// staff, then their next actions, each with its date and the button that does it when
  /// the pages can (a survey round is imported at the terminal).
  static func owed(
    _ programme: Programme, actions: [Action], person: String, permitted: PermittedActions, dates: ItemDates
  ) -> [Owed] {
    let href = clientHref(programme.client)
    func agreementHref(_ id: String) -> String { href + "/agreements/" + escapePath(id) }
    var owed = programme.agreementsToAcknowledge(by: person).map {
      Owed(
        text: acknowledgeSentence($0), due: due($0.id, in: dates),
        link: Link(href: agreementHref($0.id), label: "Read and acknowledge"))
    }
    for action in actions {
      var item = Owed(text: sentence(for: action, in: programme, mine: true), due: due(action.dateKey, in: dates))
      let role = programme.roleTitle(action.role)
      switch action.kind {
      case .complete where permitted.complete.contains(action.target):
        item.complete = action.target
      case .sign where permitted.sign[action.target]?.contains(action.role) == true:
        item.link = Link(href: signHref(agreementHref(action.target), role: action.role), label: "Sign as \(role)")
      case .affirm where permitted.affirm[action.target]?.contains(action.role) == true:
        item.link = Link(href: agreementHref(action.target), label: "Affirm as \(role)")
      case .acknowledge:
        item.link = Link(href: agreementHref(action.target), label: "See who has acknowledged")
      case .record where !permitted.record.isEmpty, .review:
        item.link = Link(href: href + "#metrics", label: "Go to the metrics")
      case .assign where !permitted.assign.isEmpty:
        item.link = Link(href: href + "#roles", label: "Go to the roles")
      default:
        break
      }
      owed.append(item)
    }
    return owed
  }

  /// The confirmation page for signing `agreement` (its address) as `role`.
  static func signHref(_ agreement: String, role: String) -> String {
    agreement + "/sign?role=" + (role.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? role)
  }

  static func summary(
    of agreement: Agreement, in programme: Programme, permitted: PermittedActions, href: String,
    dates: ItemDates = .none, person: String = "", zone: TimeZone = utc
  ) -> AgreementSummary {
    let progress = programme.acknowledgementProgress(of: agreement.id)
    let asked = programme.agreementsToAcknowledge(by: person).contains { $0.id == agreement.id }
    let address = href + "/agreements/" + escapePath(agreement.id)
    return AgreementSummary(
      id: agreement.id, title: agreement.title, href: address,
      state: programme.state(ofAgreement: agreement.id)?.rawValue ?? "", due: due(agreement.id, in: dates),
      signatures: signatures(of: agreement, in: programme, permitted: permitted, zone: zone, today: dates.today),
      sign: (permitted.sign[agreement.id] ?? []).map {
        Link(href: signHref(address, role: $0), label: "Sign as \(programme.roleTitle($0))")
      },
      acknowledgements: progress.isEmpty ? nil : "Acknowledged: " + TeamProgress.summary(progress),
      acknowledge: asked ? acknowledgeSentence(agreement) : nil,
      canAffirm: permitted.affirm[agreement.id] != nil)
  }

  /// A person's own item for an agreement they are asked to acknowledge, on the client page
  /// and on "my work".
  static func acknowledgeSentence(_ agreement: Agreement) -> String { "Acknowledge '\(agreement.title)'" }

  /// One line per signatory role: who signed, when, on which terms, or that nobody has.
  static func signatures(
    of agreement: Agreement, in programme: Programme, permitted: PermittedActions, zone: TimeZone = utc,
    today: CalendarDate
  ) -> [SignatureView] {
    let signed = Dictionary(
      programme.signatures(of: agreement.id).map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
    let standings = Dictionary(
      programme.standings(of: agreement.id).map { ($0.signature.role, $0) }, uniquingKeysWith: { first, _ in first })
    return agreement.signatories.map(\.id).map { role in
      let signature = signed[role]
      let text = signature.map {
        "signed by \(Shown.name($0.person))" + ($0.holder.map { " for \(Shown.name($0))" } ?? "")
          + ($0.enteredBy.map { " (recorded by \(Shown.name($0)))" } ?? "")
          + " on \(Readable.moment($0.at, zone: zone, today: today))"
          + ($0.isStale ? ", on terms since changed: to sign again" : "")
      } ?? "not signed yet"
      let diff = signature.flatMap { signature in
        signature.isStale ? signature.signedAgreement.map { TermsDiff.lines(from: $0, to: agreement) } : nil
      } ?? []
      return SignatureView(
        agreement: agreement.id, role: role, roleTitle: programme.roleTitle(role),
        holder: programme.assignments[role].map(Shown.name) ?? "nobody yet", text: text, terms: signature?.terms,
        shortTerms: signature?.terms.map(Readable.hash),
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
    /// The signatory roles' titles: "Head of sales, Head of marketing and Sponsor".
    var signatories: String
    var hash: String
    var shortHash: String
    var signatures: [SignatureView]
    /// "Sign as Sponsor", for each role the person may sign it for now.
    var sign: [Link]
    var failure: String?
    /// What the person's last change on the page did (`PageViews.done`), after the redirect.
    var done: String? = nil
    /// For the confirmation page: the role the signature is for, and its title.
    var role: String
    var roleTitle: String
    var csrf: String
    /// For an agreement that asks the staff to acknowledge it: where each team stands.
    var acknowledgements: Acknowledgements?
    /// The roles whose predecessor's signature the person may affirm, each its own form.
    var affirm: [Affirm]
  }

  struct Affirm {
    var role: String
    var title: String
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
    failure: String?, person: String = "", role: String? = nil, zone: TimeZone = utc,
    today: CalendarDate = CalendarDate(Date(), in: utc)
  ) -> AgreementPage {
    let href = clientHref(programme.client) + "/agreements/" + escapePath(agreement.id)
    let signable = permitted.sign[agreement.id] ?? []
    // The role asked for (`?role=`) when the person may sign for it, else their first.
    let chosen = role.flatMap { signable.contains($0) ? $0 : nil } ?? signable.first ?? ""
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
          "You acknowledged these terms on \(Readable.moment($0.at, zone: zone, today: today))."
        })
    }
    return AgreementPage(
      clientName: programme.name, clientHref: clientHref(programme.client), id: agreement.id,
      title: agreement.title, href: href,
      state: programme.state(ofAgreement: agreement.id)?.rawValue ?? "", stage: stage.title,
      terms: (agreement.terms ?? "(no terms text)").trimmingCharacters(in: .newlines)
        .components(separatedBy: "\n\n").filter { !$0.isEmpty },
      targets: programme.playbook.targetLines(of: agreement),
      signatories: list(agreement.signatories.map { programme.roleTitle($0.id) }), hash: agreement.termsHash,
      shortHash: Readable.hash(agreement.termsHash),
      signatures: signatures(of: agreement, in: programme, permitted: permitted, zone: zone, today: today),
      sign: signable.map { Link(href: signHref(href, role: $0), label: "Sign as \(programme.roleTitle($0))") },
      failure: failure, role: chosen, roleTitle: programme.roleTitle(chosen), csrf: csrf,
      acknowledgements: acknowledgements,
      affirm: (permitted.affirm[agreement.id] ?? []).map { Affirm(role: $0, title: programme.roleTitle($0)) })
  }
}
