import Foundation
import Glibc
import Synchronization
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `accord serve` as built, over real HTTP on loopback: a server process on a workspace, and
/// the requests a script would send it.
final class ServedWorkspace {
  let space: APIWorkspace
  let server: Child
  let base: URL

  /// Starts `accord serve --port 0` on `space`, with `options` after it, and waits for the
  /// line that says where.
  convenience init(_ space: APIWorkspace, options: [String] = []) throws {
    try self.init(
      space, server: space.accord.start(["serve", "--port", "0", "--workspace", space.accord.workspace.path] + options))
  }

  /// Waits for `server`, an `accord serve` started on `space`, to say where it listens.
  init(_ space: APIWorkspace, server: Child) throws {
    self.space = space
    self.server = server
    let deadline = Date().addingTimeInterval(30)
    var line = ""
    while !server.stdout.contains("\n") {
      guard Date() < deadline, !server.hasEnded else {
        throw ServeFailure(message: "accord serve did not start: \(server.stdout) \(server.stderr)")
      }
      usleep(20_000)
    }
    line = String(server.stdout.prefix { $0 != "\n" })
    // accord: serving DIR at http://127.0.0.1:PORT (Ctrl-C stops)
    guard let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }),
      let url = URL(string: String(address))
    else { throw ServeFailure(message: "no address in '\(line)'") }
    base = url
  }

  deinit {
    if !server.hasEnded {
      server.send(SIGKILL)
      _ = server.wait()
    }
  }

  struct ServeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// A response: its status and body.
  struct Answer: Sendable {
    var status: Int
    var body: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
  }

  /// Sends `method path` with `token` and a JSON `body`.
  func send(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> Answer {
    try await Self.send(base: base, method, path, token: token, body: body)
  }

  static func send(base: URL, _ method: String, _ path: String, token: String?, body: String? = nil) async throws
    -> Answer
  {
    var request = URLRequest(url: base.appendingPathComponent(path))
    request.httpMethod = method
    request.timeoutInterval = 60
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.httpBody = Data(body.utf8)
    }
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
  }

  /// A token for `person` on acme, made with the CLI (`accord invite`, `accord token create`).
  func token(for person: String, client: String = "acme") throws -> String {
    let invite = try space.accord("invite", client, person, "--print")
    #expect(invite.status == 0, "\(invite.stderr)")
    let created = try space.accord("token", "create", person, "--client", client, "--json")
    #expect(created.status == 0, "\(created.stderr)")
    return try #require(try created.json() as? [String: Any])["token"] as? String ?? ""
  }

  /// Stops the server with SIGTERM and answers how it ended.
  func stop() -> Child.Ending {
    server.send(SIGTERM)
    return server.wait().ending
  }
}

extension ServedWorkspace {
  /// Runs acme's whole programme through the API, as its people would: each step asks
  /// (as alice) what is next and has the person it waits on complete or sign it, the czar
  /// (carol) doing what waits on nobody, until the programme is complete. Each accepted
  /// change's answer is handed to `answered` with the person who made it. Returns how many
  /// changes were made.
  @discardableResult
  func runWholeProgramme(
    tokens: [String: String], answered: (String, Answer) throws -> Void = { _, _ in }
  ) async throws -> Int {
    var changes = 0
    while changes < 100 {
      let next = try await send("GET", "api/v1/clients/acme/next", token: tokens["alice"])
      try #require(next.status == 200, "\(next.body)")
      if next.json["complete"] as? Bool == true { return changes }
      let actions = next.json["actions"] as? [[String: Any]] ?? []
      let action = try #require(
        actions.first { ["complete", "sign"].contains($0["kind"] as? String) }, "nothing to do: \(next.body)")
      let target = try #require(action["target"] as? String)
      // The czar completes what nobody holds the owner role of.
      let person = action["person"] as? String ?? "carol"
      let answer: Answer
      if action["kind"] as? String == "sign" {
        let body = try jsonText(["agreement": target, "terms": try #require(action["terms"] as? String)])
        answer = try await send("POST", "api/v1/clients/acme/sign", token: tokens[person], body: body)
      } else {
        answer = try await send(
          "POST", "api/v1/clients/acme/complete", token: tokens[person], body: try jsonText(["milestone": target]))
      }
      try #require(answer.status == 200, "\(action["kind"]!) \(target) as \(person): \(answer.body)")
      try answered(person, answer)
      changes += 1
    }
    Issue.record("acme's programme was not complete after 100 changes")
    return changes
  }
}

/// A JSON object body as text.
func jsonText(_ object: [String: String]) throws -> String {
  String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

@Suite("Web API end to end", .serialized)
struct WebAPIEndToEndTests {
  @Test func fivePeopleRunTheWholeProgrammeThroughTheAPI() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    var tokens: [String: String] = [:]
    for person in APIWorkspace.people.values { tokens[person] = try served.token(for: person) }

    try await served.runWholeProgramme(tokens: tokens) { person, answer in
      #expect((answer.json["event"] as? [String: Any])?["by"] as? String == person)
    }
    #expect(served.stop() == .exited(0))

    // Every stage is complete, every gate open, and the history says who did what.
    let status = try jsonObject(space.cli("status", "acme"))
    let stages = try #require(status["stages"] as? [[String: Any]])
    #expect(stages.allSatisfy { $0["state"] as? String == "complete" }, "\(stages.map { $0["state"]! })")
    #expect(status["progress"] as? Int == 100)
    let agreements = try #require(status["agreements"] as? [[String: Any]])
    #expect(agreements.allSatisfy { $0["state"] as? String == "signed" })
    let log = try jsonArray(space.cli("log", "acme")).compactMap { $0 as? [String: Any] }
    let signatures = log.filter { $0["type"] as? String == "signed" }
    #expect(signatures.count == 6)
    for signature in signatures {
      #expect(APIWorkspace.people[signature["role"] as? String ?? ""] == signature["by"] as? String)
    }
    // Every change made here came through the API, and its event says so.
    for event in signatures + log.filter({ $0["type"] as? String == "completed" }) {
      #expect(event["via"] as? String == "api", "\(event)")
    }
    let completions = log.filter { $0["type"] as? String == "completed" }
    let milestones = stages.flatMap { $0["milestones"] as? [[String: Any]] ?? [] }
    // One completion a milestone, and one an occurrence of recurring work.
    let occurrences = milestones.map { ($0["recurrence"] as? [String: Any])?["done"] as? Int ?? 1 }
    #expect(milestones.contains { $0["recurrence"] != nil })
    #expect(completions.count == occurrences.reduce(0, +))
    for milestone in milestones {
      let owner = milestone["owner"] as? String ?? ""
      let expected = APIWorkspace.people[owner] ?? "carol"
      #expect(milestone["completedBy"] as? String == expected, "\(milestone["id"]!)")
    }
    let text = try space.accord("log", "acme")
    #expect(text.stdout.contains("sam"))
    #expect(text.stdout.contains("sid"))
  }

  @Test func concurrentCLIAndWebChangesAreAllKept() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let carol = try served.token(for: "carol")
    let alice = try served.token(for: "alice")
    let historyBefore = try jsonArray(space.cli("log", "acme")).count

    // Three CLI processes and two web changes, all at once, with reads going on beside them.
    let children = try [
      space.accord.start(["complete", "acme", "stakeholder-map"], as: "alice"),
      space.accord.start(["assign", "acme", "sales-manager", "kim"], as: "alice"),
      space.accord.start(["assign", "acme", "marketing-manager", "lee"], as: "carol"),
    ]
    let base = served.base
    let answers = try await withThrowingTaskGroup(of: ServedWorkspace.Answer.self) { group in
      for milestone in ["sales-baseline", "marketing-baseline"] {
        group.addTask {
          try await ServedWorkspace.send(
            base: base, "POST", "api/v1/clients/acme/complete", token: carol, body: try jsonText(["milestone": milestone]))
        }
      }
      for _ in 0..<6 {
        group.addTask { try await ServedWorkspace.send(base: base, "GET", "api/v1/clients/acme/status", token: alice) }
      }
      var answers: [ServedWorkspace.Answer] = []
      for try await answer in group { answers.append(answer) }
      return answers
    }
    for answer in answers { #expect(answer.status == 200, "\(answer.body)") }
    for child in children {
      #expect(child.wait().ending == .exited(0), "\(child.stderr)")
    }
    #expect(served.stop() == .exited(0))

    let log = try jsonArray(space.cli("log", "acme")).compactMap { $0 as? [String: Any] }
    #expect(log.count == historyBefore + 5)
    let completed = Set(log.filter { $0["type"] as? String == "completed" }.compactMap { $0["milestone"] as? String })
    #expect(completed == ["stakeholder-map", "sales-baseline", "marketing-baseline"])
    let status = try jsonObject(space.cli("status", "acme"))
    #expect((status["assignments"] as? [String: String])?["sales-manager"] == "kim")
    #expect((status["assignments"] as? [String: String])?["marketing-manager"] == "lee")
  }

  @Test func sigtermStopsTheServerOnceTheRequestUnderWayIsAnswered() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let alice = try served.token(for: "alice")
    // Hold acme's lock, as a CLI command in the middle of a change would: the request waits.
    let lock = open(space.accord.workspace.appendingPathComponent(".acme.lock").path, O_RDWR | O_CREAT, 0o600)
    try #require(lock >= 0)
    defer { close(lock) }
    try #require(flock(lock, LOCK_EX) == 0)

    let base = served.base
    let request = Task {
      try await ServedWorkspace.send(
        base: base, "POST", "api/v1/clients/acme/complete", token: alice, body: #"{"milestone": "stakeholder-map"}"#)
    }
    try await Task.sleep(for: .milliseconds(700))
    served.server.send(SIGTERM)
    try await Task.sleep(for: .milliseconds(500))
    #expect(!served.server.hasEnded, "the server stopped with a request under way")
    flock(lock, LOCK_UN)

    let answer = try await request.value
    #expect(answer.status == 200, "\(answer.body)")
    #expect(served.server.wait().ending == .exited(0), "\(served.server.stderr)")
    let log = try jsonArray(space.cli("log", "acme")).compactMap { $0 as? [String: Any] }
    #expect(log.last?["milestone"] as? String == "stakeholder-map")
  }
}

extension WebAPIEndToEndTests {
  /// `GET /metrics` counts requests by route (never a client or a person), the changes
  /// written, those refused because a CLI command held the client (a lost race), and the
  /// clients read again because they changed outside the server.
  @Test func metricsCountRoutesChangesLostRacesAndReloads() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(
      space,
      server: space.accord.start(
        ["serve", "--port", "0", "--workspace", space.accord.workspace.path], environment: ["ACCORD_LOCK_TIMEOUT": "1"]))
    let alice = try served.token(for: "alice")
    func metrics() async throws -> String {
      let answer = try await served.send("GET", "metrics", token: nil)
      #expect(answer.status == 200)
      return answer.body
    }
    func value(_ line: String, in text: String) -> Double? {
      text.split(separator: "\n").first { $0.hasPrefix(line + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }
    let start = try await metrics()
    #expect(value("accord_appends_total", in: start) == 0, "\(start)")
    #expect(value("accord_appends_refused_total", in: start) == 0)
    #expect(value(#"accord_reminder_mails_total{outcome="sent"}"#, in: start) == 0)

    #expect(try await served.send("GET", "api/v1/clients/acme/next", token: alice).status == 200)
    let assigned = try await served.send(
      "POST", "api/v1/clients/acme/assign", token: alice, body: #"{"role": "sales-manager", "person": "kim"}"#)
    #expect(assigned.status == 200, "\(assigned.body)")
    // Changed at the terminal: the next read reads the file again.
    _ = try space.cli("assign", "acme", "marketing-manager", "lee")
    #expect(try await served.send("GET", "api/v1/clients/acme/next", token: alice).status == 200)
    // A CLI command holds acme past the server's lock timeout: the change is refused, unwritten.
    let lock = open(space.accord.workspace.appendingPathComponent(".acme.lock").path, O_RDWR | O_CREAT, 0o600)
    try #require(lock >= 0)
    try #require(flock(lock, LOCK_EX) == 0)
    let refused = try await served.send(
      "POST", "api/v1/clients/acme/assign", token: alice, body: #"{"role": "sales-manager", "person": "kit"}"#)
    flock(lock, LOCK_UN)
    close(lock)
    #expect(refused.status == 503, "\(refused.body)")

    let text = try await metrics()
    #expect(value("accord_appends_total", in: text) == 1, "\(text)")
    #expect(value("accord_appends_refused_total", in: text) == 1)
    #expect((value("accord_cache_reloads_total", in: text) ?? 0) >= 2)
    #expect(text.contains(#"hb_requests{http_route="/api/v1/clients/{client}/next",http_request_method="GET",http_response_status_code="200"} 2"#), "\(text)")
    #expect(text.contains(#"http_server_request_duration_count{http_route="/api/v1/clients/{client}/assign",http_request_method="POST",http_response_status_code="200"} 1"#))
    for secret in [alice, "acme", "kim", "alice"] { #expect(!text.contains(secret), "\(secret)") }
  }
}

/// The server's log: one line a request, and never a secret, whatever the request carried.
@Suite("Web server log")
struct WebServerLogTests {
  @Test func everyRequestIsLoggedAndNoSecretEver() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let token = try served.token(for: "carol")
    let invite = try space.accord("invite", "acme", "sid", "--print", "--json")
    let link = try #require(try invite.json() as? [String: Any])["link"] as? String ?? ""
    let secret = try #require(link.split(separator: "/").last.map(String.init))

    // The link's page, then the link used; the session cookie the answer sets.
    let page = try await ServedWorkspace.send(base: served.base, "GET", "sign-in/\(secret)", token: nil)
    #expect(page.status == 200)
    var form = URLRequest(url: served.base.appendingPathComponent("sign-in"))
    form.httpMethod = "POST"
    form.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
    form.httpBody = Data("secret=\(secret)".utf8)
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    // URLSession follows the 303 to the page and keeps the cookie on the way.
    _ = try await session.data(for: form)
    let cookie = session.configuration.httpCookieStorage?.cookies?.first { $0.name == "accord_session" }?.value ?? ""
    #expect(cookie.count > 20, "no session cookie")

    // A token in the header, and secrets where a careless log would copy them: the query.
    #expect(try await served.send("GET", "api/v1/clients/acme/next", token: token).status == 200)
    var query = URLComponents(url: served.base.appendingPathComponent("api/v1/clients"), resolvingAgainstBaseURL: false)!
    query.queryItems = [URLQueryItem(name: "token", value: token)]
    _ = try await session.data(from: query.url!)
    #expect(try await served.send("GET", "api/v1/clients/acme/next", token: token + "x").status == 401)

    #expect(served.stop() == .exited(0))
    let log = served.server.stderr
    for (name, value) in [("link secret", secret), ("token", token), ("session cookie", cookie)] {
      #expect(!log.contains(value), "the log holds the \(name)")
    }
    // Bearer tokens share a prefix; not even the token's secret part may appear. The secret
    // is everything after `accord_<id>_`, and may itself hold underscores.
    let tokenSecret = String(token.split(separator: "_", maxSplits: 2).last ?? "")
    #expect(tokenSecret.count > 20, "the token has no secret part: \(token)")
    #expect(!log.contains(tokenSecret))
    #expect(log.contains("GET /sign-in/[secret] 200"))
    #expect(log.contains("POST /sign-in 303"))
    #expect(log.contains("GET /api/v1/clients/acme/next 200"))
    #expect(log.contains("GET /api/v1/clients/acme/next 401"))
    #expect(log.contains("GET /api/v1/clients 401"))
    #expect(log.contains("GET / 200"))
  }
}
