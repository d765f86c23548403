import ArgumentParser

extension Accord {
  /// `accord survey`: the collaboration survey's answer files.
  struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "survey",
      abstract: "Collect a client's collaboration survey: a CSV template, then the answers.",
      discussion: """
        The survey is defined in the client's playbook (survey:). Write a template, fill \
        it in a survey tool or spreadsheet (one row per respondent), then import it as a \
        round; `accord benchmark CLIENT` measures it. Respondent ids should be codes such \
        as r01, never names: the benchmark keeps every small group anonymous.
        """,
      subcommands: [Template.self, Import.self, Withdraw.self])
  }
}
