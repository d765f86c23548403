import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord clients`: the whole workspace at a glance.
  struct Clients: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List every client in the workspace with its stage, progress and next actions.",
      discussion: """
        A client file that cannot be read is reported on stderr and the others are still \
        listed; the exit code is then 65.
        """)

    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      var unreadable = false
      let desk = Desk(workspace, command: "clients")
      var rows: [ClientJSON] = []
      for id in try desk.workspace.clientIDs() {
        do {
          let programme = try desk.programme(id)
          rows.append(
            ClientJSON(
              client: programme.client, name: programme.name,
              stage: programme.currentStage(stages: programme.stageStates())?.id,
              progress: programme.progress, actions: programme.nextActions().actions.count))
        } catch {
          printError("accord: error: \(error)")
          unreadable = true
        }
      }
      if output.json {
        try JSONOutput.print(rows)
      } else if rows.isEmpty {
        emit(unreadable ? [] : ["No clients in \(desk.workspace.directory.path) yet. Start one with: accord start CLIENT"])
      } else {
        var table = Table()
        table.append("CLIENT", "STAGE", "PROGRESS", "ACTIONS", "NAME")
        for row in rows {
          table.append(row.client, row.stage ?? "complete", "\(row.progress)%", "\(row.actions)", row.name)
        }
        emit(table.render(indent: ""))
      }
      if unreadable { throw CommandExit(status: .dataError) }
    }
  }
}
