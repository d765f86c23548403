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

    /// The bundled playbook's acme and globex (`APIWorkspace.seed`), or, with `small`, acme
    /// on `SyncWorkspace`'s playbook: brief, plan, and a charter the head of sales signs.
    init(small: Bool = false) throws {
      if small {
        space = try SyncWorkspace().space
      } else {
        space = try APIWorkspace()
        try space.seed()
      }
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
    let token: String
    var data: URL { accord.folder.appendingPathComponent("data", isDirectory: true) }

    init(_ firm: Firm, as person: String, clients: [String]? = nil) throws {
      accord = try AccordBinary()
      self.person = person
      token = try firm.space.token(for: person, clients: clients).token
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

  /// The events of acme on this laptop's copy not yet on the server, as `log --json` prints
  /// them: read from the copy's folder, without the sync a command on the remote begins with.
  static func waiting(_ laptop: Laptop, _ firm: Firm) throws -> [[String: Any]] {
    let folder = laptop.data.appendingPathComponent("accord/remotes/firm").path
    let copy = try #require(try jsonArray(laptop.run("log", "acme", "--json", "--workspace", folder).stdout) as? [[String: Any]])
    let server = try jsonArray(firm.space.cli("log", "acme"))
    return Array(copy.dropFirst(server.count))
  }

  @Test func aWorkshopOfflineWithASurveyRoundIsSentWhole() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    firm.stop()
    let answers = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-after-pilot.csv")
    for arguments in [
      ["complete", "acme", "stakeholder-map"], ["survey", "import", "acme", answers.path],
      ["schedule", "acme", "sales-baseline", "2027-01-15", "--reason", "agreed at the workshop"],
    ] {
      let run = try laptop.accord.run(
        arguments + ["--remote", "firm"], as: "nobody-here",
        environment: ["XDG_DATA_HOME": laptop.data.path, "ACCORD_REMOTE_TIMEOUT": "3"])
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
    }
    try firm.start()
    let synced = try laptop.run("sync", "--remote", "firm", "--json")
    #expect(synced.status == 0, "\(synced.stdout) \(synced.stderr)")
    let report = try #require(try jsonObject(synced.stdout)["report"] as? [String: Any])
    let sent = try #require(report["sent"] as? [[String: Any]])
    #expect(sent.map { $0["outcome"] as? String } == ["appended", "appended", "appended"])
    let server = try jsonArray(firm.space.cli("log", "acme"))
    #expect(try same(server, try jsonArray(laptop.remote("log", "acme", "--json").stdout)))
    #expect(try laptop.remote("benchmark", "acme").stdout == firm.space.accord("benchmark", "acme").stdout)
  }

  @Test func aPushCutOffAfterTheServerKeptItIsSentAgainAndKeptOnce() async throws {
    let firm = try Firm(small: true)
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    firm.stop()
    try #require(try laptop.remote("complete", "acme", "brief").status == 0)
    try #require(try laptop.remote("complete", "acme", "plan").status == 0)
    try firm.start()
    // The first change reached the server and was kept; its answer never came back.
    let first = try #require(try Self.waiting(laptop, firm).first)
    let body = String(decoding: try JSONSerialization.data(withJSONObject: first), as: UTF8.self)
    let kept = try await firm.served!.send("POST", "api/v1/clients/acme/events", token: laptop.token, body: body)
    try #require(kept.status == 200, "\(kept.body)")
    let synced = try laptop.run("sync", "--remote", "firm", "--json")
    #expect(synced.status == 0, "\(synced.stderr)")
    let report = try #require(try jsonObject(synced.stdout)["report"] as? [String: Any])
    #expect((report["sent"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["kept", "appended"])
    let server = try jsonArray(firm.space.cli("log", "acme"))
    #expect(server.filter { ($0 as? [String: Any])?["id"] as? String == first["id"] as? String }.count == 1)
    #expect(try same(server, try jsonArray(laptop.remote("log", "acme", "--json").stdout)))
  }

  @Test func aSignatureOnPaperMadeOfflineStaysOnItsTermsWhenTheServersChange() async throws {
    let firm = try Firm(small: true)
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    let scan = laptop.accord.folder.appendingPathComponent("charter-signed.pdf")
    try Data("%PDF-1.4 signed in ink".utf8).write(to: scan)
    let show = try jsonObject(try laptop.remote("show", "acme", "charter", "--json").stdout)
    let terms = try #require(show["termsHash"] as? String)
    firm.stop()
    let signed = try laptop.remote(
      "sign", "acme", "charter", "--terms", terms, "--on-behalf-of", "sam", "--evidence", scan.path)
    #expect(signed.status == 0, "\(signed.stderr)")
    // Meanwhile the charter's terms change on the server.
    let path = firm.space.accord.folder.appendingPathComponent("sync-v2.yaml")
    try SyncWorkspace.playbook.replacingOccurrences(of: "version: 1\n", with: "version: 2\n")
      .replacingOccurrences(of: "meet weekly", with: "meet monthly")
      .write(to: path, atomically: true, encoding: .utf8)
    try #require(try firm.space.accord("upgrade", "acme", "--playbook", path.path, "--reason", "monthly").status == 0)
    try firm.start()
    let synced = try laptop.run("sync", "--remote", "firm")
    #expect(synced.status == 1)
    #expect(synced.stdout.contains("refused: sign charter as head-of-sales on acme for sam"), "\(synced.stdout)")
    let rejected = try #require(try jsonArray(laptop.run("sync", "--rejected", "--remote", "firm", "--json").stdout).first as? [String: Any])
    #expect(rejected["code"] as? String == "terms-changed")
    #expect((rejected["event"] as? [String: Any])?["terms"] as? String == terms)
    // No signature counts on the server, and the copy is the server's again.
    let status = try jsonObject(firm.space.cli("show", "acme", "charter"))
    #expect(status["termsHash"] as? String != terms)
    #expect(try same(try jsonArray(firm.space.cli("log", "acme")), try jsonArray(laptop.remote("log", "acme", "--json").stdout)))
    // Retried as it was, it is refused again: the new terms must be signed anew.
    let retried = try laptop.run("sync", "--retry", try #require((rejected["event"] as? [String: Any])?["id"] as? String), "--remote", "firm")
    #expect(retried.status == 1)
    #expect(retried.stderr.contains("refused it again"))
  }

  @Test func aPersonWhoLostAccessMeanwhileHasTheirChangeKeptAsRejectedAndTheCopyRemoved() async throws {
    let firm = try Firm(small: true)
    let carol = try Laptop(firm, as: "carol", clients: ["acme"])
    try #require(try carol.run("sync", "--remote", "firm").status == 0)
    firm.stop()
    try #require(try carol.remote("complete", "acme", "brief").status == 0)
    try #require(try firm.space.accord("access", "revoke", "carol", "acme").status == 0)
    try firm.start()
    // Her token opened acme only: revoked with her access, so she must sign in again.
    let refused = try carol.run("sync", "--remote", "firm")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("no longer takes this sign-in"), "\(refused.stderr)")
    let again = try firm.space.token(for: "carol", clients: ["globex-none"]).token
    try #require(try carol.run("login", "firm", "--token", again).status == 0)
    let synced = try carol.run("sync", "--remote", "firm")
    #expect(synced.status == 1, "\(synced.stdout) \(synced.stderr)")
    #expect(synced.stdout.contains("Taken out of this copy (no longer yours to see): acme."))
    let rejected = try jsonArray(carol.run("sync", "--rejected", "--remote", "firm", "--json").stdout)
    #expect((rejected.first as? [String: Any])?["code"] as? String == "no-such-client")
    #expect(!FileManager.default.fileExists(
      atPath: carol.data.appendingPathComponent("accord/remotes/firm/acme.json").path))
    #expect(try jsonArray(firm.space.cli("log", "acme")).count == 3)
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
    let run = try laptop.remote("zone", "Europe/London")
    #expect(run.status == 64)
    #expect(run.stderr.contains("runs on the server"))
    // Shown, it is the server's, which sync brought.
    let shown = try laptop.remote("zone")
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(try shown.stdout == firm.space.accord("zone").stdout)
    // The digests are read from the copy and written here; mailing them is the server's.
    let out = laptop.accord.folder.appendingPathComponent("digests").path
    let digests = try laptop.remote("remind", "--out", out, "--person", "alice", "--days", "365")
    #expect(digests.status == 0, "\(digests.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: out).contains { $0.hasSuffix(".md") })
    let mailed = try laptop.remote("remind", "--smtp", "smtp://127.0.0.1:9")
    #expect(mailed.status == 64)
    #expect(mailed.stderr.contains("runs on the server"), "\(mailed.stderr)")
  }

  /// `SyncWorkspace.version2`, in a file on the laptop.
  static func version2(in laptop: Laptop) throws -> String {
    let path = laptop.accord.folder.appendingPathComponent("sync-v2.yaml")
    try SyncWorkspace.version2.write(to: path, atomically: true, encoding: .utf8)
    return path.path
  }

  @Test func anUpgradeMadeOfflineGoesWithItsTextAndTheServerDecidesItAgainForcedOrNot() async throws {
    let firm = try Firm(small: true)
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    let v2 = try Self.version2(in: laptop)
    // Tried on the copy, then made offline: nothing done is dropped there, so no --force.
    let tried = try laptop.remote("upgrade", "acme", "--playbook", v2, "--dry-run")
    #expect(tried.status == 0, "\(tried.stderr)")
    firm.stop()
    let upgraded = try laptop.remote("upgrade", "acme", "--playbook", v2, "--reason", "plan becomes review")
    #expect(upgraded.status == 0, "\(upgraded.stderr)")
    #expect(upgraded.stdout.contains("Upgraded: acme now runs sync v2"), "\(upgraded.stdout)")
    #expect(upgraded.stderr.contains("1 change waits on this laptop for accord sync"))
    // Meanwhile plan is done on the server: the upgrade would now drop done work.
    for milestone in ["brief", "plan"] {
      try #require(try firm.space.accord("complete", "acme", milestone).status == 0)
    }
    try firm.start()
    let synced = try laptop.run("sync", "--remote", "firm")
    #expect(synced.status == 1)
    #expect(synced.stdout.contains("refused: upgrade to sync v2 on acme"), "\(synced.stdout)")
    let rejected = try jsonArray(laptop.run("sync", "--rejected", "--remote", "firm", "--json").stdout)
    let kept = try #require(rejected.first as? [String: Any])
    #expect(kept["code"] as? String == "upgrade-needs-force")
    // The record keeps the text the upgrade moves to, since the copy no longer does.
    let upgrade = try #require(kept["upgrade"] as? [String: Any])
    #expect(upgrade["text"] as? String == (try String(contentsOfFile: v2, encoding: .utf8)))
    #expect(upgrade["force"] as? Bool == false)
    let id = try #require((kept["event"] as? [String: Any])?["id"] as? String)
    // Sent again as it was made, it is refused for the same reason, not for a missing text.
    let retried = try laptop.run("sync", "--retry", id, "--remote", "firm", "--json")
    #expect(retried.status == 1)
    #expect(retried.stderr.contains("upgrade-needs-force"), "\(retried.stderr)")
    let status = try jsonObject(firm.space.cli("status", "acme"))
    #expect((status["playbook"] as? [String: Any])?["version"] as? Int == 1)

    // Made again with --force, offline: the force goes with it, and the server keeps it.
    firm.stop()
    let forced = try laptop.remote("upgrade", "acme", "--playbook", v2, "--reason", "plan becomes review", "--force")
    #expect(forced.status == 0, "\(forced.stderr)")
    try firm.start()
    let again = try laptop.run("sync", "--remote", "firm")
    #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
    #expect(again.stdout.contains("Sent 1 change: 1 kept, 0 refused."), "\(again.stdout)")
    let moved = try jsonObject(firm.space.cli("status", "acme"))
    #expect((moved["playbook"] as? [String: Any])?["version"] as? Int == 2)
    let server = try jsonArray(firm.space.cli("log", "acme"))
    let last = try #require(server.last as? [String: Any])
    #expect(last["type"] as? String == "upgraded" && last["via"] as? String == "remote" && last["by"] as? String == "alice")
    #expect(try same(server, try jsonArray(laptop.remote("log", "acme", "--json").stdout)))
    // The server's file keeps both texts, and checks.
    #expect(try firm.space.accord("check", "acme").status == 0)
    try #require(try laptop.run("sync", "--drop", id, "--remote", "firm").status == 0)
  }

  @Test func aClientStartedFromTheLaptopIsStartedByTheServerOnlineOnly() async throws {
    let firm = try Firm()
    let laptop = try Laptop(firm, as: "alice")
    try #require(try laptop.run("sync", "--remote", "firm").status == 0)
    let started = try laptop.remote("start", "initech", "--name", "Initech")
    #expect(started.status == 0, "\(started.stderr)")
    #expect(started.stdout.hasPrefix("Started initech on sales-marketing-alignment"))
    // The server's client, started by alice through the laptop's door; the copy holds it.
    let server = try jsonArray(firm.space.cli("log", "initech"))
    #expect((server.first as? [String: Any])?["by"] as? String == "alice")
    #expect((server.first as? [String: Any])?["via"] as? String == "remote")
    #expect(try same(server, try jsonArray(laptop.remote("log", "initech", "--json").stdout)))
    #expect(started.stdout.contains(try firm.space.accord("next", "initech").stdout))
    // Offline, nothing is started; someone without firm access starts nothing.
    firm.stop()
    let offline = try laptop.remote("start", "hooli")
    #expect(offline.status == 1)
    #expect(offline.stderr.contains("started on firm's server, which cannot be reached"))
    try firm.start()
    let carol = try Laptop(firm, as: "carol", clients: ["acme"])
    let refused = try carol.remote("start", "hooli")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("takes firm access"))
    #expect(try firm.space.accord("log", "hooli").status == 66)
  }
}
