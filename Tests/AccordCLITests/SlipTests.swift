import Foundation
import Testing

/// The slips a new user makes at the terminal, through the built binary: each is caught with
/// a sentence that says what happened and what to do, and the client's file is left as it was.
@Suite("End to end: slips caught")
struct SlipTests {
  static let playbook = """
    playbook: slips
    version: 1
    title: Slips
    roles: {consultant: Consultant, czar: Czar}
    stages:
      - id: run
        title: Run
        milestones:
          - {id: map, title: Map, owner: consultant, due: 10d}
          - {id: check-in, title: Check in, owner: czar, every: 30d, times: 3}
          - {id: hand-over, title: Hand over, owner: consultant, needs: [check-in]}

    """

  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("slips.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", path.path).status == 0)
    #expect(try accord("assign", "acme", "czar", "dana").status == 0)
  }

  func errorCode(_ run: AccordBinary.Run) throws -> String? {
    let json = try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any]
    return (json?["error"] as? [String: Any])?["code"] as? String
  }

  @Test("complete on recurring work says which occurrence; one not due for weeks needs --early")
  func recurringOccurrences() throws {
    // The first check-in is due in 30 days: completing it today is early.
    let before = try accord.stateFile("acme")
    var run = try accord("complete", "acme", "check-in", as: "dana")
    #expect(run.status == 1)
    #expect(run.stderr.contains("occurrence 1 of 3 of 'check-in' is not due until \(TimeEndToEndTests.day(30)), in 30 days"), "\(run.stderr)")
    #expect(run.stderr.contains("--early"))
    #expect(try accord.stateFile("acme") == before, "a refused completion writes nothing")
    run = try accord("complete", "acme", "check-in", "--json", as: "dana")
    #expect(try errorCode(run) == "occurrence-early")
    run = try accord("complete", "acme", "check-in", "--early", as: "dana")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Completed occurrence 1 of 3 of 'check-in' (due \(TimeEndToEndTests.day(30)))."), "\(run.stdout)")
    #expect(run.stdout.contains("Occurrence 2 of 3 is next."), "\(run.stdout)")
    // Run twice by mistake: the next occurrence, a month later still, is not completed.
    let once = try accord.stateFile("acme")
    run = try accord("complete", "acme", "check-in", as: "dana")
    #expect(run.status == 1)
    #expect(run.stderr.contains("occurrence 2 of 3 of 'check-in' is not due until \(TimeEndToEndTests.day(60))"), "\(run.stderr)")
    #expect(try accord.stateFile("acme") == once)
    // What waits on recurring work says how much of it remains.
    run = try accord("complete", "acme", "hand-over")
    #expect(run.status == 1)
    #expect(run.stderr.contains("'check-in' recurs: 2 more occurrences to complete or skip first"), "\(run.stderr)")
    run = try accord("complete", "acme", "hand-over", "--json")
    let error = try #require((try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    let obstacles = try #require(error["obstacles"] as? [[String: Any]])
    let recurring = try #require(obstacles.first { $0["kind"] as? String == "recurring" })
    #expect(recurring["milestone"] as? String == "check-in")
    #expect(recurring["remaining"] as? Int == 2)
  }

  /// On a terminal, complete asks before an early occurrence; only y completes it.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func onATerminalCompleteAsksBeforeAnEarlyOccurrence() throws {
    func complete(answer: String) throws -> (Int32, String) {
      try accord.onTerminal(["complete", "acme", "check-in"], as: "dana", answering: answer)
    }
    let before = try accord.stateFile("acme")
    let (declined, asked) = try complete(answer: "n\n")
    #expect(declined == 1, "\(asked)")
    #expect(asked.contains("occurrence 1 of 3 of 'check-in' is due \(TimeEndToEndTests.day(30)), in 30 days. Complete it now? [y/N]"), "\(asked)")
    #expect(try accord.stateFile("acme") == before)
    let (accepted, said) = try complete(answer: "y\n")
    #expect(accepted == 0, "\(said)")
    #expect(said.contains("Completed occurrence 1 of 3 of 'check-in'"), "\(said)")
  }

  @Test("schedule to a date in the past is refused without --force")
  func scheduleInThePast() throws {
    let before = try accord.stateFile("acme")
    var run = try accord("schedule", "acme", "map", "2020-01-01", "--reason", "typo for 2027")
    #expect(run.status == 1)
    #expect(run.stderr.contains("2020-01-01 is "), "\(run.stderr)")
    #expect(run.stderr.contains("--force"))
    #expect(try accord.stateFile("acme") == before)
    run = try accord("schedule", "acme", "map", "2020-01-01", "--reason", "x", "--json")
    #expect(try errorCode(run) == "date-in-past")
    run = try accord("schedule", "acme", "map", TimeEndToEndTests.day(-1), "--reason", "it was due yesterday", "--force")
    #expect(run.status == 0, "\(run.stderr)")
    // Today itself is not the past.
    #expect(try accord("schedule", "acme", "map", TimeEndToEndTests.day(0), "--reason", "today").status == 0)
  }

  @Test("a refusal to the login name says so; a name in another case gets a did-you-mean")
  func whoIsAtTheKeyboard() throws {
    var run = try accord("complete", "acme", "map", environment: ["ACCORD_USER": "", "USER": "kim"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("refused: kim may not complete 'map'"), "\(run.stderr)")
    #expect(run.stderr.contains("'kim' is your login name"), "\(run.stderr)")
    #expect(run.stderr.contains("--by PERSON") && run.stderr.contains("ACCORD_USER"))
    // With --by, the person was named: no word about the login name.
    run = try accord("complete", "acme", "map", "--by", "kim", environment: ["ACCORD_USER": "", "USER": "kim"])
    #expect(!run.stderr.contains("login name"), "\(run.stderr)")
    run = try accord("complete", "acme", "map", "--by", "Alice")
    #expect(run.status == 1)
    #expect(run.stderr.contains("did you mean 'alice'?"), "\(run.stderr)")
    run = try accord("complete", "acme", "map", "--by", "Alice", "--json")
    let error = try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any]
    #expect((error?["error"] as? [String: Any])?["suggestion"] as? String == "alice")
  }

  @Test("options every command takes may come before the command's name")
  func globalOptionsFirst() throws {
    let elsewhere = try AccordBinary.temporaryFolder()
    // The environment points at another, empty workspace; --workspace before the command wins.
    var run = try accord(
      "--workspace", accord.workspace.path, "next", "acme", environment: ["ACCORD_WORKSPACE": elsewhere.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Acme Ltd"))
    run = try accord(
      "--workspace=\(accord.workspace.path)", "--json", "clients", environment: ["ACCORD_WORKSPACE": elsewhere.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try (run.json() as? [[String: Any]])?.first?["client"] as? String == "acme")
    run = try accord("--workspace", accord.workspace.path, "log", "acme", environment: ["ACCORD_WORKSPACE": elsewhere.path])
    #expect(run.status == 0, "\(run.stderr)")
  }

  @Test("usage errors in one style: accord: error:, saying what is wrong")
  func usageErrors() throws {
    var run = try accord("agenda", "--days", "-3")
    #expect(run.status == 64)
    #expect(run.stderr.hasPrefix("accord: error: --days must be 0 to 3650, got -3"), "\(run.stderr)")
    run = try accord("next")
    #expect(run.status == 64)
    #expect(run.stderr.hasPrefix("accord: error: missing expected argument '<client>'"), "\(run.stderr)")
    run = try accord("remind", "--days", "-1")
    #expect(run.stderr.hasPrefix("accord: error: --days must be"), "\(run.stderr)")
  }

  @Test("a spreadsheet given as survey answers: say so, and how to save it as CSV")
  func spreadsheetNotCSV() throws {
    #expect(try accord("start", "beta", "--name", "Beta GmbH").status == 0)  // the standard playbook, with its survey
    let before = try accord.stateFile("beta")
    for (name, bytes) in [
      ("answers.xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00] as [UInt8]),
      ("answers.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00]),
    ] {
      let path = accord.folder.appendingPathComponent(name)
      try Data(bytes).write(to: path)
      let run = try accord("survey", "import", "beta", path.path)
      #expect(run.status == 65)
      #expect(run.stderr.contains("is a spreadsheet"), "\(run.stderr)")
      #expect(run.stderr.contains("CSV UTF-8"), "\(run.stderr)")
      #expect(try accord.stateFile("beta") == before)
    }
  }

  @Test("a busy port is named as such, with how to pick another")
  func busyPort() throws {
    // Hold a port with a listening socket, then ask accord serve for it.
    let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(holder) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
      try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        try #require(bind(holder, $0, length) == 0)
        try #require(getsockname(holder, $0, &length) == 0)
      }
    }
    #expect(listen(holder, 1) == 0)
    let port = Int(UInt16(bigEndian: address.sin_port))
    let run = try accord("serve", "--port", String(port))
    #expect(run.status == 64)
    #expect(run.stderr.contains("127.0.0.1:\(port): the port is in use"), "\(run.stderr)")
    #expect(run.stderr.contains("--port"))
    #expect(!run.stderr.contains("bind("), "\(run.stderr)")
  }
}
