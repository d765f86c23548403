import Foundation
import Glibc

/// The per-user folders Accord keeps things in outside any workspace, by the XDG base
/// directory rules: data (the default workspace), state (what this machine has seen of each
/// client), cache (compiled playbooks) and config (the firm's signing key).
public enum UserFolder: Sendable {
  case data, state, cache, config

  private var variable: String {
    switch self {
    case .data: "XDG_DATA_HOME"
    case .state: "XDG_STATE_HOME"
    case .cache: "XDG_CACHE_HOME"
    case .config: "XDG_CONFIG_HOME"
    }
  }

  /// Where the folder is under the home folder when its variable is not set.
  private var fallback: String {
    switch self {
    case .data: "/.local/share"
    case .state: "/.local/state"
    case .cache: "/.cache"
    case .config: "/.config"
    }
  }

  /// `$XDG_<KIND>_HOME/accord/<name>`, else `$HOME/<the default>/accord/<name>`; nil when
  /// neither variable holds an absolute path.
  ///
  /// - Parameter variable: looks up an environment variable; the default reads the
  ///   process's own one at a time (copying the whole environment into a dictionary is a
  ///   noticeable part of an everyday read).
  public func path(_ name: String, variable: (String) -> String? = processVariable) -> String? {
    if let value = variable(self.variable), value.hasPrefix("/") { return value + "/accord/" + name }
    if let home = variable("HOME"), home.hasPrefix("/") { return home + fallback + "/accord/" + name }
    return nil
  }
}

extension UserFolder {
  /// Creates `directory` and its `accord` parent where they are missing, readable by their
  /// owner only: what Accord keeps there names clients or says what playbooks say. The one
  /// way the seen revisions, the hashed texts and the compiled playbooks make their folders.
  static func makePrivate(_ directory: URL) throws(POSIXFile.Failure) {
    let parent = directory.deletingLastPathComponent().path
    for folder in [parent, directory.path] where try POSIXFile.status(folder) == nil {
      do {
        // withIntermediateDirectories: the base folder itself (~/.cache) may be missing too.
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw POSIXFile.Failure(code: EACCES, action: "create \(folder)")
      }
      // The mode given is reduced by the umask; set it exactly.
      chmod(folder, 0o700)
    }
  }
}
