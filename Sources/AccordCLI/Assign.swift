import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord assign`: gives a person a role on a client.
  struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "assign",
      abstract: "Give a person one of the playbook's roles on a client.",
      discussion: """
        Only the client's consultant or czar may assign roles. A role is held by one \
        person at a time: assigning it again hands it over (the history keeps both). \
        A person may hold several roles.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The role, as the playbook names it (e.g. czar).", valueName: "role"),
      completion: .custom(Completions.roles))
    var role: String
    @Argument(help: ArgumentHelp("The person who takes the role.", valueName: "person"))
    var person: String
    @Option(help: ArgumentHelp("A note kept with the event.", valueName: "text"))
    var note: String?
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let acting = try onBehalf.acting()
      let (before, after) = try Desk(workspace, person: actor.person, command: "assign")
        .apply(.assigned(role: role, person: person), to: client.id, by: actor.person, note: note, acting: acting)
      let previous = before.assignments[role].map { " (was \($0))" } ?? ""
      let ended = before.delegate(of: role, at: after.history.last!.at).map {
        ["The hand-over ends \($0)'s delegation of '\(role)'."]
      } ?? []
      try ChangeJSON.show(
        ["\(person) now holds the role '\(role)' on \(after.client)\(previous)"
          + "\(TextOutput.actingFor(after.history.last!))."] + ended,
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
