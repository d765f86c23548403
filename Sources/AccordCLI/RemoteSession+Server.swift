import AccordKit
import AccordRemote
import Foundation

extension RemoteSession {
  /// Asks the session's server for what only it does (`start`, `certificate`, `survey open`
  /// and `survey close`): `call` over its transport, waited for. A server that cannot be
  /// reached is refused here, with nothing done on this laptop: `server-only`, exit 1, with
  /// the sentence `unreachable` makes of the reason.
  static func onServer<T>(
    _ session: Session, unreachable: @escaping (_ reason: String) -> String,
    _ call: @escaping (any RemoteTransport) async throws -> T
  ) throws -> T {
    try BlockingBridge.wait { try await awaitingServer(session, unreachable: unreachable, call) }
  }

  /// `onServer` for a command that runs asynchronously (`invite`): awaited, not waited for,
  /// since an async command need not block its thread on its own work.
  static func awaitingServer<T>(
    _ session: Session, unreachable: (_ reason: String) -> String,
    _ call: (any RemoteTransport) async throws -> T
  ) async throws -> T {
    do {
      return try await call(session.transport)
    } catch let RemoteFailure.unreachable(reason) {
      throw CommandRefusal(code: "server-only", description: unreachable(reason))
    }
  }

  /// After the server changed a client for `command`: the copy brought up to date (the sync
  /// a command on a remote begins with, run now), so that `next` and `status` on it show
  /// the change. A sync that fails is said on standard error, not thrown: what the server
  /// did stands, and the command still shows it.
  static func catchUp(for command: String, person: String, json: Bool) {
    do {
      _ = try open(for: command, person: person)
    } catch {
      Report(error)?.print(json: json)
    }
  }
}
