import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordServer

/// A link printed for someone else (`accord invite --print`): every change made in the session
/// it opens records who printed it, and the history says so everywhere it is shown; a link
/// its person printed adds nothing. Through the built binary and the server on loopback.
@Suite("End to end: who printed a link", .serialized)
struct LinkPrintedByTests {
  let fixture: WebPageFixture

  init() throws {
    fixture = try WebPageFixture()
  }

  /// The server in process, listening on loopback, spoken to over HTTP.
  func live<Value: Sendable>(
    _ server: WebServer? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
  ) async throws -> Value {
    try await fixture.live(server, body)
  }

  func printedLink(_ person: String, by author: String) throws -> String {
    let run = try fixture.accord("invite", "acme", person, "--print", "--json", as: author)
    try #require(run.status == 0, "\(run.stderr)")
    let link = try #require((try run.json() as? [String: Any])?["link"] as? String)
    return String(link.split(separator: "/").last ?? "")
  }

  @Test func eventsFromALinkPrintedForSomeoneElseSaySo() async throws {
    try fixture.seed(ready: true)
    let sids = try printedLink("sid", by: "alice")
    let alices = try printedLink("alice", by: "alice")
    try await live { client in
      // The sign-in page names whom the link is for and who made it.
      let page = try await client.get("/sign-in/\(sids)")
      #expect(page.status == .ok)
      #expect(page.text.contains("This link signs in sid, with access to the client acme."))
      #expect(page.text.contains("alice made it and printed it to hand over."))
      #expect(page.text.contains("If you are not sid, do not use it"))

      let sid = try await client.signIn(sids)
      let agreement = try await client.get("/clients/acme/agreements/collaboration-charter", session: sid)
      let hash = try #require(agreement.html.firstMatch(of: /<code>([0-9a-f]{64})<\/code>/)?.1)
      let signed = try await client.post(
        "/clients/acme/agreements/collaboration-charter/sign", fields: ["terms": String(hash), "role": "sponsor"],
        session: sid)
      #expect(signed.status == .seeOther)

      // alice's own printed link: her change carries nothing extra.
      let own = try await client.get("/sign-in/\(alices)")
      #expect(!own.text.contains("printed it to hand over"))
      let alice = try await client.signIn(alices)
      let assigned = try await client.post(
        "/clients/acme/assign", fields: ["role": "head-of-marketing", "person": "max"], session: alice)
      #expect(assigned.status == .seeOther)

      // The page's history.
      let history = try await client.get("/clients/acme", session: sid)
      #expect(history.text.contains("sid, signed in by a link alice printed"))
      #expect(!history.text.contains("alice, signed in by a link"))
    }

    let phrase = "sid, signed in by a link alice printed"
    let log = try fixture.accord("log", "acme")
    #expect(log.stdout.contains("(via web; \(phrase))"), "\(log.stdout)")
    #expect(!log.stdout.contains("alice, signed in by a link"))
    let events = try #require(try fixture.accord("log", "acme", "--json").json() as? [[String: Any]])
    let signature = try #require(events.last { $0["type"] as? String == "signed" })
    #expect(signature["printedBy"] as? String == "alice")
    #expect(signature["by"] as? String == "sid")
    let assignment = try #require(events.last)
    #expect(assignment["type"] as? String == "assigned")
    #expect(assignment["via"] as? String == "web")
    #expect(assignment["printedBy"] == nil)
    let csv = try fixture.accord("log", "acme", "--format", "csv")
    #expect(csv.stdout.contains(",sid (signed in by a link alice printed),"))
    #expect(!csv.stdout.contains("alice (signed in by a link"))

    let show = try fixture.accord("show", "acme", "collaboration-charter")
    #expect(show.stdout.contains(phrase))
    let shown = try #require(try fixture.accord("show", "acme", "collaboration-charter", "--json").json() as? [String: Any])
    #expect((shown["events"] as? [[String: Any]])?.last?["printedBy"] as? String == "alice")

    // The file says format 6 (its events have ids, beside `printedBy`'s 5), and its chain holds.
    let file = try String(contentsOf: fixture.accord.workspace.appendingPathComponent("acme.json"), encoding: .utf8)
    #expect(file.contains("\"format\" : 6"))
    #expect(try fixture.accord("check", "acme").status == 0)

    // The certificate records it, says it, and verifies.
    #expect(try fixture.accord("key", "create").status == 0)
    let certificate = try fixture.accord("certificate", "acme", "collaboration-charter", "--json")
    #expect(certificate.status == 0, "\(certificate.stderr)")
    let sealed = try #require(try certificate.json() as? [String: Any])
    let body = sealed["certificate"] as? [String: Any] ?? sealed
    let entries = try #require(body["signatures"] as? [[String: Any]])
    #expect(entries.first { $0["role"] as? String == "sponsor" }?["printedBy"] as? String == "alice")
    let out = try AccordBinary.temporaryFolder().appendingPathComponent("charter.md")
    let markdown = try fixture.accord(
      "certificate", "acme", "collaboration-charter", "--format", "md", "--out", out.path)
    #expect(markdown.status == 0, "\(markdown.stderr)")
    #expect(try String(contentsOf: out, encoding: .utf8).contains("sid, signed in by a link alice printed"))
    let verified = try fixture.accord("verify", out.path)
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
  }

  /// Six people behind one address all sign in; failures are limited per link and per
  /// address, with Retry-After and a sentence saying when to try again.
  @Test func theSignInLimitCountsFailuresOnly() async throws {
    try fixture.seed()
    let links = try ["sid", "sam", "mia", "carol", "lee", "max"].map { try fixture.invite($0, to: "acme") }
    let used = links[0]
    try await live(fixture.server(limiter: SignInLimiter(limit: 4, linkLimit: 2, window: 300))) { client in
      for secret in links {
        #expect(try await client.get("/sign-in/\(secret)").status == .ok)
        #expect(try await client.post("/sign-in", fields: ["secret": secret]).status == .seeOther)
      }
      // One used link tried again: two failures, then that link is refused for a while.
      #expect(try await client.post("/sign-in", fields: ["secret": used]).status == .gone)
      #expect(try await client.get("/sign-in/\(used)").status == .gone)
      let locked = try await client.get("/sign-in/\(used)")
      #expect(locked.status == .tooManyRequests)
      let wait = try #require(locked.headers[.retryAfter].flatMap { Int($0) })
      #expect((1...300).contains(wait))
      #expect(locked.text.contains("Try again in"))
      // Unknown links from the same address: two more failures reach the address's limit.
      #expect(try await client.get("/sign-in/guess-1").status == .notFound)
      #expect(try await client.post("/sign-in", fields: ["secret": "guess-2"]).status == .notFound)
      let blocked = try await client.post("/sign-in", fields: ["secret": "guess-3"])
      #expect(blocked.status == .tooManyRequests)
      #expect(blocked.headers[.retryAfter] != nil)
    }
  }
}
