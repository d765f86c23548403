import AccordKit
import ArgumentParser
import ProgrammeEngine

extension Accord.SurveyCommand {
  /// `accord survey close`: stops a round taking answers and records them.
  struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "close",
      abstract: "Close a survey round open on the web: its answers become the round's responses.",
      discussion: """
        The round takes no more answers; its answers are recorded as the round's \
        responses in one event (the same a CSV import records, so accord benchmark, the \
        pages and the API read them alike), under respondent ids given in a shuffled \
        order (w01, w02...), and the survey box is emptied. The consultant or the czar \
        closes a round. A round opened with --closes closes by itself after that day: \
        the next accord survey status or accord benchmark records it.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("The round's name.", valueName: "name"))
    var round: String
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, person: actor.person, command: "survey close")
      let (before, after) = try SurveyWeb.close(client.id, round: round, by: actor.person, note: note, on: desk)
      let count = after.surveyRounds.last { $0.name == round }?.responses.count ?? 0
      let lines = [
        "Closed round '\(round)': \(count) answer\(count == 1 ? "" : "s") recorded as its responses.",
        "`accord benchmark \(client.id.rawValue) --round \(round)` measures it.",
      ]
      try ChangeJSON.show(lines, before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
