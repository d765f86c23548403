import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
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

        Handing over the consultant role takes control from its holder, who cannot take it \
        back: on a terminal, assign says what is lost and asks you to confirm; --yes hands \
        it over without asking. When not on a terminal (a script), the hand-over is refused \
        (confirmation-required) unless --yes is given.
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
    @Flag(help: "Hand over the consultant role without asking first.")
    var yes = false
    @OptionGroup var onBehalf: OnBehalfOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      // Refused as the engine refuses it (invalid-person, invalid-note, exit 64), before the
      // question below is asked about a name that could never be recorded.
      if TextRules.nameProblem(person) != nil { throw Refusal.invalidPerson(person) }
      if let note, let problem = TextRules.noteProblem(note) { throw Refusal.invalidNote(problem) }
      let acting = try onBehalf.acting()
      let desk = try Desk(workspace, person: actor.person, command: "assign")
      // Asked before the client is locked: nobody else waits while a person reads the question.
      var confirmed: String?
      // Only the consultant role's hand-over is asked about: no other assignment reads twice.
      if !yes, role == consultantRole {
        let programme = try desk.programme(client.id)
        if let loss = programme.handOverLoss(of: role, to: person) {
          guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw Refusal.confirmationRequired(
              role: role, holder: programme.assignments[role] ?? "", person: person, loss: loss)
          }
          try confirm(loss)
          confirmed = loss
        }
      }
      let (before, after) = try desk.apply(to: client.id, by: actor.person, note: note, acting: acting) { programme in
        // What was confirmed must be what happens: a hand-over that became one since is asked again.
        if !yes, let loss = programme.handOverLoss(of: role, to: person), loss != confirmed {
          throw Refusal.confirmationRequired(
            role: role, holder: programme.assignments[role] ?? "", person: person, loss: loss)
        }
        return .assigned(role: role, person: person)
      }
      let previous = before.assignments[role].map { " (was \($0))" } ?? ""
      let ended = before.delegate(of: role, at: after.history.last!.at).map {
        ["The hand-over ends \($0)'s delegation of '\(role)'."]
      } ?? []
      try ChangeJSON.show(
        ["\(person) now holds the role '\(role)' on \(after.client)\(previous)"
          + "\(TextOutput.actingFor(after.history.last!))."] + ended,
        before: before, after: after, json: output.json, workspace: workspace)
    }

    /// Says on stderr what the hand-over takes away and asks to go on; anything but y or yes
    /// stops the command with nothing written (exit 1).
    private func confirm(_ loss: String) throws {
      FileHandle.standardError.write(Data((Shown.name(loss) + ".\nHand over the role '\(role)' to \(Shown.name(person))? [y/N] ").utf8))
      let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
      guard answer == "y" || answer == "yes" else {
        printError("Not handed over; nothing changed.")
        throw CommandExit(status: .refused)
      }
    }
  }
}
