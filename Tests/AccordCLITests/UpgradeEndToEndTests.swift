import Foundation
import Testing

/// `accord upgrade` through the binary: terms that change, a done milestone removed with
/// and without --force, a milestone added to a completed stage, --all, --dry-run, and bad
/// input that leaves every file as it was.
@Suite("Commands: upgrading clients to a new playbook version")
struct UpgradeEndToEndTests {
  static let v1 = """
    playbook: terms
    version: 1
    title: Terms
    roles:
      consultant: Consultant
      czar: Czar
      head-of-sales: Head of sales
    stages:
      - id: one
        title: One
        milestones:
          - id: kick-off
            title: Kick off
            owner: consultant
          - id: old-step
            title: Old step
            owner: consultant
        agreements:
          - id: charter
            title: The charter
            terms: |
              We agree to meet weekly.
              We share one lead definition.
            signatories: [head-of-sales]
      - id: two
        title: Two
        gate:
          agreements: [charter]
        milestones:
          - id: pilot
            title: Pilot
            owner: consultant

    """

  /// Version 2: the charter meets fortnightly.
  static let v2 = v1.replacingOccurrences(of: "version: 1", with: "version: 2")
    .replacingOccurrences(of: "meet weekly", with: "meet every fortnight")
  /// Version 3: `old-step` replaced by `new-step`.
  static let v3 = v2.replacingOccurrences(of: "version: 2", with: "version: 3")
    .replacingOccurrences(of: "id: old-step\n        title: Old step", with: "id: new-step\n        title: New step")
  /// Version 4: stage one gains `interviews`.
  static let v4 = v2.replacingOccurrences(of: "version: 2", with: "version: 4")
    .replacingOccurrences(
      of: "      - id: old-step\n", with: "      - id: interviews\n        title: Interviews\n        owner: consultant\n      - id: old-step\n")

  /// A client on version 1 with stage one done and the charter signed: stage two is open.
  static func client(_ accord: AccordBinary, _ id: String = "acme") throws {
    try write(v1, to: "v1.yaml", in: accord)
    for command in [
      ["start", id, "--playbook", "v1.yaml"], ["assign", id, "head-of-sales", "sam"], ["complete", id, "kick-off"],
      ["complete", id, "old-step"],
    ] {
      let run = try accord.run(command)
      #expect(run.status == 0, "\(command): \(run.stderr)")
    }
    #expect(try accord("sign", id, "charter", as: "sam").status == 0)
  }

  static func write(_ text: String, to name: String, in accord: AccordBinary) throws {
    try text.write(to: accord.folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  @Test func changedTermsMakeTheSignatureStaleAndNextShowsWhatChanged() throws {
    let accord = try AccordBinary()
    try Self.client(accord)
    try Self.write(Self.v2, to: "v2.yaml", in: accord)
    let run = try accord("upgrade", "acme", "--playbook", "v2.yaml", "--reason", "fortnightly meetings")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("agreements  changed charter (terms)"))
    #expect(run.stdout.contains("stale (sign again): charter as head-of-sales (sam)"))
    #expect(run.stdout.contains("stage two's gate closes"))
    #expect(run.stdout.contains("Upgraded: acme now runs terms v2"))

    let next = try accord("next", "acme")
    #expect(next.stdout.contains("the terms changed since"))
    #expect(next.stdout.contains("- We agree to meet weekly.\n"))
    #expect(next.stdout.contains("+ We agree to meet every fortnight.\n"))
    #expect(next.stdout.contains("    We share one lead definition.\n"))
    let json = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    let action = try #require((json["actions"] as? [[String: Any]])?.first)
    #expect(action["signedTerms"] as? String == "We agree to meet weekly.\nWe share one lead definition.\n")
    #expect(action["staleTerms"] != nil)

    // Signing the new terms opens the gate again; the history replays and checks clean.
    #expect(try accord("sign", "acme", "charter", as: "sam").status == 0)
    #expect(try accord("complete", "acme", "pilot").status == 0)
    #expect(try accord("check", "acme").status == 0)
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    #expect((status["playbook"] as? [String: Any])?["version"] as? Int == 2)
    #expect(try accord("status", "acme").stdout.contains("upgraded from v1 (sha256 "))
    #expect(try accord("status", "acme").stdout.contains("by alice: fortnightly meetings"))
    let log = try accord("log", "acme").stdout
    #expect(log.contains("upgraded") && log.contains("terms v1 (") && log.contains("-> terms v2 ("))
    #expect(log.contains("(fortnightly meetings)"))

    // The file keeps the text it started on, and says so in a format older Accords refuse
    // (6, as every client started by this Accord: its chain covers the text, its events have ids).
    let file = try #require(try JSONSerialization.jsonObject(with: try accord.stateFile("acme")) as? [String: Any])
    #expect(file["format"] as? Int == 6)
    let earlier = try #require(file["earlierPlaybooks"] as? [[String: Any]])
    #expect(earlier.map { $0["source"] as? String } == [Self.v1])
    #expect((file["playbook"] as? [String: Any])?["source"] as? String == Self.v2)
  }

  @Test func droppingADoneMilestoneIsRefusedWithoutForceAndTheFileIsUntouched() throws {
    let accord = try AccordBinary()
    try Self.client(accord)
    try Self.write(Self.v3, to: "v3.yaml", in: accord)
    let before = try accord.stateFile("acme")
    let refused = try accord("upgrade", "acme", "--playbook", "v3.yaml", "--reason", "simpler")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("would drop done milestone 'old-step'"))
    #expect(refused.stderr.contains("add --force"))
    #expect(refused.stdout.contains("done work   1 done milestone kept; dropped: old-step"))
    #expect(try accord.stateFile("acme") == before)
    let json = try accord("upgrade", "acme", "--playbook", "v3.yaml", "--reason", "simpler", "--json")
    let error = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect(error["code"] as? String == "upgrade-needs-force")
    #expect(error["milestones"] as? [String] == ["old-step"])
    #expect(try accord.stateFile("acme") == before)

    let forced = try accord("upgrade", "acme", "--playbook", "v3.yaml", "--reason", "simpler", "--force")
    #expect(forced.status == 0, "\(forced.stderr)")
    let status = try accord("status", "acme").stdout
    #expect(status.contains("new-step  ready"))
    #expect(!status.contains("old-step"))
    #expect(try accord("check", "acme").status == 0)
    // The completion of old-step stays in the history, checked against version 1.
    #expect(try accord("log", "acme").stdout.contains("completed  old-step"))
  }

  @Test func aMilestoneAddedToACompletedStageReopensItAndLocksTheNext() throws {
    let accord = try AccordBinary()
    try Self.client(accord)
    try Self.write(Self.v4, to: "v4.yaml", in: accord)
    let dry = try accord("upgrade", "acme", "--playbook", "v4.yaml", "--dry-run")
    #expect(dry.status == 1)
    #expect(dry.stdout.contains("milestones  added interviews"))
    #expect(dry.stdout.contains("stage one reopens; stage two locks again"))
    #expect(dry.stderr.contains("lock stage 'two', open today"))
    let forced = try accord("upgrade", "acme", "--playbook", "v4.yaml", "--reason", "interviews first", "--force")
    #expect(forced.status == 0, "\(forced.stderr)")
    let next = try accord("next", "acme").stdout
    #expect(next.contains("complete  interviews"))
    #expect(try accord("complete", "acme", "pilot").status == 1)
  }

  @Test func allMovesEveryClientOnThePlaybookEachWholeOrNotAtAll() throws {
    let accord = try AccordBinary()
    try Self.client(accord, "acme")
    try Self.client(accord, "globex")
    // initech has not done old-step: dropping it costs nothing there.
    #expect(try accord("start", "initech", "--playbook", "v1.yaml").status == 0)
    // umbrella runs the standard playbook, which --from leaves alone.
    #expect(try accord("start", "umbrella").status == 0)
    try Self.write(Self.v3, to: "v3.yaml", in: accord)
    let files = try ["acme", "globex", "initech", "umbrella"].map { try accord.stateFile($0) }

    let dry = try accord("upgrade", "--all", "--from", "terms", "--playbook", "v3.yaml", "--dry-run", "--json")
    #expect(dry.status == 1)
    let report = try #require(try dry.json() as? [String: Any])
    let clients = try #require(report["clients"] as? [[String: Any]])
    #expect(clients.map { $0["client"] as? String } == ["acme", "globex", "initech"])
    #expect(clients.map { $0["outcome"] as? String } == ["refused", "refused", "would-upgrade"])
    #expect(try ["acme", "globex", "initech", "umbrella"].map { try accord.stateFile($0) } == files)

    let run = try accord("upgrade", "--all", "--from", "terms", "--playbook", "v3.yaml", "--reason", "v3")
    #expect(run.status == 1)
    #expect(run.stdout.contains("1 client moved to terms v3"))
    #expect(run.stdout.contains("2 refused (acme, globex)"))
    #expect(run.stdout.contains("Refused: the upgrade would drop done milestone 'old-step'"))
    #expect(try accord.stateFile("acme") == files[0])
    #expect(try accord.stateFile("umbrella") == files[3])
    #expect(try accord.stateFile("initech") != files[2])

    let again = try accord("upgrade", "--all", "--from", "terms", "--playbook", "v3.yaml", "--reason", "v3", "--force")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("2 clients moved to terms v3"))
    #expect(again.stdout.contains("1 on it already"))
    #expect(try accord("check").status == 0)
  }

  @Test func allLeavesArchivedClientsAsTheyAre() throws {
    let accord = try AccordBinary()
    try Self.client(accord, "acme")
    try Self.client(accord, "globex")
    #expect(try accord("archive", "globex", "--reason", "paused").status == 0)
    let archived = try accord.stateFile("globex")
    try Self.write(Self.v2, to: "v2.yaml", in: accord)
    let run = try accord("upgrade", "--all", "--from", "terms", "--playbook", "v2.yaml", "--reason", "v2")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("1 client moved to terms v2"))
    #expect(run.stdout.contains("1 archived, left as it is"))
    #expect(try accord.stateFile("globex") == archived)
    let json = try #require(
      try accord("upgrade", "--all", "--from", "terms", "--playbook", "v2.yaml", "--dry-run", "--json").json()
        as? [String: Any])
    #expect(json["archived"] as? Int == 1)
    #expect((json["clients"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["current"])
  }

  @Test func badInputIsRefusedAndChangesNothing() throws {
    let accord = try AccordBinary()
    try Self.client(accord)
    try Self.write(Self.v2, to: "v2.yaml", in: accord)
    try Self.write(Self.v2.replacingOccurrences(of: "owner: consultant\n      - id: old-step", with: "owner: consultnt\n      - id: old-step"), to: "broken.yaml", in: accord)
    try Self.write(Self.v2.replacingOccurrences(of: "playbook: terms", with: "playbook: other"), to: "other.yaml", in: accord)
    let before = try accord.stateFile("acme")
    let cases: [([String], String, Int32, String)] = [
      (["upgrade", "acme", "--playbook", "broken.yaml", "--reason", "x"], "alice", 65, "broken.yaml:14:"),
      (["upgrade", "acme", "--playbook", "missing.yaml", "--reason", "x"], "alice", 66, "missing.yaml"),
      (["upgrade", "acme", "--playbook", "v2.yaml", "--reason", "x"], "sam", 1, "only the consultant may"),
      (["upgrade", "acme", "--playbook", "v2.yaml"], "alice", 64, "--reason must say why"),
      (["upgrade", "acme", "--playbook", "v2.yaml", "--reason", "  "], "alice", 64, "--reason must say why"),
      (["upgrade", "acme", "--playbook", "other.yaml", "--reason", "x"], "alice", 1, "'other' is another playbook"),
      (["upgrade", "acme", "--from", "nope", "--playbook", "v2.yaml", "--reason", "x"], "alice", 1, "runs playbook 'terms', not 'nope'"),
      (["upgrade", "--all", "--playbook", "v2.yaml", "--reason", "x"], "alice", 64, "--all needs --from"),
      (["upgrade", "acme", "--all", "--from", "terms", "--playbook", "v2.yaml", "--reason", "x"], "alice", 64, "not both"),
      (["upgrade", "--playbook", "v2.yaml", "--reason", "x"], "alice", 64, "name a client"),
      (["upgrade", "ghost", "--playbook", "v2.yaml", "--reason", "x"], "alice", 66, "ghost"),
    ]
    for (arguments, person, status, message) in cases {
      let run = try accord.run(arguments, as: person)
      #expect(run.status == status, "\(arguments): \(run.stderr)")
      #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
      #expect(try accord.stateFile("acme") == before, "\(arguments)")
    }
    // The same text again: nothing to do, and nothing written.
    #expect(try accord("upgrade", "acme", "--playbook", "v1.yaml", "--reason", "x").stdout.contains("already"))
    #expect(try accord.stateFile("acme") == before)
  }
}
