import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord complete`: marks a milestone done.
  struct Complete: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "complete",
      abstract: "Mark a ready milestone done.",
      discussion: """
        Only a ready milestone can be completed (its stage open, the milestones it needs \
        done, its own gate open), and only by the person holding its owner role or the \
        client's czar, or their delegate (accord delegate). When it is not ready, the \
        refusal says what holds it.

        With --on-behalf-of PERSON --evidence FILE, the consultant or czar records that \
        PERSON completed it elsewhere: PERSON must be allowed to complete it, and the \
        event keeps who entered it, for whom, and the file's name and SHA-256.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The milestone's id.", valueName: "milestone"),
      completion: .custom(Completions.milestones))
    var milestone: String
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let acting = try onBehalf.acting()
      let (before, after) = try Desk(workspace, person: actor.person, command: "complete")
        .apply(.completed(milestone: milestone), to: client.id, by: actor.person, note: note, acting: acting)
      try ChangeJSON.show(
        ["Completed '\(milestone)'\(TextOutput.actingFor(after.history.last!))."]
          + TextOutput().transitions(from: before, to: after),
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
