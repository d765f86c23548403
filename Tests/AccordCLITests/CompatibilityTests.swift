import Crypto
import Foundation
import Testing

/// Client files written by the accord of f7a46f8 (Tests/Fixtures/compat/format1, never
/// regenerated) must load in this accord, print what that accord printed (JSON may add
/// keys, never change or drop one; text may add the documented additions), pass `check`,
/// and be left byte for byte as they were by every read.
@Suite("Compatibility: format-1 files from before")
struct CompatibilityTests {
  static let fixtures = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/compat/format1")
  static let clients = ["acme", "beta"]

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent(name))
  }

  /// A binary whose workspace holds copies of both old client files, and whose own
  /// memory of seen revisions is fresh and private.
  static func workspaceWithOldFiles() throws -> AccordBinary {
    let accord = try AccordBinary()
    try FileManager.default.createDirectory(at: accord.workspace, withIntermediateDirectories: true)
    for client in clients {
      try fixture("\(client).json").write(to: accord.workspace.appendingPathComponent("\(client).json"))
    }
    return accord
  }

  /// Runs `arguments` on a workspace holding a copy of `client`'s checked-in file (and the
  /// `besides` files) from `fixtures`, and holds what it prints to the fixture `output` (JSON
  /// may add keys, never change or drop one; text must be the same) and the file to what it was.
  static func printsAsBefore(
    _ arguments: [String], _ output: String, client: String, in fixtures: URL, besides: [String] = []
  ) throws {
    let accord = try AccordBinary()
    try FileManager.default.createDirectory(at: accord.workspace, withIntermediateDirectories: true)
    let original = try Data(contentsOf: fixtures.appendingPathComponent("\(client).json"))
    try original.write(to: accord.workspace.appendingPathComponent("\(client).json"))
    for name in besides {
      try Data(contentsOf: fixtures.appendingPathComponent(name)).write(to: accord.workspace.appendingPathComponent(name))
    }
    let run = try accord.run(arguments)
    let command = "accord " + arguments.joined(separator: " ")
    #expect(run.status == 0, "\(command): \(run.stderr)")
    let expected = String(decoding: try Data(contentsOf: fixtures.appendingPathComponent(output)), as: UTF8.self)
    if output.hasSuffix(".json") {
      let old = try JSONSerialization.jsonObject(with: Data(expected.utf8))
      let new = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
      #expect(contains(new, old), "\(command) lost or changed keys")
    } else {
      #expect(withoutSealNotes(run.stdout) == expected, "\(command) differs from \(output)")
    }
    #expect(try accord.stateFile(client) == original, "\(command) changed \(client).json")
  }

  /// What the old binary printed for `arguments`, in the fixture file `output`.
  static let outputs: [(client: String, arguments: [String], output: String)] =
    clients.flatMap { client in
      [
        (client, ["status", client, "--json"], "\(client).status.json"),
        (client, ["log", client, "--json"], "\(client).log.json"),
        (client, ["next", client, "--json"], "\(client).next.json"),
        (client, ["status", client], "\(client).status.txt"),
        (client, ["log", client], "\(client).log.txt"),
      ]
    } + [("acme", ["benchmark", "acme", "--json"], "acme.benchmark.json")]

  @Test(arguments: clients)
  func readsPrintWhatTheOldAccordPrintedAndLeaveTheFileAsItWas(client: String) throws {
    let accord = try Self.workspaceWithOldFiles()
    let original = try Self.fixture("\(client).json")
    for (_, arguments, output) in Self.outputs.filter({ $0.client == client }) {
      let run = try accord.run(arguments)
      #expect(run.status == 0, "accord \(arguments.joined(separator: " ")): \(run.stderr)")
      let expected = String(decoding: try Self.fixture(output), as: UTF8.self)
      if output.hasSuffix(".json") {
        let old = try JSONSerialization.jsonObject(with: Data(expected.utf8))
        let new = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        #expect(Self.contains(new, old), "accord \(arguments.joined(separator: " ")) lost or changed keys of \(output)")
      } else {
        #expect(Self.withoutAdditions(run.stdout) == expected, "accord \(arguments.joined(separator: " ")) differs from \(output)")
      }
      #expect(try accord.stateFile(client) == original, "accord \(arguments.joined(separator: " ")) changed \(client).json")
    }

    let check = try accord("check", client)
    #expect(check.status == 0, "accord check \(client): \(check.stdout)\(check.stderr)")
    #expect(try accord.stateFile(client) == original, "accord check changed \(client).json")
  }

  /// Whether `new` holds everything `old` does: the same scalars, arrays of the same length
  /// holding their counterparts, objects with every key of the old one (and maybe more).
  static func contains(_ new: Any, _ old: Any) -> Bool {
    switch (new, old) {
    case let (new as [String: Any], old as [String: Any]):
      return old.allSatisfy { key, value in new[key].map { contains($0, value) } ?? false }
    case let (new as [Any], old as [Any]):
      return new.count == old.count && zip(new, old).allSatisfy { contains($0, $1) }
    default:
      return (new as? NSObject) == (old as? NSObject)
    }
  }

  /// `check`'s output without the note it adds for a client of a format from before the
  /// chain covered the playbook text (issue 19), which `ChainCoversTextTests` asserts.
  static func withoutSealNotes(_ text: String) -> String {
    text.replacing(#/  note: [^\n]*: the playbook text is not yet covered by the history's hash chain[^\n]*\n/#, with: "")
  }

  /// Text output without what later versions add to it: who completed a done milestone,
  /// the hash of an agreement's terms, and the indentation of a note's later lines under
  /// their event (issue 19: the old accord began a line with them, so a note could pass for
  /// an event; `log` now indents them under the event's last column).
  static func withoutAdditions(_ text: String) -> String {
    text.replacing(#/ {2}done by .+ on \d{4}-\d\d-\d\d\n/#, with: "\n")
      .replacing(#/ {2}\(terms [0-9a-f]{12}\)\n/#, with: "\n")
      .replacing(#/\n {20,}/#, with: "\n")
  }

  /// A machine's memory of the old histories, as the old accord wrote it (a `history`
  /// fingerprint of every event, seen-history.txt), stays valid across the upgrade: this
  /// accord judges it by that fingerprint, finds the histories the same, and moves the
  /// memory on to the chain's link when it sees a newer revision.
  @Test func theHistoryFingerprintsAreTheOldOnes() throws {
    let accord = try Self.workspaceWithOldFiles()
    let expected = String(decoding: try Self.fixture("seen-history.txt"), as: UTF8.self)
      .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    let folder = accord.stateHome.appendingPathComponent("accord/seen")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var marks: [String: URL] = [:]
    for pair in expected {
      let file = try #require(
        try JSONSerialization.jsonObject(with: Self.fixture("\(pair[0]).json")) as? [String: Any])
      let uid = try #require(file["uid"] as? String)
      let events = try #require(file["events"] as? [Any])
      let revision = try #require(file["revision"] as? Int)
      let mark: [String: Any] = [
        "at": "2026-11-01T09:00:00Z", "client": pair[0], "events": events.count, "history": pair[1],
        "revision": revision, "uid": uid, "workspace": accord.workspace.path,
      ]
      let name = SHA256.hash(data: Data((uid + "\n" + pair[0]).utf8)).map { String(format: "%02x", $0) }.joined()
      let url = folder.appendingPathComponent(name + ".json")
      try JSONSerialization.data(withJSONObject: mark, options: [.sortedKeys]).write(to: url)
      marks[pair[0]] = url
    }
    let check = try accord("check")
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(!check.stdout.contains("older copy") && !check.stdout.contains("different history"), "\(check.stdout)")
    // An edit by hand to an old event is a different history by the old fingerprint too.
    let acme = accord.workspace.appendingPathComponent("acme.json")
    let original = try Data(contentsOf: acme)
    let firstBy = try #require(
      ((try JSONSerialization.jsonObject(with: original) as? [String: Any])?["events"] as? [[String: Any]])?[1]["by"] as? String)
    let edited = String(decoding: original, as: UTF8.self)
      .replacing("\"by\" : \"\(firstBy)\"", with: "\"by\" : \"\(firstBy)x\"", maxReplacements: 1)
    try Data(edited.utf8).write(to: acme)
    let differs = try accord("check", "acme")
    #expect((differs.stdout + differs.stderr).contains("does not carry on from what this machine saw"),
      "\(differs.stdout)\(differs.stderr)")
    try original.write(to: acme)

    // A change: the memory moves on, to the chain's link at the new end.
    let before = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: marks["beta"]!)) as? [String: Any])
    #expect(before["history"] as? String == expected.first { $0[0] == "beta" }?[1])
    let beta = try #require(
      try JSONSerialization.jsonObject(with: Self.fixture("beta.json")) as? [String: Any])
    let consultant = try #require((beta["assignments"] as? [String: String])?["consultant"])
    let archive = try accord("archive", "beta", "--by", consultant, "--reason", "the programme ended")
    try #require(archive.status == 0, "\(archive.stderr)")
    let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: marks["beta"]!)) as? [String: Any])
    #expect(after["revision"] as? Int == (before["revision"] as? Int).map { $0 + 1 })
    #expect(after["chain"] is String && after["history"] == nil)
  }

  /// The whole workspace checks clean as well, on a machine that has never seen it and
  /// again on one that has (after the reads above, its memory holds both clients).
  @Test func theWholeWorkspaceChecksClean() throws {
    let accord = try Self.workspaceWithOldFiles()
    for _ in 0..<2 {
      let check = try accord("check")
      #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
      #expect(check.stdout.contains("2 clients checked: all sound."))
    }
    for client in Self.clients {
      #expect(try accord.stateFile(client) == (try Self.fixture("\(client).json")))
    }
  }
}

/// Client files in format 2 (Tests/Fixtures/compat/format2, never regenerated): a client
/// upgraded twice, with a delegate's signature and one entered on paper, must load, print
/// what the accord that wrote them printed, pass `check`, and be left as they were.
@Suite("Compatibility: format-2 files (upgrades, delegation, on behalf of)")
struct FormatTwoCompatibilityTests {
  static let fixtures = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/compat/format2")

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent(name))
  }

  @Test(arguments: [
    (["status", "gamma", "--json"], "gamma.status.json"),
    (["log", "gamma", "--json"], "gamma.log.json"),
    (["next", "gamma", "--json"], "gamma.next.json"),
    (["status", "gamma"], "gamma.status.txt"),
    (["log", "gamma"], "gamma.log.txt"),
    (["log", "gamma", "--format", "csv"], "gamma.log.csv"),
    (["check"], "check.txt"),
  ])
  func readsPrintWhatTheyPrintedAndLeaveTheFileAsItWas(arguments: [String], output: String) throws {
    try CompatibilityTests.printsAsBefore(arguments, output, client: "gamma", in: Self.fixtures)
  }

  @Test func theFileIsFormatTwoAndKeepsEveryTextItRanOn() throws {
    let file = try #require(try JSONSerialization.jsonObject(with: Self.fixture("gamma.json")) as? [String: Any])
    #expect(file["format"] as? Int == 2)
    #expect((file["earlierPlaybooks"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1, 2])
  }
}

/// Client files in format 4 (Tests/Fixtures/compat/format4, never regenerated): a client
/// whose playbook gives due dates, targets and recurring work, with dates set, an occurrence
/// skipped and a workspace in Europe/London, must load, print what the accord that wrote it
/// printed on the same day (`--as-of`), pass `check`, and be left as it was.
@Suite("Compatibility: format-4 files (due dates, schedules, recurring work)")
struct FormatFourCompatibilityTests {
  static let fixtures = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/compat/format4")

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent(name))
  }

  @Test(arguments: [
    (["status", "delta", "--json", "--as-of", "2027-06-01"], "delta.status.json"),
    (["log", "delta", "--json"], "delta.log.json"),
    (["next", "delta", "--json", "--as-of", "2027-06-01"], "delta.next.json"),
    (["status", "delta", "--as-of", "2027-06-01"], "delta.status.txt"),
    (["next", "delta", "--as-of", "2027-06-01"], "delta.next.txt"),
    (["log", "delta"], "delta.log.txt"),
    (["agenda", "--json", "--as-of", "2027-06-01"], "agenda.json"),
    (["check"], "check.txt"),
  ])
  func readsPrintWhatTheyPrintedAndLeaveTheFileAsItWas(arguments: [String], output: String) throws {
    try CompatibilityTests.printsAsBefore(
      arguments, output, client: "delta", in: Self.fixtures, besides: [".accord-workspace.json"])
  }

  @Test func theFileIsFormatFourAndItsTimesAreThere() throws {
    let file = try #require(try JSONSerialization.jsonObject(with: Self.fixture("delta.json")) as? [String: Any])
    #expect(file["format"] as? Int == 4)
    let types = (file["events"] as? [[String: Any]])?.compactMap { $0["type"] as? String } ?? []
    #expect(types.contains("scheduled") && types.contains("skipped"))
  }
}
