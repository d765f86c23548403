import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import ProgrammeEngine
import WorkspaceStore

/// The workspace as the server uses it: every read and change is for a `Viewer`, and a client
/// the viewer was not given is answered exactly as one that does not exist, so a guessed
/// id tells nobody whether it is there.
///
/// The same store, locks and re-read-before-rename as the CLI (`Desk`), so the CLI and the
/// server work on one workspace at once without losing an update. Blocking file work runs
/// on NIO's thread pool.
struct WebDesk: Sendable {
  let workspace: Workspace
  /// The clients read so far, each with the stamp its file had: a read whose file still has
  /// that stamp (one `lstat`) is answered from memory; any write, by the server or the CLI,
  /// renames a new file into place, and the next read reads it.
  private let cache = ProgrammeCache()

  init(workspace: Workspace) {
    self.workspace = workspace
  }

  /// Thrown for a client the viewer may not see or that is not there.
  struct NoSuchClient: Error, Sendable {
    var client: String
  }

  /// The ids of the clients `viewer` may see, sorted.
  func clients(for viewer: Viewer) async throws -> [ClientID] {
    try await blocking { try workspace.clientIDs() }.filter { viewer.sees($0.rawValue) }
  }

  /// The client's id, checked, once the viewer may see it.
  func id(_ text: String, for viewer: Viewer) throws -> ClientID {
    guard viewer.sees(text), let id = try? ClientID(text) else { throw NoSuchClient(client: text) }
    return id
  }

  /// The client's record and programme, for a viewer who may see it.
  func load(_ client: String, for viewer: Viewer) async throws -> (record: ClientRecord, programme: Programme) {
    let id = try id(client, for: viewer)
    do {
      return try await blocking { [workspace, cache] in
        // Taken before the read: if the file changes in between, the stamp kept is the older
        // one, and the next read reads the file again.
        guard let stamp = try workspace.stamp(of: id) else { throw StoreError.noSuchClient(path: id.rawValue) }
        if let hit = cache.entry(id, stamp: stamp) { return hit }
        let loaded = try workspace.programme(id)
        cache.keep(id, stamp: stamp, loaded)
        return loaded
      }
    } catch StoreError.noSuchClient {
      throw NoSuchClient(client: client)
    }
  }

  /// Applies the change `decide` picks, by the viewer as themselves, recorded as made through
  /// `via`. Returns the programme before and after.
  func apply(
    to client: String, as viewer: Viewer, via channel: Via, note: String? = nil,
    _ decide: @escaping @Sendable (Programme) throws -> Change
  ) async throws -> (before: Programme, after: Programme) {
    let id = try id(client, for: viewer)
    let desk = Desk(workspace: workspace)
    do {
      return try await blocking {
        try desk.apply(to: id, by: viewer.person, note: note, via: channel, printedBy: viewer.printedBy, decide)
      }
    } catch StoreError.noSuchClient {
      throw NoSuchClient(client: client)
    }
  }
}

/// Clients as last read, by the stamp of the file they were read from.
final class ProgrammeCache: Sendable {
  private let entries = NIOLockedValueBox<[ClientID: Entry]>([:])

  struct Entry {
    var stamp: FileStamp
    var record: ClientRecord
    var programme: Programme
  }

  /// At most this many clients are kept; past it the table is emptied and fills again.
  static let capacity = 2_000

  func entry(_ id: ClientID, stamp: FileStamp) -> (record: ClientRecord, programme: Programme)? {
    entries.withLockedValue { table in
      guard let entry = table[id], entry.stamp == stamp else { return nil }
      return (entry.record, entry.programme)
    }
  }

  func keep(_ id: ClientID, stamp: FileStamp, _ loaded: (record: ClientRecord, programme: Programme)) {
    entries.withLockedValue { table in
      if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
      table[id] = Entry(stamp: stamp, record: loaded.record, programme: loaded.programme)
    }
  }
}
