import AccordKit
import ArgumentParser
import Foundation
import PostgresStore

/// `--database`: the PostgreSQL database a firm's Accord keeps its records in.
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The PostgreSQL database: postgresql://user@host[:port]/database.",
      discussion: """
        Defaults to $ACCORD_DATABASE. Give the password in $ACCORD_DATABASE_PASSWORD (or \
        inside $ACCORD_DATABASE), not on the command line, where other people on the machine \
        can read it. Add ?sslmode=require to insist on TLS with the server's certificate \
        verified (the default, prefer, uses TLS when the server offers it).
        """,
      valueName: "url"))
  var database: String?

  /// The address given (the flag, else the environment), its password from the environment
  /// when it carries none; a usage error when there is none.
  func address(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresAddress {
    guard let text = database ?? environment["ACCORD_DATABASE"], !text.isEmpty else {
      throw UsageError("no database given: pass --database postgresql://user@host/database or set ACCORD_DATABASE")
    }
    return try Self.address(text, environment: environment)
  }

  static func address(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws
    -> PostgresAddress
  {
    var address: PostgresAddress
    do {
      address = try PostgresAddress(parsing: text)
    } catch {
      throw UsageError(error.description)
    }
    if address.password == nil, let password = environment["ACCORD_DATABASE_PASSWORD"], !password.isEmpty {
      address.password = password
    }
    return address
  }
}

/// Opens the database at `address`, hands it to `body`, and closes it whatever `body` did:
/// the open and shutdown every command on a database needs.
func withDatabase<T>(_ address: PostgresAddress, _ body: (PostgresStore) async throws -> T) async throws -> T {
  let store = try await PostgresStore.open(address)
  do {
    let result = try await body(store)
    await store.shutdown()
    return result
  } catch {
    await store.shutdown()
    throw error
  }
}
