import AccordKit
import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord reopen`: makes a done milestone not done.
  struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reopen",
      abstract: "Make a done milestone not done again, with a reason.",
      discussion: """
        Only the client's czar or consultant may reopen. Nothing is deleted: the reopening \
        is a new event and every state is derived again from the whole history, so later \
        stages lock again until the milestone is completed once more.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The milestone's id.", valueName: "milestone"),
      completion: .custom(Completions.milestones))
    var milestone: String
    @Option(help: ArgumentHelp("Why the milestone is reopened (required).", valueName: "text"))
    var reason: String
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try requireReason(reason)
    }

    func run() throws {
      let acting = try onBehalf.acting()
      let (before, after) = try Desk(workspace, person: actor.person, command: "reopen")
        .apply(.reopened(milestone: milestone), to: client.id, by: actor.person, note: reason, acting: acting)
      try ChangeJSON.show(
        ["Reopened '\(milestone)'\(TextOutput.actingFor(after.history.last!))."] + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
