import Foundation
import PostgresStore
import PostgresTestSupport
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The portfolio, "my work" and `GET /api/v1/agenda` of `accord serve --database` come from
/// the summaries the database keeps (no history replayed), those of `accord serve` on the
/// folder from the programmes: for the same clients, over real HTTP, they are the same
/// pages and the same agenda.
@Suite("The listings on a database end to end", .serialized)
struct ListingsOnDatabaseEndToEndTests {
  /// Who signs in and who has a token, and on what: alice for the firm, the rest on one client
  /// (pat as alice's delegate on acme).
  static let viewers: [(person: String, client: String?)] = [
    ("alice", nil), ("sam", "acme"), ("pat", "acme"), ("gus", "globex"),
  ]

  @Test func thePagesAndTheAgendaOnTheDatabaseAreThoseOnTheFolder() async throws {
    // acme with every role held, a milestone overdue and the consultant's role lent to pat;
    // globex with roles nobody holds; initech archived; the workspace in Tokyo.
    let space = try APIWorkspace()
    try space.seed()
    for arguments in [
      ["zone", "Asia/Tokyo"],
      ["schedule", "acme", "stakeholder-map", "2020-01-02", "--reason", "promised for new year", "--force"],
      ["start", "initech", "--name", "Initech"], ["archive", "initech", "--reason", "paused"],
    ] {
      let run = try space.accord.run(arguments)
      try #require(run.status == 0, "\(arguments): \(run.stderr)")
    }
    let lent = try space.accord.run(
      ["delegate", "acme", "consultant", "pat", "--until", "2999-12-31", "--reason", "alice away"], as: "alice")
    try #require(lent.status == 0, "\(lent.stderr)")
    // A link and a token for each viewer, in the access book the database is given a copy of.
    var secrets: [String: String] = [:]
    var tokens: [String: String] = [:]
    for (person, client) in Self.viewers {
      tokens[person] = try space.token(for: person, clients: client.map { [$0] }).token
      secrets[person] = try AccessStore(space.workspace).update { book in
        book.invite(person, to: client, by: "alice", now: Date(), expiresAt: Date().addingTimeInterval(3_600)).text
      }
    }
    let address = try await Self.move(space)
    defer { Task { await PostgresCluster.drop(address) } }

    let folder = try ServedWorkspace(space)
    let database = try ServedWorkspace(
      space, server: space.accord.start(["serve", "--port", "0", "--database", Self.connection(address)]))
    var cookies: [String: (folder: String, database: String)] = [:]
    for (person, _) in Self.viewers {
      let secret = try #require(secrets[person])
      cookies[person] = (
        try await signIn(base: folder.base, secret: secret), try await signIn(base: database.base, secret: secret)
      )
    }
    var pages = 0
    for (person, _) in Self.viewers {
      let cookie = try #require(cookies[person])
      for path in ["/portfolio", "/"] {
        let onFolder = try await get(folder.base, path, cookie: cookie.folder)
        let onDatabase = try await get(database.base, path, cookie: cookie.database)
        #expect(onFolder.status == onDatabase.status, "\(person) \(path)")
        #expect(Self.unsessioned(onFolder.body) == Self.unsessioned(onDatabase.body), "\(person) \(path)")
        if onFolder.status == 200 { pages += 1 }
      }
      for query in ["", "?days=30", "?days=0&asOf=2020-01-02", "?days=3650&asOf=2026-01-01"] {
        let onFolder = try await get(folder.base, "/api/v1/agenda" + query, token: tokens[person])
        let onDatabase = try await get(database.base, "/api/v1/agenda" + query, token: tokens[person])
        #expect(onFolder.status == 200, "\(person) \(query): \(onFolder.body)")
        #expect(onFolder.body == onDatabase.body, "\(person) \(query)")
      }
    }
    // The portfolio and my work for each, but sam's, pat's and gus's portfolio (the firm's).
    #expect(pages == 5)
    // What the comparison is about is on the pages: the late item, the delegate, the role
    // nobody holds, the archived client.
    let portfolio = try await get(folder.base, "/portfolio", cookie: try #require(cookies["alice"]).folder).body
    #expect(portfolio.contains("overdue") && portfolio.contains("Initech") && portfolio.contains("is not assigned"))
    let agenda = try await get(folder.base, "/api/v1/agenda?days=3650", token: tokens["alice"]).body
    #expect(agenda.contains("\"pat\"") && agenda.contains("stakeholder-map"), "\(agenda)")

    // The database's pages read the kept summaries, not the histories: one altered by hand
    // shows on them (and check, which holds them to a full replay, finds it).
    try await PostgresCluster.connect(address) { connection in
      _ = try await connection.query(
        """
        UPDATE clients SET summary = jsonb_set(jsonb_set(summary::jsonb, '{place,title}', '"Altered stage"'),
          '{name}', '"Altered Ltd"')::text
        WHERE id = 'acme'
        """, logger: PostgresCluster.quiet)
    }
    let cookie = try #require(cookies["alice"]).database
    #expect(try await get(database.base, "/portfolio", cookie: cookie).body.contains("Altered stage"))
    #expect(try await get(database.base, "/", cookie: cookie).body.contains("Altered Ltd"))
    #expect(try await get(database.base, "/api/v1/agenda?days=3650", token: tokens["alice"]).body.contains("Altered Ltd"))
    // And so does the CLI's agenda on the database.
    let url = DatabaseTransferEndToEndTests.connection(address)
    let cli = try space.accord.run(["agenda", "--days", "3650", "--json", "--database", url])
    #expect(cli.status == 0, "\(cli.stderr)")
    #expect(cli.stdout.contains("Altered Ltd"), "\(cli.stdout)")
    let store = try await PostgresStore.open(address)
    let problems = try await store.projectionProblems()
    await store.shutdown()
    #expect(problems.map(\.client.rawValue) == ["acme"])
    #expect(folder.stop() == .exited(0))
    #expect(database.stop() == .exited(0))
  }

  /// A new database of the throwaway cluster holding `space`'s settings, access book and
  /// clients, as `accord migrate` moves them (the settings first, so that the summaries are
  /// worked out in their zone).
  static func move(_ space: APIWorkspace) async throws -> PostgresAddress {
    let address = try await PostgresCluster.database()
    try await PostgresStore.migrate(address)
    let folder = FolderStore(space.workspace)
    let store = try await PostgresStore.open(address)
    do {
      let settings = try await folder.settings()
      try await store.updateSettings { $0 = settings }
      let book = try await folder.accessBook()
      try await store.updateAccessBook { $0 = book }
      for id in try await folder.clientIDs() { try await store.adopt(try await folder.load(id)) }
      await store.shutdown()
    } catch {
      await store.shutdown()
      throw error
    }
    return address
  }

  static func connection(_ address: PostgresAddress) -> String {
    "postgresql://\(address.username):\(address.password ?? "")@\(address.host):\(address.port)/\(address.database)"
      + "?sslmode=disable"
  }

  /// A page without what belongs to the session it was asked in (its forms' CSRF token).
  static func unsessioned(_ page: String) -> String {
    page.replacingOccurrences(of: #"name="csrf" value="[^"]*""#, with: #"name="csrf" value="""#, options: .regularExpression)
  }
}
