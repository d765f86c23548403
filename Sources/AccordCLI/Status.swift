import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord status`: every stage, milestone and agreement with its state.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Show every stage, milestone and agreement of a client with its state.")

    @OptionGroup var client: ClientArgument
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let (record, programme) = try Desk(workspace, command: "status").workspace
        .programme(client.id)
      if output.json {
        try JSONOutput.print(StatusJSON(record: record, programme: programme))
      } else {
        emit(TextOutput().status(programme, sha256: record.playbook.sha256, revision: record.revision))
      }
    }
  }
}
