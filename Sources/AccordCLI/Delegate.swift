import AccordKit
import ArgumentParser
import Foundation
import ProgrammeEngine

extension Accord {
  /// `accord delegate`: lets another person act for a role until a day, or ends that early.
  struct Delegate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "delegate",
      abstract: "Let another person act for a role until a day, openly; or end that early.",
      discussion: """
        The role's holder or the consultant may delegate. Until the end of the --until \
        day (midnight UTC), the delegate may do whatever the role may (complete, sign, \
        revoke, ...), and every event they make records both the delegate (--by) and the \
        holder they act for. A delegate cannot delegate further. A new delegation of the \
        role replaces the one before; handing the role over (accord assign) ends it. \
        --end ends it early (the holder or the consultant). status lists the delegations \
        in force.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("The role to act for.", valueName: "role"),
      completion: .custom(Completions.roles))
    var role: String
    @Argument(help: ArgumentHelp("Who may act for it (not with --end).", valueName: "person"))
    var person: String?
    @Option(help: ArgumentHelp("The last day the delegation holds, YYYY-MM-DD, to its end in UTC.", valueName: "date"))
    var until: String?
    @Option(help: ArgumentHelp("Why (required to delegate; optional with --end).", valueName: "text"))
    var reason: String?
    @Flag(help: "End the role's delegation now.")
    var end = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      if end {
        if person != nil { throw ValidationError("--end ends the role's delegation: give no person") }
        if until != nil { throw ValidationError("--end ends the delegation now: give no --until") }
        if let reason { try requireReason(reason) }
        return
      }
      guard person != nil else { throw ValidationError("give the person who may act for '\(role)', or --end") }
      guard let until else { throw ValidationError("--until DATE is required: the last day the delegation holds") }
      guard CalendarDay.end(of: until) != nil else {
        throw ValidationError("--until '\(until)' is not a day of the form 2026-12-31")
      }
      guard let reason else { throw ValidationError("--reason is required: say why the role is delegated") }
      try requireReason(reason)
    }

    func run() throws {
      let desk = try Desk(workspace, person: actor.person, command: "delegate")
      if end {
        let now = Date()
        var ended: Delegation?
        let (before, after) = try desk.apply(to: client.id, by: actor.person, note: reason, at: now) { programme in
          ended = programme.delegations(activeAt: now).first { $0.role == role }
          return .delegationEnded(role: role)
        }
        let who = ended.map { " (\($0.delegate) for \($0.holder))" } ?? ""
        try ChangeJSON.show(
          ["Ended the delegation of '\(role)'\(who)."], before: before, after: after, json: output.json, workspace: workspace)
        return
      }
      let (before, after) = try desk.apply(
        .delegated(role: role, person: person ?? "", until: until ?? ""), to: client.id, by: actor.person,
        note: reason)
      let holder = after.assignments[role] ?? ""
      try ChangeJSON.show(
        ["\(person ?? "") may act for '\(role)' (held by \(holder)) until the end of \(until ?? "") (UTC)."],
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
