import ArgumentParser

extension Accord {
  /// `accord survey`: the collaboration survey's answer files.
  struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "survey",
      abstract: "Collect a client's collaboration survey: on the web, or as a CSV of answers.",
      discussion: """
        The survey is defined in the client's playbook (survey:). Write a template, fill \
        it in a survey tool or spreadsheet (one row per respondent), then import it as a \
        round; `accord benchmark CLIENT` measures it. Respondent ids should be codes such \
        as r01, never names: the benchmark keeps every small group anonymous. Or open a \
        round on the web (survey open), hand out its links, and close it (survey close).
        """,
      subcommands: [Template.self, Import.self, Open.self, Close.self, Status.self, Withdraw.self])
  }
}
