import Foundation
import ProgrammeEngine
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordKit

/// One place maps every error to its exit status and words; with --json a refused or
/// failed command says the same as data on stderr, with the same status.
@Suite("Errors as data, and one exit layer")
struct ErrorReportingTests {
  @Test(arguments: [
    (StoreError.invalidClientID(id: "a/b", problem: "'/' is not allowed"), AccordKit.ExitStatus.usage),
    (.noSuchClient(path: "/w/a.json"), .noInput),
    (.clientExists(path: "/w/a.json"), .refused),
    (.corrupt(path: "/w/a.json", problem: "x"), .dataError),
    (.newerFormat(path: "/w/a.json", found: 2, supported: 1), .dataError),
    (.notRegularFile(path: "/w/a.json", found: "a symbolic link"), .dataError),
    (.locked(path: "/w/.a.lock", holder: "pid 1"), .tryAgain),
    (.changedOnDisk(path: "/w/a.json", read: 1, found: 2), .tryAgain),
    (.io(path: "/w/a.json", problem: "disk full"), .ioError),
    (.interrupted(path: "/w/a.json"), .interrupted),
  ])
  func storeErrorsMapToTheirStatus(_ error: StoreError, _ status: AccordKit.ExitStatus) throws {
    let report = try #require(Report(error))
    #expect(report.status == status)
    #expect(report.code == error.code)
    #expect(report.text == "accord: error: \(error)")
  }

  @Test func theStatusesAreTheReadmesSysexits() {
    #expect(AccordKit.ExitStatus.allCases.map(\.rawValue) == [0, 1, 64, 65, 66, 73, 74, 75, 130])
  }

  @Test func aRefusalWithJSONIsDataOnStderrAndChangesNothing() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme", "--name", "Acme Ltd").status == 0)
    let before = try accord.stateFile("acme")

    let refused = try accord("complete", "acme", "sales-baseline", "--json", as: "alice")
    #expect(refused.status == 1)
    #expect(refused.stdout.isEmpty)
    let error = try #require(try JSONSerialization.jsonObject(with: Data(refused.stderr.utf8)) as? [String: Any])
    let body = try #require(error["error"] as? [String: Any])
    #expect(body["code"] as? String == "not-permitted")
    #expect(body["milestone"] as? String == "sales-baseline")
    #expect(body["person"] as? String == "alice")
    #expect(body["roles"] as? [String] == ["sales-manager", "czar"])
    #expect((body["message"] as? String)?.contains("alice may not complete 'sales-baseline'") == true)
    #expect(try accord.stateFile("acme") == before)

    // Without --json the same refusal is the sentence it always was.
    let text = try accord("complete", "acme", "sales-baseline", as: "alice")
    #expect(text.status == 1)
    #expect(text.stderr == "accord: refused: alice may not complete 'sales-baseline': only the sales-manager or the czar may\n")
  }

  @Test func aLockedStageIsNamedWithItsObstacles() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    try #require(accord("assign", "acme", "czar", "carol").status == 0)
    let refused = try accord("complete", "acme", "pilot", "--json", as: "carol")
    #expect(refused.status == 1)
    let body = try #require((try JSONSerialization.jsonObject(with: Data(refused.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect(body["code"] as? String == "milestone-not-ready")
    #expect(body["milestone"] as? String == "pilot")
    #expect(body["stage"] as? String == "implementation")
    let obstacles = try #require(body["obstacles"] as? [[String: Any]])
    #expect(obstacles.first?["kind"] as? String == "stage-locked")
    #expect(obstacles.first?["waitingFor"] as? String == "benchmark")
  }

  @Test func mistypedIdsSuggestTheNearestInEveryKind() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    let before = try accord.stateFile("acme")

    // An id the playbook does not have is a usage error, like any mistyped argument.
    let milestone = try accord("complete", "acme", "stakeholder-mpa")
    #expect(milestone.status == 64)
    #expect(milestone.stderr.hasPrefix("accord: error: the playbook has no milestone"))
    #expect(milestone.stderr.contains("did you mean 'stakeholder-map'?"))

    let agreement = try accord("sign", "acme", "colaboration-charter")
    #expect(agreement.status == 64)
    #expect(agreement.stderr.contains("did you mean 'collaboration-charter'?"))

    let role = try accord("assign", "acme", "sponser", "dana")
    #expect(role.status == 64)

    let blank = try accord("complete", "acme", "stakeholder-map", "--by", "")
    #expect(blank.status == 64)
    #expect(role.stderr.contains("did you mean 'sponsor'?"))

    let client = try accord("next", "acm", "--json")
    #expect(client.status == 66)
    let body = try #require((try JSONSerialization.jsonObject(with: Data(client.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect(body["code"] as? String == "no-such-client")
    #expect(body["suggestion"] as? String == "acme")
    #expect(try accord.stateFile("acme") == before)
  }

  @Test func aMistypedRoundSuggestsTheNearest() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    let csv = accord.folder.appendingPathComponent("answers.csv")
    try #require(accord("survey", "template", "acme", "--out", csv.path).status == 0)
    var lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
    let columns = lines[0].split(separator: ",").count
    for (index, team) in ["sales", "sales", "sales", "marketing", "marketing", "marketing"].enumerated() {
      lines.append((["r\(index)", team, "manager"] + Array(repeating: "4", count: columns - 3)).joined(separator: ","))
    }
    try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
    try #require(accord("survey", "import", "acme", csv.path, "--round", "baseline").status == 0)

    let result = try accord("benchmark", "acme", "--round", "baselin", "--json")
    #expect(result.status == 66)
    let body = try #require((try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect(body["code"] as? String == "unknown-round")
    #expect(body["suggestion"] as? String == "baseline")
  }

  @Test func usageErrorsAreSixtyFourAndJSONWhenAsked() throws {
    let accord = try AccordBinary()
    let invalid = try accord("next", "../etc", "--json")
    #expect(invalid.status == 64)
    let body = try #require((try JSONSerialization.jsonObject(with: Data(invalid.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect(body["code"] as? String == "usage")
    #expect((body["message"] as? String)?.contains("is not a valid client id") == true)

    // A mistyped command names the nearest, at any depth; JSON when asked.
    let command = try accord("nxt", "acme")
    #expect(command.status == 64)
    #expect(command.stderr.hasPrefix("accord: error: 'nxt' is not a command of 'accord' (did you mean 'next'?)"))
    let nested = try accord("survey", "imprt", "acme", "--json")
    #expect(nested.status == 64)
    let nestedBody = try #require((try JSONSerialization.jsonObject(with: Data(nested.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any])
    #expect((nestedBody["message"] as? String)?.contains("(did you mean 'import'?)") == true)

    let text = try accord("status", "a b")
    #expect(text.status == 64)
    #expect(text.stderr.contains("is not a valid client id: a space is not allowed"))
    #expect(!FileManager.default.fileExists(atPath: accord.workspace.path))
  }

  @Test func anEmptyReasonIsAUsageErrorInEveryCommandThatUndoes() throws {
    let accord = try AccordBinary()
    try #require(accord("start", "acme").status == 0)
    let before = try accord.stateFile("acme")
    for arguments in [
      ["reopen", "acme", "stakeholder-map"], ["revoke", "acme", "collaboration-charter"],
      ["archive", "acme"], ["survey", "withdraw", "acme", "round-1"],
    ] {
      let run = try accord.run(arguments + ["--reason", "  "])
      #expect(run.status == 64, "\(arguments)")
      #expect(run.stderr.contains("--reason must say why"), "\(arguments): \(run.stderr)")
    }
    #expect(try accord.stateFile("acme") == before)
  }

  @Test func aChangeWithJSONPrintsTheEventAndWhatComesNext() throws {
    let accord = try AccordBinary()
    let started = try accord("start", "acme", "--json")
    #expect(started.status == 0)
    let start = try #require(try started.json() as? [String: Any])
    #expect((start["event"] as? [String: Any])?["type"] as? String == "started")

    let done = try accord("complete", "acme", "stakeholder-map", "--json", "--note", "with the board")
    #expect(done.status == 0)
    let change = try #require(try done.json() as? [String: Any])
    #expect(change["client"] as? String == "acme")
    let event = try #require(change["event"] as? [String: Any])
    #expect(event["type"] as? String == "completed")
    #expect(event["milestone"] as? String == "stakeholder-map")
    #expect(event["note"] as? String == "with the board")
    let next = try #require(change["next"] as? [String: Any])
    let targets = (next["actions"] as? [[String: Any]])?.compactMap { $0["target"] as? String } ?? []
    #expect(!targets.contains("stakeholder-map"))
    // The same event, in the same shape, as the log shows it.
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.last?["milestone"] as? String == "stakeholder-map")
  }
}
