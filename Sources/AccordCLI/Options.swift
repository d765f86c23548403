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
    workspace.compiled = CompiledPlaybooks.standard()
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
  @Flag(name: .long, help: "Print JSON for scripts (stable, sorted keys) instead of text.")
  var json = false
}

/// The client a command works on.
struct ClientArgument: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "The client's id: letters, digits, '-' and '_', at most 64 characters.",
      valueName: "client"))
  var client: String

  func id() throws -> ClientID {
    do {
      return try ClientID(client)
    } catch {
      throw ValidationError(error.description)
    }
  }
}
