import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord reopen`: makes a done milestone not done.
  struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make a done milestone not done again, with a reason.",
      discussion: """
        Only the client's czar or consultant may reopen. Nothing is deleted: the reopening \
        is a new event and every state is derived again from the whole history, so later \
        stages lock again until the milestone is completed once more.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(help: ArgumentHelp("The milestone's id.", valueName: "milestone"))
    var milestone: String
    @Option(help: ArgumentHelp("Why the milestone is reopened (required).", valueName: "text"))
    var reason: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      _ = try client.id()
      if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        throw ValidationError("--reason must say why")
      }
    }

    func run() throws {
      try reporting {
        let (before, after) = try Desk(workspace, person: actor.person, command: "reopen")
          .apply(.reopened(milestone: milestone), to: try client.id(), by: actor.person, note: reason)
        emit(["Reopened '\(milestone)'."] + TextOutput().transitions(from: before, to: after))
      }
    }
  }
}
