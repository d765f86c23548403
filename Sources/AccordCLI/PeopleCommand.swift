import AccordKit
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV

extension Accord {
  /// `accord people`: the client's roster, the staff its agreements bind.
  struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "people",
      abstract: "Keep a client's roster: the salespeople and marketers its agreements bind.",
      discussion: """
        An agreement may ask the staff of some teams to acknowledge it (acknowledged-by: \
        in the playbook): each person reads the terms and agrees to them, on the web \
        (accord invite CLIENT --roster gives them a link) or at the terminal (accord \
        acknowledge). The roster says who they are: a name (as they sign in), an email \
        address, and the playbook's team and level. The consultant or the czar keeps it, \
        and only they see who has acknowledged what; everyone else sees each team's count.
        """,
      subcommands: [Import.self, List.self, Remove.self, Template.self])
  }
}

extension Accord.PeopleCommand {
  /// `accord people import`: puts a CSV of people on the roster.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Put the people of a CSV file on a client's roster.",
      discussion: """
        The file has a header row (name, email, team, level, in any order; no level when \
        the playbook names no levels) and one row per person. The whole file is checked \
        first: every problem is reported as FILE:ROW:COLUMN: error: MESSAGE (row 1 is the \
        header) and nobody is imported (exit 65). Cells are separated by commas or \
        semicolons (the header tells which); quoted cells, CRLF line ends and a byte order \
        mark are fine. Someone already on the roster with the same details is left as they \
        are; someone whose email, team or level changed is updated. Importing never takes \
        anyone off: accord people remove does, with a reason. The teams and levels are the \
        playbook's (teams:/levels: at its top level, else its survey's).
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The CSV file of people.", valueName: "file"), completion: .file(extensions: ["csv"]))
    var file: String
    @Option(help: ArgumentHelp("A note kept with the events.", valueName: "text"))
    var note: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let person = actor.person
      let desk = try Desk(workspace, person: person, command: "people import")
      let playbook = try desk.programme(client.id).playbook
      guard !playbook.rosterTeams.isEmpty else { throw Refusal.noTeams }
      let data = try InputFile.roster.read(file)
      let separator = SurveyCSV.separator(of: data)
      let entries = try RosterCSV.people(
        from: data, file: file, teams: playbook.rosterTeams.map(\.id), levels: playbook.rosterLevels.map(\.id),
        separator: separator)
      var added = 0
      var changed = 0
      var changes: [Change] = []
      // Decided against the programme the change is made on (a store may decide it again).
      func decide(_ programme: Programme) -> [Change] {
        let roster = Dictionary(programme.people.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        (added, changed) = (0, 0)
        changes = entries.compactMap { entry in
          if let member = roster[entry.name] {
            guard member.email != entry.email || member.team != entry.team || member.level != entry.level else {
              return nil
            }
            changed += 1
          } else {
            added += 1
          }
          return .joined(person: entry.name, email: entry.email, team: entry.team, level: entry.level)
        }
        return changes
      }
      let current = try desk.programme(client.id)
      guard !decide(current).isEmpty else {
        let line = "Nothing to import: all \(entries.count) people are on \(client.id.rawValue)'s roster as the file has them."
        try ChangeJSON.show([line], before: current, after: current, json: output.json, workspace: workspace)
        return
      }
      let (before, after) = try desk.applyAll(to: client.id, by: person, note: note) { decide($0) }
      let same = entries.count - added - changed
      var lines = [
        "Imported \(entries.count) people to \(client.id.rawValue)'s roster, \(separator.name)-separated: "
          + "\(added) new, \(changed) changed, \(same) as they were; \(after.people.count) on it now."
      ]
      lines += TextOutput().acknowledgementLines(after)
      try ChangeJSON.show(
        lines + TextOutput().transitions(from: before, to: after), before: before, after: after, json: output.json,
        separator: separator.name, workspace: workspace)
    }
  }

  /// `accord people list`: the roster, with who has acknowledged what.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List a client's roster, and who has acknowledged each agreement that asks them.",
      discussion: """
        Only the client's consultant and czar may list it: who has not acknowledged an \
        agreement is theirs to know, and every other view shows each team's count alone.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("Only the people of this team.", valueName: "team"))
    var team: String?
    @Flag(help: "Only the people who have yet to acknowledge an agreement that asks them.")
    var pending = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let desk = try Desk(workspace, person: actor.person, command: "people list")
      let programme = try desk.programme(client.id)
      guard programme.keepsRoster(actor.person) else {
        throw Refusal.notAllowed(person: actor.person, operation: .seeRoster, roles: [consultantRole, czarRole])
      }
      if let team, !programme.playbook.rosterTeams.contains(where: { $0.id == team }) {
        throw ValidationError(
          "--team '\(team)' is not one of the playbook's teams ("
            + programme.playbook.rosterTeams.map(\.id).joined(separator: ", ") + ")")
      }
      var roster = RosterJSON(programme)
      roster.people = roster.people.filter { (team == nil || $0.team == team) && (!pending || !$0.pending.isEmpty) }
      if output.json {
        try JSONOutput.print(roster)
        return
      }
      var lines = [
        "\(programme.headline): \(programme.people.count) on the roster"
          + (roster.people.count == programme.people.count ? "" : ", \(roster.people.count) shown")
      ]
      lines += TextOutput().acknowledgementLines(programme)
      if !roster.people.isEmpty {
        lines.append("")
        var table = Table()
        table.append("NAME", "TEAM", "LEVEL", "EMAIL", "ACKNOWLEDGED", "YET TO")
        for person in roster.people {
          table.append(
            Shown.name(person.name), person.team, person.level, Shown.name(person.email),
            person.acknowledged.map(\.agreement).joined(separator: ", "), person.pending.joined(separator: ", "))
        }
        lines += table.render(indent: "  ")
      }
      emit(lines)
    }
  }

  /// `accord people remove`: takes someone off the roster.
  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: "Take someone off a client's roster, with a reason.",
      discussion: """
        They stop counting toward every agreement's quorum, whether they acknowledged it \
        or not; the history keeps what they did. Their web access, if any, stays until \
        accord access revoke.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(help: ArgumentHelp("The person, as the roster names them.", valueName: "person"))
    var person: String
    @Option(help: ArgumentHelp("Why they leave the roster.", valueName: "text"))
    var reason: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws { try requireReason(reason) }

    func run() throws {
      let desk = try Desk(workspace, person: actor.person, command: "people remove")
      let (before, after) = try desk.apply(.left(person: person), to: client.id, by: actor.person, note: reason)
      let lines =
        ["Took \(Shown.name(person)) off \(client.id.rawValue)'s roster; \(after.people.count) on it now."]
        + TextOutput().acknowledgementLines(after) + TextOutput().transitions(from: before, to: after)
      try ChangeJSON.show(lines, before: before, after: after, json: output.json, workspace: workspace)
    }
  }

  /// `accord people template`: a roster file with only its header row.
  struct Template: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "template",
      abstract: "Print a roster CSV with only its header row, and the playbook's teams and levels.")

    @OptionGroup var client: ClientArgument
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let playbook = try Desk(workspace, command: "people template").programme(client.id).playbook
      guard !playbook.rosterTeams.isEmpty else { throw Refusal.noTeams }
      print(RosterCSV.template(levels: !playbook.rosterLevels.isEmpty), terminator: "")
      printError("teams: " + playbook.rosterTeams.map(\.id).joined(separator: ", "))
      if !playbook.rosterLevels.isEmpty { printError("levels: " + playbook.rosterLevels.map(\.id).joined(separator: ", ")) }
    }
  }
}
