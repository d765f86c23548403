/// Why the workspace refused or failed a command.
///
/// Every case leaves the client files as they were: refusals happen before anything is
/// written, and a write that fails part-way never reaches the real file. The descriptions
/// are meant for consultants, so they name the file and say what to do next.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text given as a client id cannot name a file: `problem` says which rule it breaks.
  case invalidClientID(id: String, problem: String)
  /// There is no client file at `path`; `suggestion` is the workspace's nearest client id,
  /// when one is close enough to be a likely typo.
  case noSuchClient(path: String, suggestion: String? = nil)
  /// `create` found a client file already at `path`.
  case clientExists(path: String)
  /// The file at `path` is damaged or was edited into a state Accord cannot trust.
  case corrupt(path: String, problem: String)
  /// The history of client `client` (its file at `path`) does not hold together: its hash
  /// chain breaks at the event at `position` (`problem` says how), so it was edited outside
  /// Accord. Every command but `check` and `log` refuses it.
  case brokenChain(path: String, client: String, position: Int, problem: String)
  /// The file at `path` was written by a newer Accord, in a format this version cannot read.
  case newerFormat(path: String, found: Int, supported: Int)
  /// Another command held the client's lock file at `path` for longer than the timeout.
  case locked(path: String, holder: String)
  /// The operating system refused a read or write of `path`.
  case io(path: String, problem: String)
  /// `path` is not a regular file (`found` says what it is, for example `a symbolic link`):
  /// Accord never follows a link or opens a device where a client or lock file belongs.
  case notRegularFile(path: String, found: String)
  /// The file at `path` was changed by something that does not take Accord's lock (a sync
  /// tool, another machine) between this command's read and its write: revision `read`
  /// when read, `found` now (nil when the file is gone or unreadable). Nothing was written.
  case changedOnDisk(path: String, read: Int, found: Int?)
  /// The command was asked to stop (Ctrl-C, SIGTERM) before its change was written to
  /// `path`: nothing was written, and no temporary file is left.
  case interrupted(path: String)

  public var description: String {
    switch self {
    case let .invalidClientID(id, problem):
      return "\(id.debugDescription) is not a valid client id: \(problem). "
        + "A client id is 1 to \(ClientID.maximumLength) letters (A-Z, a-z), digits, '-' or '_', "
        + "not starting with '-', for example acme-ltd."
    case let .noSuchClient(path, suggestion?):
      return "No client file at \(path). Did you mean '\(suggestion)'?"
    case let .noSuchClient(path, nil):
      return "No client file at \(path). Check the client id and the workspace folder."
    case let .clientExists(path):
      return "\(path) already exists: a client with this id was started before. "
        + "Choose another id, or carry on with the existing client."
    case let .corrupt(path, problem):
      return "\(path) cannot be read: \(problem). The file was left untouched; "
        + "repair it by hand or restore it from git or a backup, then try again."
    case let .brokenChain(path, client, _, problem):
      return "\(path) is damaged: \(problem). Nothing was read from it or written to it: run "
        + "`accord check \(client)` for the whole report, and restore the file from git or a backup."
    case let .newerFormat(path, found, supported):
      return "\(path) was written by a newer version of Accord (file format \(found); "
        + "this version reads format \(supported) and older). Update Accord; "
        + "the file was left untouched."
    case let .locked(path, holder):
      return "Another command is changing this client (\(holder)) and still holds \(path). "
        + "Try again when it has finished; a lock left by a command that crashed frees itself."
    case let .io(path, problem):
      return "\(path): \(problem). No client file was changed."
    case let .notRegularFile(path, found):
      return "\(path) is \(found), not a regular file. Accord only reads and writes regular "
        + "files inside the workspace, so that nothing there can lead it to a file elsewhere; "
        + "replace it with the file itself. Nothing was changed."
    case let .changedOnDisk(path, read, found):
      let now = found.map { "it is now revision \($0)" } ?? "it is now missing or unreadable"
      return "\(path) was changed by something else while this command ran (it was revision "
        + "\(read) when read; \(now)), for example a sync tool or another machine. Nothing was "
        + "written, so neither change is lost: run the command again to apply it to the file "
        + "as it is now."
    case let .interrupted(path):
      return "interrupted before the change was written: nothing was changed (\(path) is as it was)."
    }
  }

  /// A stable name for programs, such as `no-such-client`; the CLI and the server map it
  /// to an exit status or an HTTP status, the store knows neither.
  public var code: String {
    switch self {
    case .invalidClientID: "invalid-client-id"
    case .noSuchClient: "no-such-client"
    case .clientExists: "client-exists"
    case .corrupt, .brokenChain: "corrupt-file"
    case .newerFormat: "newer-format"
    case .locked: "locked"
    case .io: "io-error"
    case .notRegularFile: "not-regular-file"
    case .changedOnDisk: "changed-on-disk"
    case .interrupted: "interrupted"
    }
  }

  /// The file involved, and what else a program may act on.
  public var details: [String: String] {
    switch self {
    case let .invalidClientID(id, problem): ["client": id, "problem": problem]
    case let .noSuchClient(path, suggestion):
      suggestion.map { ["path": path, "suggestion": $0] } ?? ["path": path]
    case let .clientExists(path): ["path": path]
    case let .corrupt(path, problem): ["path": path, "problem": problem]
    case let .brokenChain(path, client, position, problem):
      ["path": path, "client": client, "event": "\(position)", "problem": problem]
    case let .newerFormat(path, found, supported): ["path": path, "found": "\(found)", "supported": "\(supported)"]
    case let .locked(path, holder): ["path": path, "holder": holder]
    case let .io(path, problem): ["path": path, "problem": problem]
    case let .notRegularFile(path, found): ["path": path, "found": found]
    case let .changedOnDisk(path, read, found): ["path": path, "read": "\(read)", "found": found.map { "\($0)" } ?? "missing"]
    case let .interrupted(path): ["path": path]
    }
  }
}
