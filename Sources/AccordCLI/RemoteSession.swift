import AccordKit
import AccordRemote
import Foundation
import WorkspaceStore

/// A command sent to a firm's server (`--remote NAME`, `$ACCORD_REMOTE`, `accord remote
/// use`): it runs on this laptop's copy of the server's clients, as the person the sign-in
/// belongs to, after a sync brings the copy up to date; a change it makes is sent at once
/// when the server answers, and waits in the copy for `accord sync` when it does not
/// (docs/sync.md). One per process, chosen when the command's options are checked.
enum RemoteSession {
  /// The remote a command is sent to, with the sign-in it acts under.
  struct Session {
    var name: String
    var url: URL
    var person: String
    var replica: Replica
    var transport: any RemoteTransport
    /// What the sync before the command found; nil until it ran.
    var before: SyncReport?
  }

  private static let lock = NSLock()
  nonisolated(unsafe) private static var session: Session?

  /// The remote chosen for this command, if any.
  static var current: Session? { lock.withLock { session } }

  /// The commands that only the server can run: they need what only it keeps (the access
  /// book, the mail relay, its zone).
  static let serverOnly: Set<String> = [
    "token create", "token revoke", "remind --smtp", "zone ZONE",
  ]

  /// Chooses remote `name` for this command: its address and its sign-in, which must exist.
  static func select(_ name: String) throws {
    let config = try RemoteConfig.load()
    let remote = try config.remote(named: name)
    let credentials = try config.credentials(for: name)
    let replica = Replica(directory: try RemoteConfig.replicaFolder(for: name))
    let transport = HTTPRemote(base: remote.url, token: credentials.token)
    lock.withLock {
      session = Session(name: name, url: remote.url, person: credentials.person, replica: replica, transport: transport)
    }
  }

  /// Before a command opens the copy: refuses a command only the server runs and a `--by`
  /// naming anyone but the sign-in's person, then syncs. Offline, the copy is used as it is,
  /// and the command says how old it is (on standard error); a copy never synced is refused.
  static func open(for command: String, person: String?) throws -> Workspace {
    guard var session = current else { preconditionFailure("no remote chosen") }
    if serverOnly.contains(command) {
      throw UsageError(
        "'accord \(command)' runs on the server, not on this laptop's copy of \(session.name)",
        hint: "Run it where the server's workspace or database is, or give --workspace DIR for a folder here.")
    }
    if let person { try check(person: person, on: session) }
    // Once a process: a command that opens the copy twice syncs once.
    let report: SyncReport
    if let before = session.before {
      report = before
    } else {
      report = try BlockingBridge.wait { [session] in try await Sync.run(session.replica, through: session.transport) }
      session.before = report
      lock.withLock { self.session = session }
      tell(report, session: session)
    }
    if report.offline != nil, report.syncedAt == nil {
      throw CommandRefusal(
        code: "no-copy",
        description: "\(session.name) cannot be reached (\(report.offline!)) and this laptop has no copy of its "
          + "clients yet: run accord sync once while it can be reached")
    }
    var workspace = session.replica.workspace(holder: Environment.holder(session.person, command))
    workspace.interrupted = { Interruption.wasRequested }
    return workspace
  }

  /// Refuses `person` unless they are the one the sign-in belongs to.
  static func check(person: String, on session: Session) throws {
    guard person != session.person else { return }
    throw CommandRefusal(
      code: "not-permitted",
      description: "on \(session.name) you act as \(session.person), whose sign-in this is; --by \(person) names "
        + "someone else (record another's act with --on-behalf-of \(person) and --evidence FILE)",
      details: ["person": .text(person), "signedIn": .text(session.person)])
  }

  /// After a command ran on the copy: sends what it changed when the server can be reached.
  /// Answers `.refused` when the server refused a change this command made (which stays in
  /// the record of rejected changes), nil otherwise.
  static func finish() -> ExitStatus? {
    guard let session = current, let before = session.before else { return nil }
    guard let waiting = try? Sync.waiting(in: session.replica.workspace(), state: session.replica.state()),
      waiting > 0
    else { return nil }
    if before.offline != nil {
      say("accord: \(waiting) change\(waiting == 1 ? "" : "s") wait\(waiting == 1 ? "s" : "") on this laptop for accord sync")
      return nil
    }
    do {
      let report = try BlockingBridge.wait { try await Sync.run(session.replica, through: session.transport) }
      tell(report, session: session)
      return report.refused.isEmpty ? nil : .refused
    } catch {
      Report(error)?.print(json: false)
      return .tryAgain
    }
  }

  private static func say(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// Says on standard error what a sync around a command found that the person must know:
  /// the server out of reach (and how old the copy is), changes refused.
  private static func tell(_ report: SyncReport, session: Session) {
    var lines: [String] = []
    if let reason = report.offline {
      let age = report.syncedAt.map { "synced \(SyncText.age(since: $0)) (\($0))" } ?? "never synced"
      lines.append("accord: \(session.name) cannot be reached (\(reason)): working on this laptop's copy, \(age)")
    }
    for refused in report.refused {
      lines.append("accord: \(session.name) refused \(SyncText.describe(refused.event, client: refused.client)): "
        + "\(refused.message ?? refused.code ?? "")")
    }
    if !report.refused.isEmpty {
      lines.append("accord: kept in the record of rejected changes: see accord sync --rejected")
    }
    for line in lines { say(line) }
  }
}
