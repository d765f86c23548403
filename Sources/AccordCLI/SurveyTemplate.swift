import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV

extension Accord.SurveyCommand {
  /// `accord survey template`: the CSV header a survey tool or spreadsheet fills in.
  struct Template: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "template",
      abstract: "Write a CSV template for the client's survey answers.",
      discussion: """
        The template is one header row: respondent, team, level, then one column per \
        statement id. Without --out it is printed; with --out it is written to FILE and a \
        key to the teams, levels and statements is printed, to set up the survey with. An \
        existing FILE is only replaced with --force.
        """)

    @OptionGroup var client: ClientArgument
    @Option(
      help: ArgumentHelp("Write the template to this file.", valueName: "file"),
      completion: .file(extensions: ["csv"]))
    var out: String?
    @Flag(help: "Replace --out FILE if it exists.")
    var force = false
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let programme = try Desk(workspace, command: "survey template").programme(client.id)
      guard let survey = programme.playbook.survey else { throw Refusal.noSurvey }
      let template = SurveyCSV.template(for: survey)
      guard let out else {
        FileHandle.standardOutput.write(Data(template.utf8))
        return
      }
      try OutputFile(path: out, force: force).write(template)
      emit(["Wrote \(out): respondent, team, level and \(survey.statements.count) statements.", ""] + key(survey))
    }

    /// What the columns and values mean, for whoever sets up the survey.
    private func key(_ survey: Survey) -> [String] {
      let style = TextStyle.current
      let scale = survey.scale
      var lines = [
        "Scores are whole numbers from \(scale.minimum) (strongly disagree) to \(scale.maximum) "
          + "(strongly agree); leave a cell blank for a statement not answered.",
        "Respondent ids are codes such as r01, never names.",
        "",
      ]
      var groups = Table()
      groups.append("team", survey.teams.map(\.id).joined(separator: ", "))
      groups.append("level", survey.levels.map(\.id).joined(separator: ", "))
      lines += groups.render(indent: "")
      for dimension in survey.dimensions {
        lines += ["", style.heading(dimension.title)]
        var table = Table()
        for statement in dimension.statements { table.append(statement.id, statement.text) }
        lines += table.render()
      }
      return lines
    }
  }
}
