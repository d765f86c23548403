import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The API's acknowledgements, affirmations and roster, against the built `accord serve`
/// over real HTTP on loopback: who may act, every refusal's status and code, nothing
/// recorded on a refusal, and the gate opening exactly when the last team reaches quorum.
@Suite("Web API: acknowledgements and affirmations")
struct AcknowledgementAPITests {
  static let acknowledge = "api/v1/clients/acme/agreements/lead-sla/acknowledge"
  static let affirm = "api/v1/clients/acme/agreements/lead-sla/affirm"

  /// Five a team: 80% of five is four.
  @Test func theGateOpensExactlyWhenTheLastTeamReachesQuorum() async throws {
    let roster = try RosterWorkspace(perTeam: 5)
    let served = try ServedWorkspace(roster.space)
    let terms = try roster.termsHash()
    let body = #"{"terms": "\#(terms)"}"#
    // Sales reaches its four first; marketing gets to three: one short, the stage stays gated.
    for person in Array(roster.sales.prefix(4)) + Array(roster.marketing.prefix(3)) {
      let answer = try await served.send("POST", Self.acknowledge, token: try served.token(for: person), body: body)
      try #require(answer.status == 200, "\(person): \(answer.body)")
      let event = try #require(answer.json["event"] as? [String: Any])
      #expect(event["type"] as? String == "acknowledged")
      #expect(event["by"] as? String == person)
      #expect(event["terms"] as? String == terms)
      #expect(event["via"] as? String == "api")
      #expect(try roster.stage("implementation") == "gated")
    }
    #expect(try roster.progress() == ["sales 4 of 5", "marketing 3 of 5"])
    // A fifth salesperson changes nothing: sales was at quorum, marketing is not.
    let extra = try await served.send("POST", Self.acknowledge, token: try served.token(for: "sales05"), body: body)
    #expect(extra.status == 200, "\(extra.body)")
    #expect(try roster.stage("implementation") == "gated")
    // The fourth marketer: both teams at quorum, the gate opens with that event.
    let last = try await served.send("POST", Self.acknowledge, token: try served.token(for: "marketing04"), body: body)
    #expect(last.status == 200, "\(last.body)")
    #expect(try roster.stage("implementation") == "active")
    #expect(try roster.progress() == ["sales 5 of 5", "marketing 4 of 5"])
    #expect(served.stop() == .exited(0))
  }

  @Test func refusalsAreTheEnginesCodesAndRecordNothing() async throws {
    let roster = try RosterWorkspace(perTeam: 3)
    let served = try ServedWorkspace(roster.space)
    let terms = try roster.termsHash()
    let body = #"{"terms": "\#(terms)"}"#
    let before = try roster.historyLength()

    // Someone with access to acme who is not on its roster.
    let sid = try await served.send("POST", Self.acknowledge, token: try served.token(for: "sid"), body: body)
    #expect(sid.status == 409)
    #expect(try errorOf(sid.body)["code"] as? String == "not-on-roster")
    // Terms other than those in force: 409, and nothing is recorded.
    let sales = try served.token(for: "sales01")
    let wrong = String(repeating: "0", count: 64)
    let changed = try await served.send("POST", Self.acknowledge, token: sales, body: #"{"terms": "\#(wrong)"}"#)
    #expect(changed.status == 409)
    #expect(try errorOf(changed.body)["code"] as? String == "terms-changed")
    // No terms at all is the request's mistake.
    let none = try await served.send("POST", Self.acknowledge, token: sales, body: "{}")
    #expect(none.status == 400)
    #expect(try errorOf(none.body)["code"] as? String == "bad-request")
    // An agreement the playbook lacks.
    let unknown = try await served.send(
      "POST", "api/v1/clients/acme/agreements/no-such/acknowledge", token: sales, body: body)
    #expect(unknown.status == 400)
    #expect(try errorOf(unknown.body)["code"] as? String == "unknown-agreement")
    #expect(try roster.historyLength() == before)

    // A person of another client: acme is answered as a client that is not there.
    let gus = try roster.space.token(for: "gus", clients: ["globex"]).token
    for (method, path, payload) in [
      ("POST", Self.acknowledge, Optional(body)), ("POST", Self.affirm, Optional("{}")),
      ("GET", "api/v1/clients/acme/people", nil),
    ] {
      let answer = try await served.send(method, path, token: gus, body: payload)
      #expect(answer.status == 404, "\(method) \(path): \(answer.body)")
      #expect(try errorOf(answer.body)["code"] as? String == "no-such-client")
    }
    #expect(try roster.historyLength() == before)

    // Once, and not twice.
    let first = try await served.send("POST", Self.acknowledge, token: sales, body: body)
    #expect(first.status == 200, "\(first.body)")
    let again = try await served.send("POST", Self.acknowledge, token: sales, body: body)
    #expect(again.status == 409)
    #expect(try errorOf(again.body)["code"] as? String == "already-acknowledged")
    #expect(try roster.historyLength() == before + 1)
    #expect(served.stop() == .exited(0))
  }

  @Test func aRetryUnderItsIdempotencyKeyIsAnsweredAsTheFirstWithNothingWrittenAgain() async throws {
    let roster = try RosterWorkspace(perTeam: 2)
    let served = try ServedWorkspace(roster.space)
    let token = try served.token(for: "marketing01")
    let key = "01890a5d-ac96-774b-bcce-b302099a8057"
    var request = URLRequest(url: served.base.appendingPathComponent(Self.acknowledge))
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
    request.httpBody = Data(#"{"terms": "\#(try roster.termsHash())"}"#.utf8)
    var answers: [(Int, String?, [String: Any])] = []
    for _ in 0..<2 {
      let session = URLSession(configuration: .ephemeral)
      let (data, response) = try await session.data(for: request)
      session.finishTasksAndInvalidate()
      let http = try #require(response as? HTTPURLResponse)
      answers.append((http.statusCode, http.value(forHTTPHeaderField: "Idempotent-Replayed"), try jsonObject(String(decoding: data, as: UTF8.self))))
    }
    #expect(answers.map(\.0) == [200, 200])
    #expect(answers[0].1 == nil)
    #expect(answers[1].1 == "true")
    #expect((answers[1].2["event"] as? [String: Any])?["id"] as? String == key)
    let log = try jsonArray(roster.accord.run(["log", "acme", "--json"]).stdout)
    #expect(log.compactMap { ($0 as? [String: Any])?["id"] as? String }.filter { $0 == key }.count == 1)
    #expect(served.stop() == .exited(0))
  }

  @Test func theRosterIsTheConsultantsAndTheCzarsAlone() async throws {
    let roster = try RosterWorkspace(perTeam: 2)
    try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: "sales01")
    let served = try ServedWorkspace(roster.space)
    // The czar's answer is the bytes `people list --json` prints.
    let carol = try await served.send("GET", "api/v1/clients/acme/people", token: try served.token(for: "carol"))
    #expect(carol.status == 200, "\(carol.body)")
    let printed = try roster.run("people", "list", "acme", "--json", as: "carol").stdout
    #expect(carol.body == printed)
    let people = try #require(carol.json["people"] as? [[String: Any]])
    #expect(people.map { $0["name"] as? String } == ["sales01", "sales02", "marketing01", "marketing02"])
    #expect(people.first?["pending"] as? [String] == [])
    #expect(people.last?["pending"] as? [String] == [RosterWorkspace.agreement])
    let alice = try await served.send("GET", "api/v1/clients/acme/people", token: try served.token(for: "alice"))
    #expect(alice.status == 200)

    // A head of sales, and someone on the roster: each team's count is theirs to see, never names.
    for person in ["sam", "sales02"] {
      let answer = try await served.send("GET", "api/v1/clients/acme/people", token: try served.token(for: person))
      #expect(answer.status == 403, "\(person): \(answer.body)")
      #expect(try errorOf(answer.body)["code"] as? String == "not-permitted")
      #expect(!answer.body.contains("marketing01"))
    }
    #expect(served.stop() == .exited(0))
  }

  @Test func theLogAndTheChangeFeedShowTheRostersEventsToItsKeepersAlone() async throws {
    let roster = try RosterWorkspace(perTeam: 2)
    try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: "sales01")
    try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: "marketing02")
    let served = try ServedWorkspace(roster.space)
    func types(_ events: [Any]) -> [String] { events.compactMap { ($0 as? [String: Any])?["type"] as? String } }
    func actors(_ events: [Any]) -> [String] {
      events.compactMap { event in
        guard let event = event as? [String: Any], event["type"] as? String == "acknowledged" else { return nil }
        return event["by"] as? String
      }
    }
    // The czar reads every event; the whole log names both who joined and who acknowledged.
    let carol = try await served.send("GET", "api/v1/clients/acme/log", token: try served.token(for: "carol"))
    let whole = try #require(try JSONSerialization.jsonObject(with: Data(carol.body.utf8)) as? [Any])
    #expect(types(whole).filter { $0 == "joined" }.count == 4)
    #expect(actors(whole) == ["sales01", "marketing02"])
    // Someone on the roster sees their own acknowledgement, nobody else's, and no one joining.
    for person in ["sales02", "marketing02", "sam"] {
      let answer = try await served.send("GET", "api/v1/clients/acme/log", token: try served.token(for: person))
      #expect(answer.status == 200)
      let events = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [Any])
      #expect(!types(events).contains("joined"), "\(person)")
      #expect(actors(events) == (person == "marketing02" ? ["marketing02"] : []), "\(person)")
      let feed = try await served.send("GET", "api/v1/changes", token: try served.token(for: person))
      #expect(feed.status == 200, "\(feed.body)")
      let changes = try #require(feed.json["changes"] as? [[String: Any]])
      let fed = changes.compactMap { $0["event"] }
      #expect(!fed.isEmpty)
      #expect(!types(fed).contains("joined"), "\(person)")
      #expect(actors(fed) == (person == "marketing02" ? ["marketing02"] : []), "\(person)")
    }
    #expect(served.stop() == .exited(0))
  }

  @Test func aSuccessorAffirmsAndTheSustainStageOpens() async throws {
    let roster = try RosterWorkspace(perTeam: 1)
    for person in roster.sales + roster.marketing {
      try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: person)
    }
    try roster.run("complete", "acme", "pilot", as: "carol")
    #expect(try roster.stage("implementation") == "complete")
    try roster.run("assign", "acme", "head-of-sales", "ana")
    #expect(try roster.stage("sustain") == "gated")
    let served = try ServedWorkspace(roster.space)
    let before = try roster.historyLength()

    // The predecessor no longer holds the role; the other head signed herself.
    let sam = try await served.send("POST", Self.affirm, token: try served.token(for: "sam"), body: "{}")
    #expect(sam.status == 403, "\(sam.body)")
    #expect(try errorOf(sam.body)["code"] as? String == "not-permitted")
    let mia = try await served.send("POST", Self.affirm, token: try served.token(for: "mia"), body: "{}")
    #expect(mia.status == 409, "\(mia.body)")
    #expect(try errorOf(mia.body)["code"] as? String == "nothing-to-affirm")
    let ana = try served.token(for: "ana")
    let wrong = try await served.send(
      "POST", Self.affirm, token: ana, body: #"{"terms": "\#(String(repeating: "f", count: 64))"}"#)
    #expect(wrong.status == 409)
    #expect(try errorOf(wrong.body)["code"] as? String == "terms-changed")
    #expect(try roster.historyLength() == before)
    #expect(try roster.stage("sustain") == "gated")

    let affirmed = try await served.send(
      "POST", Self.affirm, token: ana, body: #"{"terms": "\#(try roster.termsHash())", "role": "head-of-sales"}"#)
    #expect(affirmed.status == 200, "\(affirmed.body)")
    let event = try #require(affirmed.json["event"] as? [String: Any])
    #expect(event["type"] as? String == "affirmed")
    #expect(event["role"] as? String == "head-of-sales")
    #expect(event["by"] as? String == "ana")
    #expect(try roster.stage("sustain") == "active")
    let again = try await served.send("POST", Self.affirm, token: ana, body: "{}")
    #expect(again.status == 409)
    #expect(try errorOf(again.body)["code"] as? String == "already-affirmed")
    #expect(served.stop() == .exited(0))
  }
}
