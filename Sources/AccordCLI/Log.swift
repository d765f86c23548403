import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord log`: a client's history.
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a client's history, oldest first.",
      discussion: "Every change is an event: its type, who made it, when (UTC) and any note.")

    @OptionGroup var client: ClientArgument
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let history = try Desk(workspace, command: "log").programme(client.id).history
      if output.json {
        try JSONOutput.print(history)
      } else {
        emit(TextOutput().log(history))
      }
    }
  }
}
