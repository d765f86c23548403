import NIOConcurrencyHelpers
import ProgrammeEngine
import WorkspaceStore

/// Each client's last state as this server read, caught up or wrote it, on a store other
/// processes write too (a database): the server's memory on `accord serve --database`, as
/// `ProgrammeCache` is on a folder.
///
/// A read asks the store one thing first: the client's length, and the stamp of the events
/// held (`ClientStore.stamp(of:over:)`, one row by its key and the row versions of its
/// events). A history only grows, so a client held at that length, with that stamp, is the
/// client as every change acknowledged before the read began left it, and is answered from
/// memory. One held at fewer events is brought forward by the events since, and only
/// they are checked and replayed (`ClientRecord.continued`); one not held, one whose held
/// events were written again since (edited by hand: its stamp differs), or whose new
/// events bring a playbook text in (an upgrade), is read whole and checked whole. See
/// docs/change-feed.md.
///
/// The server's `MemoryFollower` brings clients forward as the change feed reports their
/// events, so that a read after a change elsewhere usually finds them current already.
final class StoreMemory: Sendable {
  /// A client as held: its record and the programme it holds, verified.
  struct Kept: Sendable {
    var record: ClientRecord
    var programme: Programme
  }

  let store: any ClientStore
  let compiled: CompiledPlaybooks?
  private let entries = NIOLockedValueBox<[ClientID: Kept]>([:])

  /// At most this many clients are held; past it the table is emptied and fills again.
  static let capacity = 5_000

  init(store: any ClientStore, compiled: CompiledPlaybooks?) {
    self.store = store
    self.compiled = compiled
  }

  func recall(_ id: ClientID) -> Kept? {
    entries.withLockedValue { $0[id] }
  }

  /// Holds `client`, unless a longer history of the same client is held already (a read
  /// that began before another's catch-up and ended after it).
  func keep(_ id: ClientID, _ client: Kept) {
    entries.withLockedValue { table in
      if let held = table[id], held.record.uid == client.record.uid,
        held.record.events.count > client.record.events.count
      {
        return
      }
      if table[id] == nil, table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
      table[id] = client
    }
  }

  func forget(_ id: ClientID) {
    _ = entries.withLockedValue { $0.removeValue(forKey: id) }
  }

  /// The client as the store holds it now: held, brought forward, or read whole.
  func current(_ id: ClientID) async throws -> Kept {
    guard let held = recall(id), let stamp = held.record.storeStamp else { return try await reload(id) }
    let now = try await store.stamp(of: id, over: held.record.events.count)
    guard now.stamp == stamp else { return try await reload(id) }
    if now.length == held.record.events.count {
      ServerMetrics.memoryHits.increment()
      return held
    }
    return try await bringForward(id, from: held, length: now.length)
  }

  /// Brings the client forward, when it is held, to the length the store gives it now:
  /// what the follower does for a client a NOTIFY names. The append it announces has
  /// committed, so its events are there to read, even while the feed holds them back
  /// behind a transaction still running elsewhere. A client whose held events were written
  /// again since is let go, for the next read to read whole (and refuse).
  func refresh(_ id: ClientID) async throws {
    guard let held = recall(id), let stamp = held.record.storeStamp else { return }
    let now = try await store.stamp(of: id, over: held.record.events.count)
    guard now.stamp == stamp else { return forget(id) }
    guard now.length > held.record.events.count else { return }
    _ = try await bringForward(id, from: held, length: now.length)
  }

  /// Brings the client forward when it is held at fewer than `length` events: what the
  /// follower does for each client the feed names.
  func follow(_ id: ClientID, to length: Int) async throws {
    guard let held = recall(id), held.record.storeStamp != nil, held.record.events.count < length else { return }
    _ = try await bringForward(id, from: held, length: length)
  }

  private func bringForward(_ id: ClientID, from held: Kept, length: Int) async throws -> Kept {
    // Histories only grow: a shorter one is not this client's as held, and is read whole.
    guard length > held.record.events.count else { return try await reload(id) }
    let tail = try await store.tail(of: id, after: held.record.events.count)
    let continued: (record: ClientRecord, programme: Programme)?
    do {
      continued = try held.record.continued(by: tail, programme: held.programme)
    } catch {
      // An edited history is refused, and not held: every read asks the store again.
      forget(id)
      throw error
    }
    guard let continued else { return try await reload(id) }
    ServerMetrics.catchUps.increment()
    let kept = Kept(record: continued.record, programme: continued.programme)
    keep(id, kept)
    return kept
  }

  /// The client read whole and its chain followed whole, as every read of a folder's client
  /// does: a history edited anywhere (in the database, by hand) is refused, never held.
  func reload(_ id: ClientID) async throws -> Kept {
    let record = try await store.load(id)
    ServerMetrics.reloads.increment()
    let kept = Kept(record: record, programme: try record.verifiedProgramme(compiled: compiled))
    keep(id, kept)
    return kept
  }
}
