import AccordKit
import ArgumentParser
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord clients`: the whole workspace at a glance.
  struct Clients: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "clients",
      abstract: "List every client in the workspace with its stage, progress and next actions.",
      discussion: """
        Archived clients (`accord archive`) are left out unless --all asks for them; they \
        are then marked. A client file that cannot be read is reported on stderr and the \
        others are still listed; the exit code is then 65.
        """)

    @Flag(name: [.long, .customLong("archived")], help: "List archived clients too, marked as archived.")
    var all = false
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, command: "clients")
      let failed = { (_: ClientID, error: any Error) in printError("accord: error: \(error)") }
      let listing =
        try desk.listings().map { try projected($0, all: all, desk: desk, failed: failed) }
        ?? ClientJSON.listing(
          try desk.clientIDs(), all: all, clock: { try desk.clock(asOf: asOf.asOf) }, programme: desk.programme,
          failed: failed)
      let (rows, hidden, unreadable) = (listing.rows, listing.hidden, listing.unreadable > 0)
      if output.json {
        try JSONOutput.print(rows)
      } else if rows.isEmpty && hidden == 0 {
        emit(unreadable ? [] : ["No clients in \(desk.place) yet. Start one with: accord start CLIENT"])
      } else if rows.isEmpty {
        emit([Self.hiddenLine(hidden)])
      } else {
        var table = Table()
        let dated = rows.contains { $0.nextDue != nil }
        table.append(["CLIENT", "STAGE", "PROGRESS", "ACTIONS"] + (dated ? ["OVERDUE", "NEXT DUE"] : []) + ["NAME"])
        for row in rows {
          let stage = (row.stage ?? "complete") + (row.sustaining ? " (sustaining)" : "") + (row.archived ? " (archived)" : "")
          let dates = dated ? [row.overdue > 0 ? "\(row.overdue)" : "-", row.nextDue ?? "-"] : []
          table.append([row.client, stage, "\(row.progress)%", "\(row.actions)"] + dates + [row.name])
        }
        emit(table.render(indent: "") + (hidden > 0 ? ["", Self.hiddenLine(hidden)] : []))
      }
      if unreadable { throw CommandExit(status: .dataError) }
    }

    /// The listing from a store's projection (a database's): what each client's kept
    /// listing says, with no history replayed, as the API lists them; the clock is read only
    /// when a client has dates.
    func projected(
      _ listed: [ListedRow], all: Bool, desk: Desk, failed: (ClientID, any Error) -> Void
    ) throws -> ClientJSON.Listing {
      var listing = ClientJSON.Listing()
      var today: CalendarDate?
      for client in listed {
        switch client.listing {
        case let .success(kept):
          if kept.archived && !all {
            listing.hidden += 1
            continue
          }
          if kept.zone != nil, today == nil { today = try desk.clock(asOf: asOf.asOf).today }
          listing.rows.append(ClientJSON(kept, today: today))
        case let .failure(failure):
          failed(client.id, failure)
          listing.unreadable += 1
        }
      }
      return listing
    }

    static func hiddenLine(_ hidden: Int) -> String {
      (hidden == 1 ? "1 archived client" : "\(hidden) archived clients") + " not shown (accord clients --all)."
    }
  }
}
