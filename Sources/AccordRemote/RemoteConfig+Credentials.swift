import Foundation
import Glibc

/// Who this user is signed in as on a remote: kept in `credentials.json`, by remote name.
package struct Credentials: Codable, Sendable, Equatable {
  /// The person the token acts as.
  package var person: String
  /// The bearer token. Never printed.
  package var token: String
  /// When the token stops working (as the server said it), nil when it does not say.
  package var expires: String?

  package init(person: String, token: String, expires: String?) {
    self.person = person
    self.token = token
    self.expires = expires
  }

  /// Whether `expires` is a time before `now`; false when it cannot be read as one.
  package func hasExpired(now: Date = Date()) -> Bool {
    guard let expires, let date = Self.time(expires) else { return false }
    return date <= now
  }

  /// An ISO 8601 time, with or without fractions of a second.
  static func time(_ text: String) -> Date? {
    let plain = ISO8601DateFormatter()
    if let date = plain.date(from: text) { return date }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text)
  }
}

extension RemoteConfig {
  /// The file that holds the tokens.
  package static let credentialsFile = "credentials.json"

  /// The path of `credentials.json`.
  package var credentialsPath: String { folder + "/" + Self.credentialsFile }

  /// Every remote's credentials, after checking that the file is this user's alone: a
  /// file others can read is refused, with how to fix it.
  package func allCredentials() throws(RemoteConfigError) -> [String: Credentials] {
    let path = credentialsPath
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return [:] }
      throw .io(path: path, problem: "cannot look it up: \(String(cString: strerror(errno)))")
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw .invalidFile(path: path, problem: "is not a regular file")
    }
    guard info.st_uid == geteuid() else {
      throw .insecureFile(path: path, problem: "belongs to another user (uid \(info.st_uid)); remove it and sign in again")
    }
    let mode = info.st_mode & 0o777
    guard mode & 0o077 == 0 else {
      throw .insecureFile(
        path: path,
        problem: "can be read or written by others (mode \(String(mode, radix: 8))): it must be 0600. "
          + "Fix it with chmod 600 \(path), and since others could read its tokens, sign in again "
          + "(accord logout, accord login) and have the old tokens revoked")
    }
    guard let data = try PrivateFiles.read(path) else { return [:] }
    do {
      return try JSONDecoder().decode([String: Credentials].self, from: data)
    } catch {
      throw .invalidFile(path: path, problem: "is not the credentials file Accord writes (\(decodingProblem(error)))")
    }
  }

  /// The credentials of remote `name`: "not signed in" when there are none, and when the
  /// token has expired (as the server said when it was kept), that it has.
  package func credentials(for name: String, now: Date = Date()) throws(RemoteConfigError) -> Credentials {
    guard let credentials = try allCredentials()[name] else { throw .notSignedIn(name: name) }
    if credentials.hasExpired(now: now) {
      throw .signInExpired(name: name, person: credentials.person, expires: credentials.expires ?? "")
    }
    return credentials
  }

  /// Keeps `credentials` for remote `name`, replacing any it had.
  package func keep(_ credentials: Credentials, for name: String) throws(RemoteConfigError) {
    var all = try allCredentials()
    all[name] = credentials
    try PrivateFiles.write(all, to: credentialsPath, folder: folder)
  }

  /// Forgets the credentials of remote `name`; answers those forgotten, nil when there were none.
  @discardableResult
  package func forget(_ name: String) throws(RemoteConfigError) -> Credentials? {
    var all = try allCredentials()
    guard let gone = all.removeValue(forKey: name) else { return nil }
    try PrivateFiles.write(all, to: credentialsPath, folder: folder)
    return gone
  }

  /// The transport to remote `name` as its signed-in person: what `sync` and every
  /// command sent to a remote talk through.
  package func transport(for name: String, now: Date = Date()) throws(RemoteConfigError) -> HTTPRemote {
    let remote = try remote(named: name)
    let credentials = try credentials(for: name, now: now)
    return HTTPRemote(base: remote.url, token: credentials.token)
  }
}
