import AccordKit
import PlaybookSpec
import ProgrammeEngine

/// Why the remotes, or the credentials kept for them, cannot be used as asked. Each case
/// has a stable `code`, the sentence a person reads and the exit status (see `report`).
package enum RemoteConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Neither `$XDG_CONFIG_HOME` (or `$XDG_DATA_HOME`, for a replica) nor `$HOME` is an absolute path.
  case noUserFolder(variable: String)
  /// A remote's name that is not an id: `problem` says which rule it breaks.
  case invalidName(name: String, problem: String)
  /// A URL that is not `http://` or `https://` with a host: `problem` says why.
  case invalidURL(url: String, problem: String)
  /// No remote by that name; `known` lists them, `suggestion` names the nearest.
  case unknownRemote(name: String, known: [String], suggestion: String?)
  /// `remote add` of a name already taken, without `--force`.
  case remoteExists(name: String, url: String)
  /// A command for a remote with none chosen (no `--remote`, `$ACCORD_REMOTE` or `remote use`).
  case noRemote(known: [String])
  /// No credentials kept for the remote.
  case notSignedIn(name: String)
  /// The credentials kept for the remote expired at `expires`.
  case signInExpired(name: String, person: String, expires: String)
  /// The credentials file can be read or written by others, or belongs to someone else.
  case insecureFile(path: String, problem: String)
  /// A file of ours that does not hold what Accord writes there.
  case invalidFile(path: String, problem: String)
  /// The system refused to read or write one of the files.
  case io(path: String, problem: String)

  /// A stable name for programs.
  package var code: String {
    switch self {
    case .noUserFolder: "no-user-folder"
    case .invalidName: "invalid-remote-name"
    case .invalidURL: "invalid-remote-url"
    case .unknownRemote: "unknown-remote"
    case .remoteExists: "remote-exists"
    case .noRemote: "no-remote"
    case .notSignedIn: "not-signed-in"
    case .signInExpired: "sign-in-expired"
    case .insecureFile: "insecure-credentials"
    case .invalidFile: "invalid-remote-file"
    case .io: "io-error"
    }
  }

  package var description: String {
    switch self {
    case let .noUserFolder(variable):
      "no folder for the remotes: set \(variable) or HOME to an absolute path"
    case let .invalidName(name, problem):
      "'\(name)' cannot name a remote: \(problem)"
    case let .invalidURL(url, problem):
      "'\(url)' cannot be a remote's address: \(problem)"
    case let .unknownRemote(name, known, suggestion):
      "no remote named '\(name)'" + didYouMean(suggestion)
        + (known.isEmpty ? "; there are none yet: accord remote add NAME URL" : " (known: \(known.joined(separator: ", ")))")
    case let .remoteExists(name, url):
      "a remote named '\(name)' exists already (\(url)): give --force to point it elsewhere"
    case let .noRemote(known):
      "no remote chosen: give --remote NAME, set ACCORD_REMOTE, or run accord remote use NAME"
        + (known.isEmpty ? " (there are none yet: accord remote add NAME URL)" : " (known: \(known.joined(separator: ", ")))")
    case let .notSignedIn(name):
      "not signed in to \(name): run accord login \(name)"
    case let .signInExpired(name, person, expires):
      "the sign-in to \(name) as \(person) ended at \(expires): run accord login \(name)"
    case let .insecureFile(path, problem):
      "\(path) \(problem)"
    case let .invalidFile(path, problem):
      "\(path): \(problem)"
    case let .io(path, problem):
      "\(path): \(problem)"
    }
  }

  /// A mistyped name or address is usage (64); a remote or sign-in that is not there is
  /// nothing to read (66); a taken name is refused (1); a file that cannot be trusted is
  /// invalid data (65), as the firm's key file is; a refused write is 74.
  package var status: ExitStatus {
    switch self {
    case .noUserFolder, .invalidName, .invalidURL, .unknownRemote, .noRemote: .usage
    case .remoteExists: .refused
    case .notSignedIn, .signInExpired: .noInput
    case .insecureFile, .invalidFile: .dataError
    case .io: .ioError
    }
  }

  /// The names and paths involved, for `--json`.
  package var details: [String: Detail] {
    switch self {
    case let .noUserFolder(variable): ["variable": .text(variable)]
    case let .invalidName(name, problem): ["remote": .text(name), "problem": .text(problem)]
    case let .invalidURL(url, problem): ["url": .text(url), "problem": .text(problem)]
    case let .unknownRemote(name, known, suggestion):
      ["remote": .text(name), "known": .list(known)].merging(suggestion.map { ["suggestion": .text($0)] } ?? [:]) {
        $1
      }
    case let .remoteExists(name, url): ["remote": .text(name), "url": .text(url)]
    case let .noRemote(known): ["known": .list(known)]
    case let .notSignedIn(name): ["remote": .text(name)]
    case let .signInExpired(name, person, expires):
      ["remote": .text(name), "person": .text(person), "expires": .text(expires)]
    case let .insecureFile(path, problem), let .invalidFile(path, problem), let .io(path, problem):
      ["path": .text(path), "problem": .text(problem)]
    }
  }
}

extension RemoteConfigError: ReportableError {
  package var report: Report {
    Report.of(status, code, description, details: details)
  }
}
