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
      let desk = Desk(workspace, command: "agenda")
      let clock = try WorkspaceClock(desk.workspace, asOf: asOf.asOf)
      var unreadable = false
      let agenda = try WorkspaceAgenda.build(
        desk: desk, clock: clock, days: days, person: person, role: role, client: try client.map(ClientID.init)
      ) { _, error in
        printError("accord: error: \(error)")
        unreadable = true
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

/// `agenda --json`.
struct AgendaJSON: Encodable {
  struct Group: Encodable {
    /// Null for work waiting on nobody (its role is not assigned).
    var person: String?
    var items: [Item]

    private enum Key: String, CodingKey { case person, items }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(person, forKey: .person)
      try container.encode(items, forKey: .items)
    }
  }

  struct Item: Encodable {
    var client: String
    var clientName: String
    var action: ActionJSON

    private enum Key: String, CodingKey { case client, clientName }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(client, forKey: .client)
      try container.encode(clientName, forKey: .clientName)
      try action.encode(to: encoder)
    }
  }

  var asOf: String
  var until: String
  var people: [Group]

  init(_ agenda: Agenda) {
    asOf = agenda.today.description
    until = agenda.horizon.description
    people = agenda.groups.map { group in
      Group(
        person: group.person,
        items: group.items.map {
          Item(
            client: $0.client, clientName: $0.clientName,
            action: ActionJSON(action: $0.action, due: DueJSON($0.due, today: agenda.today)))
        })
    }
  }
}

extension TextOutput {
  /// The agenda, a block per person.
  func agenda(_ agenda: Agenda) -> [String] {
    var lines = [style.heading("Agenda on \(agenda.today)") + ": overdue, and due by \(agenda.horizon)"]
    if agenda.isEmpty {
      return lines + ["", "  Nothing overdue or due by \(agenda.horizon)."]
    }
    for group in agenda.groups {
      lines.append("")
      lines.append(style.heading(group.person ?? "nobody (the role is not assigned)"))
      var table = Table()
      for item in group.items {
        var what = "\(item.action.kind.rawValue) \(item.action.target)"
        if item.action.kind == .sign || group.person == nil { what += " as \(item.action.role)" }
        if let delegate = item.action.delegate { what += " (\(delegate) may act, delegated)" }
        let when = ItemDates.phrase(item.due, today: agenda.today)
        table.append(item.client, what, item.isOverdue ? style.warning(when) : when, style.dim(item.clientName))
      }
      lines += table.render()
    }
    return lines
  }
}
