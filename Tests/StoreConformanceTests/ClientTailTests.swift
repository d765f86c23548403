import Foundation
import ProgrammeEngine
import PostgresStore
import PostgresTestSupport
import Testing
import WorkspaceStore

/// What a server's memory reads of a store between whole reads (`stamp(of:over:)`,
/// `tail(of:after:)`) and how it brings a held client forward (`ClientRecord.continued`),
/// on both stores: to exactly what a whole read gives, and never past an edited event.
@Suite("Client tails")
struct ClientTailTests {
  /// Acme read (held), then three changes appended by another writer.
  static func heldAndChanged(_ store: any ClientStore) async throws -> (held: ClientRecord, now: ClientRecord) {
    _ = try await store.create(try Client.started("acme").record)
    let held = try await store.load(ClientID("acme"))
    var record = held
    for person in ["sam", "kim", "lee"] {
      let next = try Client.changed(record, .assigned(role: "czar", person: person))
      record = try await store.append(next, after: record.events.count)
    }
    return (held, try await store.load(ClientID("acme")))
  }

  @Test(arguments: StoreKind.allCases)
  func aHeldClientBroughtForwardByItsTailIsWhatAWholeReadGives(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let (held, now) = try await Self.heldAndChanged(store)
      let stamp = try await store.stamp(of: ClientID("acme"), over: held.events.count)
      #expect(stamp.length == now.events.count)
      let tail = try await store.tail(of: ClientID("acme"), after: held.events.count)
      #expect(tail.events.count == now.events.count - held.events.count)
      let continued = try #require(try held.continued(by: tail, programme: try held.verifiedProgramme()))
      #expect(continued.record == now)
      let whole = try now.verifiedProgramme()
      #expect(continued.programme.history == whole.history)
      #expect(continued.programme.assignments == whole.assignments)
      #expect(continued.programme.nextActions() == whole.nextActions())
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aTailWhoseEventWasEditedIsRefusedAsABrokenChain(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let (held, _) = try await Self.heldAndChanged(store)
      var tail = try await store.tail(of: ClientID("acme"), after: held.events.count)
      tail.events[1].by = "mallory"
      #expect {
        _ = try held.continued(by: tail, programme: try held.verifiedProgramme())
      } throws: { error in
        guard case let .damaged(client, problem)? = error as? StoreFailure else { return false }
        return client == "acme" && problem.contains("chain breaks at event \(held.events.count + 2)")
      }
    }
  }

  @Test func aStampChangesWhenAHeldEventIsWrittenAgainAndNotWhenEventsAreAdded() async throws {
    let address = try await PostgresCluster.database()
    try await PostgresStore.migrate(address)
    let store = try await PostgresStore.open(address)
    defer { Task { await store.shutdown(); await PostgresCluster.drop(address) } }
    let (held, _) = try await Self.heldAndChanged(store)
    // The stamp of what was held, read now, after three appends: the same.
    #expect(held.storeStamp != nil)
    #expect(try await store.stamp(of: ClientID("acme"), over: held.events.count).stamp == held.storeStamp)
    // An event written again as it was (a hand edit that changes nothing still writes it).
    try await PostgresCluster.connect(address) { connection in
      _ = try await connection.query(
        "UPDATE events SET body = body WHERE client = 'acme' AND position = 0", logger: PostgresCluster.quiet)
    }
    #expect(try await store.stamp(of: ClientID("acme"), over: held.events.count).stamp != held.storeStamp)
    // A record read before it, appended at the length it has now, is refused: nothing written.
    let now = try await store.load(ClientID("acme"))
    var stale = try Client.changed(now, .assigned(role: "czar", person: "zed"))
    stale.storeStamp = held.storeStamp
    await #expect(throws: StoreFailure.self) { try await store.append(stale, after: now.events.count) }
    #expect(try await store.stamp(of: ClientID("acme"), over: nil).length == now.events.count)
    // Read again, it appends.
    let fresh = try Client.changed(try await store.load(ClientID("acme")), .assigned(role: "czar", person: "zed"))
    #expect(try await store.append(fresh, after: now.events.count).events.count == now.events.count + 1)
  }
}
