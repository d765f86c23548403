import PostgresTestSupport
import Foundation
import PostgresNIO
@testable import PostgresStore
import ProgrammeEngine
import Synchronization
import Testing
import WorkspaceStore

/// The change feed's promises (`ClientStore.changes`), on both stores: every committed event
/// once, in one order, each client's in its history's order, resumable from a cursor,
/// narrowed to some clients; and never an event passed over because it committed late.
@Suite("Change feed")
struct ChangeFeedTests {
  @Test(arguments: StoreKind.allCases)
  func aPageIsInOrderAndResumingFromItsCursorGivesTheRest(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let kept = try await Self.twoClients(store)
      let all = try await Self.read(store, count: Self.keys(kept).count)
      #expect(Self.keys(all.changes).sorted() == Self.keys(kept).sorted())
      Self.expectHistoryOrder(all.changes)
      for change in all.changes {
        #expect(kept[change.client]?.events[change.position] == change.event)
      }
      // Nothing after the end; the cursor stays where it was.
      let after = try await store.changes(after: all.cursor, limit: 1000, clients: nil)
      #expect(after.changes.isEmpty)
      #expect(after.cursor == all.cursor)

      // Two at a time, from each page's cursor: the same events in the same order.
      var paged: [FeedChange] = []
      var cursor: FeedCursor?
      while true {
        let page = try await store.changes(after: cursor, limit: 2, clients: nil)
        #expect(page.changes.count <= 2)
        if page.changes.isEmpty { break }
        paged += page.changes
        // A cursor travels as text.
        cursor = try FeedCursor(parsing: page.cursor.description)
      }
      #expect(paged == all.changes)

      // And what is appended later comes after the cursor.
      let acme = try #require(kept["acme"])
      let next = try await store.append(
        try Client.changed(acme, .assigned(role: "czar", person: "lee")), after: acme.events.count)
      let more = try await Self.read(store, after: all.cursor, count: 1)
      #expect(more.changes.map(\.id) == [next.events.last?.id])
      #expect(more.changes.first?.position == acme.events.count)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aReadNarrowedToSomeClientsGivesTheirsOnly(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      let kept = try await Self.twoClients(store)
      let globex = try await Self.read(store, clients: ["globex"], count: kept["globex"]!.events.count)
      #expect(Self.keys(globex.changes).sorted() == Self.keys(["globex": kept["globex"]!]).sorted())
      #expect(try await store.changes(after: nil, limit: 1000, clients: []).changes.isEmpty)
      // Cursors stay global: resuming a narrowed read narrowed the other way misses nothing
      // of the other client written after it.
      let acme = try #require(kept["acme"])
      let next = try await store.append(
        try Client.changed(acme, .assigned(role: "czar", person: "lee")), after: acme.events.count)
      let rest = try await Self.read(store, after: globex.cursor, clients: ["acme"], until: next.events.last?.id)
      #expect(rest.changes.map(\.id).last == next.events.last?.id)
    }
  }

  @Test func aCursorIsTwoNumbersAndAnythingElseIsRefused() throws {
    #expect(try FeedCursor(parsing: "0.0") == .start)
    #expect(try FeedCursor(parsing: "18446744073709551615.42") == FeedCursor(major: .max, minor: 42))
    #expect(FeedCursor(major: 815, minor: 3).description == "815.3")
    for text in ["", "1", "1.", ".1", "1.2.3", "-1.0", "01.0", "1.01", " 1.0", "1.0 ", "a.b", "18446744073709551616.0", "１.０"] {
      #expect(throws: FeedCursor.Invalid(text: text)) { try FeedCursor(parsing: text) }
    }
  }

  @Test func aFolderRefusesACursorItDidNotGive() async throws {
    try await withStore(.folder) { store async throws in
      let kept = try await Self.twoClients(store)
      let end = try await Self.read(store, count: Self.keys(kept).count).cursor
      for cursor in [
        FeedCursor(major: end.major + 1, minor: 0), FeedCursor(major: end.major - 1, minor: 0),
        FeedCursor(major: 0, minor: 1),
      ] {
        await #expect {
          try await store.changes(after: cursor, limit: 10, clients: nil)
        } throws: { error in
          guard case let .invalidCursor(text, _) = error as? StoreFailure else { return false }
          return text == cursor.description
        }
      }
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aFollowerGetsEveryEventOnceWhileTwoWritersAppend(_ kind: StoreKind) async throws {
    try await withStore(kind) { store async throws in
      // Two writers as two servers would be: on the database, two pools.
      let (other, close) = try await Self.anotherWriter(to: store, kind)
      let rounds = 15
      let clients = ["acme", "globex", "initech", "umbrella"]
      for id in clients { _ = try await store.create(try Client.started(id).record) }
      // How many events the stores hold once the writers are done (unknown until then).
      let total = Atomic<Int>(Int.max)
      async let followed: [FeedChange] = {
        var seen: [FeedChange] = []
        var cursor: FeedCursor?
        let clock = ContinuousClock()
        var deadline: ContinuousClock.Instant?
        while true {
          let expected = total.load(ordering: .acquiring)
          let page = try await store.changes(after: cursor, limit: 3, clients: nil)
          seen += page.changes
          cursor = page.cursor
          guard expected != Int.max, page.changes.isEmpty else { continue }
          // Caught up with all there is (a transaction elsewhere in the cluster, another
          // test's, may hold the feed back a while: it is read until it passes), then one
          // read more: nothing may be left beyond.
          if seen.count >= expected { return seen + (try await store.changes(after: cursor, limit: 3, clients: nil)).changes }
          deadline = deadline ?? clock.now.advanced(by: .seconds(60))
          if clock.now > deadline! { return seen }
          try await Task.sleep(for: .milliseconds(20))
        }
      }()
      try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, writer) in [store, other].enumerated() {
          // Each writer its own two clients, every round.
          let mine = index == 0 ? ["acme", "globex"] : ["initech", "umbrella"]
          group.addTask {
            for round in 1...rounds {
              for id in mine {
                let read = try await writer.load(ClientID(id))
                _ = try await writer.append(
                  try Client.changed(read, .assigned(role: "czar", person: "p\(round)")), after: read.events.count)
              }
            }
          }
        }
        try await group.waitForAll()
      }
      var kept: [String: ClientRecord] = [:]
      for id in clients { kept[id] = try await store.load(ClientID(id)) }
      total.store(kept.values.reduce(0) { $0 + $1.events.count }, ordering: .releasing)
      let seen = try await followed
      await close()
      let keys = Self.keys(seen)
      #expect(Set(keys).count == keys.count, "an event was delivered twice")
      #expect(Set(keys) == Set(Self.keys(kept)), "an event was skipped")
      Self.expectHistoryOrder(seen)
    }
  }

  @Test func aTransactionThatCommitsLateIsNotPassedOver() async throws {
    try await withStore(.postgres) { store async throws in
      let postgres = try #require(store as? PostgresStore)
      let acme = try await store.create(try Client.started("acme").record)
      let globex = try await store.create(try Client.started("globex").record)
      let start = try await Self.read(store, count: acme.events.count + globex.events.count)
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let late = try Client.changed(acme, .assigned(role: "czar", person: "sam"))
        .written(after: acme, place: store.place)
      try await PostgresCluster.connect(address) { connection in
        // A writer that has inserted its event (its transaction id taken) and not committed.
        try await connection.query("BEGIN", logger: postgres.logger)
        try await connection.query("SELECT length FROM clients WHERE id = 'acme' FOR UPDATE", logger: postgres.logger)
        try await ClientRows.append(late, after: acme, on: connection, logger: postgres.logger)
        // Another commits after it.
        let early = try await store.append(
          try Client.changed(globex, .assigned(role: "czar", person: "kim")), after: globex.events.count)
        // The feed must not pass the one still open: the later commit waits behind it,
        // however often it is read.
        for _ in 0..<5 {
          let held = try await store.changes(after: start.cursor, limit: 1000, clients: nil)
          #expect(held.changes.isEmpty)
          #expect(held.cursor == start.cursor)
          try await Task.sleep(for: .milliseconds(50))
        }
        try await connection.query("COMMIT", logger: postgres.logger)
        let now = try await Self.read(store, after: start.cursor, count: 2)
        #expect(now.changes.map(\.id) == [late.events.last?.id, early.events.last?.id])
      }
      #expect(try await store.load(ClientID("acme")).events.count == late.events.count)
    }
  }

  /// Transaction ids are ordered as numbers, not as the text the cursor carries them in:
  /// an event of transaction 10 comes after one of transaction 9, and the end is after it.
  /// (Ordered as text, "10" came first, and a follower skipped or repeated events once the
  /// cluster's transaction ids gained a digit.)
  @Test func transactionIdsAreOrderedAsNumbersNotAsText() async throws {
    try await withStore(.postgres) { store async throws in
      let postgres = try #require(store as? PostgresStore)
      let acme = try await store.create(try Client.started("acme").record)
      let globex = try await store.create(try Client.started("globex").record)
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      try await PostgresCluster.connect(address) { connection in
        // Long committed, both: below any snapshot's horizon.
        try await connection.query("UPDATE events SET tx = '9'::xid8 WHERE client = 'acme'", logger: postgres.logger)
        try await connection.query("UPDATE events SET tx = '10'::xid8 WHERE client = 'globex'", logger: postgres.logger)
      }
      let page = try await store.changes(after: nil, limit: 1000, clients: nil)
      #expect(page.changes.map(\.id) == [acme.events[0].id, globex.events[0].id])
      #expect(page.cursor.major == 10)
      let first = try await store.changes(after: nil, limit: 1, clients: nil)
      #expect(first.changes.map(\.id) == [acme.events[0].id])
      let rest = try await store.changes(after: first.cursor, limit: 1000, clients: nil)
      #expect(rest.changes.map(\.id) == [globex.events[0].id])
      #expect(try await store.feedEnd() == page.cursor)
    }
  }

  // MARK: - Helpers

  /// Reads on from `cursor` until `count` events (or the one with id `until`) have come:
  /// the database's feed waits for every transaction older than a commit to end, and other
  /// tests' transactions in the same cluster are running.
  static func read(
    _ store: any ClientStore, after cursor: FeedCursor? = nil, clients: Set<String>? = nil, count: Int = .max,
    until id: String? = nil
  ) async throws -> FeedPage {
    var page = FeedPage(changes: [], cursor: cursor ?? .start)
    let deadline = ContinuousClock.now + .seconds(20)
    while page.changes.count < count, id == nil || !page.changes.contains(where: { $0.id == id }) {
      guard ContinuousClock.now < deadline else {
        Issue.record("the feed gave \(page.changes.count) events in 20 seconds")
        return page
      }
      let next = try await store.changes(after: page.cursor, limit: 1000, clients: clients)
      page.changes += next.changes
      page.cursor = next.cursor
      if next.changes.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
    }
    return page
  }

  /// Two clients, one changed twice, as kept.
  static func twoClients(_ store: any ClientStore) async throws -> [String: ClientRecord] {
    var acme = try await store.create(try Client.started("acme").record)
    let globex = try await store.create(try Client.started("globex").record)
    for person in ["sam", "kim"] {
      acme = try await store.append(
        try Client.changed(acme, .assigned(role: "czar", person: person)), after: acme.events.count)
    }
    return ["acme": acme, "globex": globex]
  }

  /// What identifies a delivery: the client, the position and the event's id.
  static func keys(_ changes: [FeedChange]) -> [String] {
    changes.map { "\($0.client) \($0.position) \($0.id ?? "-")" }
  }

  static func keys(_ kept: [String: ClientRecord]) -> [String] {
    kept.flatMap { id, record in record.events.indices.map { "\(id) \($0) \(record.events[$0].id ?? "-")" } }
  }

  /// Each client's events in its history's order, none missing in between.
  static func expectHistoryOrder(_ changes: [FeedChange]) {
    var next: [String: Int] = [:]
    for change in changes {
      #expect(change.position == next[change.client, default: 0], "\(change.client) \(change.position)")
      next[change.client] = change.position + 1
    }
  }

  /// A second writer on the same store: the same folder, or a second pool on the database.
  static func anotherWriter(to store: any ClientStore, _ kind: StoreKind) async throws
    -> (any ClientStore, @Sendable () async -> Void)
  {
    switch kind {
    case .folder:
      let folder = try #require(store as? FolderStore)
      var workspace = folder.workspace
      workspace.holder = "the second writer"
      return (FolderStore(workspace), {})
    case .postgres:
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let second = try await PostgresStore.open(address)
      return (second, { await second.shutdown() })
    }
  }
}

/// The feed's schema step on a database that already holds events: they are in the feed, in each
/// client's history's order.
@Suite("Change feed migration")
struct ChangeFeedMigrationTests {
  @Test func eventsKeptBeforeTheFeedAreInItAfterTheMigration() async throws {
    let address = try await PostgresCluster.database()
    do {
      let acme = try Client.started("acme").record.written(after: nil, place: "test")
      var globex = try Client.started("globex").record.written(after: nil, place: "test")
      let before = globex
      globex = try Client.changed(globex, .assigned(role: "czar", person: "gus")).written(after: before, place: "test")
      // A database at the step before the feed's, with two clients, as an Accord before the
      // feed kept them.
      try await PostgresCluster.connect(address) { connection in
        let logger = PostgresStore.quiet
        // Every step before the feed's (the tables, the listing's summaries).
        try await migrate(connection, below: PostgresSchema.feedStep)
        try await ClientRows.insertClient(globex, on: connection, logger: logger)
        try await ClientRows.insertClient(acme, on: connection, logger: logger)
      }
      let migrated = try await PostgresStore.migrate(address)
      #expect(migrated.from == PostgresSchema.feedStep - 1 && migrated.to == PostgresSchema.current)
      let store = try await PostgresStore.open(address)
      let page = try await ChangeFeedTests.read(store, count: acme.events.count + globex.events.count)
      #expect(page.changes.map { "\($0.client) \($0.position)" } == ["acme 0", "globex 0", "globex 1"])
      #expect(page.changes.map(\.event) == acme.events + globex.events)
      // And what is appended after comes after them.
      let next = try await store.append(
        try Client.changed(acme, .assigned(role: "czar", person: "sam")), after: acme.events.count)
      let more = try await ChangeFeedTests.read(store, after: page.cursor, count: 1)
      #expect(more.changes.map(\.id) == [next.events.last?.id])
      await store.shutdown()
      await PostgresCluster.drop(address)
    } catch {
      await PostgresCluster.drop(address)
      throw error
    }
  }
}
