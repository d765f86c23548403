import BundledPlaybooks
import Foundation
import PlaybookSpec
import ProgrammeEngine
import Testing
import WorkspaceStore

@testable import AccordKit

/// `StoreChange`, the one loop a change on a shared store runs: a change another writer's
/// append got in before is decided again on the history that append left, and given up on
/// (nothing written) after `attempts`.
@Suite("Kit: a change decided again after a lost race")
struct StoreChangeTests {
  /// A folder store whose next `beaten` appends are each preceded by another writer's change
  /// (the czar's role handed to a rival), so that the append finds its length taken.
  final class RacedStore: ClientStore, @unchecked Sendable {
    let inner: FolderStore
    let lock = NSLock()
    var beaten: Int
    var rivals = 0
    var place: String { inner.place }

    init(_ inner: FolderStore, beaten: Int) {
      self.inner = inner
      self.beaten = beaten
    }

    func append(_ record: ClientRecord, after length: Int, programme: Programme?) async throws(StoreFailure)
      -> ClientRecord
    {
      let rival: Int? = lock.withLock {
        guard beaten > 0 else { return nil }
        beaten -= 1
        rivals += 1
        return rivals
      }
      if let rival {
        let current = try await inner.load(try! ClientID(record.client))
        let (next, _, _) = try! current.changed { programme in
          try Desk.record(.assigned(role: "czar", person: "rival-\(rival)"), by: "alice", at: Date(), in: &programme)
        }
        _ = try await inner.append(next, after: current.events.count)
      }
      return try await inner.append(record, after: length, programme: programme)
    }

    func stamp(of id: ClientID, over length: Int?) async throws(StoreFailure) -> ClientStamp {
      try await inner.stamp(of: id, over: length)
    }
    func tail(of id: ClientID, after length: Int) async throws(StoreFailure) -> ClientTail {
      try await inner.tail(of: id, after: length)
    }
    func feedEnd() async throws(StoreFailure) -> FeedCursor { try await inner.feedEnd() }

    func clientIDs() async throws(StoreFailure) -> [ClientID] { try await inner.clientIDs() }
    func create(_ record: ClientRecord) async throws(StoreFailure) -> ClientRecord { try await inner.create(record) }
    func adopt(_ record: ClientRecord) async throws(StoreFailure) { try await inner.adopt(record) }
    func load(_ id: ClientID) async throws(StoreFailure) -> ClientRecord { try await inner.load(id) }
    func summaries() async throws(StoreFailure) -> [ListedClient] { try await inner.summaries() }
    func changes(after cursor: FeedCursor?, limit: Int, clients: Set<String>?) async throws(StoreFailure) -> FeedPage {
      try await inner.changes(after: cursor, limit: limit, clients: clients)
    }
    func accessBook() async throws(StoreFailure) -> AccessBook { try await inner.accessBook() }
    func updateAccessBook<T: Sendable>(_ body: (inout AccessBook) throws -> T) async throws -> T {
      try await inner.updateAccessBook(body)
    }
    func settings() async throws(StoreFailure) -> WorkspaceSettings { try await inner.settings() }
    func updateSettings<T: Sendable>(_ body: (inout WorkspaceSettings) throws -> T) async throws -> T {
      try await inner.updateSettings(body)
    }
  }

  /// A store holding one client, acme, started on the bundled playbook; its next `beaten`
  /// appends raced.
  static func store(beaten: Int) async throws -> RacedStore {
    let folder = try AccordBinary.temporaryFolder().appendingPathComponent("workspace", isDirectory: true)
    let inner = FolderStore(Workspace(directory: folder, lockTimeout: .seconds(10), holder: "test"))
    let source = BundledPlaybooks.text(named: BundledPlaybooks.defaultName)!
    let playbook = try Playbook.parse(source, file: BundledPlaybooks.defaultName)
    let start = Event(
      .started(client: "acme", name: "Acme", playbook: SHA256.hex(source.utf8)), by: "alice", at: Date(),
      id: EventID.make())
    let programme = try Programme(playbook: playbook, start: start)
    _ = try await inner.create(try ClientRecord(starting: programme, source: source, origin: "bundled"))
    return RacedStore(inner, beaten: beaten)
  }

  @Test func aChangeBeatenByAnotherIsDecidedAgainOnTheFreshHistoryAndKeptOnce() async throws {
    let store = try await Self.store(beaten: 2)
    let acme = try ClientID("acme")
    var decided: [Int] = []
    let kept = try await StoreChange.run(acme, in: store, compiled: nil) { programme in
      decided.append(programme.history.count)
      try Desk.record(.assigned(role: "sponsor", person: "sid"), by: "alice", at: Date(), in: &programme)
      return programme.history.count
    }
    // Decided on 1 event, then on 2 (a rival got in), then on 3 (another did): kept on the third.
    #expect(decided == [1, 2, 3])
    #expect(kept.result == 4)
    let history = try await store.load(acme).events
    #expect(history.count == 4)
    #expect(history.count { if case .assigned("sponsor", "sid") = $0.change { true } else { false } } == 1)
    #expect(kept.before.history.count == 3 && kept.after.history.count == 4)
  }

  @Test func aChangeThatNoLongerAppliesOnTheFreshHistoryIsRefusedWithNothingWritten() async throws {
    let store = try await Self.store(beaten: 1)
    let acme = try ClientID("acme")
    // Hands the czar's role to carol only while nobody holds it: the rival took it first.
    await #expect(throws: Refused.self) {
      try await StoreChange.run(acme, in: store, compiled: nil) { programme in
        if programme.assignments["czar"] != nil { throw Refused() }
        try Desk.record(.assigned(role: "czar", person: "carol"), by: "alice", at: Date(), in: &programme)
      }
    }
    let history = try await store.load(acme).events
    #expect(history.count == 2)
    #expect(!history.contains { if case .assigned("czar", "carol") = $0.change { true } else { false } })
  }

  @Test func aChangeBeatenEveryTimeGivesUpAsALostRaceWithNothingOfItsOwnWritten() async throws {
    let store = try await Self.store(beaten: StoreChange.attempts)
    let acme = try ClientID("acme")
    var lost = 0
    do {
      _ = try await StoreChange.run(acme, in: store, compiled: nil, lostRace: { lost += 1 }) { programme in
        try Desk.record(.assigned(role: "sponsor", person: "sid"), by: "alice", at: Date(), in: &programme)
      }
      Issue.record("a change beaten every time was kept")
    } catch let failure as StoreFailure {
      #expect(failure.code == "lost-race")
    }
    #expect(lost == StoreChange.attempts - 1)
    let history = try await store.load(acme).events
    #expect(history.count == 1 + StoreChange.attempts)
    #expect(!history.contains { if case .assigned("sponsor", _) = $0.change { true } else { false } })
  }

  struct Refused: Error {}
}
