import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord agenda`: what is late and what is due soon, across every client.
  struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "agenda",
      abstract: "Show what is overdue and what is due soon across every client, by person.",
      discussion: """
        Every action with a date (a milestone to complete, a signature owed, a survey to \
        import) that is overdue or due within --days, grouped by the person it waits on, \
        overdue first. Work waiting on nobody, because its role is not assigned, is \
        listed last. Archived clients are left out. --as-of evaluates the dates at \
        another day, to plan next week.
        """)

    @Option(help: ArgumentHelp("Only what waits on this person (as holder or delegate).", valueName: "name"))
    var person: String?
    @Option(help: ArgumentHelp("Only what waits on this role.", valueName: "role"))
    var role: String?
    @Option(
      help: ArgumentHelp("Only this client.", valueName: "client"), completion: .custom(Completions.clients))
    var client: String?
    @Option(
      parsing: .unconditional,  // so that "--days -3" is read and refused as a number, not as a missing value
      help: ArgumentHelp("How many days ahead count as due soon.", valueName: "n"))
    var days = 7
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if person != nil && role != nil { throw ValidationError("give --person or --role, not both") }
      guard (0...3650).contains(days) else { throw ValidationError("--days must be 0 to 3650, got \(days)") }
    }

    func run() throws {
      let desk = try Desk(workspace, command: "agenda")
      let clock = try desk.clock(asOf: asOf.asOf)
      var unreadable = false
      let failed: (ClientID, any Error) -> Void = { _, error in
        printError("accord: error: \(error)")
        unreadable = true
      }
      let agenda: Agenda
      if let listed = try desk.summaries() {
        // On a database: from the summaries it keeps, no history replayed, as the server's.
        agenda = try WorkspaceAgenda.build(
          summaries: listed, clock: clock, days: days, person: person, role: role,
          client: try client.map(ClientID.init), failed: failed)
      } else {
        agenda = try WorkspaceAgenda.build(
          desk: desk, clock: clock, days: days, person: person, role: role, client: try client.map(ClientID.init),
          failed: failed)
      }
      if output.json {
        try JSONOutput.print(AgendaJSON(agenda))
      } else {
        emit(TextOutput().agenda(agenda))
      }
      if unreadable { throw CommandExit(status: .dataError) }
    }
  }
}
