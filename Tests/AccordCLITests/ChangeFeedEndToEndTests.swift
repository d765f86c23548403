import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `GET /api/v1/changes` on `accord serve` as built, over real HTTP: a token sees its own
/// clients' events only, each as `log --json` shows it, and a cursor resumes where it was.
@Suite("Change feed end to end", .serialized)
struct ChangeFeedEndToEndTests {
  @Test func aTokenFollowsItsClientsChangesAndResumesFromItsCursor() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let carol = try space.token(for: "carol", clients: ["acme"], only: "acme").token
    let gus = try space.token(for: "gus", clients: ["globex"], only: "globex").token
    let served = try ServedWorkspace(space)

    // Page by page, three at a time: acme's history, whole and in order, and nothing else.
    let (acme, cursor) = try await Self.follow(served, token: carol, limit: 3)
    let log = try jsonArray(space.cli("log", "acme"))
    #expect(acme.count == log.count)
    for (position, change) in acme.enumerated() {
      #expect(change["client"] as? String == "acme")
      #expect(change["position"] as? Int == position)
      #expect(try same(try #require(change["event"]), log[position]))
      #expect(change["id"] as? String == (log[position] as? [String: Any])?["id"] as? String)
    }
    let (globex, _) = try await Self.follow(served, token: gus, limit: 100)
    #expect(globex.count == (try jsonArray(space.cli("log", "globex", as: "gina"))).count)
    #expect(globex.allSatisfy { $0["client"] as? String == "globex" })

    // A change made since (by the CLI, beside the server) comes after the cursor, alone;
    // one to globex does not reach carol.
    try #require(try space.accord("assign", "globex", "czar", "gwen", as: "gina").status == 0)
    try #require(try space.accord("assign", "acme", "czar", "cora").status == 0)
    let (rest, _) = try await Self.follow(served, token: carol, after: cursor, limit: 100)
    let newest = try #require(try jsonArray(space.cli("log", "acme")).last)
    #expect(rest.count == 1)
    #expect(try same(try #require(rest.first?["event"]), newest))
    #expect(rest.first?["position"] as? Int == log.count)
  }

  @Test func aBadCursorOrLimitIs400AndNoTokenIs401() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let carol = try served.token(for: "carol")
    for query in ["limit=0", "limit=1001", "limit=ten", "after=yesterday", "after=1.2.3", "after=999999999.0",
      "after=1.0", "limit=1&limit=2"]
    {
      let answer = try await Self.get(served, query, token: carol)
      #expect(answer.status == 400, "\(query): \(answer.body)")
      #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "bad-request", "\(query)")
    }
    #expect(try await Self.get(served, "", token: nil).status == 401)
  }

  /// Reads pages from `after` until one is empty: the changes and the last cursor.
  static func follow(_ served: ServedWorkspace, token: String, after: String? = nil, limit: Int) async throws
    -> ([[String: Any]], String)
  {
    var changes: [[String: Any]] = []
    var cursor = after
    while true {
      let answer = try await get(served, "limit=\(limit)" + (cursor.map { "&after=\($0)" } ?? ""), token: token)
      try #require(answer.status == 200, "\(answer.body)")
      let page = try #require(answer.json["changes"] as? [[String: Any]])
      #expect(page.count <= limit)
      cursor = try #require(answer.json["cursor"] as? String)
      if page.isEmpty { return (changes, cursor ?? "") }
      changes += page
    }
  }

  static func get(_ served: ServedWorkspace, _ query: String, token: String?) async throws -> ServedWorkspace.Answer {
    var request = URLRequest(url: try #require(URL(string: served.base.absoluteString + "/api/v1/changes?" + query)))
    request.timeoutInterval = 60
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    return ServedWorkspace.Answer(
      status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
  }
}
