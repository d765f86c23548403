import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordServer

/// The JSON API in process (HummingbirdTesting's router), on a workspace the built binary
/// made: who may do what, every error's status and body, and that each answer is the bytes
/// the CLI prints with `--json` for the same state.
@Suite("Web API")
struct WebAPITests {
  let space: APIWorkspace

  init() throws {
    space = try APIWorkspace()
    try space.seed()
  }

  /// One response, as text.
  struct Answer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String
  }

  /// Sends each request of `requests` in turn to a fresh in-process server and returns
  /// the answers.
  func send(_ requests: [Call]) async throws -> [Answer] {
    let server = WebServer(workspace: space.workspace, logger: Logger(label: "test"))
    let app = Application(router: server.router())
    return try await app.test(.router) { client in
      var answers: [Answer] = []
      for call in requests {
        var headers = call.headers
        if let token = call.token { headers[.authorization] = "Bearer \(token)" }
        if call.body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
          uri: call.path, method: call.method, headers: headers, body: call.body.map { ByteBuffer(string: $0) })
        answers.append(
          Answer(status: response.status, headers: response.headers, body: String(buffer: response.body)))
      }
      return answers
    }
  }

  func send(_ call: Call) async throws -> Answer {
    try await send([call])[0]
  }

  struct Call: Sendable {
    var method: HTTPRequest.Method = .get
    var path: String
    var token: String?
    var body: String?
    var headers: HTTPFields = [:]

    static func get(_ path: String, _ token: String?) -> Call { Call(path: path, token: token) }
    static func post(_ path: String, _ token: String?, _ body: String) -> Call {
      Call(method: .post, path: path, token: token, body: body)
    }
  }

  // MARK: Reads are the CLI's bytes

  @Test func readsAreExactlyWhatTheCLIPrints() async throws {
    let token = try space.token(for: "alice", clients: ["acme"]).token
    let paths = ["clients", "clients/acme/next", "clients/acme/status", "clients/acme/log", "clients/acme/benchmark"]
    let answers = try await send(paths.map { Call.get("/api/v1/" + $0, token) })
    for answer in answers {
      #expect(answer.status == .ok)
      #expect(answer.headers[.contentType] == "application/json")
    }
    // alice sees acme only: the CLI lists globex too, so her list is the CLI's row for acme.
    let rows = try jsonArray(space.cli("clients"))
    let acmeOnly = try JSONSerialization.data(
      withJSONObject: rows.filter { ($0 as? [String: Any])?["client"] as? String == "acme" })
    #expect(try same(jsonArray(answers[0].body), JSONSerialization.jsonObject(with: acmeOnly)))
    #expect(answers[1].body == (try space.cli("next", "acme")))
    #expect(answers[2].body == (try space.cli("status", "acme")))
    #expect(answers[3].body == (try space.cli("log", "acme")))
    #expect(answers[4].body == (try space.cli("benchmark", "acme")))
    // The rounds are status's list of them.
    let rounds = try await send(.get("/api/v1/clients/acme/survey/rounds", token))
    #expect(rounds.status == .ok)
    let status = try jsonObject(answers[2].body)
    #expect(try same(jsonArray(rounds.body), #require(status["surveyRounds"])))
  }

  @Test func aFirmTokenListsExactlyTheCLIsClients() async throws {
    let token = try space.token(for: "alice").token
    let answer = try await send(.get("/api/v1/clients", token))
    #expect(answer.status == .ok)
    #expect(answer.body == (try space.cli("clients")))
  }

  // MARK: Who may ask

  @Test func withoutAValidTokenEveryRouteIs401() async throws {
    let expired = try space.token(for: "alice", expiresIn: -60).token
    let revoked = try space.token(for: "alice")
    _ = try AccessStore(space.workspace).update { $0.revokeToken(id: revoked.id, now: Date()) }
    let withdrawn = try space.token(for: "sam", clients: ["acme"]).token
    _ = try AccessStore(space.workspace).update { $0.revoke("sam", from: nil, now: Date()) }
    var calls: [Call] = []
    for token in [nil, "accord_nothing_here", expired, revoked.token, withdrawn] {
      calls.append(.get("/api/v1/clients", token))
      calls.append(.get("/api/v1/clients/acme/next", token))
      calls.append(.post("/api/v1/clients/acme/complete", token, #"{"milestone": "stakeholder-map"}"#))
    }
    var basic = Call.get("/api/v1/clients", nil)
    basic.headers[.authorization] = "Basic YWxpY2U6c2VjcmV0"
    calls.append(basic)
    let before = try space.accord.stateFile("acme")
    for answer in try await send(calls) {
      #expect(answer.status == .unauthorized)
      #expect(answer.headers[.wwwAuthenticate] == "Bearer")
      #expect(try errorOf(answer.body)["code"] as? String == "unauthenticated")
    }
    #expect(try space.accord.stateFile("acme") == before)
  }

  @Test func aSessionCookieIsNotAcceptedOnTheAPI() async throws {
    let session = try AccessStore(space.workspace).update { book in
      let link = book.invite("alice", to: "acme", by: "alice", now: Date(), expiresAt: Date().addingTimeInterval(3_600))
      return try book.redeem(linkSecret: link.text, now: Date()).session.text
    }
    var call = Call.get("/api/v1/clients/acme/next", nil)
    call.headers[.cookie] = "\(SessionCookie.name)=\(session)"
    let answer = try await send(call)
    #expect(answer.status == .unauthorized)
    #expect(try errorOf(answer.body)["code"] as? String == "unauthenticated")
  }

  @Test func aClientTheTokenDoesNotOpenIsAnsweredAsOneThatIsNotThere() async throws {
    // alice may see every client, but this token of hers opens acme only.
    let limited = try space.token(for: "alice", only: "acme").token
    // carol is acme's czar, with access to acme alone.
    let czar = try space.token(for: "carol", clients: ["acme"]).token
    let before = try space.accord.stateFile("globex")
    for token in [limited, czar] {
      let answers = try await send([
        .get("/api/v1/clients/globex/status", token),
        .get("/api/v1/clients/nowhere/status", token),
        .post("/api/v1/clients/globex/complete", token, #"{"milestone": "stakeholder-map"}"#),
        .post("/api/v1/clients/globex/assign", token, #"{"role": "czar", "person": "carol"}"#),
        .get("/api/v1/clients", token),
      ])
      for answer in answers.prefix(4) {
        #expect(answer.status == .notFound)
        #expect(try errorOf(answer.body)["code"] as? String == "no-such-client")
      }
      // Not there and not visible read alike, but for the name.
      #expect(answers[0].body.replacingOccurrences(of: "globex", with: "nowhere") == answers[1].body)
      #expect(try jsonArray(answers[4].body).compactMap { ($0 as? [String: Any])?["client"] as? String } == ["acme"])
    }
    #expect(try space.accord.stateFile("globex") == before)
  }

  @Test func aPersonNotPermittedIsRefused403WithTheCLIsReport() async throws {
    let sam = try space.token(for: "sam", clients: ["acme"]).token
    let before = try space.accord.stateFile("acme")
    let answers = try await send([
      .post("/api/v1/clients/acme/complete", sam, #"{"milestone": "stakeholder-map"}"#),
      .post("/api/v1/clients/acme/assign", sam, #"{"role": "czar", "person": "sam"}"#),
    ])
    for answer in answers {
      #expect(answer.status == .forbidden)
      #expect(try errorOf(answer.body)["code"] as? String == "not-permitted")
    }
    #expect(try space.accord.stateFile("acme") == before)
    // The CLI says the same for the same person and change.
    let cli = try space.accord("complete", "acme", "stakeholder-map", "--json", as: "sam")
    #expect(cli.status != 0)
    #expect(try same(errorOf(answers[0].body), errorOf(cli.stderr)))
  }

  @Test func aClosedGateIs409WithTheCLIsCodeAndMessage() async throws {
    let sid = try space.token(for: "sid", clients: ["acme"]).token
    let before = try space.accord.stateFile("acme")
    let answer = try await send(.post("/api/v1/clients/acme/complete", sid, #"{"milestone": "agreements-announced"}"#))
    #expect(answer.status == .conflict)
    let cli = try space.accord("complete", "acme", "agreements-announced", "--json", as: "sid")
    #expect(cli.status == 1)
    #expect(try same(errorOf(answer.body), errorOf(cli.stderr)))
    #expect(try space.accord.stateFile("acme") == before)
  }

  // MARK: Changes

  @Test func aChangeIsTheTokensPersonsAndAnswersTheCLIsChangeJSON() async throws {
    let alice = try space.token(for: "alice", clients: ["acme"]).token
    let answer = try await send(
      .post(
        "/api/v1/clients/acme/complete", alice,
        #"{"milestone": "stakeholder-map", "note": "kick-off", "by": "mallory", "unknown": [1, 2]}"#))
    #expect(answer.status == .ok)
    let change = try jsonObject(answer.body)
    let event = try #require(change["event"] as? [String: Any])
    #expect(event["by"] as? String == "alice")
    #expect(event["type"] as? String == "completed")
    #expect(event["note"] as? String == "kick-off")
    // The event is the last of the history, and `next` is what the CLI now says comes next.
    let log = try jsonArray(space.cli("log", "acme"))
    // The log also shows the event's link in the hash chain, which the store adds as it
    // writes: `--json` of a change does not show it either.
    var logged = try #require(log.last as? [String: Any])
    logged["previous"] = nil
    #expect(try same(logged, event))
    #expect(try same(#require(change["next"]), jsonObject(space.cli("next", "acme"))))
    #expect(answer.body.hasSuffix("}\n"))
  }

  @Test func signingNeedsTheTermsInForce() async throws {
    let sam = try space.token(for: "sam", clients: ["acme"]).token
    // Bring the charter to where it can be signed.
    try space.completeEverythingReady()
    let status = try jsonObject(space.cli("status", "acme"))
    let agreements = try #require(status["agreements"] as? [[String: Any]])
    let terms = try #require(agreements.first { $0["id"] as? String == "collaboration-charter" }?["termsHash"] as? String)
    let before = try space.accord.stateFile("acme")
    let answers = try await send([
      .post("/api/v1/clients/acme/sign", sam, #"{"agreement": "collaboration-charter"}"#),
      .post("/api/v1/clients/acme/sign", sam, #"{"agreement": "collaboration-charter", "terms": 42}"#),
      .post("/api/v1/clients/acme/sign", sam, #"{"agreement": "collaboration-charter", "terms": "\#(String(repeating: "0", count: 64))"}"#),
    ])
    #expect(answers[0].status == .badRequest)
    #expect(try errorOf(answers[0].body)["field"] as? String == "terms")
    #expect(answers[1].status == .badRequest)
    #expect(answers[2].status == .conflict)
    #expect(try errorOf(answers[2].body)["code"] as? String == "terms-changed")
    #expect(try errorOf(answers[2].body)["termsInForce"] as? String == terms)
    #expect(try space.accord.stateFile("acme") == before)
    // The czar is no signatory of the charter: not permitted, whatever terms she sends.
    let carol = try space.token(for: "carol", clients: ["acme"]).token
    let notSignatory = try await send(
      .post("/api/v1/clients/acme/sign", carol, #"{"agreement": "collaboration-charter", "terms": "\#(terms)"}"#))
    #expect(notSignatory.status == .forbidden, "\(notSignatory.body)")
    #expect(try errorOf(notSignatory.body)["code"] as? String == "not-permitted")
    #expect(try space.accord.stateFile("acme") == before)
    let signed = try await send(
      .post("/api/v1/clients/acme/sign", sam, #"{"agreement": "collaboration-charter", "terms": "\#(terms)"}"#))
    #expect(signed.status == .ok, "\(signed.body)")
    let event = try #require(try jsonObject(signed.body)["event"] as? [String: Any])
    #expect(event["by"] as? String == "sam")
    #expect(event["role"] as? String == "head-of-sales")
    #expect(event["terms"] as? String == terms)
  }

  @Test func revokeReopenAndAssignAnswerTheirChange() async throws {
    let alice = try space.token(for: "alice", clients: ["acme"]).token
    let sam = try space.token(for: "sam", clients: ["acme"]).token
    let answers = try await send([
      .post("/api/v1/clients/acme/complete", alice, #"{"milestone": "stakeholder-map"}"#),
      .post("/api/v1/clients/acme/reopen", alice, #"{"milestone": "stakeholder-map", "reason": "a team was left out"}"#),
      .post("/api/v1/clients/acme/reopen", alice, #"{"milestone": "stakeholder-map", "reason": "  "}"#),
      .post("/api/v1/clients/acme/assign", alice, #"{"role": "sales-manager", "person": "kim"}"#),
      .post("/api/v1/clients/acme/revoke", sam, #"{"agreement": "collaboration-charter", "reason": "never signed"}"#),
    ])
    #expect(answers.map(\.status) == [.ok, .ok, .badRequest, .ok, .conflict])
    #expect(try jsonObject(answers[1].body)["event"].flatMap { ($0 as? [String: Any])?["type"] as? String } == "reopened")
    #expect(try jsonObject(answers[3].body)["event"].flatMap { ($0 as? [String: Any])?["person"] as? String } == "kim")
    #expect(try errorOf(answers[4].body)["code"] as? String == "not-signed")
  }

  // MARK: Whatever a client sends

  @Test func badRequestsAreRefusedAndChangeNothing() async throws {
    let alice = try space.token(for: "alice", clients: ["acme"]).token
    let before = try space.accord.stateFile("acme")
    var plainText = Call.post("/api/v1/clients/acme/complete", alice, #"{"milestone": "stakeholder-map"}"#)
    plainText.headers[.contentType] = "text/plain"
    let oversized = "{\"milestone\": \"stakeholder-map\", \"note\": \"\(String(repeating: "x", count: WebLimits.bodyBytes))\"}"
    let cases: [(Call, HTTPResponse.Status, String)] = [
      (.post("/api/v1/clients/acme/complete", alice, "{\"milestone\": "), .badRequest, "bad-request"),
      (.post("/api/v1/clients/acme/complete", alice, "[\"stakeholder-map\"]"), .badRequest, "bad-request"),
      (.post("/api/v1/clients/acme/complete", alice, "{}"), .badRequest, "bad-request"),
      (.post("/api/v1/clients/acme/complete", alice, #"{"milestone": 7}"#), .badRequest, "bad-request"),
      (.post("/api/v1/clients/acme/complete", alice, #"{"milestone": "stakeholder-map", "note": false}"#), .badRequest, "bad-request"),
      (.post("/api/v1/clients/acme/complete", alice, ""), .badRequest, "bad-request"),
      (.post("/api/v1/clients/acme/complete", alice, #"{"milestone": "stakeholder-mop"}"#), .badRequest, "unknown-milestone"),
      (.post("/api/v1/clients/acme/assign", alice, #"{"role": "czar"}"#), .badRequest, "bad-request"),
      (plainText, .unsupportedMediaType, "unsupported-media-type"),
      (.post("/api/v1/clients/acme/complete", alice, oversized), .contentTooLarge, "too-large"),
      (.get("/api/v1/clients/acme/nothing", alice), .notFound, "not-found"),
      (.get("/api/v1/nothing/at/all", nil), .notFound, "not-found"),
      (.get("/api/v1/clients/acme/complete", alice), .methodNotAllowed, "method-not-allowed"),
      (Call(method: .delete, path: "/api/v1/clients/acme/status", token: alice), .methodNotAllowed, "method-not-allowed"),
      (.get("/api/v1/clients/acme%2F..%2Fglobex/status", alice), .notFound, "no-such-client"),
    ]
    let answers = try await send(cases.map(\.0))
    for (answer, (call, status, code)) in zip(answers, cases) {
      #expect(answer.status == status, "\(call.method) \(call.path) \(call.body?.prefix(60) ?? ""): \(answer.body)")
      #expect(try errorOf(answer.body)["code"] as? String == code, "\(call.path)")
      #expect(answer.headers[.contentType] == "application/json")
    }
    #expect(try errorOf(answers[3].body)["field"] as? String == "milestone")
    #expect(try errorOf(answers[7].body)["field"] as? String == "person")
    #expect(answers[12].headers[.allow] == "POST")
    #expect(try space.accord.stateFile("acme") == before)
  }

  @Test func theOpenAPIDocumentIsServedWithoutATokenAsCheckedIn() async throws {
    let answer = try await send(.get("/api/v1/openapi.json", nil))
    #expect(answer.status == .ok)
    let file = try String(
      contentsOf: AccordBinary.packageRoot.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
    #expect(answer.body == file)
  }
}
