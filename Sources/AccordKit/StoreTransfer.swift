import Foundation
import WorkspaceStore

/// Moves a firm's records from one store to another (a workspace folder into PostgreSQL,
/// or back): every client as it was kept (`ClientStore.adopt`: format, revision and chain
/// unchanged, so a round trip gives each client's file back byte for byte), and the access
/// book and the settings when the destination has none of its own yet.
///
/// A client is read whole and checked at the source before it is kept: a damaged one is
/// reported and left behind, never copied. A client id the destination already has is
/// refused for that client and said so; the others are still moved.
package enum StoreTransfer {
  /// What happened to one client.
  package enum Outcome: Equatable, Sendable {
    /// Kept at the destination, with this many events.
    case moved(events: Int)
    /// The destination already has a client with this id: it was left as it is.
    case exists
    /// It could not be read at the source, or kept at the destination.
    case failed(StoreFailure)
  }

  /// What a transfer did.
  package struct Result: Sendable {
    package var clients: [(id: ClientID, outcome: Outcome)] = []
    /// Whether the access book and the settings were moved; nil when the source has none
    /// to move, false when the destination has its own (left as they are).
    package var access: Bool?
    package var settings: Bool?

    package var moved: Int { clients.count { if case .moved = $0.outcome { true } else { false } } }
    package var refused: Int { clients.count - moved }
  }

  /// Moves `clients` (every client of `source` when nil) to `destination`, telling
  /// `progress` after each one (done, of how many).
  package static func move(
    from source: any ClientStore, to destination: any ClientStore, clients: [ClientID]? = nil,
    compiled: CompiledPlaybooks? = nil, progress: (Int, Int) -> Void = { _, _ in }
  ) async throws(StoreFailure) -> Result {
    let ids: [ClientID]
    if let clients { ids = clients } else { ids = try await source.clientIDs() }
    var result = Result()
    // The settings first: a store that keeps what a list shows of each client works out
    // its dates in the zone they name.
    result.settings = try await moveSettings(from: source, to: destination)
    for (index, id) in ids.enumerated() {
      let outcome: Outcome
      do throws(StoreFailure) {
        let record = try await source.load(id)
        // Its whole chain and its replay, as any read checks them: nothing damaged is moved.
        _ = try record.verifiedProgramme(compiled: compiled)
        try await destination.adopt(record)
        outcome = .moved(events: record.events.count)
      } catch .clientExists {
        outcome = .exists
      } catch let failure {
        // The destination not answering ends the move; a client that cannot be read at
        // the source is that client's problem only.
        if case .unavailable = failure { throw failure }
        outcome = .failed(failure)
      }
      result.clients.append((id, outcome))
      progress(index + 1, ids.count)
    }
    result.access = try await moveAccess(from: source, to: destination)
    return result
  }

  private static func moveAccess(from source: any ClientStore, to destination: any ClientStore)
    async throws(StoreFailure) -> Bool?
  {
    let book = try await source.accessBook()
    guard book != AccessBook() else { return nil }
    do {
      return try await destination.updateAccessBook { kept in
        guard kept == AccessBook() else { return false }
        kept = book
        return true
      }
    } catch let failure as StoreFailure {
      throw failure
    } catch {
      throw .unavailable(problem: "\(error)")
    }
  }

  private static func moveSettings(from source: any ClientStore, to destination: any ClientStore)
    async throws(StoreFailure) -> Bool?
  {
    let settings = try await source.settings()
    guard settings != WorkspaceSettings() else { return nil }
    do {
      return try await destination.updateSettings { kept in
        guard kept == WorkspaceSettings() else { return false }
        kept = settings
        return true
      }
    } catch let failure as StoreFailure {
      throw failure
    } catch {
      throw .unavailable(problem: "\(error)")
    }
  }
}
