import AccordKit
import AgreementCertificates
import Foundation
import Hummingbird
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// What `accord sync` and `accord --remote` need of a firm's server (issue 23): who the token
/// is, a client's file for the laptop's replica, a change made on that replica decided again
/// here (the laptop proposes, the server decides), and the certificates only the server,
/// which holds the firm's key, issues.
extension APIRoutes {
  func addSync(to group: RouterGroup<WebContext>) {
    let (desk, keeper) = (server.desk, server.keeper)
    // GET /api/v1/me: the token's person, the clients it opens (null: every client) and
    // when it expires.
    route(group, "me", .get) { _, _, viewer in
      guard case let .token(id) = viewer.credential else { throw WebFailure.unauthenticated }
      let expires = try await keeper.book().tokens.first { $0.id == id }?.expiresAt
      let zone = try await desk.zoneName()
      return try APIMessage.ok(MeJSON(viewer, expires: expires, zone: zone))
    }
    // GET /api/v1/clients/CLIENT/record: the client's file, byte for byte as a folder keeps
    // it, for the laptop's replica. The whole history, so only for those who see all of it.
    route(group, "clients/:client/record", .get) { _, context, viewer in
      let client = try context.parameters.require("client")
      let (bytes, programme) = try await desk.fileText(client, for: viewer)
      guard programme.keepsRoster(viewer.person) else {
        throw WebFailure(
          status: .forbidden, code: "not-permitted",
          message: "\(viewer.person) may not copy \(programme.client)'s whole record: it shows who joined its roster "
            + "and who acknowledged, which only its consultant and its czar see (read it with log instead)",
          details: ["person": .text(viewer.person), "client": .text(programme.client)])
      }
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(data: bytes)))
    }
    // POST /api/v1/clients/CLIENT/events: one event made on a copy, decided again here.
    route(group, "clients/:client/events", .post) { request, context, viewer in
      let client = try context.parameters.require("client")
      guard viewer.sees(client) else {
        // A change kept before its person lost access, whose answer was lost on the way, is
        // sent again: it is theirs, so they are told it was kept, and nothing else. Any other
        // push to a client the token does not open is 404, as every route answers it.
        guard case let (pushed, _)? = try? await PushedEvent.read(request), let id = try? ClientID(client),
          let (_, programme) = try? await desk.load(id, named: client),
          let position = programme.position(ofEventID: pushed.id ?? ""),
          programme.history[position].by == viewer.person
        else { throw WebDesk.NoSuchClient(client: client) }
        return try APIMessage.ok(PushJSON(outcome: "kept", position: position))
      }
      let (pushed, upgrade) = try await PushedEvent.read(request)
      let (appended, position) = try await desk.push(pushed, upgrade: upgrade, to: client, as: viewer)
      return try APIMessage.ok(PushJSON(outcome: appended ? "appended" : "kept", position: position))
    }
    // POST /api/v1/clients/CLIENT/start: `accord start` from a laptop. The server parses
    // and validates the playbook's text again and starts the client as the token's person,
    // who needs firm access: a client no grant names is the firm's to see.
    route(group, "clients/:client/start", .post) { request, context, viewer in
      let client = try context.parameters.require("client")
      guard case .firm = viewer.scope else {
        throw WebFailure(
          status: .forbidden, code: "not-permitted",
          message: "\(viewer.person) may not start a client: that takes firm access (accord invite --firm)",
          details: ["person": .text(viewer.person)])
      }
      let start = try await StartRequest.read(request)
      let id: ClientID
      do { id = try ClientID(client) } catch {
        throw WebFailure(
          status: .badRequest, code: "invalid-client-id", message: "\(error)", details: ["client": .text(client)])
      }
      let playbook = try Playbook.parse(start.playbook, file: start.origin)
      let (record, programme) = try ClientStart.record(
        id, name: start.name, playbook: playbook, source: start.playbook, origin: start.origin, by: viewer.person,
        at: Date(), note: start.note, via: .remote)
      try await desk.create(record)
      return try APIMessage.ok(["client": record.client, "consultant": programme.assignments["consultant"] ?? ""])
    }
    addCertificates(to: group)
  }

  /// `GET /api/v1/firm-key` and the certificate of an agreement, sealed with the server's key.
  private func addCertificates(to group: RouterGroup<WebContext>) {
    let (desk, key) = (server.desk, server.firmKey)
    route(group, "firm-key", .get) { _, _, _ in
      try APIMessage.ok(["publicKey": try Self.firmKey(key).publicKey.text])
    }
    // Anyone who sees the client may have a certificate of it, as anyone who reads it may
    // run `accord certificate`: it states what the log shows.
    route(group, "clients/:client/agreements/:agreement/certificate", .get) { request, context, viewer in
      // `?format=md|html|json` (default json): what `accord certificate --format` writes.
      let asked = request.uri.queryParameters["format"].map(String.init)
      guard let format = asked.map({ CertificateFormat(rawValue: $0) }) ?? .json else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "format must be md, html or json, not '\(asked ?? "")'",
          details: ["field": .text("format")])
      }
      let key = try Self.firmKey(key)
      let agreement = try context.parameters.require("agreement")
      let (record, programme) = try await desk.load(try context.parameters.require("client"), for: viewer)
      let sealed = try FirmSeal.issue(
        agreement, record: record, programme: programme, issuedBy: viewer.person, at: Date(), key: key)
      // The sealed certificate exactly as `accord certificate --format FORMAT` writes it.
      let type = switch format {
        case .json: "application/json"
        case .html: "text/html; charset=utf-8"
        case .md: "text/markdown; charset=utf-8"
      }
      return Response(
        status: .ok, headers: [.contentType: type],
        body: ResponseBody(byteBuffer: ByteBuffer(string: CertificateDocument.render(sealed, as: format))))
    }
  }

  private static func firmKey(_ key: FirmKey?) throws -> FirmKey {
    guard let key else {
      throw WebFailure(
        status: .notFound, code: "no-firm-key",
        message: "this server has no firm key, so it issues no certificates (accord key create, as the user "
          + "who runs accord serve, then restart it)")
    }
    return key
  }
}

/// `GET /api/v1/me`.
struct MeJSON: Encodable {
  var person: String
  var clients: [String]?
  var expires: String?
  /// The server's time zone, in which a laptop's copy reckons its dates.
  var zone: String?

  init(_ viewer: Viewer, expires: Date?, zone: String?) {
    self.zone = zone
    person = viewer.person
    switch viewer.scope {
    case .firm: clients = nil
    case let .clients(ids): clients = ids.sorted()
    }
    self.expires = expires.map(Timestamp.format)
  }

  enum CodingKeys: String, CodingKey { case person, clients, expires, zone }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(person, forKey: .person)
    // Null, not absent: null is every client.
    try container.encode(clients, forKey: .clients)
    try container.encode(expires, forKey: .expires)
    try container.encodeIfPresent(zone, forKey: .zone)
  }
}

/// The answer to a pushed event: `appended` now or `kept` by an earlier push, and where it
/// stands in the history (the shape `PushAnswer` reads).
struct PushJSON: Encodable {
  var outcome: String
  var position: Int
}

/// The body of `POST /api/v1/clients/CLIENT/events`: one event as `accord log --json` prints
/// it, with its `id`; an upgrade adds `upgrade`, the text it moves to and whether it is forced
/// (`SyncPush.Upgrade`).
enum PushedEvent {
  /// The most a pushed event may be: a survey round's import carries every response, far
  /// past the 64 KiB every other request is held to.
  static let bodyBytes = 4 * 1024 * 1024

  static func read(_ request: Request) async throws -> (Event, SyncPush.Upgrade?) {
    let type = request.headers[.contentType]?.split(separator: ";").first ?? ""
    guard type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
      throw WebFailure(
        status: .unsupportedMediaType, code: "unsupported-media-type",
        message: "send the body as JSON, with Content-Type: application/json")
    }
    let buffer = try await request.body.collect(upTo: bodyBytes)
    let data = Data(buffer.readableBytesView)
    guard (try? JSONSerialization.jsonObject(with: data, options: [])) is [String: Any] else {
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "the body must be one event, a JSON object")
    }
    /// What an upgrade carries beside the event's own fields.
    struct Beside: Decodable { var upgrade: SyncPush.Upgrade? }
    let event: Event
    let beside: Beside
    do {
      event = try JSONDecoder().decode(Event.self, from: data)
      beside = try JSONDecoder().decode(Beside.self, from: data)
    } catch let error as DecodingError {
      let (field, problem) = Self.field(of: error)
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "the event's '\(field)' \(problem)",
        details: ["field": .text(field)])
    }
    guard let id = event.id, EventID.isCanonical(id) else {
      throw WebFailure(
        status: .badRequest, code: "bad-request",
        message: "the event has no 'id' (a UUID): a pushed change carries its own id, so that it is kept once",
        details: ["field": .text("id")])
    }
    return (event, beside.upgrade)
  }

  /// The field a decoding error is about, and what is wrong with it.
  static func field(of error: DecodingError) -> (String, String) {
    func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
      let all = keys + (last.map { [$0] } ?? [])
      return all.isEmpty ? "(body)" : all.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case let .keyNotFound(key, context): return (path(context.codingPath, key), "is missing")
    case let .typeMismatch(_, context): return (path(context.codingPath), "has the wrong type")
    case let .valueNotFound(_, context): return (path(context.codingPath), "is null")
    case let .dataCorrupted(context): return (path(context.codingPath), "is not valid: \(context.debugDescription)")
    @unknown default: return ("(body)", "is not valid")
    }
  }
}

/// The body of `POST /api/v1/clients/CLIENT/start`: the playbook's text and where it came
/// from, the client's name and a note.
struct StartRequest: Decodable {
  var name: String?
  var playbook: String
  var origin: String
  var note: String?

  static func read(_ request: Request) async throws -> StartRequest {
    let buffer = try await request.body.collect(upTo: PushedEvent.bodyBytes)
    do {
      return try JSONDecoder().decode(StartRequest.self, from: Data(buffer.readableBytesView))
    } catch {
      throw WebFailure(
        status: .badRequest, code: "bad-request",
        message: "the body must be a JSON object with 'playbook' and 'origin' (and 'name', 'note')")
    }
  }
}
