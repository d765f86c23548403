import Foundation
import ProgrammeEngine
import WorkspaceStore

/// A change to one client of a `ClientStore` another process may be changing too (a
/// database two servers and the CLI share): read, verified, decided, and appended after the
/// length it was decided against; when another append got there first (`.lengthTaken`),
/// read and decided again on the history that append left, up to `attempts` times, then
/// refused as a lost race (exit 75, HTTP 409) with nothing written.
///
/// The one loop every front end runs on a store, so the CLI and the server decide again
/// alike. `body` is called once per attempt, on the programme as read then: it must decide
/// from that programme alone, and its refusal (the change no longer applies) is the answer.
package enum StoreChange {
  /// How many times a change is decided before a lost race is given up on.
  package static let attempts = 8

  /// What a change kept: the record as the store kept it, the programme before and after,
  /// and what `body` answered on the attempt that was kept.
  package struct Kept<T> {
    package var record: ClientRecord
    package var before: Programme
    package var after: Programme
    package var result: T
  }

  /// Changes client `id` in `store` by `body`, with `upgradedTo` in force when the change
  /// is an upgrade. `lostRace` is told of each append another got in before (the server
  /// counts them). `interrupted` is asked before each append (the CLI's Ctrl-C): a stop
  /// asked for by then keeps nothing (`.interrupted`). Throws the store's failure
  /// (`.lengthTaken` after the last attempt) or `body`'s.
  /// `read`, when given, reads the client with its verified programme from a memory that
  /// holds it (the server's), instead of loading and replaying it from the store.
  package static func run<T>(
    _ id: ClientID, in store: any ClientStore, compiled: CompiledPlaybooks?, upgradedTo: StoredPlaybook? = nil,
    attempts: Int = attempts, read: ((ClientID) async throws -> (record: ClientRecord, programme: Programme))? = nil,
    lostRace: () -> Void = {}, interrupted: () -> Bool = { false },
    _ body: (inout Programme) throws -> T
  ) async throws -> Kept<T> {
    var attempt = 0
    while true {
      attempt += 1
      var before: Programme?
      // Verified, changed, and an old client's text sealed on its first change, exactly as
      // the folder's change does.
      let decide: (inout Programme) throws -> T = { programme in
        before = programme
        return try body(&programme)
      }
      let length: Int
      let (next, after, result): (ClientRecord, Programme, T)
      if let read {
        let held = try await read(id)
        length = held.record.events.count
        (next, after, result) = try held.record.changed(
          verified: held.programme, compiled: compiled, upgradedTo: upgradedTo, decide)
      } else {
        let loaded = try await store.load(id)
        length = loaded.events.count
        (next, after, result) = try loaded.changed(compiled: compiled, upgradedTo: upgradedTo, decide)
      }
      if interrupted() { throw StoreFailure.interrupted }
      do {
        let kept = try await store.append(next, after: length, programme: after)
        return Kept(record: kept, before: before!, after: after, result: result)
      } catch let failure {
        guard case .lengthTaken = failure, attempt < attempts else { throw failure }
        lostRace()
        // Another change got in first: a short pause, longer each time, so that two writers
        // that keep meeting fall out of step.
        try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
      }
    }
  }
}
