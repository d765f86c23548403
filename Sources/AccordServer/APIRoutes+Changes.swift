import Foundation
import Hummingbird
import ProgrammeEngine
import WorkspaceStore

extension APIRoutes {
  /// `GET /api/v1/changes?after=CURSOR&limit=N`: the store's change feed, the token's
  /// clients only. Each event once, in the order every reader sees, with the cursor to read
  /// on from (see docs/change-feed.md).
  func addChanges(to group: RouterGroup<WebContext>) {
    // The server's store: the workspace folder, or the database `serve` was given.
    let store = server.desk.store
    route(group, "changes", .get) { request, _, viewer in
      let query = try ChangesQuery(request)
      let clients: Set<String>? =
        switch viewer.scope {
        case .firm: nil
        case let .clients(ids): ids
        }
      var page: FeedPage
      do {
        page = try await store.changes(after: query.after, limit: query.limit, clients: clients)
      } catch {
        guard case StoreFailure.invalidCursor = error else { throw error }
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "after is not a cursor this server gave",
          details: ["parameter": .text("after")])
      }
      if clients != nil { page.changes = try await rosterEventsHidden(page.changes, from: viewer.person) }
      return try APIMessage.ok(ChangesJSON(page))
    }
  }

  /// `changes` without the roster's events (who joined or left it, others' acknowledgements)
  /// of the clients whose roster `person` does not keep, as their log leaves them out: only
  /// a client's consultant and czar (and the firm's consultants) may tell who has yet to
  /// acknowledge. The cursor still moves past them, so a reader's positions may skip.
  private func rosterEventsHidden(_ changes: [FeedChange], from person: String) async throws -> [FeedChange] {
    let concerned = Set(
      changes.filter { !Programme.isVisible($0.event, toOtherThanKeeper: person) }.compactMap { try? ClientID($0.client) })
    guard !concerned.isEmpty else { return changes }
    let programmes = try await server.desk.programmes(Array(concerned))
    var keeps: Set<String> = []
    for (id, read) in programmes where (try? read.get())?.keepsRoster(person) == true { keeps.insert(id.rawValue) }
    return changes.filter { keeps.contains($0.client) || Programme.isVisible($0.event, toOtherThanKeeper: person) }
  }
}

/// The query of `GET /api/v1/changes`: `after` (a cursor an earlier answer gave; from the
/// beginning when absent) and `limit` (1 to 1000, 100 when absent).
struct ChangesQuery {
  var after: FeedCursor?
  var limit = 100

  init(_ request: Request) throws {
    let query = request.uri.queryParameters
    for name in ["after", "limit"] where query[values: Substring(name)].count > 1 {
      throw WebFailure(
        status: .badRequest, code: "bad-request", message: "give \(name) once", details: ["parameter": .text(name)])
    }
    if let text = query["after"] {
      do {
        after = try FeedCursor(parsing: String(text))
      } catch {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "after must be a cursor an earlier answer gave",
          details: ["parameter": .text("after")])
      }
    }
    if let text = query["limit"] {
      guard let limit = Int(text), (1...1000).contains(limit) else {
        throw WebFailure(
          status: .badRequest, code: "bad-request", message: "limit must be a whole number from 1 to 1000",
          details: ["parameter": .text("limit")])
      }
      self.limit = limit
    }
  }
}

/// A page of the change feed as the API answers it: each event as `log --json` shows it,
/// with its client, position and id, and the cursor to give as `after` next.
struct ChangesJSON: Encodable {
  struct Change: Encodable {
    var client: String
    var position: Int
    var id: String?
    var event: Event

    enum CodingKeys: String, CodingKey { case client, position, id, event }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(client, forKey: .client)
      try container.encode(position, forKey: .position)
      // Null, not absent, for an event from before ids: every change has the same keys.
      try container.encode(id, forKey: .id)
      try container.encode(event, forKey: .event)
    }
  }

  var changes: [Change]
  var cursor: String

  init(_ page: FeedPage) {
    changes = page.changes.map { Change(client: $0.client, position: $0.position, id: $0.id, event: $0.event) }
    cursor = page.cursor.description
  }
}
