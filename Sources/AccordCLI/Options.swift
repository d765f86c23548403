import ArgumentParser
import Foundation
import WorkspaceStore

/// Where the client files live.
struct WorkspaceOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The workspace folder, one JSON file per client.",
      discussion: "Defaults to $ACCORD_WORKSPACE, else ./accord-workspace.",
      valueName: "dir"))
  var workspace: String?

  /// The folder, resolved against the environment and the current directory.
  var directory: URL {
    let path = workspace ?? Environment.value("ACCORD_WORKSPACE") ?? "accord-workspace"
    return URL(fileURLWithPath: path, isDirectory: true)
  }

  func open(holder: String) -> Workspace {
    var workspace = Workspace(directory: directory, lockTimeout: Environment.lockTimeout, holder: holder)
    // Every command remembers the revisions it sees, so that `check` can spot an older copy.
    workspace.seen = SeenRevisions.standard()
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

  /// The person, from the flag, the environment or the login name.
  var person: String { by ?? Environment.value("ACCORD_USER") ?? Environment.loginName }
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
  @Argument(help: clientHelp, transform: ClientID.parse)
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
