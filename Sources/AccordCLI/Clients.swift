import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord clients`: the whole workspace at a glance.
  struct Clients: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List every client in the workspace with its stage, progress and next actions.",
      discussion: """
        Archived clients (`accord archive`) are left out unless --all asks for them; they \
        are then marked. A client file that cannot be read is reported on stderr and the \
        others are still listed; the exit code is then 65.
        """)

    @Flag(name: [.long, .customLong("archived")], help: "List archived clients too, marked as archived.")
    var all = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      var unreadable = false
      var hidden = 0
      let desk = Desk(workspace, command: "clients")
      var rows: [ClientJSON] = []
      for id in try desk.workspace.clientIDs() {
        do {
          let programme = try desk.programme(id)
          let archived = programme.archived != nil
          if archived && !all {
            hidden += 1
            continue
          }
          rows.append(
            ClientJSON(
              client: programme.client, name: programme.name,
              stage: programme.currentStage(stages: programme.stageStates())?.id,
              progress: programme.progress, actions: programme.nextActions().actions.count,
              archived: archived))
        } catch {
          printError("accord: error: \(error)")
          unreadable = true
        }
      }
      if output.json {
        try JSONOutput.print(rows)
      } else if rows.isEmpty && hidden == 0 {
        emit(unreadable ? [] : ["No clients in \(desk.workspace.directory.path) yet. Start one with: accord start CLIENT"])
      } else if rows.isEmpty {
        emit([Self.hiddenLine(hidden)])
      } else {
        var table = Table()
        table.append("CLIENT", "STAGE", "PROGRESS", "ACTIONS", "NAME")
        for row in rows {
          table.append(
            row.client, (row.stage ?? "complete") + (row.archived ? " (archived)" : ""), "\(row.progress)%",
            "\(row.actions)", row.name)
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
