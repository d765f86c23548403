import Foundation
import Glibc
import PostgresStore
import PostgresTestSupport
import ProgrammeEngine
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The clients of an `APIWorkspace`, seeded with the built binary in a folder, moved into a
/// new database of the throwaway cluster (`PostgresStore.adopt`, the access book and settings
/// copied), and `accord serve --database` on it, as many servers as a test asks for.
struct DatabaseWorkspace {
  let space: APIWorkspace
  let address: PostgresAddress
  /// An API token on acme for each of its people.
  let tokens: [String: String]

  init(on cluster: PostgresCluster.Running? = nil) async throws {
    address = try await PostgresCluster.database(on: cluster)
    try await PostgresStore.migrate(address)
    space = try APIWorkspace()
    try space.seed()
    tokens = try space.tokens()
    let folder = FolderStore(space.workspace)
    let store = try await PostgresStore.open(address)
    do {
      for id in try await folder.clientIDs() { try await store.adopt(try await folder.load(id)) }
      let book = try await folder.accessBook()
      try await store.updateAccessBook { $0 = book }
      await store.shutdown()
    } catch {
      await store.shutdown()
      throw error
    }
  }

  /// The connection string `accord serve --database` is given.
  var connection: String {
    "postgresql://\(address.username):\(address.password ?? "")@\(address.host):\(address.port)/\(address.database)"
      + "?sslmode=disable"
  }

  /// `accord serve --port 0 --database ...`, started, waited for.
  func serve() throws -> ServedWorkspace {
    try ServedWorkspace(space, server: space.accord.start(["serve", "--port", "0", "--database", connection]))
  }

  /// The client as the database holds it now, read by a store of the test's own.
  func record(_ client: String) async throws -> ClientRecord {
    let store = try await PostgresStore.open(address)
    do {
      let record = try await store.load(try ClientID(client))
      await store.shutdown()
      return record
    } catch {
      await store.shutdown()
      throw error
    }
  }
}

/// Sends `method path` with `token` and, when `key` is given, `Idempotency-Key: key`.
func sendKeyed(base: URL, _ method: String, _ path: String, token: String, key: String?, body: String) async throws
  -> ServedWorkspace.Answer
{
  var request = URLRequest(url: base.appendingPathComponent(path))
  request.httpMethod = method
  request.timeoutInterval = 60
  request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
  request.setValue("application/json", forHTTPHeaderField: "Content-Type")
  if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
  request.httpBody = Data(body.utf8)
  let session = URLSession(configuration: .ephemeral)
  defer { session.finishTasksAndInvalidate() }
  let (data, response) = try await session.data(for: request)
  return .init(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
}

@Suite("accord serve --database end to end", .serialized)
struct ServeDatabaseEndToEndTests {
  @Test func fivePeopleRunTheWholeProgrammeThroughTheAPIOnPostgreSQL() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let served = try database.serve()
    // The server says where it serves, without the password.
    #expect(served.server.stdout.contains("127.0.0.1:\(database.address.port)/\(database.address.database)"))
    #expect(!served.server.stdout.contains(PostgresCluster.password))
    let tokens = database.tokens
    let changes = try await served.runWholeProgramme(tokens: tokens)
    let status = try await served.send("GET", "api/v1/clients/acme/status", token: tokens["alice"])
    #expect(status.json["progress"] as? Int == 100, "\(status.body)")
    let clients = try await served.send("GET", "api/v1/clients", token: tokens["alice"])
    #expect(clients.status == 200 && clients.body.contains("acme"), "\(clients.body)")
    // A refusal is the engine's, as on the folder: nothing is left to complete.
    let again = try await served.send(
      "POST", "api/v1/clients/acme/complete", token: tokens["carol"], body: try jsonText(["milestone": "kickoff"]))
    #expect(again.status == 409 || again.status == 400, "\(again.body)")
    #expect(served.stop() == .exited(0))

    // The database holds the whole history, sound, every change made through the API.
    let record = try await database.record("acme")
    let programme = try #require(record.programme(after: record.events.count))
    #expect(programme.nextActions().isComplete)
    #expect(record.events.filter { $0.via == .api }.count == changes)
    // The folder the clients came from was not touched by the server.
    #expect(try await FolderStore(database.space.workspace).load(try ClientID("acme")).events.count < record.events.count)
  }

  @Test func theClientListIsTheCLIsAndComesFromTheProjection() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let served = try database.serve()
    // What the CLI lists of the folder the clients came from, acme being alice's to see.
    let folderRows = try #require(
      try JSONSerialization.jsonObject(with: Data(try database.space.cli("clients").utf8)) as? [[String: Any]])
    let cliRows = folderRows.filter { $0["client"] as? String == "acme" }
    let listed = try await served.send("GET", "api/v1/clients", token: database.tokens["alice"])
    #expect(listed.status == 200)
    let apiRows = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [[String: Any]])
    #expect(apiRows.map(NSDictionary.init) == cliRows.map(NSDictionary.init), "\(listed.body)")

    // The list reads the kept summary, not the history: one altered by hand shows, and the
    // check of the projection against a full replay finds it.
    try await PostgresCluster.connect(database.address) { connection in
      _ = try await connection.query(
        "UPDATE clients SET summary = jsonb_set(summary::jsonb, '{progress}', '77')::text WHERE id = 'acme'",
        logger: PostgresCluster.quiet)
    }
    let altered = try await served.send("GET", "api/v1/clients", token: database.tokens["alice"])
    #expect(altered.body.contains("\"progress\" : 77") || altered.body.contains("\"progress\":77"), "\(altered.body)")
    let store = try await PostgresStore.open(database.address)
    let problems = try await store.projectionProblems()
    await store.shutdown()
    #expect(problems.map(\.client.rawValue) == ["acme"])
    #expect(served.stop() == .exited(0))
  }

  @Test func aHistoryEditedInTheDatabaseIsRefusedNeverServedAndNothingIsAppended() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let served = try database.serve()
    let before = try await database.record("acme")
    #expect(try await served.send("GET", "api/v1/clients/acme/next", token: database.tokens["alice"]).status == 200)
    // The client's name in its first event, edited by hand in the database.
    try await PostgresCluster.connect(database.address) { connection in
      _ = try await connection.query(
        "UPDATE events SET body = replace(body, 'Acme Ltd', 'Acme Plc') WHERE client = 'acme' AND position = 0",
        logger: PostgresCluster.quiet)
    }
    let read = try await served.send("GET", "api/v1/clients/acme/next", token: database.tokens["alice"])
    #expect(read.status == 500, "\(read.body)")
    #expect(!read.body.contains("Acme Plc") && !read.body.contains("events"), "\(read.body)")
    let change = try await served.send(
      "POST", "api/v1/clients/acme/assign", token: database.tokens["alice"],
      body: try jsonText(["role": "czar", "person": "zoe"]))
    #expect(change.status == 500, "\(change.body)")
    #expect(served.stop() == .exited(0))
    // Nothing was appended to the edited history.
    let count = try await PostgresCluster.connect(database.address) { connection in
      try await connection.query("SELECT count(*) FROM events WHERE client = 'acme'", logger: PostgresCluster.quiet)
        .collect().first?.decode(Int.self) ?? -1
    }
    #expect(count == before.events.count)
  }

  @Test func twoServersAndConcurrentWritersKeepEveryAcknowledgedChangeOnce() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let first = try database.serve()
    let second = try database.serve()
    let alice = try #require(database.tokens["alice"])
    let before = try await database.record("acme").events.count
    let bases = [first.base, second.base]
    // Six `accord assign --database` processes beside them, as a consultant's CLI would be.
    let writers = try (0..<6).map { index in
      try database.space.accord.start([
        "assign", "acme", "head-of-sales", "cli\(index)", "--database", database.connection,
      ])
    }
    // 24 changes to one client at once, half through each server, each under a key of its own.
    let answers = try await withThrowingTaskGroup(of: (String, ServedWorkspace.Answer).self) { group in
      for index in 0..<24 {
        group.addTask {
          let key = UUID().uuidString.lowercased()
          let body = try jsonText(["role": "head-of-sales", "person": "seller\(index)"])
          let answer = try await sendKeyed(
            base: bases[index % 2], "POST", "api/v1/clients/acme/assign", token: alice, key: key, body: body)
          return (key, answer)
        }
      }
      var answers: [(String, ServedWorkspace.Answer)] = []
      for try await answer in group { answers.append(answer) }
      return answers
    }
    let endings = writers.map { $0.wait().ending }
    let record = try await database.record("acme")
    let ids = record.events.map(\.id)
    #expect(Set(ids).count == ids.count, "an event id twice")
    var kept = 0
    for (key, answer) in answers {
      let count = ids.filter { $0 == key }.count
      if answer.status == 200 {
        kept += 1
        #expect(count == 1, "an acknowledged change kept \(count) times")
      } else {
        // A lost race is 409 with nothing written.
        #expect(answer.status == 409, "\(answer.status): \(answer.body)")
        #expect(count == 0)
      }
    }
    // Each CLI writer that said it kept its change kept it once; one that lost every race
    // said so (75) and kept nothing.
    for (index, (writer, ending)) in zip(writers, endings).enumerated() {
      let count = record.events.filter { $0.change == .assigned(role: "head-of-sales", person: "cli\(index)") }.count
      if ending == .exited(0) {
        kept += 1
        #expect(count == 1, "cli\(index)'s change kept \(count) times")
      } else {
        #expect(ending == .exited(75), "\(ending): \(writer.stderr)")
        #expect(count == 0)
      }
    }
    #expect(kept >= 1)
    #expect(record.events.count == before + kept)
    // One order: both servers read the same history.
    let one = try await first.send("GET", "api/v1/clients/acme/log", token: alice)
    let other = try await second.send("GET", "api/v1/clients/acme/log", token: alice)
    #expect(one.status == 200 && one.body == other.body)
    #expect(record.programme(after: record.events.count) != nil)

    // A sign-in on one server is a session on the other: the access book is the store's.
    let store = try await PostgresStore.open(database.address)
    let secret = try await store.updateAccessBook { book in
      book.invite("carol", to: "acme", by: "alice", now: Date(), expiresAt: Date().addingTimeInterval(3_600)).text
    }
    await store.shutdown()
    let cookie = try await signIn(base: first.base, secret: secret)
    let page = try await get(second.base, "/clients/acme", cookie: cookie)
    #expect(page.status == 200, "\(page.body.prefix(300))")
    #expect(page.body.contains("Acme Ltd"))
    _ = first.stop()
    _ = second.stop()
  }

  @Test func aServerKilledMidRequestLeavesWholeChangesAndTheOtherCarriesOn() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let doomed = try database.serve()
    let survivor = try database.serve()
    let alice = try #require(database.tokens["alice"])
    let before = try await database.record("acme").events.count
    let base = doomed.base
    let keys = (0..<16).map { _ in UUID().uuidString.lowercased() }
    let writers = Task {
      await withTaskGroup(of: Void.self) { group in
        for (index, key) in keys.enumerated() {
          group.addTask {
            let body = (try? jsonText(["role": "head-of-marketing", "person": "marketer\(index)"])) ?? ""
            _ = try? await sendKeyed(
              base: base, "POST", "api/v1/clients/acme/assign", token: alice, key: key, body: body)
          }
        }
      }
    }
    try await Task.sleep(for: .milliseconds(150))
    doomed.server.send(SIGKILL)
    _ = doomed.server.wait()
    await writers.value

    // Each change is in the history whole (once, sound) or not at all.
    let record = try await database.record("acme")
    let ids = record.events.map(\.id)
    #expect(Set(ids).count == ids.count)
    for key in keys { #expect(ids.filter { $0 == key }.count <= 1) }
    #expect(record.events.count - before == keys.filter { ids.contains($0) }.count)
    #expect(record.programme(after: record.events.count) != nil)
    // The other server carries on.
    let answer = try await survivor.send(
      "POST", "api/v1/clients/acme/assign", token: alice,
      body: try jsonText(["role": "head-of-marketing", "person": "after"]))
    #expect(answer.status == 200, "\(answer.body)")
    #expect(try await database.record("acme").events.count == record.events.count + 1)
    _ = survivor.stop()
  }

  @Test func underLoadTheDatabaseRestartedFailsRequestsCleanlyThenServesThem() async throws {
    let cluster = try PostgresCluster.own()
    let database = try await DatabaseWorkspace(on: cluster)
    let served = try database.serve()
    let alice = try #require(database.tokens["alice"])
    #expect(try await served.send("GET", "healthz", token: nil).status == 200)

    // Under load: four clients reading and changing acme all the while the database stops
    // and starts again.
    let base = served.base
    let load = Task {
      try await withThrowingTaskGroup(of: [(key: String?, status: Int)].self) { group in
        for worker in 0..<4 {
          group.addTask {
            var answers: [(key: String?, status: Int)] = []
            let until = Date().addingTimeInterval(6)
            var turn = 0
            while Date() < until {
              turn += 1
              if turn % 2 == 0 {
                let key = UUID().uuidString.lowercased()
                let body = try jsonText(["role": "head-of-sales", "person": "w\(worker)-\(turn)"])
                let answer = try await sendKeyed(
                  base: base, "POST", "api/v1/clients/acme/assign", token: alice, key: key, body: body)
                answers.append((key, answer.status))
              } else {
                let answer = try await sendKeyed(
                  base: base, "GET", "api/v1/clients/acme/status", token: alice, key: nil, body: "")
                answers.append((nil, answer.status))
              }
              try await Task.sleep(for: .milliseconds(20))
            }
            return answers
          }
        }
        var all: [(key: String?, status: Int)] = []
        for try await answers in group { all += answers }
        return all
      }
    }
    try await Task.sleep(for: .seconds(1))
    try PostgresCluster.stop(cluster)
    let down = try await served.send("GET", "healthz", token: nil)
    #expect(down.status == 503)
    #expect(down.body == #"{"status":"unavailable"}"#)
    // Requests fail cleanly meanwhile, naming nothing internal.
    let read = try await served.send("GET", "api/v1/clients/acme/status", token: alice)
    #expect(read.status == 503, "\(read.body)")
    #expect(!read.body.contains(database.address.database) && !read.body.contains(PostgresCluster.password))

    try PostgresCluster.start(cluster)
    var ready = false
    for _ in 0..<100 where !ready {
      ready = try await served.send("GET", "healthz", token: nil).status == 200
      if !ready { try await Task.sleep(for: .milliseconds(100)) }
    }
    #expect(ready)
    let after = try await served.send("GET", "api/v1/clients/acme/status", token: alice)
    #expect(after.status == 200, "\(after.body)")
    // Every answer under load was a success, a lost race or "unavailable": never a 500, never
    // a hang. Each acknowledged change is kept once; one answered 503 may have committed as
    // the database went (kept once) or not at all, never twice.
    let answers = try await load.value
    let statuses = Set(answers.map(\.status))
    #expect(statuses.isSubset(of: [200, 409, 503]), "\(statuses)")
    #expect(statuses.contains(503), "the load met the database down")
    let ids = try await database.record("acme").events.map(\.id)
    for case let (key?, status) in answers {
      let count = ids.filter { $0 == key }.count
      #expect(status == 200 ? count == 1 : count <= 1, "\(status): kept \(count) times")
    }
    #expect(answers.contains { $0.key != nil && $0.status == 200 }, "changes were kept")
    #expect(served.stop() == .exited(0))
  }

  @Test func serveRefusesAnAddressThatIsNotPostgreSQLNamingNoPassword() throws {
    let accord = try AccordBinary()
    let bad = try accord.run(["serve", "--port", "0"], environment: ["ACCORD_DATABASE": "mysql://user:secret-pw@x/y"])
    #expect(bad.status == 64, "\(bad.stderr)")
    #expect(bad.stderr.contains("is not a PostgreSQL address"))
    #expect(!bad.stderr.contains("secret-pw"))
  }
}
