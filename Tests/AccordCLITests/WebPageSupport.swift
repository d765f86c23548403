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

/// A workspace seeded with the built binary, and the server on it run in process.
struct WebPageFixture {
  let accord: AccordBinary
  static let people = [
    "czar": "carol", "head-of-sales": "sam", "head-of-marketing": "mia", "sponsor": "sid",
  ]

  init() throws {
    accord = try AccordBinary()
  }

  init(accord: AccordBinary) {
    self.accord = accord
  }

  var workspace: Workspace { Workspace(directory: accord.workspace, holder: "web tests") }

  /// `acme` (roles assigned, a survey round imported) and `beta`, both by alice; with
  /// `ready`, every milestone of acme that can be completed is, so its agreements await
  /// their signatures.
  func seed(ready: Bool = false) throws {
    for (client, name) in [("acme", "Acme Ltd"), ("beta", "Beta plc")] {
      let start = try accord("start", client, "--name", name)
      try #require(start.status == 0, "\(start.stderr)")
    }
    for (role, person) in Self.people.sorted(by: { $0.key < $1.key }) {
      try #require(try accord("assign", "acme", role, person).status == 0)
    }
    try #require(try accord("assign", "beta", "czar", "bob").status == 0)
    let answers = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-round-1.csv")
    try #require(try accord("survey", "import", "acme", answers.path).status == 0)
    if ready { try completeEverythingReady() }
  }

  /// Completes every ready milestone of acme as the czar until none is left.
  func completeEverythingReady() throws {
    while true {
      let next = try #require(try accord("next", "acme", "--json").json() as? [String: Any])
      let actions = try #require(next["actions"] as? [[String: Any]])
      guard let action = actions.first(where: { $0["kind"] as? String == "complete" }),
        let milestone = action["target"] as? String
      else { return }
      let run = try accord("complete", "acme", milestone, as: "carol")
      try #require(run.status == 0, "complete \(milestone): \(run.stderr)")
    }
  }

  /// A one-time link's secret for `person` (firm access when `client` is nil).
  func invite(_ person: String, to client: String?, expiresIn: TimeInterval = 3600) throws -> String {
    let now = Date()
    return try AccessStore(workspace).update {
      $0.invite(person, to: client, by: "alice", now: now, expiresAt: now.addingTimeInterval(expiresIn)).text
    }
  }

  func server(behindProxy: Bool = false, limiter: SignInLimiter = SignInLimiter(limit: 1000)) -> WebServer {
    WebServer(workspace: workspace, behindProxy: behindProxy, limiter: limiter, logger: Logger(label: "web-tests"))
  }

  func clientFile(_ client: String) throws -> Data {
    try Data(contentsOf: accord.workspace.appendingPathComponent("\(client).json"))
  }

  /// Runs `body` against the server's router, in process.
  func test<Value: Sendable>(
    _ server: WebServer? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
  ) async throws -> Value {
    let app = Application(router: (server ?? self.server()).router())
    return try await app.test(.router) { client in try await body(client) }
  }

  /// Runs `body` against the server in process, listening on loopback, spoken to over HTTP.
  func live<Value: Sendable>(
    _ server: WebServer? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
  ) async throws -> Value {
    let app = Application(
      router: (server ?? self.server()).router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in try await body(client) }
  }
}

extension TestClientProtocol {
  /// Signs in with the link `secret` and returns the session cookie's value.
  func signIn(_ secret: String, headers: HTTPFields = [:]) async throws -> String {
    let response = try await post("/sign-in", fields: ["secret": secret], headers: headers)
    #expect(response.status == .seeOther)
    let cookie = try #require(response.headers[.setCookie])
    let value = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
    return String(value)
  }

  func get(_ uri: String, session: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
    var headers = headers
    if let session { headers[.cookie] = "\(SessionCookie.name)=\(session)" }
    return try await execute(uri: uri, method: .get, headers: headers)
  }

  /// POSTs `fields` as a form; with `session`, its cookie, and its CSRF token unless `csrf`
  /// gives another (nil: none).
  func post(
    _ uri: String, fields: [String: String], session: String? = nil, csrf: String?? = .none,
    headers: HTTPFields = [:]
  ) async throws -> TestResponse {
    var headers = headers
    headers[.contentType] = "application/x-www-form-urlencoded"
    var fields = fields
    if let session {
      headers[.cookie] = "\(SessionCookie.name)=\(session)"
      switch csrf {
      case .none: fields["csrf"] = SessionCookie.csrfToken(forSession: session)
      case let .some(token?): fields["csrf"] = token
      case .some(nil): break
      }
    }
    let body = fields.sorted { $0.key < $1.key }.map { key, value in
      let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
      return key + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
    }.joined(separator: "&")
    return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
  }
}

extension TestResponse {
  /// The body as a reader sees it: without tags, and with the entities Mustache escapes
  /// turned back into characters.
  var text: String {
    String(buffer: body).replacing(/<[^>]+>/, with: "")
      .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
  }

  /// The raw body.
  var html: String { String(buffer: body) }
}
