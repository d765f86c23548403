import AccordKit
import ArgumentParser
import PlaybookSpec
import ProgrammeEngine

extension Accord {
  /// `accord show`: one stage, milestone or agreement, whole.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one stage, milestone or agreement of a client in full.",
      discussion: """
        A milestone with its description, owner, needs, gate, state, who completed it and \
        when, and every note on it; an agreement with its whole terms, signatories and \
        signatures; a stage with its description, gate, milestones and agreements.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("A stage, milestone or agreement id of the client's playbook.", valueName: "id"),
      completion: .custom(Completions.playbookIDs))
    var id: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let programme = try Desk(workspace, command: "show").programme(client.id)
      let playbook = programme.playbook
      let item: ShowJSON
      if let stage = playbook.stages.first(where: { $0.id == id }) {
        item = ShowJSON(stage: stage, in: programme)
      } else if let milestone = playbook.stages.lazy.flatMap(\.milestones).first(where: { $0.id == id }) {
        item = ShowJSON(milestone: milestone, in: programme)
      } else if let agreement = playbook.stages.lazy.flatMap(\.agreements).first(where: { $0.id == id }) {
        item = ShowJSON(agreement: agreement, in: programme)
      } else {
        let ids = playbook.stages.flatMap { [$0.id] + $0.milestones.map(\.id) + $0.agreements.map(\.id) }
        throw FileProblem(
          path: id, problem: "the playbook has no stage, milestone or agreement of that id",
          status: .usage, code: "unknown-id", suggestion: closestMatch(to: id, among: ids))
      }
      if output.json {
        try JSONOutput.print(item)
      } else {
        emit(TextOutput().show(item, in: programme))
      }
    }
  }
}
