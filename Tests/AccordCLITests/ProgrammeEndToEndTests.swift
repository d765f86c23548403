import Foundation
import Testing

/// A whole programme on the standard playbook, run through the built binary.
@Suite("End to end: the standard programme")
struct ProgrammeEndToEndTests {
  let accord: AccordBinary
  static let people = [
    "czar": "carol", "head-of-sales": "sam", "head-of-marketing": "mia", "sponsor": "sid",
  ]

  init() throws {
    accord = try AccordBinary()
  }

  /// Completes every ready milestone until none is left, as whoever `next` names
  /// (the czar when nobody holds the owner role). Returns the ids completed.
  @discardableResult
  func completeEverythingReady() throws -> [String] {
    var completed: [String] = []
    while true {
      let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
      let actions = try #require(next["actions"] as? [[String: Any]])
      guard let action = actions.first(where: { $0["kind"] as? String == "complete" }) else {
        return completed
      }
      let milestone = try #require(action["target"] as? String)
      let person = action["person"] as? String ?? "carol"
      // The sustain stage's check-ins recur monthly: each is completed ahead of its date.
      let run = try accord("complete", "acme", milestone, "--early", as: person)
      #expect(run.status == 0, "complete \(milestone): \(run.stderr)")
      guard run.status == 0 else { return completed }
      completed.append(milestone)
    }
  }

  func stageState(_ stage: String) throws -> String? {
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let stages = try #require(status["stages"] as? [[String: Any]])
    return stages.first { $0["id"] as? String == stage }?["state"] as? String
  }

  func startWithRoles() throws {
    let start = try accord("start", "acme", "--name", "Acme Ltd")
    #expect(start.status == 0, "\(start.stderr)")
    #expect(start.stdout.contains("alice holds the consultant role"))
    #expect(start.stdout.contains("Next actions"))
    for (role, person) in Self.people.sorted(by: { $0.key < $1.key }) {
      let assign = try accord("assign", "acme", role, person)
      #expect(assign.status == 0, "\(assign.stderr)")
    }
    // The survey milestone needs a round of answers before it can be completed.
    let answers = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-round-1.csv")
    let survey = try accord("survey", "import", "acme", answers.path)
    #expect(survey.status == 0, "\(survey.stderr)")
  }

  @Test func implementationStaysClosedUntilAllThreeSignaturesAndARevokeClosesItAgain() throws {
    try startWithRoles()
    let done = try completeEverythingReady()
    #expect(done.count >= 8)
    #expect(try stageState("benchmark") == "complete")
    #expect(try stageState("implementation") != "active")

    // Coaching is done except what waits for the agreements; implementation waits for signatures.
    for agreement in ["collaboration-charter", "metrics-agreement"] {
      for (role, person) in [("head-of-sales", "sam"), ("head-of-marketing", "mia")] {
        let sign = try accord("sign", "acme", agreement, as: person)
        #expect(sign.status == 0, "\(sign.stderr)")
        _ = role
      }
    }
    try completeEverythingReady()
    #expect(try stageState("implementation") == "gated")

    // What holds the gate, for scripts and for people.
    let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    let blocked = try #require(next["blocked"] as? [[String: Any]])
    let gate = try #require(blocked.first { $0["stage"] as? String == "implementation" })
    let unsigned = try #require(gate["agreements"] as? [[String: Any]])
    #expect(unsigned.map { $0["id"] as? String } == ["collaboration-charter", "metrics-agreement"])
    #expect(unsigned.allSatisfy { $0["unsigned"] as? [String] == ["sponsor"] })
    let text = try accord("next", "acme")
    #expect(text.stdout.contains("stage 'implementation' waits until:"))
    #expect(text.stdout.contains("agreement 'collaboration-charter' still needs signatures from sponsor"))

    // Any implementation milestone is refused, with the gate explained, and nothing written.
    let status = try #require(try accord("status", "acme", "--json").json() as? [String: Any])
    let stages = try #require(status["stages"] as? [[String: Any]])
    let implementation = try #require(stages.first { $0["id"] as? String == "implementation" })
    let firstMilestone = try #require(
      (implementation["milestones"] as? [[String: Any]])?.first?["id"] as? String)
    let before = try accord.stateFile("acme")
    let refused = try accord("complete", "acme", firstMilestone, as: "carol")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("stage 'implementation' is gated"))
    #expect(refused.stderr.contains("agreement 'metrics-agreement' still needs signatures from sponsor"))
    #expect(try accord.stateFile("acme") == before)

    // The sponsor signs the charter: still gated on the metrics agreement.
    #expect(try accord("sign", "acme", "collaboration-charter", as: "sid").status == 0)
    #expect(try stageState("implementation") == "gated")
    let last = try accord("sign", "acme", "metrics-agreement", as: "sid")
    #expect(last.status == 0)
    #expect(last.stdout.contains("stage implementation: gated -> active"))
    #expect(try accord("complete", "acme", firstMilestone, as: "carol").status == 0)

    // A revocation closes the gate again; what was done stays done.
    let revoke = try accord("revoke", "acme", "metrics-agreement", "--reason", "metrics changed", as: "sid")
    #expect(revoke.status == 0, "\(revoke.stderr)")
    #expect(try stageState("implementation") == "gated")
    #expect(try completeEverythingReady().isEmpty)
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    let lastEvent = try #require(log.last)
    #expect(lastEvent["type"] as? String == "revoked")
    #expect(lastEvent["note"] as? String == "metrics changed")
    #expect(lastEvent["by"] as? String == "sid")

    // Sign again and run the programme to its end.
    #expect(try accord("sign", "acme", "metrics-agreement", as: "sid").status == 0)
    try completeEverythingReady()
    let end = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    #expect(end["complete"] as? Bool == true)
    #expect(try accord("next", "acme").stdout.contains("The programme is complete"))
    let clients = try #require(try accord("clients", "--json").json() as? [[String: Any]])
    #expect(clients.count == 1)
    #expect(clients[0]["progress"] as? Int == 100)
    #expect(clients[0]["stage"] is NSNull)
  }

  @Test func theWrongPersonIsRefusedWithExitOneAndNothingWritten() throws {
    try startWithRoles()
    let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
    let action = try #require((next["actions"] as? [[String: Any]])?.first)
    let milestone = try #require(action["target"] as? String)
    let before = try accord.stateFile("acme")
    let refused = try accord("complete", "acme", milestone, as: "mallory")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("mallory may not complete"))
    let assign = try accord("assign", "acme", "czar", "mallory", as: "mallory")
    #expect(assign.status == 1)
    #expect(try accord.stateFile("acme") == before)
  }

  @Test func reopeningLocksLaterStagesAgainAndKeepsTheHistory() throws {
    try startWithRoles()
    let done = try completeEverythingReady()
    let first = try #require(done.first)
    let missingReason = try accord("reopen", "acme", first)
    #expect(missingReason.status == 64)
    let reopen = try accord("reopen", "acme", first, "--reason", "stakeholder list was incomplete", as: "carol")
    #expect(reopen.status == 0, "\(reopen.stderr)")
    #expect(reopen.stdout.contains("stage benchmark: complete -> active"))
    #expect(try stageState("coaching") == "locked")
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.filter { $0["type"] as? String == "completed" }.count == done.count)
    #expect(log.allSatisfy { $0["at"] is String && $0["by"] is String })
  }
}
