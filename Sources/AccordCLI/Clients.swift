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
