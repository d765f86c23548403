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
    var clients: [Agenda.Client] = []
    for id in try client.map({ [$0] }) ?? desk.workspace.clientIDs() where visible(id.rawValue) {
      do {
        let programme = try read?(id) ?? desk.programme(id)
        guard programme.archived == nil else { continue }
        clients.append(Agenda.Client(programme, at: now, in: clock.zone))
      } catch {
        if client != nil { throw error }
        failed(id, error)
      }
    }
    return Agenda(clients: clients, today: clock.today, days: days, person: person, role: role)
  }
}
