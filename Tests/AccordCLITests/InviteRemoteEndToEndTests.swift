import Foundation
import Testing

/// `accord invite CLIENT PERSON --remote NAME` through the built binary against `accord serve
/// --smtp` on loopback: the server gives the access and makes the link, as the signed-in
/// person, with its own address; shown once with --print, or mailed through its relay; only
/// the client's consultant or czar may; offline it is refused with nothing done. And `accord
/// address --remote`, the server's addresses, for a person with firm access only.
@Suite("accord invite and address on a remote, end to end", .serialized)
struct InviteRemoteEndToEndTests {
  /// A laptop signed in to `served` as `firm` with `token`, its copy synced.
  static func laptop(_ served: ServedWorkspace, token: String) throws -> RemoteEndToEndTests.Laptop {
    let laptop = RemoteEndToEndTests.Laptop(try AccordBinary())
    try #require(try laptop("remote", "add", "firm", served.base.absoluteString).status == 0)
    try #require(try laptop("login", "firm", "--token", token).status == 0)
    try #require(try laptop("sync", "--remote", "firm").status == 0)
    return laptop
  }

  @Test func theServerGivesAccessAndMakesTheLinkPrintedOrMailed() async throws {
    let sync = try SyncWorkspace()
    // A consultant of the firm, whose row a client's keeper is not shown.
    try #require(try sync.accord("invite", "--firm", "fay", "--print").status == 0)
    try #require(try sync.accord("address", "dana", "dana@example.com").status == 0)
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try ServedWorkspace(sync.space, options: ["--smtp", sink.url])
    let laptop = RemoteEndToEndTests.Laptop(try AccordBinary())
    let token = try sync.space.token(for: "alice", clients: ["acme"]).token
    try #require(try laptop("remote", "add", "firm", served.base.absoluteString).status == 0)
    try #require(try laptop("login", "firm", "--token", token).status == 0)
    try #require(try laptop("sync", "--remote", "firm").status == 0)

    // Printed: the link is the server's, shown once here, and signs sid in.
    let printed = try laptop("invite", "acme", "sid", "--print", "--remote", "firm")
    #expect(printed.status == 0, "\(printed.stderr)")
    let lines = printed.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "Gave sid access to acme.")
    #expect(lines.dropFirst().first?.hasPrefix("Their one-time sign-in link, shown only now (it expires ") == true)
    let last = try #require(lines.last)
    let link = try #require(URL(string: last.trimmingCharacters(in: .whitespaces)))
    #expect(link.absoluteString.hasPrefix(served.base.absoluteString.trimmingCharacters(in: ["/"]) + "/sign-in/"))
    #expect(!(try await signIn(base: served.base, secret: link.lastPathComponent)).isEmpty)
    #expect(try sync.accord("access", "list", "acme").stdout.contains("sid"))
    // Who may sign in to acme, from the laptop: the client's rows, not the firm's.
    let listed = try laptop("access", "list", "acme", "--remote", "firm")
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.contains("  sid: acme, given by alice"), "\(listed.stdout)")
    #expect(!listed.stdout.contains("firm (every client)") && !listed.stdout.contains("every client"))
    #expect(try sync.accord("access", "list", "acme").stdout.contains("firm (every client)"))
    #expect(try laptop("access", "list", "--remote", "firm").status == 64)
    let revoked = try laptop("access", "revoke", "sid", "acme", "--remote", "firm")
    #expect(revoked.status == 0, "\(revoked.stderr)")
    #expect(revoked.stdout.hasPrefix("Took sid's access away from acme: 1 grant(s)"), "\(revoked.stdout)")
    #expect(try !sync.accord("access", "list", "acme").stdout.contains("sid"))

    // Mailed by the server's relay to the address it recorded; the laptop hears where only.
    let mailed = try laptop("invite", "acme", "dana", "--remote", "firm", "--json")
    #expect(mailed.status == 0, "\(mailed.stderr)")
    let answer = try jsonObject(mailed.stdout)
    #expect(answer["mailedTo"] as? String == "dana@example.com" && answer["link"] == nil, "\(mailed.stdout)")
    let message = try #require(sink.messages.last { $0.data.contains("dana@example.com") })
    #expect(message.data.contains("Your Accord sign-in link for acme"))
    #expect(!mailed.stdout.contains("/sign-in/"))

    // Nobody on record: refused as on a folder, nothing given.
    let nowhere = try laptop("invite", "acme", "erin", "--remote", "firm")
    #expect(nowhere.status != 0)
    #expect(nowhere.stderr.contains("erin has no e-mail address to mail the link to"), "\(nowhere.stderr)")
    #expect(try !sync.accord("access", "list", "acme").stdout.contains("erin"))
    // Access to the firm is the server's to give.
    #expect(try laptop("invite", "--firm", "zed", "--remote", "firm").status == 64)
    #expect(served.stop() == .exited(0))
    #expect(!served.server.stderr.contains(link.lastPathComponent))

    // Offline: refused, with nothing changed on the laptop.
    let offline = try laptop("invite", "acme", "finn", "--print", "--remote", "firm", "--json")
    #expect(offline.status == 1)
    #expect(try errorOf(offline.stderr)["code"] as? String == "server-only", "\(offline.stderr)")
  }

  @Test func onlyTheClientsConsultantOrCzarInvitesThroughTheAPI() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    let body = #"{"person": "sid", "print": true}"#
    let sam = try sync.space.token(for: "sam", clients: ["acme"]).token
    let refused = try await served.send("POST", "api/v1/clients/acme/invite", token: sam, body: body)
    #expect(refused.status == 403, "\(refused.body)")
    #expect(try errorOf(refused.body)["code"] as? String == "not-permitted")
    let listing = try await served.send("GET", "api/v1/clients/acme/access", token: sam)
    #expect(listing.status == 403, "\(listing.body)")
    let revoking = try await served.send(
      "POST", "api/v1/clients/acme/access/revoke", token: sam, body: #"{"person": "carol"}"#)
    #expect(revoking.status == 403, "\(revoking.body)")
    let gus = try sync.space.token(for: "gus", clients: ["globex"]).token
    #expect(try await served.send("POST", "api/v1/clients/acme/invite", token: gus, body: body).status == 404)
    let carol = try sync.space.token(for: "carol", clients: ["acme"]).token
    let given = try await served.send("POST", "api/v1/clients/acme/invite", token: carol, body: body)
    #expect(given.status == 200, "\(given.body)")
    #expect((given.json["link"] as? String)?.contains("/sign-in/") == true)
    let bad = try await served.send(
      "POST", "api/v1/clients/acme/invite", token: carol, body: #"{"person": "sid", "print": true, "expires": 5}"#)
    #expect(bad.status == 400, "\(bad.body)")
    #expect(try errorOf(bad.body)["field"] as? String == "expires")
    let relayless = try await served.send("POST", "api/v1/clients/acme/invite", token: carol, body: #"{"person": "sid"}"#)
    #expect((400..<500).contains(relayless.status), "\(relayless.body)")
    #expect(served.stop() == .exited(0))
  }

  @Test func theAddressesAreTheServersAndChangingThemTakesFirmAccess() async throws {
    let sync = try SyncWorkspace()
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try ServedWorkspace(sync.space, options: ["--smtp", sink.url])
    let alice = try Self.laptop(served, token: try sync.space.token(for: "alice").token)
    let carol = try Self.laptop(served, token: try sync.space.token(for: "carol", clients: ["acme"]).token)

    let recorded = try alice("address", "erin", "erin@example.com", "--remote", "firm")
    #expect(recorded.status == 0, "\(recorded.stderr)")
    #expect(recorded.stdout == "erin's reminders go to erin@example.com.\n")
    #expect(try alice("address", "--remote", "firm").stdout == sync.accord("address").stdout)
    #expect(try sync.accord("address").stdout.contains("erin@example.com"))
    // Now the server can mail erin her link.
    let invited = try alice("invite", "acme", "erin", "--remote", "firm")
    #expect(invited.status == 0, "\(invited.stderr)")
    #expect(invited.stdout.contains("Mailed their one-time sign-in link to erin@example.com"), "\(invited.stdout)")

    // A client's czar may not: an address decides who receives another person's links.
    let settings = sync.accord.workspace.appendingPathComponent(".accord-workspace.json")
    let before = try Data(contentsOf: settings)
    let refused = try carol("address", "erin", "carol@example.com", "--remote", "firm", "--json")
    #expect(refused.status == 1)
    #expect(try errorOf(refused.stderr)["code"] as? String == "not-permitted", "\(refused.stderr)")
    #expect(try carol("address", "--remote", "firm").status == 1)
    #expect(try Data(contentsOf: settings) == before)

    let forgot = try alice("address", "erin", "--remove", "--remote", "firm")
    #expect(forgot.stdout == "Forgot erin's address (erin@example.com).\n", "\(forgot.stderr)")
    #expect(try !sync.accord("address").stdout.contains("erin"))
    #expect(served.stop() == .exited(0))
    #expect(!served.server.stderr.contains("erin@example.com"))
    let offline = try alice("address", "--remote", "firm", "--json")
    #expect(try errorOf(offline.stderr)["code"] as? String == "server-only", "\(offline.stderr)")
  }

  @Test func aRosterIsInvitedByTheServerWrittenHereOrMailedThere() async throws {
    let roster = try RosterWorkspace(perTeam: 2)
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try ServedWorkspace(roster.space, options: ["--smtp", sink.url])
    let laptop = try Self.laptop(served, token: try roster.space.token(for: "carol", clients: ["acme"]).token)
    let csv = laptop.accord.folder.appendingPathComponent("links.csv")
    let written = try laptop("invite", "acme", "--roster", "--print-to", csv.path, "--remote", "firm")
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.hasPrefix("Gave the 4 people on acme's roster access; their one-time links"), "\(written.stdout)")
    let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\r\n")
    #expect(rows.first == "name,email,team,link,expires")
    #expect(rows.count == 5 && rows.dropFirst().allSatisfy { $0.contains("/sign-in/") }, "\(rows)")
    #expect(laptop.mode(csv.path) == 0o600)

    let mailed = try laptop("invite", "acme", "--roster", "--remote", "firm", "--json")
    #expect(mailed.status == 0, "\(mailed.stderr)")
    #expect(try jsonObject(mailed.stdout)["queued"] as? Int == 4, "\(mailed.stdout)")
    // The server sends them after it answered.
    let deadline = Date().addingTimeInterval(60)
    var last = false
    while !last, sink.messages.count < 4 {
      last = Date() >= deadline
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(sink.messages.count == 4 && sink.messages.allSatisfy { $0.data.contains("sign-in link for acme") })
    // Someone who keeps no roster may not.
    let sam = try Self.laptop(served, token: try roster.space.token(for: "sam", clients: ["acme"]).token)
    #expect(try sam("invite", "acme", "--roster", "--print-to", "x.csv", "--remote", "firm").status == 1)
    #expect(served.stop() == .exited(0))
  }
}
