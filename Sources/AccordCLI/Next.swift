import AccordKit
import Foundation
import ArgumentParser
import PlaybookSpec
import ProgrammeEngine

extension Accord {
  /// `accord next`: what must happen next, and who must do it.
  struct Next: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "next",
      abstract: "Show what must happen next on a client, and who must do it.",
      discussion: """
        Lists the ready milestones, the signatures still owed (one per agreement and \
        role), the roles that must be assigned before those can happen, and for each \
        closed gate exactly what holds it. Says so when the programme is complete. An \
        action with a date says when it is due, or how long it is overdue.
        """)

    @OptionGroup var client: ClientArgument
    @Option(
      help: ArgumentHelp("Only the actions for this role.", valueName: "role"),
      completion: .custom(Completions.roles))
    var role: String?
    @Option(help: ArgumentHelp("Only the actions for this person.", valueName: "name"))
    var person: String?
    @Flag(help: "Put each action's description (a milestone's, an agreement's terms) under it.")
    var long = false
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if role != nil && person != nil {
        throw ValidationError("give --role or --person, not both")
      }
    }

    func run() throws {
      let desk = try Desk(workspace, command: "next")
      let programme = try desk.programme(client.id)
      let dates = try desk.dates(of: programme, asOf: asOf.asOf)
      if let role, !programme.playbook.roles.contains(where: { $0.id == role }) {
        throw programme.unknownRole(role)
      }
      var next = programme.nextActions(at: Date())
      if let role { next = next.filtered(role: role) }
      if let person {
        next = next.filtered(person: person)
        if !programme.assignments.values.contains(person) && !next.actions.contains(where: { $0.delegate == person }) {
          let holders = Set(programme.assignments.values).sorted()
          printError(
            "accord: note: \(person) holds no role on \(programme.client)"
              + didYouMean(closestMatch(to: person, among: holders))
              + " (roles are held by \(holders.joined(separator: ", ")))")
        }
      }
      if output.json {
        try JSONOutput.print(
          NextJSON(
            client: programme.client, next: next, archived: programme.archived != nil, dates: dates,
            sustaining: programme.isSustaining))
      } else {
        emit(TextOutput().next(programme, next, filter: role ?? person, long: long, dates: dates))
      }
    }
  }
}
