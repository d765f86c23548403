import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV

extension Accord.SurveyCommand {
  /// `accord survey import`: records a filled-in answer file as one survey round.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import a CSV of survey answers as one round.",
      discussion: """
        The whole file is checked first: every problem is reported as \
        FILE:ROW:COLUMN: error: MESSAGE (row 1 is the header) and nothing is recorded \
        (exit 65). A valid file is recorded as one event holding every response, by the \
        consultant or the czar. Cells are separated by commas, or by semicolons as Excel \
        saves CSV in many locales: the header row tells which, and the output says which \
        was used. Blank cells are statements not answered; columns may come in any order; \
        quoted cells, CRLF line ends and a byte order mark are fine. Rounds are named \
        round-1, round-2... unless --round names them; the first round not withdrawn is \
        the baseline later rounds are compared with. Answers exactly equal to an earlier \
        round's (the same file twice, in any order) are refused unless --force.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The CSV file of answers.", valueName: "file"),
      completion: .file(extensions: ["csv"]))
    var file: String
    @Option(help: ArgumentHelp("The round's name (an id, such as after-pilot).", valueName: "name"))
    var round: String?
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @Flag(help: "Import answers exactly equal to an earlier round's all the same.")
    var force = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if let round, let problem = Identifier.problem(with: round) {
        throw ValidationError("--round: \(problem)")
      }
    }

    func run() throws {
      let id = client.id
      let person = actor.person
      let desk = try Desk(workspace, person: person, command: "survey import")
      guard let survey = try desk.programme(id).playbook.survey else { throw Refusal.noSurvey }
      let data = try InputFile.surveyAnswers.read(file)
      let separator = SurveyCSV.separator(of: data)
      let responses = try SurveyCSV.responses(from: data, file: file, survey: survey, separator: separator)
      var name = ""
      let (before, after) = try desk.apply(to: id, by: person, note: note) { programme in
        name = round ?? SurveyWeb.nextRoundName(after: programme)
        if !force, let earlier = programme.round(withSameAnswersAs: responses) {
          throw Refusal.duplicateRound(
            round: name, earlier: earlier.name, earlierWithdrawn: earlier.withdrawn != nil)
        }
        return .surveyImported(round: name, responses: responses)
      }
      let complete = responses.count { $0.answers.count == survey.statements.count }
      var lines = [
        "Imported round '\(name)': \(responses.count) responses (\(complete) answered every statement), "
          + "\(separator.name)-separated."
      ]
      let counted = after.countedRounds
      if counted.count > 1, let first = counted.first {
        lines.append("`accord benchmark \(id.rawValue)` compares it with the first round, '\(first.name)'.")
      } else {
        lines.append("`accord benchmark \(id.rawValue)` measures it.")
      }
      try ChangeJSON.show(lines, before: before, after: after, json: output.json, separator: separator.name, workspace: workspace)
    }
  }
}
