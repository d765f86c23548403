import Foundation
import PostgresStore
import PostgresTestSupport
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The memory of `accord serve --database` (StoreMemory and MemoryFollower), between server
/// processes on one database: what one acknowledges the next read on another shows, an
/// unchanged client is answered from memory, another process's change is brought in by the
/// feed after its NOTIFY (through a database restart too), and an edited history is refused.
@Suite("accord serve --database keeps memory", .serialized)
struct ServeDatabaseMemoryTests {
  /// The counters of the server's /metrics the memory keeps.
  struct Counts: Equatable {
    var reloads: Int
    var hits: Int
    var catchUps: Int
  }

  static func counts(_ served: ServedWorkspace) async throws -> Counts {
    let metrics = try await served.send("GET", "metrics", token: nil)
    try #require(metrics.status == 200, "\(metrics.body)")
    func value(_ name: String) -> Int {
      let line = metrics.body.split(separator: "\n").first { $0.hasPrefix(name + " ") }
      return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? -1
    }
    return Counts(
      reloads: value("accord_cache_reloads_total"), hits: value("accord_cache_hits_total"),
      catchUps: value("accord_cache_catchups_total"))
  }

  /// Waits up to `seconds` for `served`'s counts to satisfy `done`; answers the last read.
  static func waitFor(
    _ served: ServedWorkspace, seconds: Double, _ done: (Counts) -> Bool
  ) async throws -> Counts {
    let deadline = Date().addingTimeInterval(seconds)
    var counts = try await Self.counts(served)
    while !done(counts), Date() < deadline {
      try await Task.sleep(for: .milliseconds(50))
      counts = try await Self.counts(served)
    }
    return counts
  }

  static func assign(_ person: String, on served: ServedWorkspace, token: String) async throws {
    let answer = try await served.send(
      "POST", "api/v1/clients/acme/assign", token: token, body: try jsonText(["role": "czar", "person": person]))
    try #require(answer.status == 200, "\(answer.body)")
  }

  @Test func aChangeThroughOneServerIsInTheNextReadOnTheOtherAndUnchangedReadsComeFromMemory() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let first = try database.serve()
    let second = try database.serve()
    let alice = try #require(database.tokens["alice"])
    // The second server reads acme whole once, and holds it.
    let read = try await second.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(read.status == 200)
    let held = try await Self.counts(second)
    #expect(held.reloads == 1)

    // Acknowledged by the first, in the very next read on the second: the read asks the
    // database, and does not wait for the feed.
    try await Self.assign("zoe", on: first, token: alice)
    let after = try await second.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(after.status == 200 && after.body.contains("zoe"), "\(after.body)")
    let caught = try await Self.counts(second)
    #expect(caught.reloads == 1, "brought forward, not read whole: \(caught)")
    // By the read, or by the follower the NOTIFY woke, or both at once.
    #expect(caught.catchUps > held.catchUps, "\(caught)")

    // Unchanged since: each read answered from memory (a hit), nothing read whole.
    for _ in 0..<3 {
      let again = try await second.send("GET", "api/v1/clients/acme/status", token: alice)
      #expect(again.status == 200)
    }
    let unchanged = try await Self.counts(second)
    #expect(unchanged.reloads == 1, "\(unchanged)")
    #expect(unchanged.hits == caught.hits + 3)

    // The second server's own change is held as written: its next read is from memory too,
    // and the first brings it in by its events alone.
    try await Self.assign("yan", on: second, token: alice)
    let own = try await second.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(own.body.contains("yan"))
    #expect(try await Self.counts(second).reloads == 1)
    let there = try await first.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(there.body.contains("yan"), "\(there.body)")
    #expect(first.stop() == .exited(0))
    #expect(second.stop() == .exited(0))
    // The database holds each change once, its chain whole.
    let record = try await database.record("acme")
    #expect(record.events.filter { $0.via == .api }.count == 2)
  }

  @Test func anotherProcesssChangeIsBroughtInByTheFeedAfterItsNotify() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let writer = try database.serve()
    let follower = try database.serve()
    let alice = try #require(database.tokens["alice"])
    #expect(try await follower.send("GET", "api/v1/clients/acme/next", token: alice).status == 200)
    let before = try await Self.counts(follower)

    // No request reaches the follower but /metrics: its feed follower, woken by the
    // NOTIFY (well inside the 30 s poll), brings acme forward by the new event alone.
    try await Self.assign("zoe", on: writer, token: alice)
    let woken = try await Self.waitFor(follower, seconds: 10) { $0.catchUps > before.catchUps }
    #expect(woken.catchUps == before.catchUps + 1, "\(woken)")
    #expect(woken.reloads == before.reloads)
    // The read after is answered from memory, and shows the change.
    let read = try await follower.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(read.body.contains("zoe"), "\(read.body)")
    let after = try await Self.counts(follower)
    #expect(after.hits == woken.hits + 1 && after.reloads == before.reloads && after.catchUps == woken.catchUps)
    #expect(writer.stop() == .exited(0))
    #expect(follower.stop() == .exited(0))
  }

  @Test func theFollowerListensAgainAfterTheDatabaseRestartsAndMemoryIsRightAfter() async throws {
    let cluster = try PostgresCluster.own()
    let database = try await DatabaseWorkspace(on: cluster)
    let writer = try database.serve()
    let follower = try database.serve()
    let alice = try #require(database.tokens["alice"])
    #expect(try await follower.send("GET", "api/v1/clients/acme/log", token: alice).status == 200)

    try PostgresCluster.stop(cluster)
    try PostgresCluster.start(cluster)
    var ready = false
    for _ in 0..<100 where !ready {
      ready = try await writer.send("GET", "healthz", token: nil).status == 200
      if !ready { try await Task.sleep(for: .milliseconds(100)) }
    }
    try #require(ready)
    let before = try await Self.counts(follower)
    // Changed through the other server once the database is back: the follower hears of
    // it on its new LISTEN connection, well inside the 30 s poll.
    try await Self.assign("zoe", on: writer, token: alice)
    let woken = try await Self.waitFor(follower, seconds: 12) { $0.catchUps > before.catchUps }
    #expect(woken.catchUps > before.catchUps, "\(woken)")
    #expect(woken.reloads == before.reloads)
    let read = try await follower.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(read.status == 200 && read.body.contains("zoe"), "\(read.body)")
    let record = try await database.record("acme")
    let logged = try #require(try JSONSerialization.jsonObject(with: Data(read.body.utf8)) as? [Any])
    #expect(logged.count == record.events.count)
    #expect(try await Self.counts(follower).reloads == before.reloads)
    #expect(writer.stop() == .exited(0))
    #expect(follower.stop() == .exited(0))
  }

  @Test func aHistoryEditedInTheDatabaseWhileBothServersHoldItIsRefusedAndNotAppendedTo() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let first = try database.serve()
    let second = try database.serve()
    let alice = try #require(database.tokens["alice"])
    // Both hold acme, the second brought forward by a change through the first.
    #expect(try await second.send("GET", "api/v1/clients/acme/log", token: alice).status == 200)
    try await Self.assign("zoe", on: first, token: alice)
    #expect(try await second.send("GET", "api/v1/clients/acme/log", token: alice).body.contains("zoe"))
    let before = try await database.record("acme")

    // An event in the middle of the history, edited by hand: its chain link, its head and
    // the newest event are all as they were.
    try await PostgresCluster.connect(database.address) { connection in
      _ = try await connection.query(
        "UPDATE events SET body = replace(body, 'Acme Ltd', 'Acme Plc') WHERE client = 'acme' AND position = 0",
        logger: PostgresCluster.quiet)
    }
    let read = try await second.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(read.status == 500, "\(read.body)")
    #expect(!read.body.contains("Acme Plc"))
    let change = try await first.send(
      "POST", "api/v1/clients/acme/assign", token: alice, body: try jsonText(["role": "czar", "person": "yan"]))
    #expect(change.status == 500, "\(change.body)")
    #expect(first.stop() == .exited(0))
    #expect(second.stop() == .exited(0))
    let count = try await PostgresCluster.connect(database.address) { connection in
      try await connection.query("SELECT count(*) FROM events WHERE client = 'acme'", logger: PostgresCluster.quiet)
        .collect().first?.decode(Int.self) ?? -1
    }
    #expect(count == before.events.count)
  }
}
