import AccordKit
import Foundation
import Glibc
import ProgrammeEngine

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A firm's `accord serve` over its JSON API (`/api/v1/...`), as one token's person.
///
/// Every call carries `Authorization: Bearer TOKEN`. A call that gets no answer (refused,
/// timed out, no such host, a TLS failure) throws `RemoteFailure.unreachable` with a short
/// reason; an answer other than 2xx throws `.answered`, with the code and message of the
/// server's `{"error": {...}}` (`http-STATUS` when it sent none).
package struct HTTPRemote: RemoteTransport {
  /// The server's address, as `remote add` kept it (no trailing '/').
  package let base: URL
  package let token: String
  /// Seconds to wait for the connection, and then between bytes of the answer.
  package let timeout: TimeInterval

  package init(base: URL, token: String, timeout: TimeInterval = HTTPRemote.defaultTimeout) {
    self.base = base
    self.token = token
    self.timeout = timeout
  }

  /// `$ACCORD_REMOTE_TIMEOUT` seconds when it is a positive number, else 10.
  package static var defaultTimeout: TimeInterval {
    timeout(getenv("ACCORD_REMOTE_TIMEOUT").map { String(cString: $0) })
  }

  /// The seconds `text` gives, when it is a positive number; else 10.
  static func timeout(_ text: String?) -> TimeInterval {
    guard let text, let seconds = Double(text), seconds > 0, seconds.isFinite else { return 10 }
    return seconds
  }

  package func me() async throws -> RemotePerson {
    try await Self.decode(RemotePerson.self, from: call("GET", "me"), "GET /api/v1/me")
  }

  package func clients() async throws -> [String] {
    let answer = try await call("GET", "clients")
    guard let listings = try? JSONSerialization.jsonObject(with: answer.data) as? [[String: Any]] else {
      throw Self.unexpected(answer, "GET /api/v1/clients", "not an array of clients")
    }
    // Each row as `accord clients --json` prints it, its id under "client" ("id" read too).
    return listings.filter { $0["archived"] as? Bool != true }
      .compactMap { $0["client"] as? String ?? $0["id"] as? String }.sorted()
  }

  package func changes(after cursor: String?, limit: Int) async throws -> RemoteChanges {
    var query = [URLQueryItem(name: "limit", value: String(limit))]
    if let cursor { query.insert(URLQueryItem(name: "after", value: cursor), at: 0) }
    let page = try await Self.decode(FeedPage.self, from: call("GET", "changes", query: query), "GET /api/v1/changes")
    return RemoteChanges(clients: Set(page.changes.map(\.client)), cursor: page.cursor, count: page.changes.count)
  }

  package func record(of client: String) async throws -> Data {
    try await call("GET", "clients/\(client)/record").data
  }

  package func push(_ event: Event, upgrade: SyncPush.Upgrade?, to client: String) async throws -> PushAnswer {
    /// The event's own fields, and an upgrade's text beside them.
    struct Body: Encodable {
      var event: Event
      var upgrade: SyncPush.Upgrade?
      enum Key: String, CodingKey { case upgrade }
      func encode(to encoder: any Encoder) throws {
        try event.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(upgrade, forKey: .upgrade)
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let body = try encoder.encode(Body(event: event, upgrade: upgrade))
    let answer = try await call(
      "POST", "clients/\(client)/events", body: body, headers: event.id.map { ["Idempotency-Key": $0] } ?? [:])
    return try Self.decode(PushAnswer.self, from: answer, "POST /api/v1/clients/\(client)/events")
  }

  package func firmKey() async throws -> String? {
    struct Key: Decodable { var publicKey: String }
    do {
      return try Self.decode(Key.self, from: await call("GET", "firm-key"), "GET /api/v1/firm-key").publicKey
    } catch let RemoteFailure.answered(404, code, _, _) where code == "no-firm-key" {
      return nil
    }
  }

  package func certificate(of agreement: String, client: String, format: String) async throws -> String {
    let answer = try await call(
      "GET", "clients/\(client)/agreements/\(agreement)/certificate", query: [URLQueryItem(name: "format", value: format)])
    return String(decoding: answer.data, as: UTF8.self)
  }

  package func start(_ client: String, _ start: RemoteStart) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    _ = try await call("POST", "clients/\(client)/start", body: try encoder.encode(start))
  }

  /// One request to `/api/v1/PATH` with this remote's token.
  func call(
    _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, headers: [String: String] = [:]
  ) async throws(RemoteFailure) -> Answer {
    var headers = headers
    headers["Authorization"] = "Bearer \(token)"
    return try await Self.send(
      method, Self.endpoint(base, path, query: query), body: body, headers: headers, timeout: timeout)
  }
}

// MARK: - Signing in, without a token

extension HTTPRemote {
  /// What `POST /api/v1/login/token` gives for a good one-time code.
  package struct SignIn: Codable, Sendable, Equatable {
    package var token: String
    package var person: String
    package var clients: [String]?
    package var expires: String?

    package init(token: String, person: String, clients: [String]?, expires: String?) {
      self.token = token
      self.person = person
      self.clients = clients
      self.expires = expires
    }
  }

  /// What `POST /api/v1/login` answers, alike for everyone: the request to poll with and
  /// when it runs out (both nil from a server from before mailed links, which sends a code only).
  package struct Asked: Decodable, Sendable, Equatable {
    package var request: String?
    package var expires: String?
  }

  /// Asks the server at `base` to mail `person` a one-time link and code (`POST /api/v1/login`, 202).
  @discardableResult
  package static func requestCode(
    at base: URL, for person: String, timeout: TimeInterval = defaultTimeout
  ) async throws(RemoteFailure) -> Asked {
    let answer = try await send(
      "POST", endpoint(base, "login"), body: json(["person": person]), headers: [:], timeout: timeout)
    return (try? JSONDecoder().decode(Asked.self, from: answer.data)) ?? Asked()
  }

  /// Asks whether the link mailed for `request` has been approved (`POST
  /// /api/v1/login/token`): nil while it waits (202), the token once it is; a request
  /// spent or run out is the server's 401.
  package static func poll(
    request: String, for person: String, at base: URL, timeout: TimeInterval = defaultTimeout
  ) async throws(RemoteFailure) -> SignIn? {
    let answer = try await send(
      "POST", endpoint(base, "login/token"), body: json(["person": person, "request": request]), headers: [:],
      timeout: timeout)
    if answer.status == 202 { return nil }
    return try decode(SignIn.self, from: answer, "POST /api/v1/login/token")
  }

  /// Exchanges `person`'s one-time `code` for a token (`POST /api/v1/login/token`); a bad
  /// code is the server's 401.
  package static func exchange(
    code: String, for person: String, at base: URL, timeout: TimeInterval = defaultTimeout
  ) async throws(RemoteFailure) -> SignIn {
    let answer = try await send(
      "POST", endpoint(base, "login/token"), body: json(["person": person, "code": code]), headers: [:],
      timeout: timeout)
    return try decode(SignIn.self, from: answer, "POST /api/v1/login/token")
  }
}

// MARK: - The requests

extension HTTPRemote {
  /// A 2xx answer: its status and body.
  struct Answer: Sendable {
    var status: Int
    var data: Data
  }

  /// The change feed's page, as far as sync reads it.
  private struct FeedPage: Decodable {
    struct Change: Decodable { var client: String }
    var changes: [Change]
    var cursor: String?
  }

  /// `BASE/api/v1/PATH?QUERY`, keeping any path the base has (a server behind a prefix).
  static func endpoint(_ base: URL, _ path: String, query: [URLQueryItem] = []) -> URL {
    var text = base.absoluteString
    while text.hasSuffix("/") { text.removeLast() }
    var parts = URLComponents(string: text + "/api/v1/" + path)!
    if !query.isEmpty { parts.queryItems = query }
    return parts.url!
  }

  static func json(_ object: [String: String]) -> Data {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
  }

  /// Sends one request; a 2xx answer comes back, anything else is thrown.
  static func send(
    _ method: String, _ url: URL, body: Data?, headers: [String: String], timeout: TimeInterval
  ) async throws(RemoteFailure) -> Answer {
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = method
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.httpBody = body
    }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    // Nothing kept between calls: no cookies, no cache, no credentials of the session's own.
    configuration.httpCookieStorage = nil
    configuration.urlCache = nil
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await session.data(for: request)
    } catch {
      throw .unreachable(reason: reason(error, url: url, timeout: timeout))
    }
    guard let http = response as? HTTPURLResponse else {
      throw .unreachable(reason: "\(url.host ?? "the server") gave no HTTP answer")
    }
    guard (200..<300).contains(http.statusCode) else { throw failure(status: http.statusCode, body: data) }
    return Answer(status: http.statusCode, data: data)
  }

  /// The server's `{"error": {"code", "message"}}`, or `http-STATUS` when it sent none.
  static func failure(status: Int, body: Data) -> RemoteFailure {
    let error = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? [String: Any]
    let code = (error?["code"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "http-\(status)"
    let message =
      (error?["message"] as? String).flatMap { $0.isEmpty ? nil : $0 }
      ?? "the server answered \(status) \(HTTPURLResponse.localizedString(forStatusCode: status))"
    return .answered(status: status, code: code, message: message, body: body)
  }

  /// Why a request got no answer, in a few words.
  static func reason(_ error: any Error, url: URL, timeout: TimeInterval) -> String {
    var host = url.host ?? "the server"
    if let port = url.port { host += ":\(port)" }
    guard let error = error as? URLError else { return "\(host): \(error.localizedDescription)" }
    switch error.code {
    case .cannotConnectToHost: return "\(host) refused the connection"
    case .timedOut: return "\(host) did not answer within \(seconds(timeout))"
    case .cannotFindHost, .dnsLookupFailed: return "no host named \(url.host ?? "")"
    case .notConnectedToInternet: return "this machine is not connected to a network"
    case .networkConnectionLost: return "the connection to \(host) was lost"
    case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
      .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
      .clientCertificateRequired:
      return "\(host): the secure connection (TLS) failed: \(error.localizedDescription)"
    case .cancelled: return "the call to \(host) was stopped"
    default: return "\(host): \(error.localizedDescription)"
    }
  }

  private static func seconds(_ timeout: TimeInterval) -> String {
    timeout == timeout.rounded() ? "\(Int(timeout)) s" : "\(timeout) s"
  }

  /// The answer decoded, or the server's answer said to be not what Accord expects.
  static func decode<T: Decodable>(_ type: T.Type, from answer: Answer, _ call: String) throws(RemoteFailure) -> T {
    do {
      return try JSONDecoder().decode(type, from: answer.data)
    } catch {
      throw unexpected(answer, call, decodingProblem(error))
    }
  }

  /// A 2xx answer that does not hold what the call gives: an older server, or something
  /// else at that address.
  static func unexpected(_ answer: Answer, _ call: String, _ problem: String) -> RemoteFailure {
    .answered(
      status: answer.status, code: "unexpected-answer",
      message: "the answer to \(call) is not what Accord expects (\(problem)): is this an Accord server, and as new as this accord?",
      body: answer.data)
  }
}
