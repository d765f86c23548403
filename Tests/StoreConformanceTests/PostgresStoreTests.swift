import Foundation
import Logging
import PostgresNIO
@testable import PostgresStore
import PostgresTestSupport
import ProgrammeEngine
import Synchronization
import Testing
import WorkspaceStore

/// What the database store promises beyond `ClientStore`: its tables made and versioned by
/// `migrate`, each playbook text kept once, the password kept out of every message, and
/// two servers (two pools) appending to one client without losing or doubling a change.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
  @Test func migrateCreatesTheTablesOnceAndAgainChangesNothing() async throws {
    try await withDatabase { address in
      // Not migrated: opening says what to run.
      do throws(StoreFailure) {
        _ = try await PostgresStore.open(address)
        Issue.record("a database without Accord's tables was opened")
      } catch {
        guard case let .unavailable(problem) = error else { throw error }
        #expect(problem.contains("accord db migrate"))
      }
      let first = try await PostgresStore.migrate(address)
      #expect(first.from == 0 && first.to == PostgresSchema.current)
      let again = try await PostgresStore.migrate(address)
      #expect(again.from == PostgresSchema.current && again.to == PostgresSchema.current)
      #expect(try await count("schema_version", in: address) == PostgresSchema.current)
      #expect(try await count("documents", in: address) == 2)

      let store = try await PostgresStore.open(address)
      _ = try await store.create(try Client.started("acme").record)
      await store.shutdown()
      // A third migrate leaves what the store wrote alone.
      try await PostgresStore.migrate(address)
      #expect(try await count("clients", in: address) == 1)
    }
  }

  @Test func aDatabaseMigratedByANewerAccordIsRefusedAndNotWritten() async throws {
    try await withDatabase { address in
      try await PostgresStore.migrate(address)
      let newer = PostgresSchema.current + 1
      try await PostgresCluster.connect(address) { connection in
        _ = try await connection.query(
          "INSERT INTO schema_version (version) VALUES (\(newer))", logger: PostgresStore.quiet)
      }
      let tables = try await tableNames(in: address)
      await #expect(throws: StoreFailure.newerFormat(client: nil, found: newer, supported: PostgresSchema.current)) {
        try await PostgresStore.migrate(address)
      }
      await #expect(throws: StoreFailure.newerFormat(client: nil, found: newer, supported: PostgresSchema.current)) {
        try await PostgresStore.open(address)
      }
      #expect(try await tableNames(in: address) == tables)
      #expect(try await count("schema_version", in: address) == PostgresSchema.current + 1)
    }
  }

  @Test func aPlaybookTextSharedByThreeClientsIsKeptOnce() async throws {
    try await withStore(.postgres) { store async throws in
      for id in ["acme", "globex", "initech"] {
        _ = try await store.create(try Client.started(id).record)
      }
      let address = try PostgresAddress(parsing: store.place)
      #expect(try await count("playbook_texts", in: address.withPassword(PostgresCluster.password)) == 1)
      // And each client reads back whole, its text from the one row.
      for id in ["acme", "globex", "initech"] {
        #expect(try await store.load(ClientID(id)).playbook.source == Client.source)
      }
    }
  }

  @Test func aSummarySetAsideByAZoneChangeIsKeptAgainByTheNextListing() async throws {
    try await withStore(.postgres) { store async throws in
      for id in ["acme", "globex"] { _ = try await store.create(try Client.started(id).record) }
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let kept = "clients WHERE summary IS NOT NULL"
      #expect(try await count(kept, in: address) == 2)
      // The bundled playbook has dates: a new zone sets both summaries aside.
      try await store.updateSettings { $0.timeZone = "Asia/Tokyo" }
      #expect(try await count(kept, in: address) == 0)
      let listed = try await store.summaries()
      #expect(try listed.map { try $0.summary.get().zone } == [TimeZone(identifier: "Asia/Tokyo")!.identifier, TimeZone(identifier: "Asia/Tokyo")!.identifier])
      // Worked out once, and kept: the next listing reads them, and they are what replay gives.
      #expect(try await count(kept, in: address) == 2)
      #expect(try await (store as! PostgresStore).projectionProblems().isEmpty)
    }
  }

  @Test func aSummaryKeptByAnEarlierBinaryIsNeverTrustedAndIsWorkedOutAgain() async throws {
    try await withStore(.postgres) { store async throws in
      for id in ["acme", "globex"] { _ = try await store.create(try Client.started(id).record) }
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let zone = WorkspaceSettings.zone(named: try await store.settings().timeZone)
      let current = "clients WHERE (summary::jsonb ->> 'version')::int = \(ClientSummary.currentVersion)"
      #expect(try await count(current, in: address) == 2)
      // acme's as the binary before the version kept it (what the pages read left out), and
      // wrong besides: a listing must not show it, check need not, and it is replaced.
      try await execute(
        """
        UPDATE clients SET summary = jsonb_set(
          summary::jsonb - 'version' - 'dated' - 'complete' - 'place' - 'open' - 'blocked' - 'delegations' - 'dates',
          '{progress}', '77')::text
        WHERE id = 'acme'
        """, in: address)
      #expect(try await count(current, in: address) == 1)
      #expect(try await (store as! PostgresStore).projectionProblems().isEmpty)
      let listed = try await store.summaries()
      let replayed = try await store.load(ClientID("acme")).summary(zone: zone)
      #expect(try listed.map { try $0.summary.get() }.first == replayed)
      #expect(replayed.progress != 77 && replayed.isCurrent && !replayed.open.isEmpty)
      // Kept again, current, for the next listing.
      #expect(try await count(current, in: address) == 2)
      #expect(try await (store as! PostgresStore).projectionProblems().isEmpty)
    }
  }

  /// A store listing again answers from the summaries it decoded only while their rows are
  /// as it read them: a summary written since (by an append, or by hand) is read again.
  @Test func aListingAgainReadsTheSummariesOfRowsWrittenSinceAndHoldsTheRest() async throws {
    try await withStore(.postgres) { store async throws in
      var acme = try await store.create(try Client.started("acme").record)
      var globex = try await store.create(try Client.started("globex").record)
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let zone = WorkspaceSettings.zone(named: try await store.settings().timeZone)
      let first = try await store.summaries().map { try $0.summary.get() }
      #expect(first == [try acme.summary(zone: zone), try globex.summary(zone: zone)])
      // Changed through the store, and by hand in the database.
      globex = try await store.append(
        try Client.changed(globex, .assigned(role: "consultant", person: "kim")), after: globex.events.count)
      try await execute(
        "UPDATE clients SET summary = jsonb_set(summary::jsonb, '{name}', '\"Altered Ltd\"')::text WHERE id = 'acme'",
        in: address)
      let again = try await store.summaries().map { try $0.summary.get() }
      #expect(again[0].name == "Altered Ltd")
      #expect(again[1] == (try globex.summary(zone: zone)) && again[1] != first[1])
      // And a client made since is listed too.
      acme = try await store.append(
        try Client.changed(acme, .assigned(role: "czar", person: "sam")), after: acme.events.count)
      _ = try await store.create(try Client.started("initech").record)
      let third = try await store.summaries()
      #expect(third.map(\.id.rawValue) == ["acme", "globex", "initech"])
      #expect(try third[0].summary.get() == (try acme.summary(zone: zone)))
    }
  }

  /// The listing is the database's own reading of the kept summary: written by nobody, it
  /// follows every write of the summary (an append, one edited by hand, one set aside), and
  /// one that cannot be trusted is worked out from the history, as the summaries are.
  @Test func theListingFollowsTheKeptSummaryAndOneNotKeptIsWorkedOut() async throws {
    try await withStore(.postgres) { store async throws in
      var acme = try await store.create(try Client.started("acme").record)
      _ = try await store.create(try Client.started("globex").record)
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let zone = WorkspaceSettings.zone(named: try await store.settings().timeZone)
      func expected() async throws -> [ClientSummary.Listing] {
        var listings: [ClientSummary.Listing] = []
        for id in ["acme", "globex"] { listings.append(try await store.load(ClientID(id)).summary(zone: zone).listing) }
        return listings
      }
      #expect(try await store.listings().map { try $0.listing.get() } == (try await expected()))
      // Smaller than the summary: the pages' fields are left out.
      #expect(try await count("clients WHERE length(listing) * 2 < length(summary)", in: address) == 2)
      // An append moves it on.
      acme = try await store.append(
        try Client.changed(acme, .archived, note: "paused by the client"), after: acme.events.count)
      let moved = try await store.listings().map { try $0.listing.get() }
      #expect(moved == (try await expected()) && moved[0].archived && !moved[1].archived)
      // Edited by hand, the summary's listing says what the summary says (check is what
      // finds a summary edited by hand).
      try await execute(
        "UPDATE clients SET summary = jsonb_set(summary::jsonb, '{name}', '\"Altered Ltd\"')::text WHERE id = 'acme'",
        in: address)
      #expect(try await store.listings().first?.listing.get().name == "Altered Ltd")
      // Set aside (NULL), or kept by the binary before the version: worked out, and kept again.
      try await execute("UPDATE clients SET summary = NULL WHERE id = 'acme'", in: address)
      try await execute(
        "UPDATE clients SET summary = jsonb_set(summary::jsonb - 'version', '{progress}', '77')::text WHERE id = 'globex'",
        in: address)
      #expect(try await count("clients WHERE listing IS NULL", in: address) == 1)
      #expect(try await store.listings().map { try $0.listing.get() } == (try await expected()))
      #expect(try await count("clients WHERE listing IS NULL", in: address) == 0)
      #expect(try await (store as! PostgresStore).projectionProblems().isEmpty)
    }
  }

  /// A database at the step before the listing, holding clients: `migrate` derives each
  /// one's listing from the summary it kept, and lists them as before.
  @Test func aDatabaseBeforeTheListingMigratesAndListsWhatItHeld() async throws {
    try await withDatabase { address in
      let records = try ["acme", "globex"].map { try Client.started($0).record.written(after: nil, place: "test") }
      try await PostgresCluster.connect(address) { connection in
        let logger = PostgresStore.quiet
        try await migrate(connection, below: PostgresSchema.listingStep)
        for record in records { try await ClientRows.insertClient(record, on: connection, logger: logger) }
      }
      let migrated = try await PostgresStore.migrate(address)
      #expect(migrated.from == PostgresSchema.listingStep - 1 && migrated.to == PostgresSchema.current)
      #expect(try await count("clients WHERE listing IS NOT NULL", in: address) == 2)
      let store = try await PostgresStore.open(address)
      let zone = WorkspaceSettings.zone(named: try await store.settings().timeZone)
      #expect(try await store.listings().map { try $0.listing.get() } == (try records.map { try $0.summary(zone: zone).listing }))
      await store.shutdown()
    }
  }

  @Test func checkHoldsWhatThePagesReadOfAKeptSummaryToAFullReplay() async throws {
    try await withStore(.postgres) { store async throws in
      _ = try await store.create(try Client.started("acme").record)
      let address = try PostgresAddress(parsing: store.place).withPassword(PostgresCluster.password)
      let zone = WorkspaceSettings.zone(named: try await store.settings().timeZone)
      // Each of what the portfolio, "my work" and the agenda read, altered in turn.
      let alterations = [
        ("{open,0,title}", #""Something else""#), ("{open,0,person}", #""mallory""#),
        ("{place,position}", "2"), ("{complete}", "true"), ("{dated}", "false"),
        ("{delegations}", #"[{"role":"czar","delegate":"mallory","ends":900000000}]"#),
        ("{dates}", "{}"), ("{place,title}", #""Elsewhere""#),
      ]
      for (path, value) in alterations {
        try await execute("UPDATE clients SET summary = jsonb_set(summary::jsonb, '\(path)', '\(value)')::text", in: address)
        let problems = try await (store as! PostgresStore).projectionProblems()
        #expect(problems.map(\.client.rawValue) == ["acme"], "\(path)")
        // Put back as a full replay gives it.
        let replayed = try await store.load(ClientID("acme")).summary(zone: zone)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(replayed), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        try await execute("UPDATE clients SET summary = '\(text)'", in: address)
        #expect(try await (store as! PostgresStore).projectionProblems().isEmpty, "\(path)")
      }
    }
  }

  @Test func thePasswordIsInNoPlaceAndNoMessage() async throws {
    let cluster = try PostgresCluster.running()
    let secret = PostgresCluster.password
    let text = "postgresql://accord:\(secret)@127.0.0.1:\(cluster.port)/postgres?sslmode=disable"
    let address = try PostgresAddress(parsing: text)
    #expect(address.password == secret)
    #expect(!address.description.contains(secret))
    #expect(address.description == "postgresql://accord@127.0.0.1:\(cluster.port)/postgres?sslmode=disable")

    var messages: [String] = []
    // A text that does not parse is quoted back without its password.
    do throws(PostgresAddress.Invalid) {
      _ = try PostgresAddress(parsing: "postgresql://accord:\(secret)@/postgres")
    } catch {
      messages.append(error.description)
    }
    // The wrong password, a database that does not exist, a port nothing listens on.
    let wrong = "Wrong-\(secret)"
    for attempt in [
      "postgresql://accord:\(wrong)@127.0.0.1:\(cluster.port)/postgres?sslmode=disable",
      "postgresql://accord:\(secret)@127.0.0.1:\(cluster.port)/no_such_database?sslmode=disable",
      "postgresql://accord:\(secret)@127.0.0.1:1/postgres?sslmode=disable",
    ] {
      do throws(StoreFailure) {
        _ = try await PostgresStore.open(try! PostgresAddress(parsing: attempt))
        Issue.record("\(attempt) opened")
      } catch {
        guard case .unavailable = error else {
          Issue.record("\(error) is not .unavailable")
          continue
        }
        messages.append(error.description)
      }
    }
    #expect(messages.count == 4)
    for message in messages {
      #expect(!message.contains(secret), "\(message)")
      #expect(!message.contains("NIO"), "\(message)")
    }
    #expect(messages[1].contains("password authentication failed"))
    #expect(messages[3].contains("could not connect to postgresql://accord@127.0.0.1:1/postgres"))
  }

  @Test func thePasswordIsInNoLogLineEvenAtTrace() async throws {
    let lines = LogLines()
    var logger = Logger(label: "accord.postgres.test") { _ in CapturingLogHandler(lines: lines) }
    logger.logLevel = .trace
    try await withDatabase { address in
      try await PostgresStore.migrate(address, logger: logger)
      let store = try await PostgresStore.open(address, logger: logger)
      _ = try await store.create(try Client.started("acme").record)
      _ = try await store.load(ClientID("acme"))
      await store.shutdown()
      var wrong = address
      wrong.password = "Wrong-\(PostgresCluster.password)"
      await #expect(throws: StoreFailure.self) { try await PostgresStore.open(wrong, logger: logger) }
    }
    let logged = lines.all
    #expect(!logged.isEmpty)
    #expect(!logged.contains { $0.contains(PostgresCluster.password) })
  }

  @Test func twoServersAppendingToOneClientEachRoundKeepOneAndLoseNothing() async throws {
    try await withDatabase { address in
      try await PostgresStore.migrate(address)
      let one = try await PostgresStore.open(address)
      let two = try await PostgresStore.open(address)
      defer { Task { await one.shutdown(); await two.shutdown() } }
      var read = try await one.create(try Client.started("acme").record)
      let start = read.events.count
      let rounds = 12
      for round in 1...rounds {
        let length = read.events.count
        let changes = try [one, two].enumerated().map { index, store in
          (store, try Client.changed(read, .assigned(role: "czar", person: "p\(round)-\(index)")))
        }
        // A read while the appends commit sees the client before or after, never a mix.
        async let reads: [Int] = {
          var lengths: [Int] = []
          for _ in 0..<3 { lengths.append(try await two.load(ClientID("acme")).events.count) }
          return lengths
        }()
        let outcomes = await withTaskGroup(of: Result<ClientRecord, StoreFailure>.self) { group in
          for (store, record) in changes {
            group.addTask {
              do throws(StoreFailure) { return .success(try await store.append(record, after: length)) } catch {
                return .failure(error)
              }
            }
          }
          return await group.reduce(into: []) { $0.append($1) }
        }
        let kept = outcomes.compactMap { try? $0.get() }
        try #require(kept.count == 1, "round \(round): \(outcomes)")
        #expect(try await reads.allSatisfy { [length, length + 1].contains($0) })
        for case let .failure(failure) in outcomes {
          #expect(failure == .lengthTaken(client: "acme", length: length, found: length + 1))
        }
        // Each server reads what the other kept.
        read = try await [one, two][round % 2].load(ClientID("acme"))
        #expect(read == kept[0])
      }
      #expect(read.events.count == start + rounds)
      #expect(read.revision == 1 + rounds)
      let ids = read.events.compactMap(\.id)
      #expect(Set(ids).count == ids.count)
      #expect(try await count("events", in: address) == start + rounds)
      await one.shutdown()
      await two.shutdown()
    }
  }

  // MARK: - Helpers

  /// Runs `body` on a new database of the test cluster, not migrated, dropped after.
  private func withDatabase(_ body: (PostgresAddress) async throws -> Void) async throws {
    let address = try await PostgresCluster.database()
    do {
      try await body(address)
      await PostgresCluster.drop(address)
    } catch {
      await PostgresCluster.drop(address)
      throw error
    }
  }

  private func execute(_ sql: String, in address: PostgresAddress) async throws {
    try await PostgresCluster.connect(address) { connection in
      _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresStore.quiet)
    }
  }

  private func count(_ table: String, in address: PostgresAddress) async throws -> Int {
    try await PostgresCluster.connect(address) { connection in
      try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: PostgresStore.quiet)
        .collect().first?.decode(Int.self) ?? -1
    }
  }

  private func tableNames(in address: PostgresAddress) async throws -> [String] {
    try await PostgresCluster.connect(address) { connection in
      var names: [String] = []
      for try await name in try await connection.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", logger: PostgresStore.quiet
      ).decode(String.self) {
        names.append(name)
      }
      return names
    }
  }
}

extension PostgresAddress {
  func withPassword(_ password: String) -> PostgresAddress {
    var address = self
    address.password = password
    return address
  }
}

/// Every line a logger was given, with its metadata.
final class LogLines: Sendable {
  private let lines = Mutex<[String]>([])
  var all: [String] { lines.withLock { $0 } }
  func append(_ line: String) { lines.withLock { $0.append(line) } }
}

struct CapturingLogHandler: LogHandler {
  let lines: LogLines
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let all = metadata.merging(event.metadata ?? [:]) { $1 }
    lines.append("\(event.level) \(event.message) \(all)")
  }
}

/// Applies every schema step before `step` on `connection` as `migrate` would have then: a
/// database as an Accord before that step left it, for the tests that migrate one onward.
func migrate(_ connection: PostgresConnection, below step: Int) async throws {
  let logger = PostgresStore.quiet
  try await connection.query(
    "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    logger: logger)
  for (index, statements) in PostgresSchema.steps[..<(step - 1)].enumerated() {
    for statement in statements {
      try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
    }
    try await connection.query("INSERT INTO schema_version (version) VALUES (\(index + 1))", logger: logger)
  }
}
