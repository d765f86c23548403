import AccordKit
import ArgumentParser
import ProgrammeEngine

extension Accord.SurveyCommand {
  /// `accord survey withdraw`: takes a round out of the benchmark, keeping it in the history.
  struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "withdraw",
      abstract: "Take a survey round out of the benchmark, with a reason; the history keeps it.",
      discussion: """
        For a round imported by mistake (the wrong file, the same file twice). The \
        consultant or the czar may withdraw a round, once. A withdrawn round no longer \
        counts as evidence for a milestone, is never the baseline nor the round \
        `accord benchmark` shows by default (it still shows it when asked with --round, \
        marked withdrawn), and its name stays taken. A milestone already completed on its \
        evidence stays done.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(help: ArgumentHelp("The round's name.", valueName: "round"))
    var round: String
    @Option(help: ArgumentHelp("Why the round is withdrawn (required).", valueName: "text"))
    var reason: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try requireReason(reason)
    }

    func run() throws {
      let (before, after) = try Desk(workspace, person: actor.person, command: "survey withdraw")
        .apply(.surveyWithdrawn(round: round), to: client.id, by: actor.person, note: reason)
      var lines = ["Withdrew round '\(round)': the history keeps it, the benchmark no longer counts it."]
      if let baseline = after.countedRounds.first {
        lines.append("The baseline is round '\(baseline.name)'.")
      } else {
        lines.append("No round counts now; import one with `accord survey import \(client.id) FILE`.")
      }
      lines += TextOutput().transitions(from: before, to: after)
      try ChangeJSON.show(lines, before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
