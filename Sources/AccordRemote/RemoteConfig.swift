import Foundation
import Glibc
import PlaybookSpec
import WorkspaceStore

/// The firm servers this user works with, by name, and which one commands go to: the file
/// `remotes.json` in `$XDG_CONFIG_HOME/accord/` (by default `~/.config/accord/`), written by
/// `accord remote add`, `use` and `remove`. The tokens are kept apart, in
/// `credentials.json` beside it (`RemoteConfig+Credentials.swift`).
///
/// The folder is made 0700 and each file 0600 on every write, atomically, the way the
/// firm's key is kept: the files name the firm's servers and, beside them, tokens that act
/// as their person.
package struct RemoteConfig: Sendable, Equatable {
  /// The file that names the remotes.
  package static let remotesFile = "remotes.json"
  /// The most characters a remote's name may have.
  package static let maximumNameLength = 64

  /// One remote as kept: its address.
  package struct Entry: Codable, Sendable, Equatable {
    package var url: String

    package init(url: String) {
      self.url = url
    }
  }

  /// The accord folder in the user's config folder.
  package let folder: String
  /// The remotes by name.
  package var remotes: [String: Entry]
  /// The remote commands go to when neither `--remote` nor `$ACCORD_REMOTE` says.
  package var current: String?

  /// The file's shape: `{"remotes": {NAME: {"url"}}, "current": NAME}`.
  private struct File: Codable {
    var remotes: [String: Entry]
    var current: String?
  }

  package init(folder: String, remotes: [String: Entry] = [:], current: String? = nil) {
    self.folder = folder
    self.remotes = remotes
    self.current = current
  }

  /// The remotes' names, sorted.
  package var names: [String] { remotes.keys.sorted() }

  /// The path of `remotes.json`.
  package var remotesPath: String { folder + "/" + Self.remotesFile }

  /// The accord folder of `$XDG_CONFIG_HOME` (else `$HOME/.config`); nil when neither is an
  /// absolute path.
  package static func standardFolder(variable: (String) -> String? = processVariable) -> String? {
    UserFolder.config.path(remotesFile, variable: variable).map { ($0 as NSString).deletingLastPathComponent }
  }

  /// The remotes of this user (none when the file is not there yet).
  package static func load(variable: (String) -> String? = processVariable) throws(RemoteConfigError) -> RemoteConfig {
    guard let folder = standardFolder(variable: variable) else { throw .noUserFolder(variable: "XDG_CONFIG_HOME") }
    return try load(folder: folder)
  }

  /// The remotes kept in `folder`.
  package static func load(folder: String) throws(RemoteConfigError) -> RemoteConfig {
    let path = folder + "/" + remotesFile
    guard let data = try PrivateFiles.read(path) else { return RemoteConfig(folder: folder) }
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: data)
    } catch {
      throw .invalidFile(path: path, problem: "is not the remotes file Accord writes (\(decodingProblem(error)))")
    }
    return RemoteConfig(folder: folder, remotes: file.remotes, current: file.current)
  }

  /// Writes `remotes.json`, mode 0600 in a 0700 folder.
  package func save() throws(RemoteConfigError) {
    try PrivateFiles.write(File(remotes: remotes, current: current), to: remotesPath, folder: folder)
  }

  /// The remote named `name`, or an error naming the known ones and the nearest.
  package func remote(named name: String) throws(RemoteConfigError) -> Remote {
    guard let entry = remotes[name] else {
      throw .unknownRemote(name: name, known: names, suggestion: closestMatch(to: name, among: names))
    }
    guard let url = URL(string: entry.url) else {
      throw .invalidFile(path: remotesPath, problem: "the address of '\(name)' is not a URL: \(entry.url)")
    }
    return Remote(name: name, url: url)
  }

  /// Which remote a command goes to: `flag` (`--remote`), else `$ACCORD_REMOTE`, else the
  /// current one (`accord remote use`). Nil: none, the command works on the folder or the
  /// database. An empty flag or variable means none, whatever is current.
  package func selected(flag: String?, variable: (String) -> String? = processVariable) -> String? {
    Self.chosen(flag: flag, variable: variable) ?? current
  }

  /// `selected(flag:)`, reading `remotes.json` only when the flag and `$ACCORD_REMOTE` are
  /// both absent (most commands, on a folder, never open it).
  package static func selected(flag: String?, variable: (String) -> String? = processVariable)
    throws(RemoteConfigError) -> String?
  {
    if let chosen = chosen(flag: flag, variable: variable) { return chosen }
    guard let folder = standardFolder(variable: variable) else { return nil }
    return try load(folder: folder).current
  }

  /// The remote the flag or the variable names: nil when neither is given; `.some(nil)`
  /// when the one that counts is empty (none).
  private static func chosen(flag: String?, variable: (String) -> String?) -> String?? {
    guard let given = flag ?? variable("ACCORD_REMOTE") else { return nil }
    return .some(given.isEmpty ? nil : given)
  }

  /// Checks a remote's name: an id of letters, digits, '-' and '_', as a client's is.
  package static func validate(name: String) throws(RemoteConfigError) {
    if name.isEmpty { throw .invalidName(name: name, problem: "it is empty") }
    if name.count > maximumNameLength {
      throw .invalidName(name: name, problem: "it is longer than \(maximumNameLength) characters")
    }
    if let bad = name.unicodeScalars.first(where: { !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")) }) {
      throw .invalidName(
        name: name, problem: "it may hold only letters, digits, '-' and '_' (not U+\(String(format: "%04X", bad.value)))")
    }
    if name.hasPrefix("-") { throw .invalidName(name: name, problem: "it may not begin with '-'") }
  }

  /// The remotes' replica folders' parent: `$XDG_DATA_HOME/accord/remotes`.
  package static let replicasFolder = "remotes"

  /// Where the replica of remote `name` is kept: `$XDG_DATA_HOME/accord/remotes/NAME`
  /// (by default `~/.local/share/accord/remotes/NAME`). Only the path: nothing is made.
  package static func replicaFolder(for name: String, variable: (String) -> String? = processVariable)
    throws(RemoteConfigError) -> URL
  {
    try validate(name: name)
    guard let path = UserFolder.data.path(replicasFolder + "/" + name, variable: variable) else {
      throw .noUserFolder(variable: "XDG_DATA_HOME")
    }
    return URL(fileURLWithPath: path, isDirectory: true)
  }
}

/// A remote by name, with its address.
package struct Remote: Sendable, Equatable {
  package var name: String
  package var url: URL

  package init(name: String, url: URL) {
    self.name = name
    self.url = url
  }

  /// Checks what `remote add` was given and answers it tidied: the scheme and host in
  /// lower case, no trailing '/'. Only http and https, with a host, and nothing that a
  /// request would lose or leak (a query, a fragment, a password).
  package static func address(_ text: String) throws(RemoteConfigError) -> URL {
    guard var parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
      throw .invalidURL(url: text, problem: "it is not a URL (as https://accord.example.com)")
    }
    guard scheme == "http" || scheme == "https" else {
      throw .invalidURL(url: text, problem: "it must begin with https:// (or http://), not \(scheme):")
    }
    guard let host = parts.host, !host.isEmpty else {
      throw .invalidURL(url: text, problem: "it names no host")
    }
    if parts.user != nil || parts.password != nil {
      throw .invalidURL(url: text, problem: "it may not carry a name or password; sign in with accord login")
    }
    if parts.query != nil || parts.fragment != nil {
      throw .invalidURL(url: text, problem: "it may not carry a query or a fragment")
    }
    parts.scheme = scheme
    parts.host = host.lowercased()
    while parts.path.hasSuffix("/") { parts.path.removeLast() }
    guard let url = parts.url else { throw .invalidURL(url: text, problem: "it is not a URL") }
    return url
  }

  /// Whether requests to it stay on this machine.
  package var isLoopback: Bool {
    guard let host = url.host?.lowercased() else { return false }
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
  }

  /// Whether a token sent to it crosses the network in clear: http:// to another machine.
  package var sendsTokenInClear: Bool {
    url.scheme == "http" && !isLoopback
  }
}

/// The two files' reads and writes: regular files only, written whole, 0600 in 0700.
enum PrivateFiles {
  /// The bytes at `path`, or nil when nothing is there.
  static func read(_ path: String) throws(RemoteConfigError) -> Data? {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return nil }
      throw .io(path: path, problem: "cannot look it up: \(String(cString: strerror(errno)))")
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw .invalidFile(path: path, problem: "is not a regular file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .io(path: path, problem: "cannot be read")
    }
    return data
  }

  /// Writes `value` as sorted, indented JSON to `path`, making `folder` (and the config
  /// folder above it) 0700 first.
  static func write(_ value: some Encodable, to path: String, folder: String) throws(RemoteConfigError) {
    try makePrivate(folder)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data: Data
    do {
      data = try encoder.encode(value) + Data("\n".utf8)
    } catch {
      throw .io(path: path, problem: "cannot be encoded: \(error)")
    }
    do {
      try replacePrivateFile(data, at: path)
    } catch {
      throw .io(path: path, problem: error.description)
    }
  }

  /// Makes `folder` (and its parent, when missing) owner-only, and repairs its mode.
  static func makePrivate(_ folder: String) throws(RemoteConfigError) {
    let parent = (folder as NSString).deletingLastPathComponent
    var info = stat()
    if lstat(parent, &info) != 0 {
      // The config folder itself (~/.config) may be missing too; XDG asks 0700 of it.
      try? FileManager.default.createDirectory(
        atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    if lstat(folder, &info) != 0 {
      guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
        throw .io(path: folder, problem: "cannot be created: \(String(cString: strerror(errno)))")
      }
    }
    guard chmod(folder, 0o700) == 0 else {
      throw .io(path: folder, problem: "cannot be made private: \(String(cString: strerror(errno)))")
    }
  }
}

/// A decoding error in a few words.
func decodingProblem(_ error: any Error) -> String {
    if let error = error as? DecodingError {
      switch error {
      case let .dataCorrupted(context), let .keyNotFound(_, context), let .typeMismatch(_, context),
        let .valueNotFound(_, context):
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
      @unknown default: break
      }
    }
    return "\(error)"
}
