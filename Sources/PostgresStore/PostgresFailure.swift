import Foundation
import PostgresNIO
import ProgrammeEngine
import WorkspaceStore

/// The database's errors said the store's way (`StoreFailure`): a plain sentence, never the
/// password (PostgreSQL does not echo it, and the address is shown without it), nor a
/// dump of NIO's types.
enum PostgresFailure {
  /// A write that another writer's got in before, found by the database's unique keys
  /// rather than by the row lock (two servers racing, or a row lock bypassed by hand).
  enum Raced: Error {
    /// An event with this id is in the history already.
    case eventID(String)
    /// Another event took the position.
    case position
  }

  /// `error`, from a read or write of client `client` (nil: of the store as a whole), at `place`.
  static func failure(_ error: any Error, place: String, client: String? = nil) -> StoreFailure {
    switch error {
    case let failure as StoreFailure: return failure
    case let error as StoreError: return StoreFailure(error, client: client)
    case let refusal as Refusal:
      if case let .duplicateEvent(id) = refusal, let client { return .duplicateEvent(client: client, id: id) }
      return .damaged(client: client, problem: refusal.description)
    case let error as PSQLError: return failure(error, place: place, client: client)
    case let error as PostgresDecodingError:
      return .damaged(
        client: client, problem: "column \(error.columnName) does not hold what Accord keeps there (\(error.code))")
    case is CancellationError: return .interrupted
    default:
      // The pool's own errors (it gave up connecting after a minute), NIO's.
      return .unavailable(problem: "the database \(place) did not answer")
    }
  }

  private static func failure(_ error: PSQLError, place: String, client: String?) -> StoreFailure {
    switch error.code {
    case .server:
      let state = error.serverInfo?[.sqlState] ?? ""
      let message = error.serverInfo?[.message] ?? "an error"
      let constraint = error.serverInfo?[.constraintName]
      if state == "23505", let client {
        // The unique keys stand behind the row lock; `create` meets the first one.
        if constraint == "clients_pkey" { return .clientExists(client: client) }
      }
      if state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" {
        return .unavailable(problem: "the database \(place) refused the connection: \(message)")
      }
      if state.hasPrefix("28") || state == "3D000" {
        return .unavailable(problem: "could not sign in to \(place): \(message)")
      }
      if state == "42P01" {
        return .unavailable(
          problem: "the database \(place) lacks Accord's tables (\(message)); run 'accord db migrate'")
      }
      return .unavailable(problem: "the database \(place) refused: \(message) (SQLSTATE \(state))")
    case .connectionError:
      return .unavailable(problem: "could not connect to \(place)\(reason(error.underlying))")
    case .serverClosedConnection, .uncleanShutdown:
      return .unavailable(problem: "the database \(place) closed the connection")
    case .sslUnsupported:
      return .unavailable(problem: "the database \(place) does not offer TLS, which sslmode=require needs")
    case .authMechanismRequiresPassword:
      return .unavailable(problem: "the database \(place) asks for a password, and its address gives none")
    case .queryCancelled: return .interrupted
    case .poolClosed, .clientClosedConnection:
      return .unavailable(problem: "the connection to \(place) was closed (the store was shut down)")
    default:
      return .unavailable(problem: "the database \(place) failed: \(error.code)")
    }
  }

  /// The system's reason a connection failed, in a few words: ": connection refused".
  private static func reason(_ underlying: (any Error)?) -> String {
    guard let underlying else { return "" }
    if let error = underlying as? IOError { return ": \(String(cString: strerror(error.errnoCode)).lowercased())" }
    if let error = underlying as? NIOConnectionError, let first = error.connectionErrors.first?.error as? IOError {
      return ": \(String(cString: strerror(first.errnoCode)).lowercased())"
    }
    if underlying is NIOConnectionError { return ": no address answered" }
    return ""
  }

  /// What a unique key's refusal of an append was: which event id, or the position.
  static func raced(_ error: any Error) -> Raced? {
    guard let error = error as? PSQLError, error.code == .server, error.serverInfo?[.sqlState] == "23505" else {
      return nil
    }
    switch error.serverInfo?[.constraintName] {
    case "events_client_id":
      // "Key (client, id)=(acme, 0f3c...) already exists."
      let detail = error.serverInfo?[.detail] ?? ""
      if let open = detail.range(of: ")=("), let close = detail.range(of: ")", options: .backwards) {
        let values = detail[open.upperBound..<close.lowerBound]
        if let comma = values.lastIndex(of: ",") {
          return .eventID(values[values.index(after: comma)...].trimmingCharacters(in: .whitespaces))
        }
      }
      return .eventID("?")
    case "events_pkey": return .position
    default: return nil
    }
  }
}
