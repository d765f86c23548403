import Foundation
import PostgresNIO

/// Where a PostgreSQL database is and how to sign in to it, read from a connection string:
/// `postgresql://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
///
/// The password is kept for signing in and for nothing else: `description` (the store's
/// `place`, every message) leaves it out.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
  /// How the connection is encrypted, as libpq's `sslmode` names it.
  public enum TLSMode: String, Sendable, CaseIterable {
    /// Never: for a database on the same machine or a private network.
    case disable
    /// TLS when the server offers it (the default, as libpq's).
    case prefer
    /// TLS or no connection, the server's certificate verified (libpq's `verify-full`:
    /// Accord does not offer TLS without verification).
    case require
  }

  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String
  public var tls: TLSMode
  /// Whether the text named `sslmode`, so that `description` shows it as it was given.
  private var tlsNamed: Bool

  public init(
    host: String, port: Int = 5432, username: String, password: String? = nil, database: String,
    tls: TLSMode = .prefer
  ) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
    self.tls = tls
    self.tlsNamed = tls != .prefer
  }

  /// A connection string that is not one: a usage error, for the caller to report as such.
  public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text, its password (if any) replaced by `***`.
    public let text: String
    /// What is wrong with it.
    public let problem: String

    public var description: String {
      "'\(text)' is not a PostgreSQL address (\(problem)); write postgresql://user[:password]@host[:port]/database"
    }
  }

  /// Reads a connection string; the problem is said without the password.
  public init(parsing text: String) throws(Invalid) {
    func refuse(_ problem: String) -> Invalid {
      Invalid(text: Self.withoutPassword(text), problem: problem)
    }
    guard let url = URLComponents(string: text) else { throw refuse("it does not parse as a URL") }
    guard let scheme = url.scheme, ["postgresql", "postgres"].contains(scheme.lowercased()) else {
      throw refuse("it does not start with postgresql://")
    }
    guard let host = url.host, !host.isEmpty else { throw refuse("it names no host") }
    guard let username = url.user, !username.isEmpty else { throw refuse("it names no user") }
    let database = String(url.path.drop(while: { $0 == "/" }))
    guard !database.isEmpty, !database.contains("/") else { throw refuse("it names no database") }
    if let port = url.port, !(1...65_535).contains(port) { throw refuse("\(port) is not a port") }
    var tls = TLSMode.prefer
    var named = false
    for item in url.queryItems ?? [] {
      guard item.name == "sslmode" else { throw refuse("Accord reads no option '\(item.name)'") }
      let value = item.value ?? ""
      // libpq's strictest mode is what `require` does here.
      guard let mode = value == "verify-full" ? .require : TLSMode(rawValue: value) else {
        throw refuse("sslmode '\(value)' is not one of disable, prefer, require")
      }
      tls = mode
      named = true
    }
    self.init(
      host: host, port: url.port ?? 5432, username: username,
      password: url.password.flatMap { $0.isEmpty ? nil : $0 }, database: database, tls: tls)
    tlsNamed = named
  }

  /// The address as people see it: the connection string without the password.
  public var description: String {
    var components = URLComponents()
    components.scheme = "postgresql"
    components.user = username
    components.host = host
    components.port = port
    components.path = "/" + database
    if tlsNamed { components.queryItems = [URLQueryItem(name: "sslmode", value: tls.rawValue)] }
    return components.string ?? "postgresql://\(host):\(port)/\(database)"
  }

  /// `text` with whatever stands between `:` and `@` after the scheme's `//` taken out, for a
  /// message about a text that did not parse.
  static func withoutPassword(_ text: String) -> String {
    guard let start = text.range(of: "//"), let at = text[start.upperBound...].lastIndex(of: "@") else { return text }
    let credentials = text[start.upperBound..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":***" + String(text[at...])
  }

  func tlsConfiguration() throws -> PostgresConnection.Configuration.TLS {
    switch tls {
    case .disable: return .disable
    case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
    case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
    }
  }

  func poolTLS() -> PostgresClient.Configuration.TLS {
    switch tls {
    case .disable: .disable
    case .prefer: .prefer(.makeClientConfiguration())
    case .require: .require(.makeClientConfiguration())
    }
  }

  /// A single connection's configuration (for migrating, and for the check on opening).
  func connectionConfiguration() throws -> PostgresConnection.Configuration {
    PostgresConnection.Configuration(
      host: host, port: port, username: username, password: password, database: database, tls: try tlsConfiguration())
  }

  /// The pool's configuration.
  func clientConfiguration() -> PostgresClient.Configuration {
    PostgresClient.Configuration(
      host: host, port: port, username: username, password: password, database: database, tls: poolTLS())
  }
}
