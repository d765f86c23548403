import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

extension Accord {
  /// `accord upgrade`: moves running clients to a new version of their playbook.
  struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "upgrade",
      abstract: "Move a client, or every client on a playbook, to a new version of it.",
      discussion: """
        The new playbook is validated first. For each client, upgrade reports by id the \
        stages, milestones, agreements and roles added, removed and changed; the done work \
        kept and dropped; the signatures that become stale (the agreement's terms changed, \
        so they no longer count and their roles must sign again); and what changes for the \
        client's position (a stage that reopens, a gate that closes, a stage that locks \
        again).

        Only the consultant may upgrade, and --reason must say why. An upgrade that would \
        drop a done milestone, or lock a stage that is open today, is refused unless \
        --force. A refused upgrade, and every --dry-run, changes nothing. The client's file \
        keeps every playbook text it ran on, and its history stays valid against them.

        With --all, every client on the playbook --from names is upgraded on its own: each \
        one moves whole or not at all, and the report says which moved, which were refused \
        and why (exit 1 when any was refused). Archived clients are left as they are, and \
        counted.

        With --remote, the upgrade is made on this laptop's copy, online or offline, and \
        sent with the new text (and --force, if given) for the server to decide again; it \
        may refuse it if the client changed there meanwhile (docs/sync.md).
        """)

    @Argument(
      help: ArgumentHelp(
        "The client's id (or --all).", valueName: "client"),
      completion: .custom(Completions.clients), transform: ClientID.parse)
    var client: ClientID?
    @Option(
      help: ArgumentHelp("The new version of the playbook (YAML).", valueName: "file"),
      completion: .file(extensions: ["yaml", "yml"]))
    var playbook: String
    @Flag(help: "Upgrade every client on the playbook --from names.")
    var all = false
    @Option(
      help: ArgumentHelp(
        "The id of the playbook the clients run on now; with --all, required.", valueName: "playbook-id"))
    var from: String?
    @Flag(help: "Report what would change, and change nothing.")
    var dryRun = false
    @Flag(help: "Upgrade even when done milestones are dropped or open stages lock again.")
    var force = false
    @Option(help: ArgumentHelp("Why the clients move (required unless --dry-run).", valueName: "text"))
    var reason: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
      switch (client, all) {
      case (nil, false): throw ValidationError("name a client, or give --all with --from")
      case (.some, true): throw ValidationError("name a client or give --all, not both")
      case (nil, true) where from == nil:
        throw ValidationError("--all needs --from, the id of the playbook the clients run on now")
      default: break
      }
      if let reason {
        try requireReason(reason)
      } else if !dryRun {
        throw ValidationError("--reason must say why the client moves to the new playbook (or use --dry-run)")
      }
    }

    func run() throws {
      let person = actor.person
      let source = try PlaybookSource.load(playbook)
      let stored = StoredPlaybook(
        id: source.playbook.id, version: source.playbook.version, title: source.playbook.title,
        origin: source.origin, source: source.text)
      let target = PlaybookVersion(id: stored.id, version: stored.version, sha256: stored.sha256)
      let desk = try Desk(workspace, person: person, command: "upgrade")
      let plan = UpgradePlan(
        playbook: source.playbook, version: target, stored: stored, person: person, reason: reason,
        force: force, dryRun: dryRun)

      var outcomes: [UpgradeOutcome] = []
      var archived = 0
      if let client {
        let outcome = plan.run(client, from: from, on: desk)
        switch outcome.result {
        case let .refused(_, error) where outcome.report == nil: throw error
        case let .otherPlaybook(inForce): throw Refusal.notOnPlaybook(inForce: inForce, expected: from ?? "")
        default: outcomes.append(outcome)
        }
      } else {
        // Client after client, a database's over the network: how far it is, on a terminal.
        let ids = try desk.clientIDs()
        let progress = TerminalProgress(dryRun ? "Trying clients" : "Upgrading clients", json: output.json)
        defer { progress.finish() }
        for (done, id) in ids.enumerated() {
          progress.update(done, of: ids.count)
          let outcome = plan.run(id, from: from, on: desk)
          if case .otherPlaybook = outcome.result { continue }
          // An archived client stays as it was archived, on its playbook too.
          if case let .refused(_, error) = outcome.result, (error as? Refusal) == .clientArchived {
            archived += 1
            continue
          }
          outcomes.append(outcome)
        }
      }

      if force, !dryRun, let session = RemoteSession.current {
        try noteForced(outcomes, on: desk, in: session.replica)
      }
      if output.json {
        try JSONOutput.print(UpgradeJSON(playbook: target, dryRun: dryRun, outcomes: outcomes, archived: archived))
      } else {
        emit(TextOutput().upgrade(outcomes, to: target, all: all, dryRun: dryRun, archived: archived))
      }
      // One client refused: its own error, as any command reports a refusal. Several: exit 1.
      let refused = outcomes.compactMap { outcome -> (any Error)? in
        if case let .refused(_, error) = outcome.result { return error }
        return nil
      }
      if client != nil, let error = refused.first {
        throw error
      } else if !refused.isEmpty {
        throw CommandExit(status: .refused)
      }
    }

    /// On a remote's copy: notes which upgrades were asked for with --force, which no event
    /// records, so that the server decides each as it was asked for when it is sent.
    private func noteForced(_ outcomes: [UpgradeOutcome], on desk: Desk, in replica: Replica) throws {
      var ids: [String] = []
      for outcome in outcomes {
        guard case .upgraded = outcome.result else { continue }
        let history = try desk.programme(try ClientID(outcome.client)).history
        if let id = history.last(where: { if case .upgraded = $0.change { true } else { false } })?.id { ids.append(id) }
      }
      try BlockingBridge.wait { try await replica.noteForced(ids) }
    }
  }
}
