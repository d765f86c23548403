import Foundation
import Synchronization
import ProgrammeEngine
import Testing

@testable import AccordRemote

/// `HTTPRemote` against a loopback server that answers as the API's contract says: what
/// each call sends (the path, the token, the body, the idempotency key) and how each kind
/// of answer, or no answer, comes back.
@Suite struct HTTPRemoteTests {
  static let token = "accord_abcd1234_secret"

  @Test func meSendsTheTokenAndReadsThePerson() async throws {
    let server = try LoopbackServer { _ in
      .json(200, #"{"person": "carol", "clients": ["acme"], "expires": "2027-03-01T00:00:00Z"}"#)
    }
    let me = try await HTTPRemote(base: server.base, token: Self.token).me()
    #expect(me == RemotePerson(person: "carol", clients: ["acme"], expires: "2027-03-01T00:00:00Z"))
    let request = try #require(server.requests.first)
    #expect(request.method == "GET")
    #expect(request.target == "/api/v1/me")
    #expect(request.headers["authorization"] == "Bearer \(Self.token)")
  }

  @Test func aBaseWithAPathKeepsItAndANullClientListIsEveryClient() async throws {
    let server = try LoopbackServer { _ in .json(200, #"{"person": "alice", "clients": null, "expires": null}"#) }
    let base = try #require(URL(string: server.base.absoluteString + "/firm/"))
    let me = try await HTTPRemote(base: base, token: Self.token).me()
    #expect(me.clients == nil)
    #expect(server.requests.first?.target == "/firm/api/v1/me")
  }

  @Test func clientsAreTheListingsIdsSortedWithoutArchivedOnes() async throws {
    let server = try LoopbackServer { _ in
      .json(200, #"[{"client": "globex"}, {"client": "acme"}, {"client": "old", "archived": true}]"#)
    }
    #expect(try await HTTPRemote(base: server.base, token: Self.token).clients() == ["acme", "globex"])
  }

  @Test func changesSendTheCursorAndLimitAndNameTheClients() async throws {
    let server = try LoopbackServer { _ in
      .json(
        200,
        #"{"changes": [{"client": "acme", "position": 3, "id": "a", "event": {}}, "#
          + #"{"client": "acme", "position": 4, "id": "b", "event": {}}, "#
          + #"{"client": "globex", "position": 0, "id": "c", "event": {}}], "cursor": "7.2"}"#)
    }
    let page = try await HTTPRemote(base: server.base, token: Self.token).changes(after: "7.0", limit: 50)
    #expect(page == RemoteChanges(clients: ["acme", "globex"], cursor: "7.2", count: 3))
    #expect(server.requests.first?.target == "/api/v1/changes?after=7.0&limit=50")

    let empty = try LoopbackServer { _ in .json(200, #"{"changes": [], "cursor": null}"#) }
    let none = try await HTTPRemote(base: empty.base, token: Self.token).changes(after: nil, limit: 10)
    #expect(none == RemoteChanges(clients: [], cursor: nil, count: 0))
    #expect(empty.requests.first?.target == "/api/v1/changes?limit=10")
  }

  @Test func aRecordComesBackByteForByte() async throws {
    let bytes = Data("{\"format\": 7,\n  \"events\": [\u{1F4DD}]}\n".utf8)
    let server = try LoopbackServer { _ in LoopbackServer.Reply(status: 200, body: bytes, contentType: "application/octet-stream") }
    #expect(try await HTTPRemote(base: server.base, token: Self.token).record(of: "acme") == bytes)
    #expect(server.requests.first?.target == "/api/v1/clients/acme/record")
  }

  @Test func aPushSendsTheEventAsLogJSONWithItsIdAsTheIdempotencyKey() async throws {
    let server = try LoopbackServer { _ in .json(200, #"{"outcome": "appended", "position": 12}"#) }
    let id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    let event = Event(
      .completed(milestone: "stakeholder-map"), by: "alice", at: Date(timeIntervalSince1970: 1_800_000_000), id: id)
    let answer = try await HTTPRemote(base: server.base, token: Self.token).push(event, to: "acme")
    #expect(answer == PushAnswer(outcome: "appended", position: 12))
    let request = try #require(server.requests.first)
    #expect(request.method == "POST")
    #expect(request.target == "/api/v1/clients/acme/events")
    #expect(request.headers["idempotency-key"] == id)
    #expect(request.headers["content-type"] == "application/json")
    #expect(try JSONDecoder().decode(Event.self, from: request.body) == event)
  }

  @Test func anErrorAnswerCarriesTheServersCodeMessageAndBody() async throws {
    let body = #"{"error": {"code": "gate-closed", "message": "milestone 'x' is not ready", "stage": "implementation"}}"#
    let server = try LoopbackServer { _ in .json(409, body) }
    let failure = await #expect(throws: RemoteFailure.self) {
      try await HTTPRemote(base: server.base, token: Self.token).me()
    }
    #expect(failure == .answered(status: 409, code: "gate-closed", message: "milestone 'x' is not ready", body: Data(body.utf8)))
    let report = try #require(failure?.report)
    #expect(report.status == .refused)
    #expect(report.details["stage"] == .text("implementation"))
  }

  @Test func anAnswerWithoutTheErrorShapeIsNamedByItsStatus() async throws {
    let server = try LoopbackServer { _ in LoopbackServer.Reply(status: 502, body: Data("<html>bad gateway</html>".utf8), contentType: "text/html") }
    let failure = await #expect(throws: RemoteFailure.self) {
      try await HTTPRemote(base: server.base, token: Self.token).clients()
    }
    guard case let .answered(status, code, _, _) = failure else {
      Issue.record("not an answer: \(String(describing: failure))")
      return
    }
    #expect(status == 502)
    #expect(code == "http-502")
    #expect(failure?.status == .tryAgain)
  }

  @Test func aSuccessThatIsNotTheContractsShapeSaysSo() async throws {
    let server = try LoopbackServer { _ in .json(200, #"{"hello": "world"}"#) }
    let failure = await #expect(throws: RemoteFailure.self) {
      try await HTTPRemote(base: server.base, token: Self.token).me()
    }
    guard case let .answered(_, code, message, _) = failure else { return }
    #expect(code == "unexpected-answer")
    #expect(message.contains("GET /api/v1/me"))
  }

  @Test func signingInSendsNoTokenAndExchangesTheCode() async throws {
    let server = try LoopbackServer { request in
      request.target == "/api/v1/login"
        ? .json(202, #"{"sent": true}"#)
        : .json(200, #"{"token": "accord_new", "person": "sam", "clients": ["acme"], "expires": "2027-01-01T00:00:00Z"}"#)
    }
    try await HTTPRemote.requestCode(at: server.base, for: "sam")
    let signIn = try await HTTPRemote.exchange(code: "123456", for: "sam", at: server.base)
    #expect(signIn == .init(token: "accord_new", person: "sam", clients: ["acme"], expires: "2027-01-01T00:00:00Z"))
    let requests = server.requests
    #expect(requests.map(\.target) == ["/api/v1/login", "/api/v1/login/token"])
    #expect(requests.allSatisfy { $0.method == "POST" && $0.headers["authorization"] == nil })
    #expect(try JSONDecoder().decode([String: String].self, from: requests[0].body) == ["person": "sam"])
    #expect(try JSONDecoder().decode([String: String].self, from: requests[1].body) == ["person": "sam", "code": "123456"])
  }

  @Test func aPollIsPendingUntilTheLinkIsApprovedThenTheToken() async throws {
    let polls = PollCount()
    let server = try LoopbackServer { request in
      if request.target == "/api/v1/login" {
        return .json(202, #"{"sent": true, "request": "r.1", "expires": "2027-01-01T00:15:00Z"}"#)
      }
      let count = polls.next()
      return count < 3
        ? .json(202, #"{"pending": true}"#)
        : .json(200, #"{"token": "accord_new", "person": "sam", "clients": null, "expires": "2027-04-01T00:00:00Z"}"#)
    }
    let asked = try await HTTPRemote.requestCode(at: server.base, for: "sam")
    #expect(asked == .init(request: "r.1", expires: "2027-01-01T00:15:00Z"))
    #expect(try await HTTPRemote.poll(request: "r.1", for: "sam", at: server.base) == nil)
    #expect(try await HTTPRemote.poll(request: "r.1", for: "sam", at: server.base) == nil)
    let signIn = try await HTTPRemote.poll(request: "r.1", for: "sam", at: server.base)
    #expect(signIn == .init(token: "accord_new", person: "sam", clients: nil, expires: "2027-04-01T00:00:00Z"))
    let body = try JSONDecoder().decode([String: String].self, from: server.requests[1].body)
    #expect(body == ["person": "sam", "request": "r.1"])
    // A server from before links answers without a request: a code alone.
    let old = try LoopbackServer { _ in .json(202, #"{"sent": true}"#) }
    #expect(try await HTTPRemote.requestCode(at: old.base, for: "sam") == .init(request: nil, expires: nil))
  }

  @Test func aBadCodeIsTheServers401() async throws {
    let server = try LoopbackServer { _ in .json(401, #"{"error": {"code": "bad-code", "message": "that code is wrong or used"}}"#) }
    await #expect(throws: RemoteFailure.answered(
      status: 401, code: "bad-code", message: "that code is wrong or used",
      body: Data(#"{"error": {"code": "bad-code", "message": "that code is wrong or used"}}"#.utf8))) {
      _ = try await HTTPRemote.exchange(code: "000000", for: "sam", at: server.base)
    }
  }

  @Test func aClosedPortIsUnreachableWithAReason() async throws {
    // A port that was just listened on and closed: nothing answers there.
    let port = try LoopbackServer(answer: { _ in .json(200, "{}") }).port
    let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
    let failure = await #expect(throws: RemoteFailure.self) {
      try await HTTPRemote(base: base, token: Self.token, timeout: 5).me()
    }
    guard case let .unreachable(reason) = failure else {
      Issue.record("not unreachable: \(String(describing: failure))")
      return
    }
    #expect(reason == "127.0.0.1:\(port) refused the connection")
    #expect(failure?.report.status == .tryAgain)
    #expect(failure?.report.code == "unreachable")
  }

  @Test func aServerThatNeverAnswersTimesOut() async throws {
    // No bound on the time taken: in the whole suite the test may wait long for a thread
    // to resume on, after the call has timed out. The reason says the timeout ended it.
    let server = try LoopbackServer(answer: nil)
    let failure = await #expect(throws: RemoteFailure.self) {
      try await HTTPRemote(base: server.base, token: Self.token, timeout: 1).me()
    }
    guard case let .unreachable(reason) = failure else {
      Issue.record("not unreachable: \(String(describing: failure))")
      return
    }
    #expect(reason.contains("did not answer within 1 s"), "\(reason)")
  }

  @Test func theTimeoutIsAPositiveNumberOfSecondsElseTen() {
    #expect(HTTPRemote.timeout("2.5") == 2.5)
    #expect(HTTPRemote.timeout("30") == 30)
    for bad in ["0", "-1", "soon", "inf", "", nil] as [String?] {
      #expect(HTTPRemote.timeout(bad) == 10, "\(String(describing: bad))")
    }
  }
}

/// How many polls a loopback server has answered.
private final class PollCount: Sendable {
  private let count = Mutex(0)

  func next() -> Int {
    count.withLock { value in
      value += 1
      return value
    }
  }
}
