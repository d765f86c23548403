import AccordKit
import Foundation
import HTTPTypes
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// `accord login NAME` without a token yet: a one-time link and code mailed to the person
/// (`POST /api/v1/login`), which sign the laptop that asked in with an API token of their
/// own (`POST /api/v1/login/token`): the laptop polls with its request until the link is
/// approved in a browser (`PageRoutes`'s `/sign-in/laptop/SECRET`), or sends the code typed.
/// Neither takes a token. The request, link and code are kept only as hashes in the access
/// book, work once, for `AccessBook.codeLifetime`, and a code burns after
/// `AccessBook.codeTries` wrong tries; no answer says whether a person exists, and no
/// secret or token is ever logged.
extension APIRoutes {
  func addLogin(to group: RouterGroup<WebContext>) {
    let server = server
    open(group, "login") { request, context in
      let person = try await APIMessage.Fields.read(request, context: context).text("person")
      // Every request counts, from its address and for its person: mail is not to be
      // sent in floods, nor a person's inbox filled.
      try Self.limit(server, request, context, key: "login:" + person)
      server.limiter.failed(address: server.address(of: request, context: context), link: "login:" + person, now: Date())
      // Answered at once and alike for everyone, with a request made for everyone; the
      // link and code are made and mailed after, so that how long the answer takes says
      // nothing either.
      let asked = LoginRequest.make(now: Date())
      Task { await Self.mailSignIn(to: person, request: asked, server: server) }
      var response = try APIMessage.ok(
        LoginAskedJSON(sent: true, request: asked.text, expires: Timestamp.format(asked.expiresAt)))
      response.status = .accepted
      return response
    }
    open(group, "login/token") { request, context in
      let fields = try await APIMessage.Fields.read(request, context: context)
      let person = try fields.text("person")
      // A code wins over a poll: the laptop may send both. A null code is no poll.
      if fields.object["code"] == nil, let asked = try fields.optionalText("request") {
        return try await Self.poll(person: person, request: asked, server: server)
      }
      let code = try fields.text("code")
      // Counted by address: guessing one person's code is stopped by the code itself,
      // which burns after `AccessBook.codeTries` wrong tries.
      try Self.limit(server, request, context, key: nil)
      let now = Date()
      let exchange = try await server.keeper.update { $0.exchange(code: code, for: person, now: now) }
      guard case let .token(token, id, expiresAt) = exchange else {
        server.limiter.failed(address: server.address(of: request, context: context), link: nil, now: now)
        throw WebFailure(
          status: .unauthorized, code: "unauthenticated",
          message: "that code does not sign \(person) in: it is wrong, used or out of date; ask for a new one "
            + "(accord login), and after \(AccessBook.codeTries) wrong tries the code stops working")
      }
      server.logger.info("accord login: \(person) exchanged a code for token \(id)")
      return try await Self.signedIn(person, token: token, expiresAt: expiresAt, server: server)
    }
  }

  /// A poll by the laptop that asked: 202 `{"pending": true}` until its link is approved,
  /// then the token, once. Not limited: a request is 32 random bytes, so a poll guesses
  /// nothing, and one laptop waiting behind an office's address with others must not be
  /// kept out by their typing. Only a poll that takes a token writes the book.
  private static func poll(person: String, request text: String, server: WebServer) async throws -> Response {
    guard let asked = LoginRequest(text) else {
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "'request' is not one POST /api/v1/login gave",
        details: ["field": .text("request")])
    }
    let now = Date()
    var copy = try await server.keeper.book()  // a copy: a pending poll writes nothing
    var answer = copy.poll(request: asked, for: person, now: now)
    if case .token = answer {
      answer = try await server.keeper.update { $0.poll(request: asked, for: person, now: now) }
    }
    switch answer {
    case .pending:
      var response = try APIMessage.ok(["pending": true])
      response.status = .accepted
      return response
    case let .token(token, id, expiresAt):
      server.logger.info("accord login: \(person) signed a laptop in by a mailed link, token \(id)")
      return try await signedIn(person, token: token, expiresAt: expiresAt, server: server)
    case .used:
      throw WebFailure(
        status: .unauthorized, code: "unauthenticated",
        message: "this sign-in was taken already: each link and code signs one laptop in once; ask again (accord login)")
    case .expired:
      throw WebFailure(
        status: .unauthorized, code: "unauthenticated",
        message: "the sign-in ran out before its link was opened: ask again (accord login)")
    }
  }

  /// 200 with the new token and what it opens.
  private static func signedIn(
    _ person: String, token: String, expiresAt: Date, server: WebServer
  ) async throws -> Response {
    var clients: [String]?
    if case let .clients(ids) = try await server.keeper.book().scope(of: person) { clients = ids.sorted() }
    return try APIMessage.ok(
      LoginTokenJSON(token: token, person: person, clients: clients, expires: Timestamp.format(expiresAt)))
  }

  /// Makes a link and a code for `person`, answering `request`, and mails them, when they
  /// have access, an address and the server a relay; otherwise logs why nothing went
  /// (never the link or the code).
  private static func mailSignIn(to person: String, request: LoginRequest, server: WebServer) async {
    let logger = server.logger
    do {
      let book = try await server.keeper.book()
      guard !book.scope(of: person).isEmpty else {
        logger.info("accord login: no code mailed: the person asked for has no access")
        return
      }
      guard let mail = server.mail else {
        logger.warning("accord login: cannot mail \(person) a code: the server has no relay (accord serve --smtp)")
        return
      }
      guard let recorded = try await server.desk.store.settings().addresses?[person],
        let address = try? MailAddress(recorded)
      else {
        logger.warning("accord login: cannot mail \(person) a code: no address recorded (accord address)")
        return
      }
      let now = Date()
      guard let issued = try await server.keeper.update({ $0.issueSignIn(for: person, request: request, now: now) })
      else { return }
      let message = LoginCodeMail(
        person: person, address: address, code: issued.code,
        link: server.siteBase + "/sign-in/laptop/" + issued.link.text, expiresAt: request.expiresAt,
        from: mail.from, now: now)
      let post = ReminderPost(
        outbox: mail.outbox, client: SMTPClient(relay: mail.relay), from: mail.from, zone: TimeZone(identifier: "UTC")!)
      let outcomes = try await post.post(message.outboxMessage, as: message.outboxKey)
      for (_, outcome) in outcomes where outcome.status == .failed {
        logger.warning("accord login: \(outcome.sentence)")
      }
    } catch {
      logger.error("accord login: cannot mail \(person) a code: \(error)")
    }
  }

  /// 429 when the request's address, or `key` (a person's login), has been tried too often lately.
  private static func limit(_ server: WebServer, _ request: Request, _ context: WebContext, key: String?) throws {
    let address = server.address(of: request, context: context)
    guard let wait = server.limiter.wait(address: address, link: key, now: Date()) else { return }
    throw TooMany(wait: wait)
  }

  /// 429, with when to try again.
  struct TooMany: Error { var wait: Int }

  /// A POST that takes no token: a JSON object in, JSON out; every error as JSON.
  private func open(
    _ group: RouterGroup<WebContext>, _ path: String,
    _ handler: @escaping @Sendable (Request, WebContext) async throws -> Response
  ) {
    group.on(RouterPath(path), method: .post) { request, context -> Response in
      do {
        return try await handler(request, context)
      } catch let many as TooMany {
        var response = APIMessage.failure(
          WebFailure(
            status: .tooManyRequests, code: "too-many-attempts",
            message: "too many sign-in attempts from here or for this person: try again in \(many.wait) seconds"))
        response.headers[.retryAfter] = String(many.wait)
        return response
      } catch {
        return APIMessage.failure(error)
      }
    }
    refuseOtherMethods(group, path, than: .post)
  }
}

/// `POST /api/v1/login`: the same for everyone, with the request the laptop polls with.
struct LoginAskedJSON: Encodable {
  var sent: Bool
  var request: String
  var expires: String
}

/// `POST /api/v1/login/token`: the new token, shown once, and what it opens.
struct LoginTokenJSON: Encodable {
  var token: String
  var person: String
  var clients: [String]?
  var expires: String

  enum CodingKeys: String, CodingKey { case token, person, clients, expires }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(token, forKey: .token)
    try container.encode(person, forKey: .person)
    try container.encode(clients, forKey: .clients)
    try container.encode(expires, forKey: .expires)
  }
}
