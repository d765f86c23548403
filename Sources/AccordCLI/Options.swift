import AccordKit
import AccordRemote
import ArgumentParser
import Foundation
import PostgresStore
import WorkspaceStore

/// Where the clients are kept: a workspace folder (the default), a PostgreSQL database, or
/// this laptop's copy of a firm server's clients (a remote, docs/sync.md).
///
/// Which, in order: --workspace (a folder), --database, --remote, $ACCORD_REMOTE,
/// $ACCORD_DATABASE, then the folder $ACCORD_WORKSPACE names, the remote `accord remote
/// use` chose, and the folder `WorkspaceLocation` finds (the nearest accord-workspace
/// folder, the default one). Two of the flags together are a usage error naming both.
struct WorkspaceOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The workspace folder, one JSON file per client.",
      discussion: """
        Defaults to $ACCORD_WORKSPACE, else the nearest accord-workspace folder here or \
        above, else $XDG_DATA_HOME/accord/workspace (~/.local/share/accord/workspace).
        """,
      valueName: "dir"),
    completion: .directory)
  var workspace: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Keep the clients in this PostgreSQL database instead of a workspace folder.",
      discussion: """
        postgresql://user@host[:port]/database, prepared by accord db migrate. Defaults to \
        $ACCORD_DATABASE unless --workspace is given. Give the password in \
        $ACCORD_DATABASE_PASSWORD, not on the command line.
        """,
      valueName: "url"))
  var database: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Send the command to this remote: a firm's server (see accord remote, docs/sync.md).",
      discussion: """
        Defaults to $ACCORD_REMOTE, else the remote accord remote use chose unless \
        --workspace, --database, $ACCORD_DATABASE or $ACCORD_WORKSPACE names a store. The \
        command runs on this laptop's copy of the clients you may see, as the person you \
        logged in as, and works offline; accord sync sends the changes.
        """,
      valueName: "name"))
  var remote: String?

  /// The remote the command is sent to: --remote, else $ACCORD_REMOTE, else (when no other
  /// store is named) the one `accord remote use` chose; nil for a folder or a database.
  func remoteName() throws -> String? {
    // An empty name means none, as an empty $ACCORD_REMOTE does.
    if let remote { return remote.isEmpty ? nil : remote }
    guard workspace == nil, database == nil else { return nil }
    if let name = Environment.value("ACCORD_REMOTE") { return name.isEmpty ? nil : name }
    for variable in ["ACCORD_DATABASE", "ACCORD_WORKSPACE"] where Environment.value(variable)?.isEmpty == false {
      return nil
    }
    return try RemoteConfig.selected(flag: nil)
  }

  /// The database the command works on (--database, else $ACCORD_DATABASE unless
  /// --workspace names a folder), its password from $ACCORD_DATABASE_PASSWORD when it
  /// carries none; nil for the folder.
  func databaseAddress() throws -> PostgresAddress? {
    if RemoteSession.current != nil { return nil }
    // getenv first: the folder's commands (every command without a database) copy no environment.
    guard workspace == nil, let text = database ?? Environment.value("ACCORD_DATABASE"), !text.isEmpty else {
      return nil
    }
    return try DatabaseOptions.address(text)
  }

  /// Whether the command works on a database rather than the folder.
  var onDatabase: Bool {
    RemoteSession.current == nil && workspace == nil && (database ?? Environment.value("ACCORD_DATABASE")).map { !$0.isEmpty } == true
  }

  /// The folder and how it was chosen.
  var location: WorkspaceLocation {
    WorkspaceLocation.resolve(
      flag: workspace,
      currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
  }

  /// The folder: the remote's copy when the command is sent to one.
  var directory: URL { RemoteSession.current?.replica.directory ?? location.directory }

  /// A workspace that names a file is refused the same way by every command.
  func validate() throws {
    if workspace != nil && database != nil {
      throw ValidationError("--workspace \(workspace!) and --database name two stores: give one of them")
    }
    if let remote, !remote.isEmpty, let other = workspace.map({ "--workspace \($0)" }) ?? database.map({ _ in "--database" }) {
      throw ValidationError("\(other) and --remote \(remote) name two stores: give one of them")
    }
    if let name = try remoteName() {
      try RemoteSession.select(name)
      return
    }
    if onDatabase { return }
    let path = directory.path
    var folder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &folder), !folder.boolValue {
      throw ValidationError("the workspace \(path) (from \(location.source.description)) is a file, not a folder")
    }
  }

  func open(holder: String) -> Workspace {
    var workspace = Workspace(directory: directory, lockTimeout: Environment.lockTimeout, holder: holder)
    // Every command remembers the revisions it sees, so that `check` can spot an older copy.
    workspace.seen = SeenRevisions.standard()
    workspace.compiled = CompiledPlaybooks.standard()
    workspace.hashed = HashedTexts.standard()
    return workspace
  }
}

/// Who is making a change.
struct ActorOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Who is making the change.",
      discussion: "Defaults to $ACCORD_USER, else your login name.",
      valueName: "person"))
  var by: String?

  /// The person, from the flag, the sign-in of the remote the command is sent to, the
  /// environment or the login name.
  var person: String {
    by ?? RemoteSession.current?.person ?? Environment.value("ACCORD_USER") ?? Environment.loginName
  }
}

/// Human or machine output.
struct OutputOptions: ParsableArguments {
  @Flag(
    name: .long,
    help: "Print JSON for scripts (stable, sorted keys) instead of text; errors too, on stderr.")
  var json = false
}

/// The client a command works on, checked as the command line is parsed: a malformed id
/// is a usage error (exit 64) before any command runs.
struct ClientArgument: ParsableArguments {
  @Argument(help: clientHelp, completion: .custom(Completions.clients), transform: ClientID.parse)
  var id: ClientID
}

/// The help of every client argument.
let clientHelp = ArgumentHelp(
  "The client's id: letters, digits, '-' and '_', at most \(ClientID.maximumLength) characters.",
  valueName: "client")

extension ClientID {
  /// Reads a client id from the command line, for `@Argument(transform:)`.
  static func parse(_ text: String) throws -> ClientID { try ClientID(text) }
}

/// Refuses a `--reason` with nothing in it, before anything is read: undoing recorded work
/// (a revocation, a reopening, an archiving, a withdrawal) must say why.
func requireReason(_ reason: String) throws {
  if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
    throw ValidationError("--reason must say why")
  }
}
