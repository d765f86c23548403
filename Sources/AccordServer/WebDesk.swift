import AccordKit
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOPosix
import ProgrammeEngine
import WorkspaceStore

/// The workspace as the server uses it: every read and change is for a `Viewer`, and a client
/// the viewer was not given is answered exactly as one that does not exist, so a guessed
/// id tells nobody whether it is there.
///
/// The same store, locks and re-read-before-rename as the CLI (`Desk`), so the CLI and the
/// server work on one workspace at once without losing an update.
///
/// Each client's last committed state is kept in memory (`ProgrammeCache`): a read whose
/// file still has the stamp kept (one `lstat`, on the request's own thread) is answered from
/// it, and the server's own writes keep what they wrote, so a read never re-reads a file
/// the server just wrote, and a write does not decode it again either. A file changed
/// outside the server (by the CLI) has another stamp, and is read again. Reads that must
/// touch the disk run on NIO's thread pool, writes on a pool of their own: a read never
/// waits behind a write's lock or flush.
struct WebDesk: Sendable {
  let workspace: Workspace
  private let cache = ProgrammeCache()
  private let writers = ClientTurns()

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
      // A file whose stamp is the one kept is answered at once, without a thread hop.
      if let kept = try cache.fresh(id, in: workspace) { return (kept.record, kept.programme) }
      let loaded = try await blocking { [workspace, cache] in try cache.current(id, in: workspace) }
      return (loaded.record, loaded.programme)
    } catch StoreError.noSuchClient {
      throw NoSuchClient(client: client)
    }
  }

  /// The client's programme as its file holds it now, from memory when the file is the one
  /// kept. Blocking: for work already on the thread pool (the lists).
  func programme(_ id: ClientID) throws -> Programme {
    try cache.current(id, in: workspace).programme
  }

  /// Applies the change `decide` picks, by the viewer as themselves, recorded as made through
  /// `via`, as the event `id` (an API request's `Idempotency-Key`; nil for a new id). Returns
  /// the programme before and after.
  func apply(
    to client: String, as viewer: Viewer, via channel: Via, note: String? = nil, id eventID: String? = nil,
    _ decide: @escaping @Sendable (Programme) throws -> Change
  ) async throws -> (before: Programme, after: Programme) {
    let id = try id(client, for: viewer)
    let person = viewer.person
    let printedBy = viewer.printedBy
    do {
      let answer = try await writing { [workspace, cache, writers] in
        Interruption.deferStop()
        // The server's writers to one client take turns here, handed on at once, and only
        // one of them at a time waits on the file lock (which polls) beside the CLI.
        return try writers.turn(id) {
          try workspace.change(id, memory: cache) { programme in
            let before = programme
            try Desk.record(
              try decide(before), by: person, at: Date(), note: note, via: channel, printedBy: printedBy,
              id: eventID, in: &programme)
            return (before, programme)
          }.result
        }
      }
      ServerMetrics.appends.increment()
      return answer
    } catch StoreError.noSuchClient {
      throw NoSuchClient(client: client)
    } catch let error as StoreError {
      switch error {
      case .locked, .changedOnDisk: ServerMetrics.lostRaces.increment()
      default: break
      }
      throw error
    }
  }
}

extension WebDesk {
  /// The first attempt of a change sent again under `id`: the event the history holds with
  /// that id, and the programme before and after it, as the first attempt answered them.
  /// Nil when no event has the id.
  func firstAttempt(of id: String, in client: String, for viewer: Viewer) async throws -> FirstAttempt? {
    let (record, programme) = try await load(client, for: viewer)
    guard let position = programme.position(ofEventID: id) else { return nil }
    let compiled = workspace.compiled
    return try await blocking {
      // Replayed from the record: the history up to the event, and with it. The `started`
      // event is no change the API makes.
      guard position > 0, let before = record.programme(after: position, compiled: compiled),
        let after = record.programme(after: position + 1, compiled: compiled)
      else { throw Refusal.duplicateEvent(id: id) }
      return FirstAttempt(event: after.history[position], before: before, after: after)
    }
  }

  /// A change already made under an id, as `firstAttempt(of:in:for:)` finds it.
  struct FirstAttempt: Sendable {
    var event: Event
    /// The programme before the event and after it.
    var before: Programme
    var after: Programme
  }
}

/// Each client's last committed state as the server read or wrote it, with the stamp of its
/// file: the server's memory of the workspace (see `WebDesk`).
final class ProgrammeCache: ClientMemory {
  private let entries = NIOLockedValueBox<[ClientID: LoadedClient]>([:])
  /// Each client's file a write of the server's is about to put in place (see `expect`).
  private let coming = NIOLockedValueBox<[ClientID: LoadedClient]>([:])

  /// At most this many clients are kept; past it the table is emptied and fills again.
  static let capacity = 5_000

  func recall(_ id: ClientID) -> LoadedClient? {
    entries.withLockedValue { $0[id] }
  }

  /// Keeps `client`, unless a later revision of the same client is kept already (a read that
  /// began before a write and ended after it).
  func expect(_ id: ClientID, _ client: LoadedClient) {
    coming.withLockedValue { $0[id] = client }
  }

  func keep(_ id: ClientID, _ client: LoadedClient) {
    coming.withLockedValue { coming in
      if coming[id]?.stamp == client.stamp { coming[id] = nil }
    }
    entries.withLockedValue { table in
      if let kept = table[id], kept.record.uid == client.record.uid, kept.record.revision > client.record.revision {
        return
      }
      if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
      table[id] = client
    }
  }

  /// The client kept, when its file still has the stamp it was kept with (one `lstat`);
  /// nil when it must be read. Throws `.noSuchClient` when the file is gone.
  func fresh(_ id: ClientID, in workspace: Workspace) throws -> LoadedClient? {
    guard let stamp = try workspace.stamp(of: id) else { throw StoreError.noSuchClient(path: id.rawValue) }
    if let kept = recall(id), kept.stamp == stamp { return kept }
    // The file a write is putting in place at this moment: recognised by its stamp (a
    // write that failed leaves a stamp no file at the path has).
    if let next = coming.withLockedValue({ $0[id] }), next.stamp == stamp { return next }
    return nil
  }

  /// The client as its file holds it now: kept, or read and kept.
  func current(_ id: ClientID, in workspace: Workspace) throws -> LoadedClient {
    if let kept = try fresh(id, in: workspace) { return kept }
    ServerMetrics.reloads.increment()
    let loaded = try workspace.loadClient(id)
    keep(id, loaded)
    return loaded
  }
}

/// One lock per client for the server's own writers, so that they queue in memory rather
/// than each polling the client's file lock.
final class ClientTurns: Sendable {
  private let locks = NIOLockedValueBox<[ClientID: NIOLock]>([:])

  func turn<T>(_ id: ClientID, _ body: () throws -> T) rethrows -> T {
    let lock = locks.withLockedValue { locks in
      if let lock = locks[id] { return lock }
      let lock = NIOLock()
      locks[id] = lock
      return lock
    }
    return try lock.withLock(body)
  }
}

/// Runs a change (a lock, a read, a flushed write) on the server's pool for writes, so that
/// reads on NIO's own pool never queue behind one.
func writing<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await writePool.runIfActive(body)
}

/// The server's threads for writes: enough for writers to several clients at once, each
/// mostly waiting on a lock or a flush.
private let writePool: NIOThreadPool = {
  let pool = NIOThreadPool(numberOfThreads: 4)
  pool.start()
  return pool
}()
