import Foundation
import Testing

/// The roster, acknowledgements and affirmation through the built binary, on the `everyone`
/// fixture: twenty people imported, a gate that opens exactly at 80% of each team, names of
/// who has not acknowledged for the consultant and czar alone, links for a mail merge, a
/// change of terms that sends everyone back, and a head of sales handed over and affirming.
@Suite("End to end: the roster and agreement that reaches everyone")
struct RosterEndToEndTests {
  let accord: AccordBinary
  let roster: URL

  static var fixture: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/valid/everyone.yaml")
  }

  init() throws {
    accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", Self.fixture.path).status == 0)
    for (role, person) in [("czar", "carol"), ("head-of-sales", "ravi"), ("head-of-marketing", "mia")] {
      #expect(try accord("assign", "acme", role, person).status == 0)
    }
    var rows = ["name;email;team;level"]
    rows += (1...10).map { "Seller \($0);seller\($0)@acme.example;sales;staff" }
    rows += (1...10).map { "Marketer \($0);\"marketer\($0)@acme.example\";marketing;\($0 == 1 ? "manager" : "staff")" }
    roster = accord.folder.appendingPathComponent("roster.csv")
    // Semicolons and a byte order mark, as Excel saves CSV in many locales.
    try Data([0xEF, 0xBB, 0xBF] + Array((rows.joined(separator: "\r\n") + "\r\n").utf8)).write(to: roster)
  }

  func stages() throws -> [String: String] {
    let json = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let stages = try #require(json["stages"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: stages.map { ($0["id"] as! String, $0["state"] as! String) })
  }

  func acknowledge(_ people: [String]) throws {
    for person in people {
      let run = try accord("acknowledge", "acme", "lead-sla", "--yes", as: person)
      #expect(run.status == 0, "\(person): \(run.stderr)")
    }
  }

  /// The head of sales's signature on lead-sla as `status --json` gives it.
  func headOfSalesSignature() throws -> [String: Any] {
    let json = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let agreements = try #require(json["agreements"] as? [[String: Any]])
    let signatures = try #require(agreements.first?["signatures"] as? [[String: Any]])
    return try #require(signatures.first { $0["role"] as? String == "head-of-sales" })
  }

  @Test("a roster file with any bad row imports nobody, naming every problem with its row and column")
  func aBadRosterImportsNobody() throws {
    let bad = accord.folder.appendingPathComponent("bad.csv")
    try """
      name,email,team,level
      Sam,sam-at-acme,sales,staff
      Pat,pat@acme.example,finanse,staff
      Pat,pat2@acme.example,sales,board
      Lee,sam-at-acme,marketing,staff

      """.write(to: bad, atomically: true, encoding: .utf8)
    let before = try accord.stateFile("acme")
    let run = try accord("people", "import", "acme", bad.path, as: "carol")
    #expect(run.status == 65)
    #expect(run.stderr.contains("bad.csv:2:2: error: 'sam-at-acme' is not an email address"))
    #expect(run.stderr.contains("bad.csv:3:3: error: unknown team 'finanse' (did you mean 'sales'?)") || run.stderr.contains("bad.csv:3:3: error: unknown team 'finanse'"))
    #expect(run.stderr.contains("bad.csv:4:1: error: Pat is already in row 3"))
    #expect(run.stderr.contains("bad.csv:4:4: error: unknown level 'board'"))
    #expect(try accord.stateFile("acme") == before)
    // Only the consultant or the czar keep it.
    let refused = try accord("people", "import", "acme", roster.path, as: "ravi")
    #expect(refused.status != 0)
    #expect(try accord.stateFile("acme") == before)
  }

  @Test("twenty imported; the gate opens exactly when each team reaches 80%, and only the keepers see names")
  func theGateOpensAtQuorum() throws {
    var run = try accord("people", "import", "acme", roster.path, as: "carol")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("20 new, 0 changed, 0 as they were; 20 on it now"))
    #expect(run.stdout.contains("semicolon-separated"))
    // The same file again changes nothing and writes nothing.
    let before = try accord.stateFile("acme")
    run = try accord("people", "import", "acme", roster.path, as: "carol")
    #expect(run.status == 0 && run.stdout.contains("Nothing to import"))
    #expect(try accord.stateFile("acme") == before)

    #expect(try accord("complete", "acme", "processes-drafted", as: "carol").status == 0)
    // Not on the roster: refused, nothing written.
    run = try accord("acknowledge", "acme", "lead-sla", "--yes", as: "mallory")
    #expect(run.status != 0 && run.stderr.contains("mallory is not on the client's roster"))
    #expect(try accord("sign", "acme", "lead-sla", "--yes", as: "ravi").status == 0)
    #expect(try accord("sign", "acme", "lead-sla", "--yes", as: "mia").status == 0)
    #expect(try stages()["implementation"] == "gated")

    try acknowledge((1...8).map { "Seller \($0)" } + (1...7).map { "Marketer \($0)" })
    #expect(try stages()["implementation"] == "gated")
    let next = try accord("next", "acme")
    #expect(next.stdout.contains("sales 8 of 10, marketing 7 of 10, 80% needed"))
    // Progress is counts alone; names are for the consultant and the czar.
    #expect(!next.stdout.contains("Marketer 9"))
    run = try accord("people", "list", "acme", "--pending", as: "ravi")
    #expect(run.status != 0)
    run = try accord("people", "list", "acme", "--pending", as: "carol")
    #expect(run.status == 0)
    #expect(run.stdout.contains("Marketer 8") && run.stdout.contains("Seller 10") && !run.stdout.contains("Seller 1 "))

    try acknowledge(["Marketer 8"])
    #expect(try stages()["implementation"] == "active")
    let json = try #require(try accord("people", "list", "acme", "--json", as: "alice").json() as? [String: Any])
    let agreements = try #require(json["agreements"] as? [[String: Any]])
    let teams = try #require(agreements.first?["teams"] as? [[String: Any]])
    #expect(teams.map { $0["acknowledged"] as? Int } == [8, 8])
    #expect(teams.map { $0["needed"] as? Int } == [8, 8])
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let progress = try #require((status["agreements"] as? [[String: Any]])?.first?["acknowledgements"] as? [[String: Any]])
    #expect(progress.map { $0["acknowledged"] as? Int } == [8, 8])

    // Someone who acknowledged leaves: marketing falls short and the gate closes again.
    run = try accord("people", "remove", "acme", "Marketer 1", "--reason", "left Acme", as: "carol")
    #expect(run.status == 0 && run.stdout.contains("marketing 7 of 9"))
    #expect(try stages()["implementation"] == "gated")
  }

  @Test(
    "on a terminal, acknowledge shows the terms and asks first; no leaves the file as it was",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func onATerminalAcknowledgeAsks() throws {
    #expect(try accord("people", "import", "acme", roster.path, as: "carol").status == 0)
    #expect(try accord("complete", "acme", "processes-drafted", as: "carol").status == 0)
    let before = try accord.stateFile("acme")
    let (declined, said) = try accord.onTerminal(["acknowledge", "acme", "lead-sla"], as: "Seller 1", answering: "n\n")
    #expect(declined == 1, "\(said)")
    #expect(said.contains("within two working days") && said.contains("Acknowledge these terms? [y/N]"), "\(said)")
    #expect(said.contains("Nothing changed."), "\(said)")
    #expect(try accord.stateFile("acme") == before)
    let (agreed, asked) = try accord.onTerminal(["acknowledge", "acme", "lead-sla"], as: "Seller 1", answering: "y\n")
    #expect(agreed == 0, "\(asked)")
    #expect(asked.contains("Acknowledged 'lead-sla' on terms sha256"), "\(asked)")
  }

  @Test("links for the czar's mail merge go to a file only its owner can read, and give each person access")
  func linksForAMailMerge() throws {
    #expect(try accord("people", "import", "acme", roster.path, as: "carol").status == 0)
    let links = accord.folder.appendingPathComponent("links.csv")
    var run = try accord("invite", "acme", "--roster", "--print-to", links.path, as: "ravi")
    #expect(run.status != 0)
    #expect(!FileManager.default.fileExists(atPath: links.path))
    run = try accord("invite", "acme", "--roster", "--print-to", links.path, as: "carol")
    #expect(run.status == 0, "\(run.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: links.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let lines = try String(contentsOf: links, encoding: .utf8).split(separator: "\r\n")
    #expect(lines.first == "name,email,team,link,expires")
    #expect(lines.count == 21)
    #expect(lines[1].hasPrefix("Seller 1,seller1@acme.example,sales,http://127.0.0.1:8080/sign-in/"))
    // An existing file is never overwritten, and nothing is granted then.
    let book = try Data(contentsOf: accord.workspace.appendingPathComponent(".accord-access.json"))
    run = try accord("invite", "acme", "--roster", "--print-to", links.path, as: "carol")
    #expect(run.status == 73)
    #expect(try Data(contentsOf: accord.workspace.appendingPathComponent(".accord-access.json")) == book)
    let list = try accord("access", "list", "--json", as: "carol")
    #expect(list.stdout.contains("Marketer 10"))
  }

  @Test("changed terms send everyone back to acknowledge; a hand-over asks the successor to affirm")
  func termsChangeAndHandOver() throws {
    #expect(try accord("people", "import", "acme", roster.path, as: "carol").status == 0)
    #expect(try accord("complete", "acme", "processes-drafted", as: "carol").status == 0)
    #expect(try accord("sign", "acme", "lead-sla", "--yes", as: "ravi").status == 0)
    #expect(try accord("sign", "acme", "lead-sla", "--yes", as: "mia").status == 0)
    try acknowledge((1...8).flatMap { ["Seller \($0)", "Marketer \($0)"] })
    #expect(try accord("complete", "acme", "pilot", as: "carol").status == 0)
    #expect(try stages()["sustain"] == "active")

    // The head of sales changes: the open roll-out stays open; the successor is asked to affirm.
    #expect(try accord("assign", "acme", "head-of-sales", "ana").status == 0)
    #expect(try stages()["implementation"] == "complete")
    #expect(try stages()["sustain"] == "gated")
    var run = try accord("next", "acme", "--person", "ana")
    #expect(run.stdout.contains("affirm") && run.stdout.contains("signed by ravi"))
    run = try accord("status", "acme")
    #expect(run.stdout.contains("signed by a predecessor: ana, who holds the role now, has not affirmed it"))
    var signature = try headOfSalesSignature()
    #expect(signature["heldBy"] as? String == "ana" && signature["affirmedAt"] == nil)
    run = try accord("affirm", "acme", "lead-sla", "--yes", as: "ravi")
    #expect(run.status != 0)
    run = try accord("affirm", "acme", "lead-sla", "--yes", as: "ana")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("stage sustain: gated -> active"))
    #expect(try accord("status", "acme").stdout.contains("affirmed by ana, who holds the role now"))
    signature = try headOfSalesSignature()
    #expect(signature["heldBy"] as? String == "ana" && signature["affirmedAt"] is String)

    // New terms: every acknowledgement and signature is stale.
    let v2 = accord.folder.appendingPathComponent("everyone-v2.yaml")
    try String(contentsOf: Self.fixture, encoding: .utf8)
      .replacingOccurrences(of: "version: 1", with: "version: 2")
      .replacingOccurrences(of: "within two working days", with: "within one working day")
      .write(to: v2, atomically: true, encoding: .utf8)
    run = try accord("upgrade", "acme", "--playbook", v2.path, "--force", "--reason", "faster hand-off")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("stale (acknowledge again): lead-sla (16 people)"))
    run = try accord("next", "acme")
    #expect(run.stdout.contains("sales 0 of 10, marketing 0 of 10, 80% needed"))
    run = try accord("acknowledge", "acme", "lead-sla", "--yes", "--terms", "901f6fd8095e", as: "Seller 1")
    #expect(run.status != 0)
    try acknowledge(["Seller 1"])
    #expect(try accord("next", "acme").stdout.contains("sales 1 of 10"))
  }
}
