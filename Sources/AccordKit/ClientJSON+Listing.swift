import ProgrammeEngine
import WorkspaceStore

extension ClientJSON {
  /// The row for `programme`, its dates judged on `clock`'s day.
  package init(_ programme: Programme, clock: WorkspaceClock?) {
    // Without a clock (the listing reads one only for a client with dates) the row shows none.
    self.init(ClientSummary(programme) { clock?.zone ?? .gmt }, today: clock?.today)
  }

  /// The row a client's summary (a store's projection, or one just worked out) gives on
  /// `today`; no dates without a day to judge them on.
  package init(_ summary: ClientSummary, today: CalendarDate?) {
    self.init(summary.listing, today: today)
  }

  /// The row what a list keeps of a client gives on `today`; no dates without a day to
  /// judge them on.
  package init(_ listing: ClientSummary.Listing, today: CalendarDate?) {
    self.init(
      client: listing.client, name: listing.name, stage: listing.stage, progress: listing.progress,
      actions: listing.actions, archived: listing.archived)
    sustaining = listing.sustaining
    if let today, listing.zone != nil {
      overdue = listing.overdue(on: today)
      nextDue = listing.nextDue?.description
    }
  }

  /// What `clients` lists: a row for each of `ids` (archived ones only with `all`), the number
  /// of archived ones left out, and of those that could not be read (each handed to `failed`).
  package struct Listing {
    package var rows: [ClientJSON] = []
    package var hidden = 0
    package var unreadable = 0

    package init() {}
  }

  /// The rows `clients --json` prints, for the CLI and `GET /api/v1/clients` alike.
  package static func listing(
    _ ids: [ClientID], all: Bool, clock: () throws -> WorkspaceClock, programme: (ClientID) throws -> Programme,
    failed: (ClientID, any Error) -> Void
  ) -> Listing {
    // The workspace's zone is read once, and only when a client has dates.
    var clockRead: Result<WorkspaceClock, any Error>?
    var listing = Listing()
    for id in ids {
      do {
        let programme = try programme(id)
        // An archived client left out costs no next actions.
        if programme.archived != nil && !all {
          listing.hidden += 1
        } else {
          if programme.hasDates, clockRead == nil { clockRead = Result { try clock() } }
          listing.rows.append(ClientJSON(programme, clock: try clockRead?.get()))
        }
      } catch {
        failed(id, error)
        listing.unreadable += 1
      }
    }
    return listing
  }
}
