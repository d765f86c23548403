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
///
/// On a database (`accord serve --database`) the same calls read and write through the
/// `ClientStore`, with a memory of their own (`StoreMemory`): a read asks the store the
/// client's length, and answers from memory when it is the one held, else brings the
/// client forward by the events since; the change feed's follower (`MemoryFollower`) does
/// the same as other processes' events commit. A change is decided on the programme held,
/// appended after the length it was decided against with the programme it leaves (so the
/// store neither reloads nor replays), and decided again on the fresh history when another
/// server's append got there first.
struct WebDesk: Sendable {
  /// Where the clients are kept: the routes never ask which.
  enum Backing: Sendable {
    /// The workspace folder, with the stamp-keyed memory above.
    case folder(Workspace)
    /// A `ClientStore` another server may share (PostgreSQL); `compiled` the playbooks
    /// parsed already, by their text's SHA-256.
    case store(any ClientStore, compiled: CompiledPlaybooks?)
  }

  let backing: Backing
  let cache = ProgrammeCache()
  /// The memory on a store's backing (nil on the folder's, which has `cache`).
  let memory: StoreMemory?

  /// The clients' store, for what every store answers alike (the change feed).
  var store: any ClientStore {
    switch backing {
    case let .folder(workspace): FolderStore(workspace)
    case let .store(store, _): store
    }
  }
  let writers = ClientTurns()

  /// Where answers wait while their round is open (the folder's box, or the database's).
  var surveyBox: (any SurveyBoxStore)? { store as? any SurveyBoxStore }

  init(workspace: Workspace) {
    backing = .folder(workspace)
    memory = nil
  }

  init(store: any ClientStore, compiled: CompiledPlaybooks?) {
    backing = .store(store, compiled: compiled)
    memory = StoreMemory(store: store, compiled: compiled)
  }

  /// Thrown for a client the viewer may not see or that is not there.
  struct NoSuchClient: Error, Sendable {
    var client: String
  }

  /// The ids of the clients `viewer` may see, sorted.
  func clients(for viewer: Viewer) async throws -> [ClientID] {
    switch backing {
    case let .folder(workspace):
      return try await blocking { try workspace.clientIDs() }.filter { viewer.sees($0.rawValue) }
    case let .store(store, _):
      return try await store.clientIDs().filter { viewer.sees($0.rawValue) }
    }
  }

  /// The client's id, checked, once the viewer may see it.
  func id(_ text: String, for viewer: Viewer) throws -> ClientID {
    guard viewer.sees(text), let id = try? ClientID(text) else { throw NoSuchClient(client: text) }
    return id
  }

  /// The client's record and programme, for a viewer who may see it.
  func load(_ client: String, for viewer: Viewer) async throws -> (record: ClientRecord, programme: Programme) {
    try await load(try id(client, for: viewer), named: client)
  }

  /// The client's record and programme, for the survey page, which has no viewer: the code
  /// it was given opened the client's box.
  func load(_ id: ClientID, named client: String) async throws -> (record: ClientRecord, programme: Programme) {
    switch backing {
    case let .folder(workspace):
      do {
        // A file whose stamp is the one kept is answered at once, without a thread hop.
        if let kept = try cache.fresh(id, in: workspace) { return (kept.record, kept.programme) }
        let loaded = try await blocking { [workspace, cache] in try cache.current(id, in: workspace) }
        return (loaded.record, loaded.programme)
      } catch StoreError.noSuchClient {
        throw NoSuchClient(client: client)
      }
    case .store:
      do {
        let kept = try await memory!.current(id)
        return (kept.record, kept.programme)
      } catch StoreFailure.noSuchClient {
        throw NoSuchClient(client: client)
      }
    }
  }

  /// The programmes of `ids`, each read or the error reading it, for the lists (the
  /// clients, the agenda), whose rows are made from them in one pass.
  func programmes(_ ids: [ClientID]) async throws -> [ClientID: Result<Programme, any Error>] {
    switch backing {
    case let .folder(workspace):
      return try await blocking { [cache] in
        var read: [ClientID: Result<Programme, any Error>] = [:]
        for id in ids { read[id] = Result { try cache.current(id, in: workspace).programme } }
        return read
      }
    case .store:
      var read: [ClientID: Result<Programme, any Error>] = [:]
      for id in ids {
        do { read[id] = .success(try await memory!.current(id).programme) } catch {
          read[id] = .failure(error)
        }
      }
      return read
    }
  }

  /// The API's list of the clients `viewer` sees, archived ones left out, from the store's
  /// projection (`ClientStore.summaries`) when the server has a store that keeps one: no
  /// history is replayed. Nil on the folder, whose list reads each client through memory.
  /// Clients that could not be read are handed to `failed`.
  func listedRows(for viewer: Viewer, failed: (ClientID, StoreFailure) -> Void) async throws -> [ClientJSON]? {
    guard case let .store(store, _) = backing else { return nil }
    let listed = try await store.summaries()
    // The day dates are judged on, read only when a client has dates.
    var today: CalendarDate?
    var rows: [ClientJSON] = []
    for client in listed where viewer.sees(client.id.rawValue) {
      switch client.summary {
      case let .success(summary):
        if summary.archived { continue }
        if summary.zone != nil, today == nil { today = try await clock().today }
        rows.append(ClientJSON(summary, today: today))
      case let .failure(failure):
        failed(client.id, failure)
      }
    }
    return rows
  }

  /// The name of the workspace's time zone, as its settings hold it (`Europe/London`, `UTC`).
  func zoneName() async throws -> String {
    switch backing {
    case let .folder(workspace): try await blocking { try SettingsStore(workspace).read().timeZone }
    case let .store(store, _): try await store.settings().timeZone
    }
  }

  /// The workspace's clock: its time zone from the settings, today there (or `asOf`).
  func clock(asOf: CalendarDate? = nil, now: Date = Date()) async throws -> WorkspaceClock {
    switch backing {
    case let .folder(workspace):
      return try await blocking { try WorkspaceClock(workspace, asOf: asOf, now: now) }
    case let .store(store, _):
      let settings = try await store.settings()
      guard let zone = WorkspaceSettings.zone(named: settings.timeZone) else {
        throw StoreFailure.damaged(
          client: nil, problem: "timeZone '\(settings.timeZone)' is not a time zone this machine knows")
      }
      return WorkspaceClock(zone: zone, asOf: asOf, now: now)
    }
  }

  /// The programme's dates in the workspace's zone; the settings are read only when the
  /// client has dates.
  func dates(of programme: Programme, now: Date = Date()) async throws -> ItemDates {
    guard programme.hasDates else { return .none }
    if case let .folder(workspace) = backing {
      // The folder's settings file is small and cached by the system: read on this thread, as before.
      return try ItemDates.of(programme, in: workspace, now: now)
    }
    return ItemDates.of(programme, clock: try await clock(now: now))
  }

  /// Whether the store answers, for `GET /healthz`.
  func answers() async throws {
    switch backing {
    case let .folder(workspace): try await blocking { try workspace.answers() }
    case let .store(store, _): _ = try await store.settings()
    }
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
    // One event id for every attempt, so that a second attempt of a change the store kept
    // after all is refused as the same event, never kept twice.
    let eventID = eventID ?? EventID.make()
    let record: @Sendable (Programme, inout Programme) throws -> Void = { before, programme in
      try Desk.record(
        try decide(before), by: person, at: Date(), note: note, via: channel, printedBy: printedBy,
        id: eventID, in: &programme)
    }
    let (before, after, _) = try await change(id, named: client) { programme in
      let before = programme
      try record(before, &programme)
    }
    return (before, after)
  }

  /// Changes client `id` (named `client` in messages) by `decide`: on the folder under the
  /// client's turn and lock, on a store through `StoreChange.run`, decided again on the
  /// history another server's change left, with the server's memory kept current. Answers
  /// the programme before and after and what `decide` answered. The one write of `apply`
  /// and `push`.
  func change<T: Sendable>(
    _ id: ClientID, named client: String, upgradedTo playbook: StoredPlaybook? = nil,
    _ decide: @escaping @Sendable (inout Programme) throws -> T
  ) async throws -> (before: Programme, after: Programme, result: T) {
    switch backing {
    case let .folder(workspace):
      do {
        let answer = try await writing { [workspace, cache, writers] in
          Interruption.deferStop()
          // The server's writers to one client take turns here, handed on at once, and only
          // one of them at a time waits on the file lock (which polls) beside the CLI.
          return try writers.turn(id) {
            try workspace.change(id, memory: cache, upgradedTo: playbook) { programme in
              let before = programme
              let result = try decide(&programme)
              return (before, programme, result)
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
    case let .store(store, compiled):
      do {
        // Decided on the history as held, once the store has said it is still the history
        // (or brought it forward), and kept only if it still is at the append; decided
        // again on the history another server's change left, as the CLI's change is.
        let kept = try await StoreChange.run(
          id, in: store, compiled: compiled, upgradedTo: playbook,
          read: { [memory] id in
            let held = try await memory!.current(id)
            return (held.record, held.programme)
          },
          lostRace: { ServerMetrics.lostRaces.increment() }, decide)
        ServerMetrics.appends.increment()
        // Held as kept: the links the store gave the new events, in the programme too.
        var after = kept.after
        if kept.record.events.count == after.history.count {
          after.takeLinks(from: kept.record.events)
          memory!.keep(id, StoreMemory.Kept(record: kept.record, programme: after))
        }
        return (kept.before, after, kept.result)
      } catch StoreFailure.noSuchClient {
        throw NoSuchClient(client: client)
      } catch let StoreFailure.duplicateEvent(_, id) {
        // The engine's word for it, as on the folder: the retry's own route answers it.
        throw Refusal.duplicateEvent(id: id)
      }
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
    let compiled: CompiledPlaybooks?
    switch backing {
    case let .folder(workspace): compiled = workspace.compiled
    case let .store(_, kept): compiled = kept
    }
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
