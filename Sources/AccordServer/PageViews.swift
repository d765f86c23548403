import AccordKit
import Foundation
import PlaybookSpec
import ProgrammeEngine

/// The values the templates render, made from the engine's answers (next actions, states,
/// holds) and the CLI's own sentences, so a page says what `accord next` and `status` say.
enum PageViews {
  static let plain = TextOutput(style: TextStyle(colour: false))

  static func clientHref(_ client: String) -> String { "/clients/" + escapePath(client) }

  static func escapePath(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? text
  }

  /// Where a client stands, in one phrase: its current stage and that stage's state.
  static func stagePhrase(_ programme: Programme) -> String {
    let stages = programme.stageStates()
    if programme.archived != nil { return "archived" }
    guard let position = stages.firstIndex(where: { $0 != .complete }) else { return "complete" }
    let stage = programme.playbook.stages[position]
    return "stage \(position + 1) of \(stages.count): \(stage.title) (\(stages[position].rawValue))"
  }

  // MARK: My work

  /// Something on a page to act on or to read: its sentence, where it leads, and its date
  /// when it has one.
  struct Item {
    var text: String
    var href: String
    var due: DueView? = nil
  }

  struct ClientWork {
    var name: String
    var href: String
    var stage: String
    var progress: Int
    var complete: Bool
    var owe: [Item]
    var waiting: [Item]
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var hasWaiting: Bool
  }

  /// For one client: what `person` owes (the next actions that are theirs, as
  /// `accord next --person` lists them), each with its date on `clock`'s day, and what they
  /// wait for (everyone else's, and the closed gates).
  static func work(
    _ client: some ClientAtAGlance, person: String, now: Date, clock: WorkspaceClock? = nil
  ) -> ClientWork {
    let next = client.nextActions(at: now)
    let mine = next.filtered(person: person).actions
    let href = clientHref(client.client)
    let dates = clock.map { client.agendaClient(at: now, zone: $0.zone).dates } ?? [:]
    let owe = mine.map { action in
      Item(
        text: sentence(for: action, in: client, mine: true), href: target(of: action, href),
        due: clock.flatMap { clock in
          dates[action.dateKey].map { DueView($0, today: clock.today) }
        })
    }
    let others = next.actions.filter { !mine.contains($0) }
    var waiting = others.map { Item(text: sentence(for: $0, in: client, mine: false), href: target(of: $0, href)) }
    waiting += next.blocked.map { Item(text: hold(of: $0, in: client), href: href) }
    if client.isArchived { waiting = [] }
    return ClientWork(
      name: client.name, href: href, stage: client.stagePhrase, progress: client.progress,
      complete: next.isComplete, owe: owe, waiting: waiting, hasWaiting: !waiting.isEmpty)
  }

  /// The person's own acknowledgements owed on `programme` (as one of its staff on the
  /// roster), as "my work" lists them, each linking to the agreement's page.
  static func acknowledging(_ programme: Programme, person: String) -> [Item] {
    let href = clientHref(programme.client)
    return programme.agreementsToAcknowledge(by: person).map {
      Item(text: acknowledgeSentence($0), href: href + "/agreements/" + escapePath($0.id))
    }
  }

  private static func target(of action: Action, _ href: String) -> String {
    switch action.kind {
    case .sign, .acknowledge, .affirm: href + "/agreements/" + escapePath(action.target)
    case .record, .review: href + "#metrics"
    case .assign: href + "#roles"
    default: href
    }
  }

  /// The action as a sentence, in titles: "Sign 'The metrics we share' as Sponsor" for the
  /// person's own, "sid: sign 'The metrics we share' as Sponsor" for someone else's.
  static func sentence(for action: Action, in client: some ClientAtAGlance, mine: Bool) -> String {
    let title = client.title(of: action)
    let role = client.roleTitle(action.role)
    let what: String
    switch action.kind {
    case .complete:
      what = "complete '\(title)'"
    case .sign:
      what = "sign '\(title)' as \(role)"
        + (action.staleTerms == nil ? "" : ": the terms changed since it was signed, so sign again")
    case .assign:
      what = "assign someone as \(title)"
    case .survey:
      what = "import a round of survey answers (accord survey import)"
    case .record:
      what = "record a reading of '\(title)'"
    case .review:
      what = "review '\(title)' with both teams: off track two readings in a row"
    case .acknowledge:
      what = "have the staff acknowledge '\(title)': " + TeamProgress.summary(action.progress ?? [])
    case .affirm:
      what = "affirm '\(title)' as \(role)" + (action.signedBy.map { ", which \(Shown.name($0)) signed" } ?? "")
    }
    guard !mine else { return what.prefix(1).uppercased() + what.dropFirst() }
    let who = action.person.map(Shown.name) ?? "Nobody yet (\(role) is not assigned)"
    return who + ": " + what
  }

  /// A closed gate and what holds it, in titles: "'Implement and support' opens once
  /// 'The metrics we share' is signed by Sponsor".
  static func hold(of blocker: Blocker, in client: some ClientAtAGlance) -> String {
    let subject =
      blocker.milestone.map { "'\(client.itemTitle($0))' waits" } ?? "'\(client.itemTitle(blocker.stage))' opens"
    return subject + " once " + holdReasons(blocker.hold, in: client).joined(separator: "; ")
  }

  /// What a gate still waits for, one phrase a reason, in titles and role titles.
  static func holdReasons(_ hold: GateHold, in client: some ClientAtAGlance) -> [String] {
    func roles(_ ids: [String]) -> String { list(ids.map(client.roleTitle)) }
    var reasons: [String] = []
    for unsigned in hold.agreements {
      let title = "'\(client.itemTitle(unsigned.agreement))'"
      if !unsigned.roles.isEmpty {
        reasons.append(
          title + " is signed by " + roles(unsigned.roles)
            + (unsigned.stale.isEmpty ? "" : " (the terms changed since " + roles(unsigned.stale) + " signed)"))
      }
      if !unsigned.acknowledgements.isEmpty {
        reasons.append(title + " is acknowledged by its teams: " + TeamProgress.summary(unsigned.acknowledgements))
      }
      if !unsigned.unaffirmed.isEmpty {
        reasons.append(title + " is affirmed by the " + roles(unsigned.unaffirmed) + " now")
      }
    }
    reasons += hold.milestones.map { "'\(client.itemTitle($0))' is done" }
    return reasons
  }

  /// "a", "a and b", "a, b and c".
  static func list(_ items: [String]) -> String {
    guard let last = items.last else { return "" }
    return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
  }

  // MARK: Portfolio

  struct PortfolioRow {
    var name: String
    var href: String
    var stage: String
    var progress: Int
    var waits: [String]
    /// Stored, not computed: templates see stored properties only (through `Mirror`).
    var hasWaits: Bool
    /// Recurring work goes on after everything else is done.
    var sustaining: Bool
    /// How many items are overdue ("2 overdue"; nil for none), and the earliest date of any
    /// open item, as `accord clients` lists them.
    var overdue: String?
    var nextDue: String?
    /// The next date exactly (`YYYY-MM-DD`), for the tooltip.
    var nextDueDate: String?
  }

  /// One client for the firm: its stage, progress, whom or what it waits for, and its dates
  /// judged on `clock`'s day.
  static func portfolioRow(_ client: some ClientAtAGlance, now: Date, clock: WorkspaceClock? = nil) -> PortfolioRow {
    let next = client.nextActions(at: now)
    var waits = next.actions.map { sentence(for: $0, in: client, mine: false) }
    waits += next.blocked.map { hold(of: $0, in: client) }
    if client.isArchived { waits = [] }
    let row = client.row(clock: clock)
    return PortfolioRow(
      name: client.name, href: clientHref(client.client), stage: client.stagePhrase,
      progress: client.progress, waits: waits, hasWaits: !waits.isEmpty, sustaining: row.sustaining,
      overdue: row.overdue > 0 ? "\(row.overdue) overdue" : nil,
      nextDue: row.nextDue.map { text in
        CalendarDate(parsing: text).map { Readable.day($0, today: clock?.today) } ?? text
      },
      nextDueDate: row.nextDue)
  }
}
