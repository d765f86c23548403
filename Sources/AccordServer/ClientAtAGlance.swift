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
  var isArchived: Bool { get }
  /// Whether the client has dates: the pages read the workspace's clock only when one has.
  var isDated: Bool { get }
  var progress: Int { get }
  /// Where the client stands, in one phrase (`PageViews.stagePhrase`).
  var stagePhrase: String { get }
  func nextActions(at time: Date?) -> NextActions
  /// The title of what one of its next actions asks for.
  func title(of action: Action) -> String
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
}

extension PageViews {
  /// What "my work" shows: what waits on the person that has a date, then each client.
  struct MyWorkView {
    var agenda: AgendaView?
    var clients: [ClientWork]
  }

  /// What the portfolio shows: the whole agenda, then a row for each client.
  struct PortfolioView {
    var agenda: AgendaView?
    var clients: [PortfolioRow]
  }

  /// "My work" of `person` over `clients` (archived ones left out): what waits on them that
  /// has a date, overdue first, as `accord agenda --person` lists it, and each client's
  /// work. `clock` is read only when one of the clients has dates (no agenda otherwise, so
  /// a workspace without times shows its pages as before).
  static func myWork<Client: ClientAtAGlance>(
    _ clients: [Client], person: String, now: Date, clock: () async throws -> WorkspaceClock
  ) async rethrows -> MyWorkView {
    let live = clients.filter { !$0.isArchived }
    let rows = live.map { PageViews.work($0, person: person, now: now) }
    guard live.contains(where: \.isDated) else { return MyWorkView(agenda: nil, clients: rows) }
    let agenda = agenda(of: live, clock: try await clock(), person: person, now: now)
    return MyWorkView(agenda: agenda, clients: rows)
  }

  /// The portfolio over `clients`: the whole agenda (what is overdue and due soon, by the
  /// person it waits on) and a row for each client, archived ones too; `clock` is read only
  /// when one of them has dates.
  static func portfolio<Client: ClientAtAGlance>(
    _ clients: [Client], now: Date, clock read: () async throws -> WorkspaceClock
  ) async rethrows -> PortfolioView {
    let clock = clients.contains(where: \.isDated) ? try await read() : nil
    let rows = clients.map { portfolioRow($0, now: now, clock: clock) }
    return PortfolioView(agenda: clock.map { agenda(of: clients, clock: $0, person: nil, now: now) }, clients: rows)
  }
}
