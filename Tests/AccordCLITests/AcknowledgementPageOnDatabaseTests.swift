import Foundation
import PostgresTestSupport
import Testing
import WorkspaceStore

/// "My work" on `accord serve --database` is made from the summaries the database keeps,
/// which hold no roster: a person on the roster, let in to their client alone, still finds
/// their own "Acknowledge" item there, as on the folder.
@Suite("Web pages: acknowledging from my work on a database", .serialized)
struct AcknowledgementPageOnDatabaseTests {
  @Test func aRosterPersonsMyWorkOnTheDatabaseListsTheirAcknowledgement() async throws {
    let roster = try RosterWorkspace(perTeam: 2)
    try roster.run("acknowledge", "acme", RosterWorkspace.agreement, "--yes", as: "sales02")
    // Links in the access book the database is given a copy of: two of the roster, one
    // who has acknowledged, and a head of sales, who is no one's staff.
    var secrets: [String: String] = [:]
    for person in ["sales01", "sales02", "sam"] {
      secrets[person] = try AccessStore(roster.space.workspace).update { book in
        book.invite(person, to: "acme", by: "alice", now: Date(), expiresAt: Date().addingTimeInterval(3_600)).text
      }
    }
    let address = try await ListingsOnDatabaseEndToEndTests.move(roster.space)
    defer { Task { await PostgresCluster.drop(address) } }
    let folder = try ServedWorkspace(roster.space)
    let database = try ServedWorkspace(
      roster.space,
      server: roster.accord.start(["serve", "--port", "0", "--database", ListingsOnDatabaseEndToEndTests.connection(address)]))
    let item = #"<a href="/clients/acme/agreements/lead-sla">Acknowledge &#39;The lead hand-off agreement&#39;</a>"#
    for (person, owes) in [("sales01", true), ("sales02", false), ("sam", false)] {
      let secret = try #require(secrets[person])
      let onDatabase = try await get(
        database.base, "/", cookie: try await signIn(base: database.base, secret: secret))
      let onFolder = try await get(folder.base, "/", cookie: try await signIn(base: folder.base, secret: secret))
      #expect(onDatabase.status == 200)
      #expect(onDatabase.body.contains(item) == owes, "\(person) on the database")
      #expect(onFolder.body.contains(item) == owes, "\(person) on the folder")
      #expect(
        ListingsOnDatabaseEndToEndTests.unsessioned(onDatabase.body)
          == ListingsOnDatabaseEndToEndTests.unsessioned(onFolder.body), "\(person)")
    }
    #expect(folder.stop() == .exited(0))
    #expect(database.stop() == .exited(0))
  }
}
