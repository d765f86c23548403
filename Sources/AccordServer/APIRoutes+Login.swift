import AccordKit
import Foundation
import HTTPTypes
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

/// `accord login NAME` without a token yet: a one-time code mailed to the person (`POST
/// /api/v1/login`), exchanged for an API token of their own (`POST /api/v1/login/token`).
/// Neither takes a token. The code is kept only as a hash in the access book, works once,
/// for `AccessBook.codeLifetime`, and burns after `AccessBook.codeTries` wrong tries; no
/// answer says whether a person exists, and neither a code nor a token is ever logged.
extension APIRoutes {
  func addLogin(to group: RouterGroup<WebContext>) {
    let server = server
    open(group, "login") { request, context in
      let person = try await APIMessage.Fields.read(request, context: context).text("person")
      // Every request counts, from its address and for its person: mail is not to be
      // sent in floods, nor a person's inbox filled.
      try Self.limit(server, request, context, key: "login:" + person)
      server.limiter.failed(address: server.address(of: request, context: context), link: "login:" + person, now: Date())
      // Answered at once and alike for everyone; the code is made and mailed after, so
      // that how long the answer takes says nothing either.
      Task { await Self.mailCode(to: person, server: server) }
      var response = try APIMessage.ok(["sent": true])
      response.status = .accepted
      return response
    }
    open(group, "login/token") { request, context in
      let fields = try await APIMessage.Fields.read(request, context: context)
      let (person, code) = (try fields.text("person"), try fields.text("code"))
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
      var clients: [String]?
      if case let .clients(ids) = try await server.keeper.book().scope(of: person) { clients = ids.sorted() }
      server.logger.info("accord login: \(person) exchanged a code for token \(id)")
      return try APIMessage.ok(
        LoginTokenJSON(token: token, person: person, clients: clients, expires: Timestamp.format(expiresAt)))
    }
  }

  /// Makes a code for `person` and mails it, when they have access, an address and the
  /// server a relay; otherwise logs why nothing went (never the code).
  private static func mailCode(to person: String, server: WebServer) async {
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
      guard let code = try await server.keeper.update({ $0.issueCode(for: person, now: now) }) else { return }
      let message = LoginCodeMail(
        person: person, address: address, code: code, expiresAt: now.addingTimeInterval(AccessBook.codeLifetime),
        from: mail.from, now: now)
      let day = String(Timestamp.format(now).prefix(10))
      let key = OutboxMessage.key(
        day: day,
        slug: "login." + DigestFileName.slug(for: person) + "." + String(message.messageID.dropFirst(14).prefix(8)))
      let post = ReminderPost(
        outbox: mail.outbox, client: SMTPClient(relay: mail.relay), from: mail.from, zone: TimeZone(identifier: "UTC")!)
      let outcomes = try await post.post(
        OutboxMessage(
          person: person, day: day, from: mail.from.value, to: address.value, messageID: message.messageID,
          message: message.message, what: "sign-in code"),
        as: key)
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
