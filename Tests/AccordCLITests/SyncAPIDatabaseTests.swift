import Foundation
import PostgresStore
import PostgresTestSupport
import ProgrammeEngine
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The sync routes on `accord serve --database`: a laptop's copy made from the record the
/// API gives, a change made on it offline, pushed, retried at once and again: appended once,
/// the retries kept, the database's history sound.
@Suite("Web API on PostgreSQL: what sync needs of a server", .serialized)
struct SyncAPIDatabaseTests {
  @Test func aPushIsAppendedOnceOnTheDatabaseAndItsRetriesAreKept() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let served = try database.serve()
    let alice = try #require(database.tokens["alice"])
    // The laptop's replica, from the record the server gives.
    let record = try await served.send("GET", "api/v1/clients/acme/record", token: alice)
    #expect(record.status == 200)
    let laptop = try AccordBinary()
    try FileManager.default.createDirectory(at: laptop.workspace, withIntermediateDirectories: true)
    try Data(record.body.utf8).write(to: laptop.workspace.appendingPathComponent("acme.json"))
    #expect(try laptop("check", "acme").status == 0)
    // The bytes `accord export` writes for the client, as a folder keeps it.
    let exported = try AccordBinary.temporaryFolder().appendingPathComponent("exported")
    let export = try database.space.accord("export", "--from", database.connection, "--to", exported.path)
    #expect(export.status == 0, "\(export.stderr)")
    #expect(Data(record.body.utf8) == (try Data(contentsOf: exported.appendingPathComponent("acme.json"))))
    let held = try await database.record("acme")
    #expect(try laptop("log", "acme", "--json").stdout.split(separator: "\n").count > 0)
    // Offline, alice assigns the sales manager.
    #expect(try laptop("assign", "acme", "sales-manager", "sean").status == 0)
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(try laptop("log", "acme", "--json").stdout.utf8)) as? [Any])
    let event = String(
      decoding: try JSONSerialization.data(withJSONObject: try #require(log.last), options: []), as: UTF8.self)
    let base = served.base
    let answers = try await withThrowingTaskGroup(of: ServedWorkspace.Answer.self) { group in
      for _ in 0..<6 {
        group.addTask {
          try await ServedWorkspace.send(base: base, "POST", "api/v1/clients/acme/events", token: alice, body: event)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.body))")
    #expect(answers.filter { $0.json["outcome"] as? String == "appended" }.count == 1, "\(answers.map(\.body))")
    #expect(Set(answers.compactMap { $0.json["position"] as? Int }) == [held.events.count])
    let again = try await served.send("POST", "api/v1/clients/acme/events", token: alice, body: event)
    #expect(again.json["outcome"] as? String == "kept", "\(again.body)")
    // Sam may not push alice's change.
    let sam = try #require(database.tokens["sam"])
    let other = try await served.send("POST", "api/v1/clients/acme/events", token: sam, body: event)
    #expect(other.status == 403)
    #expect(served.stop() == .exited(0))

    let after = try await database.record("acme")
    #expect(after.events.count == held.events.count + 1)
    let kept = try #require(after.events.last)
    #expect(kept.via == .remote)
    #expect(kept.change == .assigned(role: "sales-manager", person: "sean"))
    #expect(after.programme(after: after.events.count) != nil)
  }

  /// An upgrade made on a copy, sent with its text: the database keeps the new text and the
  /// one before it, and the history replays on both.
  @Test func anUpgradeSentWithItsTextIsKeptOnTheDatabase() async throws {
    let database = try await DatabaseWorkspace()
    defer { Task { await PostgresCluster.drop(database.address) } }
    let served = try database.serve()
    let alice = try #require(database.tokens["alice"])
    let record = try await served.send("GET", "api/v1/clients/acme/record", token: alice)
    let laptop = try AccordBinary()
    try FileManager.default.createDirectory(at: laptop.workspace, withIntermediateDirectories: true)
    try Data(record.body.utf8).write(to: laptop.workspace.appendingPathComponent("acme.json"))
    let v4 = AccordBinary.packageRoot.appendingPathComponent("docs/examples/alignment-v4.yaml")
    let upgrade = try laptop("upgrade", "acme", "--playbook", v4.path, "--reason", "monthly reviews")
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(try laptop("log", "acme", "--json").stdout.utf8)) as? [Any])
    var event = try #require(log.last as? [String: Any])
    event["upgrade"] = ["text": try String(contentsOf: v4, encoding: .utf8), "origin": "alignment-v4.yaml", "force": false]
    let body = String(decoding: try JSONSerialization.data(withJSONObject: event, options: []), as: UTF8.self)
    let held = try await database.record("acme")
    let answer = try await served.send("POST", "api/v1/clients/acme/events", token: alice, body: body)
    #expect(answer.status == 200, "\(answer.body)")
    #expect(answer.json["outcome"] as? String == "appended")
    #expect(served.stop() == .exited(0))

    let after = try await database.record("acme")
    #expect(after.events.count == held.events.count + 1)
    #expect(after.playbook.version == 4 && after.playbook.origin == "alignment-v4.yaml")
    #expect(after.earlierPlaybooks.map(\.sha256) == [held.playbook.sha256])
    #expect(after.programme(after: after.events.count)?.playbookVersion?.version == 4)
  }
}
