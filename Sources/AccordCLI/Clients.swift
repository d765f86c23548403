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
      let desk = Desk(workspace, command: "clients")
      let listing = ClientJSON.listing(
        try desk.workspace.clientIDs(), all: all, clock: { try WorkspaceClock(desk.workspace, asOf: asOf.asOf) },
        programme: desk.programme
      ) { _, error in
        printError("accord: error: \(error)")
      }
      let (rows, hidden, unreadable) = (listing.rows, listing.hidden, listing.unreadable > 0)
      if output.json {
        try JSONOutput.print(rows)
      } else if rows.isEmpty && hidden == 0 {
        emit(unreadable ? [] : ["No clients in \(desk.workspace.directory.path) yet. Start one with: accord start CLIENT"])
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

    static func hiddenLine(_ hidden: Int) -> String {
      (hidden == 1 ? "1 archived client" : "\(hidden) archived clients") + " not shown (accord clients --all)."
    }
  }
}

extension ClientJSON {
  /// The row for `programme`, its dates judged on `clock`'s day.
  init(_ programme: Programme, clock: WorkspaceClock?) {
    self.init(
      client: programme.client, name: programme.name,
      stage: programme.currentStage(stages: programme.stageStates())?.id,
      progress: programme.progress, actions: programme.nextActions().actions.count,
      archived: programme.archived != nil)
    sustaining = programme.isSustaining
    if let clock, programme.hasDates, programme.archived == nil {
      let dates = ItemDates.of(programme, clock: clock)
      overdue = dates.overdue
      nextDue = dates.earliest?.description
    }
  }

  /// What `clients` lists: a row for each of `ids` (archived ones only with `all`), the number
  /// of archived ones left out, and of those that could not be read (each handed to `failed`).
  struct Listing {
    var rows: [ClientJSON] = []
    var hidden = 0
    var unreadable = 0
  }

  /// The rows `clients --json` prints, for the CLI and `GET /api/v1/clients` alike.
  static func listing(
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
