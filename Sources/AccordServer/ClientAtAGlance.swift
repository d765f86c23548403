import AccordKit
import Foundation
import ProgrammeEngine

/// What the portfolio, "my work" and the agenda read of one client: its programme replayed
/// (the folder, whose reads come from the server's memory), or the summary a database keeps
/// of it with every append (`ClientSummary`), so that a listing replays no history.
///
/// The pages are made from either by the same code (`PageViews.work`, `portfolioRow`,
/// `agenda`); that both give the same pages is held by a test over the same programmes.
protocol ClientAtAGlance {
  var client: String { get }
  var headline: String { get }
  /// The client's name, as the pages show it (the id stays in the address).
  var name: String { get }
  var isArchived: Bool { get }
  /// Whether the client has dates: the pages read the workspace's clock only when one has.
  var isDated: Bool { get }
  var progress: Int { get }
  /// Where the client stands, in one phrase (`PageViews.stagePhrase`).
  var stagePhrase: String { get }
  func nextActions(at time: Date?) -> NextActions
  /// The title of what one of its next actions asks for.
  func title(of action: Action) -> String
  /// The title of a milestone, agreement or stage it names (its id when unknown).
  func itemTitle(_ id: String) -> String
  /// The title of one of its roles: "Head of marketing" for `head-of-marketing`.
  func roleTitle(_ role: String) -> String
  /// The client as the agenda reads it at `time`, its dates in `zone`.
  func agendaClient(at time: Date, zone: TimeZone) -> Agenda.Client
  /// Its row in the list of clients, its dates judged on `clock`'s day.
  func row(clock: WorkspaceClock?) -> ClientJSON
}

extension Programme: ClientAtAGlance {
  var isArchived: Bool { archived != nil }
  var isDated: Bool { hasDates }
  var stagePhrase: String { PageViews.stagePhrase(self) }
  func agendaClient(at time: Date, zone: TimeZone) -> Agenda.Client { Agenda.Client(self, at: time, in: zone) }
  func row(clock: WorkspaceClock?) -> ClientJSON { ClientJSON(self, clock: clock) }

  func itemTitle(_ id: String) -> String {
    for stage in playbook.stages {
      if stage.id == id { return stage.title }
      if let milestone = stage.milestones.first(where: { $0.id == id }) { return milestone.title }
      if let agreement = stage.agreements.first(where: { $0.id == id }) { return agreement.title }
    }
    return id
  }

  func roleTitle(_ role: String) -> String { playbook.roles.first { $0.id == role }?.title ?? Readable.words(role) }
}

extension ClientSummary: ClientAtAGlance {
  var headline: String { name == client ? client : "\(name) [\(client)]" }
  var isArchived: Bool { archived }
  var isDated: Bool { dated }

  var stagePhrase: String {
    if archived { return "archived" }
    guard let place else { return "complete" }
    return "stage \(place.position) of \(place.of): \(place.title) (\(place.state.rawValue))"
  }

  /// Its dates are in the zone it names, the settings' zone when the store gave it.
  func agendaClient(at time: Date, zone: TimeZone) -> Agenda.Client { Agenda.Client(self, at: time) }
  func row(clock: WorkspaceClock?) -> ClientJSON { ClientJSON(self, today: clock?.today) }

  /// A summary keeps the titles of what its open actions and closed gates name.
  func itemTitle(_ id: String) -> String {
    itemTitles[id] ?? open.first { $0.target == id }?.title ?? id
  }

  func roleTitle(_ role: String) -> String { roleTitles[role] ?? Readable.words(role) }
}

extension PageViews {
  /// What "my work" shows: what waits on the person that has a date, then each client.
  struct MyWorkView {
    var agenda: AgendaView?
    var clients: [ClientWork]
  }

  /// What the portfolio shows: the whole agenda (on its first page), then a row for each
  /// client on the page, and the way to the others.
  struct PortfolioView {
    var agenda: AgendaView?
    var clients: [PortfolioRow]
    var pages: PortfolioPages?
  }

  /// Where a page of the portfolio stands among its pages, when there is more than one.
  struct PortfolioPages {
    /// "Clients 101 to 200 of 10,000".
    var showing: String
    var previous: String?
    var next: String?
  }

  /// How many clients a page of the portfolio shows: a firm's thousands of clients are read
  /// a page at a time, and a page costs what its rows cost.
  static let portfolioPageSize = 100

  /// How many of a person's agenda items the portfolio shows (the most overdue first), with
  /// how many more: what each person must do is theirs to read on their own page.
  static let portfolioAgendaItems = 10

  /// "My work" of `person` over `clients` (archived ones left out): what waits on them that
  /// has a date, overdue first, as `accord agenda --person` lists it, and each client's
  /// work. `clock` is read only when one of the clients has dates (no agenda otherwise, so
  /// a workspace without times shows its pages as before).
  ///
  /// `acknowledging` holds, by client id, the agreements the person is asked to acknowledge
  /// as one of the client's staff on its roster: no next action names them (the roster is
  /// not in a summary), so the caller reads them from the programmes it has.
  static func myWork<Client: ClientAtAGlance>(
    _ clients: [Client], person: String, now: Date, acknowledging: [String: [Item]] = [:],
    clock: () async throws -> WorkspaceClock
  ) async rethrows -> MyWorkView {
    let live = clients.filter { !$0.isArchived }
    let read = live.contains(where: \.isDated) ? try await clock() : nil
    let rows = live.map { client in
      var work = PageViews.work(client, person: person, now: now, clock: client.isDated ? read : nil)
      work.owe = (acknowledging[client.client] ?? []) + work.owe
      return work
    }
    guard let read else { return MyWorkView(agenda: nil, clients: rows) }
    let agenda = agenda(of: live, clock: read, person: person, now: now)
    return MyWorkView(agenda: agenda, clients: rows)
  }

  /// Page `page` (from 1) of the portfolio over `clients`: on the first, the agenda (what is
  /// overdue and due soon, by the person it waits on, ten items a person); a row for each client on
  /// the page, archived ones too, `size` a page; `clock` is read only when one of the
  /// clients has dates. Nil for a page past the last (the first always is one).
  static func portfolio<Client: ClientAtAGlance>(
    _ clients: [Client], page: Int = 1, size: Int = portfolioPageSize, now: Date,
    clock read: () async throws -> WorkspaceClock
  ) async rethrows -> PortfolioView? {
    let count = clients.count
    let last = max(1, (count + size - 1) / size)
    guard (1...last).contains(page) else { return nil }
    let slice = clients[min(count, (page - 1) * size)..<min(count, page * size)]
    let clock = clients.contains(where: \.isDated) ? try await read() : nil
    let rows = slice.map { portfolioRow($0, now: now, clock: clock) }
    var shown: AgendaView?
    if page == 1, let clock {
      shown = agenda(of: clients, clock: clock, person: nil, now: now, shown: portfolioAgendaItems)
    }
    var pages: PortfolioPages?
    if last > 1 {
      pages = PortfolioPages(
        showing: "Clients \(slice.startIndex + 1) to \(slice.endIndex) of \(count)",
        previous: page > 1 ? "/portfolio?page=\(page - 1)" : nil,
        next: page < last ? "/portfolio?page=\(page + 1)" : nil)
    }
    return PortfolioView(agenda: shown, clients: rows, pages: pages)
  }
}
