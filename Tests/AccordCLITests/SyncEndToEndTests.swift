import Foundation
import Glibc
import Testing

/// The consultant's laptop, end to end: the built `accord` as a firm server's client, against
/// `accord serve` on loopback, stopped to go offline and started again on the same port.
@Suite("Sync end to end", .serialized)
struct SyncEndToEndTests {
  /// The firm's server: `accord serve` on a workspace, on a port that stays the same when it
  /// is stopped and started again.
  final class Firm {
    let space: APIWorkspace
    var served: ServedWorkspace?
    let port: Int

    init() throws {
      space = try APIWorkspace()
      try space.seed()
      let first = try ServedWorkspace(space)
      served = first
      port = first.base.port!
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Stops the server: every request from now on finds nobody listening.
    func stop() {
      guard let served else { return }
      served.server.send(SIGTERM)
      _ = served.server.wait()
      self.served = nil
    }

    /// Starts the server again on the same port.
    func start() throws {
      let deadline = Date().addingTimeInterval(20)
      while true {
        let child = try space.accord.start(
          ["serve", "--port", "\(port)", "--workspace", space.accord.workspace.path])
        do {
          served = try ServedWorkspace(space, server: child)
          return
        } catch where Date() < deadline {
          // The port is still being let go of; try again.
          usleep(200_000)
        }
      }
    }
  }

  /// A laptop: the built `accord` with a home of its own (config, data, state), signed in to
  /// the firm as `person` with a token from `accord token create`.
  struct Laptop {
    let accord: AccordBinary
    let person: String
    var data: URL { accord.folder.appendingPathComponent("data", isDirectory: true) }

    init(_ firm: Firm, as person: String) throws {
      accord = try AccordBinary()
      self.person = person
      let token = try firm.space.token(for: person).token
      try #require(try run("remote", "add", "firm", firm.url).status == 0)
      let login = try run("login", "firm", "--token", token)
      try #require(login.status == 0, "\(login.stderr)")
    }

    @discardableResult
    func run(_ arguments: String...) throws -> AccordBinary.Run {
      try accord.run(arguments, as: "nobody-here", environment: ["XDG_DATA_HOME": data.path, "ACCORD_REMOTE_TIMEOUT": "3"])
    }

    /// `arguments` sent to the firm.
    @discardableResult
    func remote(_ arguments: String...) throws -> AccordBinary.Run {
      try accord.run(
        arguments + ["--remote", "firm"], as: "nobody-here",
        environment: ["XDG_DATA_HOME": data.path, "ACCORD_REMOTE_TIMEOUT": "3"])
    }
  }

  @Test func aConsultantPullsWorksOfflineThroughAWorkshopAndSyncsWithEveryChangeAccountedFor() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    let first = try laptop.run("sync", "--remote", "firm")
    try #require(first.status == 0, "\(first.stdout) \(first.stderr)")
    #expect(first.stdout.contains("Brought up to date: acme"))

    // The same output as on the server's folder.
    #expect(try laptop.remote("next", "acme", "--json").stdout == firm.space.cli("next", "acme"))
    #expect(try laptop.remote("status", "acme").stdout == firm.space.accord("status", "acme").stdout)

    // The workshop, offline: completions, a signature on paper with its evidence.
    firm.stop()
    let complete = try laptop.remote("complete", "acme", "stakeholder-map")
    #expect(complete.status == 0, "\(complete.stderr)")
    #expect(complete.stderr.contains("cannot be reached"))
    #expect(complete.stderr.contains("1 change waits on this laptop for accord sync"))
    let offline = try laptop.run("sync", "--remote", "firm")
    #expect(offline.status == 75)
    #expect(offline.stdout.contains("1 change wait"))

    // Back at the office.
    try firm.start()
    let synced = try laptop.run("sync", "--remote", "firm")
    #expect(synced.status == 0, "\(synced.stdout) \(synced.stderr)")
    #expect(synced.stdout.contains("Sent 1 change: 1 kept, 0 refused."))
    let server = try jsonArray(firm.space.cli("log", "acme"))
    let copy = try jsonArray(laptop.remote("log", "acme", "--json").stdout)
    #expect(try same(server, copy))
    let last = try #require(server.last as? [String: Any])
    #expect(last["type"] as? String == "completed" && last["by"] as? String == "alice")
    #expect(last["via"] as? String == "remote")
  }

  @Test func byNamingAnyoneButTheSignedInPersonIsRefused() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    let run = try laptop.remote("complete", "acme", "stakeholder-map", "--by", "carol")
    #expect(run.status == 1)
    #expect(run.stderr.contains("you act as alice"))
    #expect(try jsonArray(firm.space.cli("log", "acme")).count == (try jsonArray(laptop.remote("log", "acme", "--json").stdout)).count)
  }

  @Test func twoLaptopsCompletingOneMilestoneOfflineSyncWithOneKeptAndOneRejected() async throws {
    let firm = try Firm()
    let alice = try Laptop(firm, as: "alice")
    let carol = try Laptop(firm, as: "carol")
    try #require(try alice.run("sync", "--remote", "firm").status == 0)
    try #require(try carol.run("sync", "--remote", "firm").status == 0)
    firm.stop()
    try #require(try alice.remote("complete", "acme", "stakeholder-map").status == 0)
    try #require(try carol.remote("complete", "acme", "stakeholder-map").status == 0)
    try firm.start()
    let first = try carol.run("sync", "--remote", "firm")
    #expect(first.status == 0, "\(first.stdout)")
    let second = try alice.run("sync", "--remote", "firm")
    #expect(second.status == 1)
    #expect(second.stdout.contains("refused: complete stakeholder-map on acme"))
    let rejected = try jsonArray(alice.run("sync", "--rejected", "--remote", "firm", "--json").stdout)
    #expect(rejected.count == 1)
    let id = try #require((rejected.first as? [String: Any])?["event"] as? [String: Any])["id"] as? String
    let log = try jsonArray(firm.space.cli("log", "acme"))
    #expect(log.filter { ($0 as? [String: Any])?["type"] as? String == "completed" }.count == 1)
    #expect(!log.contains { ($0 as? [String: Any])?["id"] as? String == id })
    // Dropped once it is seen to: the record empties.
    try #require(try alice.run("sync", "--drop", try #require(id), "--remote", "firm").status == 0)
    #expect(try jsonArray(alice.run("sync", "--rejected", "--remote", "firm", "--json").stdout).isEmpty)
    try #require(try alice.run("sync", "--remote", "firm").status == 0)
    #expect(try same(log, try jsonArray(alice.remote("log", "acme", "--json").stdout)))
  }

  @Test func commandsOnlyTheServerRunsAreRefusedOnTheCopy() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    let run = try laptop.remote("start", "initech", "--name", "Initech")
    #expect(run.status == 64)
    #expect(run.stderr.contains("runs on the server"))
  }
}
