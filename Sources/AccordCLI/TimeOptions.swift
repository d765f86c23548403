import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension CalendarDate: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
}

/// `--as-of DATE`: the day to evaluate dates at, instead of today in the workspace's zone.
struct AsOfOption: ParsableArguments {
  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Work out what is due and overdue as on this date (YYYY-MM-DD), for planning ahead.",
      discussion: "Defaults to today in the workspace's time zone (accord zone).",
      valueName: "date"))
  var asOf: CalendarDate?
}

/// The workspace's clock: its time zone, and the day it is there.
struct WorkspaceClock {
  let zone: TimeZone
  /// The day dates are judged on: `--as-of`, else today in `zone`.
  let today: CalendarDate

  init(_ workspace: Workspace, asOf: CalendarDate? = nil, now: Date = Date()) throws {
    zone = try SettingsStore(workspace).timeZone()
    today = asOf ?? CalendarDate(now, in: zone)
  }
}

/// The agenda of a workspace: every client not archived, read once.
enum WorkspaceAgenda {
  /// The agenda on `clock.today` over `days` days, with the clients that could not be read
  /// handed to `failed`. `visible` keeps the clients a viewer may see (the server's rule);
  /// `read` reads a client's programme (the server's from its memory), `desk`'s by default.
  static func build(
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
