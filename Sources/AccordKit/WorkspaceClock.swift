import Foundation
import ProgrammeEngine
import WorkspaceStore

/// The workspace's clock: its time zone, and the day it is there.
package struct WorkspaceClock {
  package let zone: TimeZone
  /// The day dates are judged on: `--as-of`, else today in `zone`.
  package let today: CalendarDate

  package init(_ workspace: Workspace, asOf: CalendarDate? = nil, now: Date = Date()) throws {
    zone = try SettingsStore(workspace).timeZone()
    today = asOf ?? CalendarDate(now, in: zone)
  }

  /// The clock in `zone`, for a store whose settings were read already (the server's database).
  package init(zone: TimeZone, asOf: CalendarDate? = nil, now: Date = Date()) {
    self.zone = zone
    today = asOf ?? CalendarDate(now, in: zone)
  }
}

/// The agenda of a workspace: every client not archived, read once.
package enum WorkspaceAgenda {
  /// The agenda on `clock.today` over `days` days, with the clients that could not be read
  /// handed to `failed`. `visible` keeps the clients a viewer may see (the server's rule);
  /// `read` reads a client's programme (the server's from its memory), `desk`'s by default.
  package static func build(
    desk: Desk, clock: WorkspaceClock, days: Int, person: String? = nil, role: String? = nil,
    client: ClientID? = nil, visible: (String) -> Bool = { _ in true }, read: ((ClientID) throws -> Programme)? = nil,
    now: Date = Date(), failed: (ClientID, any Error) -> Void
  ) throws -> Agenda {
    try build(
      ids: try client.map({ [$0] }) ?? desk.clientIDs(), clock: clock, days: days, person: person,
      role: role, one: client != nil, visible: visible, read: { try read?($0) ?? desk.programme($0) }, now: now,
      failed: failed)
  }

  /// The agenda of the clients `ids` (those `visible`), each read by `read`; `one` when a
  /// single client was asked for, whose failure to read is thrown rather than handed on.
  package static func build(
    ids: [ClientID], clock: WorkspaceClock, days: Int, person: String? = nil, role: String? = nil, one: Bool = false,
    visible: (String) -> Bool = { _ in true }, read: (ClientID) throws -> Programme, now: Date = Date(),
    failed: (ClientID, any Error) -> Void
  ) throws -> Agenda {
    var clients: [Agenda.Client] = []
    for id in ids where visible(id.rawValue) {
      do {
        let programme = try read(id)
        guard programme.archived == nil else { continue }
        clients.append(Agenda.Client(programme, at: now, in: clock.zone))
      } catch {
        if one { throw error }
        failed(id, error)
      }
    }
    return Agenda(clients: clients, today: clock.today, days: days, person: person, role: role)
  }

  /// The agenda from the clients' summaries (a store's projection, `ClientStore.summaries`):
  /// the same agenda as `build(ids:...)` gives from their programmes, with no history
  /// replayed. The summaries' dates are in the zone each names, the store's when it gave
  /// them; the day is `clock.today`. A client that could not be read is handed to `failed`,
  /// or thrown when it is the one `client` asked for (one not listed is no such client).
  package static func build(
    summaries listed: [ListedClient], clock: WorkspaceClock, days: Int, person: String? = nil, role: String? = nil,
    client: ClientID? = nil, visible: (String) -> Bool = { _ in true }, now: Date = Date(),
    failed: (ClientID, any Error) -> Void
  ) throws -> Agenda {
    if let client, !listed.contains(where: { $0.id == client }) {
      throw StoreFailure.noSuchClient(client: client.rawValue, suggestion: nil)
    }
    var clients: [Agenda.Client] = []
    for entry in listed where visible(entry.id.rawValue) && (client == nil || entry.id == client) {
      switch entry.summary {
      case let .success(summary):
        guard !summary.archived else { continue }
        clients.append(Agenda.Client(summary, at: now))
      case let .failure(error):
        if client != nil { throw error }
        failed(entry.id, error)
      }
    }
    return Agenda(clients: clients, today: clock.today, days: days, person: person, role: role)
  }
}
