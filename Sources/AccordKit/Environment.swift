import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What `accord` reads from its surroundings: environment variables, the login name, the
/// terminal. Kept in one place so the commands stay thin.
package enum Environment {
  /// A non-empty environment variable.
  package static func value(_ name: String) -> String? {
    // getenv, not ProcessInfo's environment, which copies every variable on each call.
    guard let pointer = getenv(name) else { return nil }
    let value = String(cString: pointer)
    return value.isEmpty ? nil : value
  }

  package static var loginName: String {
    if let name = value("USER") ?? value("LOGNAME") { return name }
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return "unknown"
  }

  /// How long to wait for a client locked by another process.
  package static var lockTimeout: Duration {
    guard let text = value("ACCORD_LOCK_TIMEOUT"), let seconds = Double(text), seconds >= 0 else {
      return .seconds(10)
    }
    return .milliseconds(Int64(seconds * 1000))
  }

  /// Colour only on a terminal, and never with NO_COLOR set.
  static var useColour: Bool {
    getenv("NO_COLOR") == nil && isatty(STDOUT_FILENO) == 1
      && value("TERM") != "dumb"
  }

  /// Who holds a lock, written into the lock file for whoever waits on it.
  package static func holder(_ person: String, _ command: String) -> String {
    "accord \(command) by \(person) (pid \(getpid()))"
  }
}
