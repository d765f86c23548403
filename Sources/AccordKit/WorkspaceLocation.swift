import Foundation
import WorkspaceStore

/// Where the workspace is, found the way git finds its repository.
///
/// `--workspace` wins, then `$ACCORD_WORKSPACE`, then the nearest folder named
/// `accord-workspace` in the current folder or above it, then the per-user default
/// (`$XDG_DATA_HOME/accord/workspace`, else `~/.local/share/accord/workspace`), so that
/// `accord clients` finds the same clients from any folder.
package struct WorkspaceLocation: Equatable {
  /// How the folder was chosen, for messages.
  package enum Source: Equatable {
    case flag, environment, found, userDefault

    package var description: String {
      switch self {
      case .flag: "--workspace"
      case .environment: "$ACCORD_WORKSPACE"
      case .found: "the nearest accord-workspace folder"
      case .userDefault: "your default workspace"
      }
    }
  }

  /// The name of a workspace folder found by walking up.
  static let folderName = "accord-workspace"

  package var directory: URL
  package var source: Source

  package static func resolve(
    flag: String?, variable: (String) -> String? = processVariable, currentDirectory: URL,
    isFolder: (URL) -> Bool = { url in
      var folder: ObjCBool = false
      return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
    }
  ) -> WorkspaceLocation {
    func folder(_ path: String) -> URL {
      URL(fileURLWithPath: path, isDirectory: true, relativeTo: currentDirectory).standardizedFileURL
    }
    if let flag, !flag.isEmpty { return WorkspaceLocation(directory: folder(flag), source: .flag) }
    if let value = variable("ACCORD_WORKSPACE"), !value.isEmpty {
      return WorkspaceLocation(directory: folder(value), source: .environment)
    }
    var here = currentDirectory.standardizedFileURL
    while true {
      let candidate = here.appendingPathComponent(folderName, isDirectory: true)
      if isFolder(candidate) { return WorkspaceLocation(directory: candidate, source: .found) }
      let parent = here.deletingLastPathComponent()
      if parent.path == here.path { break }
      here = parent
    }
    guard let path = UserFolder.data.path("workspace", variable: variable) else {
      // No home to keep it in: the current folder, as before.
      return WorkspaceLocation(directory: folder(folderName), source: .found)
    }
    return WorkspaceLocation(directory: URL(fileURLWithPath: path, isDirectory: true), source: .userDefault)
  }
}
