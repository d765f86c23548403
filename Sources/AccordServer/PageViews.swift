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

  struct Item { var text: String; var href: String }

  struct ClientWork {
    var name: String
    var href: String
    var stage: String
    var progress: Int
    var complete: Bool
    var owe: [Item]
    var waiting: [Item]
  }

  /// For one client: what `person` owes (the next actions that are theirs, as
  /// `accord next --person` lists them) and what they wait for (everyone else's, and the
  /// closed gates).
  static func work(_ client: some ClientAtAGlance, person: String, now: Date) -> ClientWork {
    let next = client.nextActions(at: now)
    let mine = next.filtered(person: person).actions
    let href = clientHref(client.client)
    let owe = mine.map { Item(text: sentence(for: $0, in: client, mine: true), href: target(of: $0, href)) }
    let others = next.actions.filter { !mine.contains($0) }
    var waiting = others.map { Item(text: sentence(for: $0, in: client, mine: false), href: target(of: $0, href)) }
    waiting += next.blocked.map { Item(text: hold(of: $0), href: href) }
    return ClientWork(
      name: client.headline, href: href, stage: client.stagePhrase, progress: client.progress,
      complete: next.isComplete, owe: owe, waiting: client.isArchived ? [] : waiting)
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
    [.sign, .acknowledge, .affirm].contains(action.kind) ? href + "/agreements/" + escapePath(action.target) : href
  }

  /// The action as a sentence: "Sign 'The metrics we share' as sponsor".
  static func sentence(for action: Action, in client: some ClientAtAGlance, mine: Bool) -> String {
    let who = mine ? "" : (action.person ?? "someone (\(action.role), unassigned)") + ": "
    switch action.kind {
    case .complete:
      return who + "complete '\(client.title(of: action))' (\(action.target))"
    case .sign:
      let again = action.staleTerms == nil ? "" : "; the terms changed since it was signed: sign again"
      return who + "sign '\(client.title(of: action))' as \(action.role)" + again
    case .assign:
      return who + "assign someone as \(client.title(of: action)) (\(action.target))"
    case .survey:
      return who + "import a round of survey answers (accord survey import)"
    case .record:
      return who + "record a reading of '\(client.title(of: action))' (\(action.target))"
    case .review:
      return who + "review '\(client.title(of: action))' with both teams: off track two readings in a row"
    case .acknowledge:
      return who + "have the staff acknowledge '\(client.title(of: action))': "
        + TeamProgress.summary(action.progress ?? [])
    case .affirm:
      return who + "affirm '\(client.title(of: action))' as \(action.role)"
        + (action.signedBy.map { "; signed by \($0)" } ?? "")
        + (action.signedAt.map { " on \(Timestamp.format($0).prefix(10))" } ?? "")
    }
  }

  /// A closed gate and what holds it, as `accord next` explains it.
  static func hold(of blocker: Blocker) -> String {
    let subject = blocker.milestone.map { "milestone '\($0)' (stage \(blocker.stage))" } ?? "stage '\(blocker.stage)'"
    let reasons = blocker.hold.explanation(indent: "").split(separator: "\n").joined(separator: "; ")
    return "\(subject) waits until: \(reasons)"
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
  }

  /// One client for the firm: its stage, progress, whom or what it waits for, and its dates
  /// judged on `clock`'s day.
  static func portfolioRow(_ client: some ClientAtAGlance, now: Date, clock: WorkspaceClock? = nil) -> PortfolioRow {
    let next = client.nextActions(at: now)
    var waits = next.actions.map { sentence(for: $0, in: client, mine: false) }
    waits += next.blocked.map(hold(of:))
    if client.isArchived { waits = [] }
    let row = client.row(clock: clock)
    return PortfolioRow(
      name: client.headline, href: clientHref(client.client), stage: client.stagePhrase,
      progress: client.progress, waits: waits, hasWaits: !waits.isEmpty, sustaining: row.sustaining,
      overdue: row.overdue > 0 ? "\(row.overdue) overdue" : nil, nextDue: row.nextDue)
  }
}
