import AccordKit
import ArgumentParser
import ProgrammeEngine

extension Accord {
  /// `accord archive`: takes a client out of the lists, keeping its file and history.
  struct Archive: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "archive",
      abstract: "Take a client out of the workspace's lists, with a reason; nothing is deleted.",
      discussion: """
        Only the client's consultant may archive. The file and its whole history stay; an \
        'archived' event records who, when and why. An archived client is left out of \
        `accord clients` (`--all` lists it, marked), every change to it is refused \
        (client-archived) until `accord restore` brings it back, and status, log and next \
        still read it and say it is archived.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("Why the client is archived (required).", valueName: "text"))
    var reason: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      try requireReason(reason)
    }

    func run() throws {
      let (before, after) = try Desk(workspace, person: actor.person, command: "archive")
        .apply(.archived, to: client.id, by: actor.person, note: reason)
      try ChangeJSON.show(
        [
          "Archived '\(client.id)'. Its file and history are kept; "
            + "`accord restore \(client.id)` brings it back."
        ],
        before: before, after: after, json: output.json, workspace: workspace)
    }
  }

  /// `accord restore`: brings an archived client back.
  struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "restore",
      abstract: "Bring an archived client back into the lists, as it was.",
      discussion: """
        Only the client's consultant may restore. A 'restored' event records who and \
        when; --reason is optional, since the archiving already said why and restoring \
        loses nothing. The client is exactly as it was when archived.
        """)

    @OptionGroup var client: ClientArgument
    @Option(help: ArgumentHelp("Why the client is brought back (optional).", valueName: "text"))
    var reason: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let (before, after) = try Desk(workspace, person: actor.person, command: "restore")
        .apply(.restored, to: client.id, by: actor.person, note: reason)
      try ChangeJSON.show(
        ["Restored '\(client.id)'."], before: before, after: after, json: output.json, workspace: workspace)
    }
  }
}
