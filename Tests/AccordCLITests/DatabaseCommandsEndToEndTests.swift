import Foundation
import PostgresStore
import PostgresTestSupport
import Testing

/// Every command on a database (`--database`, or `$ACCORD_DATABASE`) as on a folder: the
/// built binary against a throwaway PostgreSQL cluster.
@Suite("End to end: the commands on a database")
struct DatabaseCommandsEndToEndTests {
  /// A database with Accord's tables, and its connection string (with the password).
  static func database(_ accord: AccordBinary) async throws -> (PostgresAddress, String) {
    let address = try await PostgresCluster.database()
    let url = DatabaseTransferEndToEndTests.connection(address)
    let made = try accord("db", "migrate", "--database", url)
    #expect(made.status == 0, "\(made.stderr)")
    return (address, url)
  }

  /// What may differ between two runs of one script on two stores: the times, the event
  /// and token ids and secrets, the hashes that cover them, and where the clients are.
  static func normalised(_ text: String, place: String) -> String {
    var text = text.replacingOccurrences(of: place, with: "PLACE")
    let patterns = [
      (#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, "TIME"),
      (#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, "UUID"),
      (#"accord_[A-Za-z0-9]+_[A-Za-z0-9_-]+"#, "TOKEN"),
      (#"Token [A-Za-z0-9]{8} "#, "Token ID "),
      (#""id" : "[A-Za-z0-9]{8}""#, #""id" : "ID""#),
      (#"/sign-in/[A-Za-z0-9_-]+"#, "/sign-in/SECRET"),
      (#"(?m)^  [a-z0-9]{8}  carol"#, "  ID  carol"),
      (#"\b[0-9a-f]{64}\b"#, "HASH"),
    ]
    for (pattern, replacement) in patterns {
      text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return text
  }

  /// A small playbook with dates, a milestone for the czar and an agreement to sign.
  static let playbook = """
    playbook: small
    version: 1
    title: Small
    roles:
      consultant: Consultant
      czar: Czar
      sponsor: Sponsor
    metrics:
      - {id: leads, title: Leads accepted, unit: leads, better: higher, format: integer, every: 4w}
    stages:
      - id: one
        title: One
        milestones:
          - {id: kickoff, title: Kick off, owner: consultant, due: 2w}
          - {id: plan, title: Plan, owner: czar, needs: [kickoff]}
        agreements:
          - id: charter
            title: Charter
            terms: We work together.
            signatories: [sponsor]
            needs: [kickoff]
            due: 4w
            targets: {leads: 150}
      - id: two
        title: Two
        milestones:
          - {id: later, title: Later, owner: consultant}

    """

  /// The script, run by `accord` in `environment`: each command's line, status and output
  /// (normalised); `refused` how many of the last commands are refusals.
  static func script(_ accord: AccordBinary, environment: [String: String], place: String) throws -> [String] {
    let playbook = accord.folder.appendingPathComponent("small.yaml")
    try Self.playbook.write(to: playbook, atomically: true, encoding: .utf8)
    var outputs: [String] = []
    @discardableResult
    func run(_ arguments: [String], as person: String = "alice", status: Int32 = 0) throws -> AccordBinary.Run {
      let run = try accord.run(arguments, as: person, environment: environment)
      #expect(run.status == status, "\(arguments): \(run.stderr)")
      outputs.append(
        "$ accord \(arguments.joined(separator: " ").replacingOccurrences(of: accord.folder.path, with: "FOLDER")) "
          + "-> \(run.status)\n"
          + normalised(
            (run.stdout + run.stderr).replacingOccurrences(of: accord.folder.path, with: "FOLDER"), place: place))
      return run
    }
    try run(["start", "acme", "--name", "Acme Ltd", "--playbook", playbook.path])
    try run(["assign", "acme", "czar", "carol"])
    try run(["assign", "acme", "sponsor", "sid"])
    try run(["zone", "Europe/London"])
    try run(["zone"])
    try run(["complete", "acme", "kickoff", "--note", "42 people in 3 teams"])
    try run(["schedule", "acme", "charter", "2031-03-02", "--reason", "the board meets then"])
    try run(["next", "acme"])
    let show = try run(["show", "acme", "charter", "--json"])
    let terms = try #require(try show.json() as? [String: Any])["termsHash"] as? String ?? "none"
    try run(["sign", "acme", "charter", "--terms", String(terms.prefix(12))], as: "sid")
    // Times are whole seconds and a reading in the second of the signature counts as before
    // it (the baseline): let the second pass, so both stores judge the readings alike.
    Thread.sleep(forTimeInterval: 1.1)
    try run(["metric", "record", "acme", "leads", "120", "--date", "2026-01-05", "--note", "from the CRM"], as: "carol")
    try run(["metric", "record", "acme", "leads", "110", "--date", "2026-02-05"], as: "carol")
    try run(["metric", "record", "acme", "leads", "100", "--date", "2026-03-05"], as: "carol")
    try run(["metric", "show", "acme", "--json"])
    try run(["metric", "show", "acme"])
    try run(["metric", "record", "acme", "leads", "12.5"], as: "carol", status: 64)
    try run(["next", "acme", "--json", "--as-of", "2031-03-01"])
    try run(["status", "acme", "--json", "--as-of", "2031-03-01"])
    try run(["status", "acme"])
    try run(["log", "acme"])
    try run(["log", "acme", "--json"])
    try run(["start", "beta", "--name", "Beta plc", "--playbook", playbook.path])
    try run(["archive", "beta", "--reason", "on hold"])
    try run(["clients", "--json", "--as-of", "2031-03-01"])
    try run(["clients", "--all"])
    try run(["agenda", "--json", "--as-of", "2031-03-01"])
    try run(["address", "carol", "carol@example.com"])
    try run(["address"])
    try run(["remind", "--out", accord.folder.appendingPathComponent("digests").path, "--as-of", "2031-02-20"])
    try run(["invite", "acme", "carol", "--print"])
    try run(["token", "create", "carol", "--client", "acme"])
    try run(["access", "list", "acme"])
    try run(["delegate", "acme", "sponsor", "sam", "--until", "2031-01-01", "--reason", "sid is away"], as: "sid")
    try run(["revoke", "acme", "charter", "--reason", "signed the wrong draft"], as: "sid")
    try run(["reopen", "acme", "kickoff", "--reason", "the teams changed"])
    try run(["restore", "beta"])
    let newer = accord.folder.appendingPathComponent("small-v2.yaml")
    try Self.playbook.replacingOccurrences(of: "version: 1", with: "version: 2")
      .replacingOccurrences(of: "title: Later", with: "title: Later on").write(to: newer, atomically: true, encoding: .utf8)
    try run(["upgrade", "--all", "--from", "small", "--playbook", newer.path, "--reason", "a clearer title"])
    try run(["status", "beta", "--json"])
    try run(["log", "beta"])
    // Refusals: the same codes, words and statuses.
    try run(["complete", "acme", "later"], status: 1)
    try run(["sign", "acme", "charter", "--terms", String(repeating: "0", count: 64)], as: "sid", status: 1)
    try run(["complete", "acme", "plan"], as: "mallory", status: 1)
    return outputs
  }

  @Test func theSameScriptGivesTheSameOutputOnAFolderAndOnADatabase() async throws {
    let onFolder = try AccordBinary()
    try FileManager.default.createDirectory(at: onFolder.workspace, withIntermediateDirectories: true)
    let folder = try Self.script(onFolder, environment: [:], place: onFolder.workspace.path)

    let onDatabase = try AccordBinary()
    let (address, url) = try await Self.database(onDatabase)
    defer { Task { await PostgresCluster.drop(address) } }
    let database = try Self.script(onDatabase, environment: ["ACCORD_DATABASE": url], place: address.description)
    #expect(folder.count == database.count)
    for (one, other) in zip(folder, database) {
      #expect(one == other)
    }
    // A client that is not there: the same status, each store saying it its own way.
    for (accord, env) in [(onFolder, [String: String]()), (onDatabase, ["ACCORD_DATABASE": url])] {
      let missing = try accord.run(["next", "nobody"], environment: env)
      #expect(missing.status == 66 && missing.stderr.contains("nobody"), "\(missing.stderr)")
    }
    // Nothing went to the folder: the database held every client.
    #expect(!FileManager.default.fileExists(atPath: onDatabase.workspace.path))
    // And the database is sound, its listing's projection equal to a full replay.
    let check = try onDatabase("check", "--database", url)
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
  }

  /// The client's events as the database holds them, exported to a folder and read back.
  static func exported(_ accord: AccordBinary, _ url: String) throws -> Data {
    let out = try AccordBinary.temporaryFolder().appendingPathComponent("out", isDirectory: true)
    let export = try accord("export", "--from", url, "--to", out.path)
    #expect(export.status == 0, "\(export.stderr)")
    return try Data(contentsOf: out.appendingPathComponent("acme.json"))
  }

  @Test func aRefusedCommandOnTheDatabaseLeavesTheClientAsItWas() async throws {
    let accord = try AccordBinary()
    let (address, url) = try await Self.database(accord)
    defer { Task { await PostgresCluster.drop(address) } }
    let env = ["ACCORD_DATABASE": url]
    #expect(try accord("start", "acme", environment: env).status == 0)
    #expect(try accord("assign", "acme", "czar", "carol", environment: env).status == 0)
    let done = try accord("complete", "acme", "stakeholder-map", environment: env)
    #expect(done.status == 0, "\(done.stderr)")
    let before = try Self.exported(accord, url)
    let refusals: [([String], Int32)] = [
      (["complete", "acme", "stakeholder-map"], 1),
      (["complete", "acme", "success-defined"], 1),
      (["assign", "acme", "czar", "bob", "--by", "mallory"], 1),
      (["reopen", "acme", "benchmark-findings", "--reason", "again"], 1),
      (["complete", "acme", "no-such-milestone"], 64),
      (["archive", "acme", "--reason", " "], 64),
    ]
    for (arguments, status) in refusals {
      let run = try accord.run(arguments, environment: env)
      #expect(run.status == status, "\(arguments): \(run.stderr)")
      #expect(try Self.exported(accord, url) == before, "\(arguments) changed the client")
    }
  }

  @Test func twoProcessesRacingOnOneClientEachKeepTheirChangeOnceOrSayTheyLost() async throws {
    let accord = try AccordBinary()
    let (address, url) = try await Self.database(accord)
    defer { Task { await PostgresCluster.drop(address) } }
    let env = ["ACCORD_DATABASE": url]
    #expect(try accord("start", "acme", environment: env).status == 0)
    // Two writers, each handing the czar's role on again and again, at once.
    let rounds = 12
    final class Statuses: @unchecked Sendable {
      let lock = NSLock()
      var byNote: [String: Int32] = [:]
    }
    let statuses = Statuses()
    DispatchQueue.concurrentPerform(iterations: 2) { writer in
      for round in 0..<rounds {
        let note = "w\(writer)-\(round)"
        let run = try? accord.run(["assign", "acme", "czar", "carol-\(note)", "--note", note], environment: env)
        statuses.lock.withLock { statuses.byNote[note] = run?.status ?? -1 }
      }
    }
    let log = try #require(try accord("log", "acme", "--json", environment: env).json() as? [[String: Any]])
    let notes = log.compactMap { $0["note"] as? String }
    #expect(statuses.byNote.count == 2 * rounds)
    for (note, status) in statuses.byNote {
      // Acknowledged: in the history exactly once; lost the race: exit 75, and not there.
      #expect(status == 0 || status == 75, "\(note) exited \(status)")
      let count = notes.count { $0 == note }
      #expect(count == (status == 0 ? 1 : 0), "\(note) (exit \(status)) is in the history \(count) times")
    }
    #expect(try accord("check", "--database", url).status == 0)
  }

  @Test func aWrongPasswordOrADatabaseThatIsDownIsSaidPlainlyAndThePasswordNowhere() async throws {
    let accord = try AccordBinary()
    let (address, _) = try await Self.database(accord)
    defer { Task { await PostgresCluster.drop(address) } }
    let wrong = "Not-The-Password-91c2"
    let bad = "postgresql://\(address.username):\(wrong)@\(address.host):\(address.port)/\(address.database)?sslmode=disable"
    for arguments in [["next", "acme", "--database", bad], ["clients", "--database", bad, "--json"]] {
      let run = try accord.run(arguments)
      #expect(run.status != 0 && run.status != 1, "\(run.status)")
      #expect(!(run.stdout + run.stderr).contains(wrong), "the password is printed")
      #expect(!(run.stdout + run.stderr).contains(PostgresCluster.password), "the password is printed")
      #expect(!run.stderr.isEmpty)
    }
    // In $ACCORD_DATABASE_PASSWORD instead: the same.
    let noPassword = "postgresql://\(address.username)@\(address.host):\(address.port)/\(address.database)?sslmode=disable"
    let viaEnvironment = try accord.run(
      ["status", "acme"], environment: ["ACCORD_DATABASE": noPassword, "ACCORD_DATABASE_PASSWORD": wrong])
    #expect(viaEnvironment.status != 0)
    #expect(!(viaEnvironment.stdout + viaEnvironment.stderr).contains(wrong))
    // Nobody listening there.
    let down = "postgresql://accord:\(wrong)@127.0.0.1:1/accord?sslmode=disable"
    let unreachable = try accord.run(["next", "acme", "--database", down])
    // The store did not answer: a temporary failure (75), to try again later.
    #expect(unreachable.status == 75, "\(unreachable.status): \(unreachable.stderr)")
    #expect(unreachable.stderr.contains("127.0.0.1:1"), "\(unreachable.stderr)")
    #expect(!(unreachable.stdout + unreachable.stderr).contains(wrong))
  }

  @Test func workspaceAndDatabaseTogetherAreAUsageErrorAndAnExplicitWorkspaceBeatsTheEnvironment() async throws {
    let accord = try AccordBinary()
    let both = try accord("clients", "--workspace", accord.workspace.path, "--database", "postgresql://a@b/c")
    #expect(both.status == 64)
    #expect(both.stderr.contains("--workspace") && both.stderr.contains("--database"), "\(both.stderr)")
    // $ACCORD_DATABASE names nothing that answers; --workspace goes to the folder anyway.
    let env = ["ACCORD_DATABASE": "postgresql://accord@127.0.0.1:1/accord?sslmode=disable"]
    let started = try accord.run(["start", "acme", "--workspace", accord.workspace.path], environment: env)
    #expect(started.status == 0, "\(started.stderr)")
    #expect(FileManager.default.fileExists(atPath: accord.workspace.appendingPathComponent("acme.json").path))
  }
}
