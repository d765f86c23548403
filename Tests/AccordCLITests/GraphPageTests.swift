import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AccordServer

/// The client page's picture: `graph.svg`, drawn by Graphviz for whoever may see the client.
@Suite("Graph picture on the web")
struct GraphPageTests {
  let fixture: WebPageFixture

  init() throws {
    fixture = try WebPageFixture()
  }

  @Test func theClientPageShowsThePictureItsPeopleMayFetch() async throws {
    try fixture.seed()
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      // Like every page, only with a session.
      #expect(try await client.get("/clients/acme/graph.svg").status == .unauthorized)
      let session = try await client.signIn(secret)
      let page = try await client.get("/clients/acme", session: session)
      #expect(page.status == .ok)
      #expect(page.html.contains(#"<img src="/clients/acme/graph.svg" alt="The stages, milestones and agreements below"#))

      let picture = try await client.get("/clients/acme/graph.svg", session: session)
      #expect(picture.status == .ok)
      #expect(picture.headers[.contentType] == "image/svg+xml; charset=utf-8")
      #expect(picture.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
      #expect(picture.html.contains("<svg"))
      #expect(picture.html.contains(#"class="node milestone ready""#))
      #expect(picture.html.contains("Map the stakeholders"))
      #expect(!picture.html.contains("<script"))

      // A client sid was not given is not there for sid, picture and all.
      #expect(try await client.get("/clients/beta/graph.svg", session: session).status == .notFound)
    }
  }

  /// `accord serve` over real HTTP on a machine without Graphviz: no picture on the page (so
  /// no broken image), and the address says why with a 503.
  @Test func aServerWithoutDotSaysSoAndShowsNoPicture() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let empty = space.accord.folder.appendingPathComponent("bin", isDirectory: true)
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let served = try ServedWorkspace(
      space,
      server: space.accord.start(
        ["serve", "--port", "0", "--workspace", space.accord.workspace.path], environment: ["PATH": empty.path]))
    let invite = try space.accord("invite", "acme", "sid", "--print", "--url", served.base.absoluteString, "--json")
    let link = try #require(
      (try JSONSerialization.jsonObject(with: Data(invite.stdout.utf8)) as? [String: Any])?["link"] as? String)
    let session = try await PageSession.signIn(base: served.base, link: link)
    let page = try await session.get("/clients/acme")
    #expect(page.status == 200)
    #expect(!page.body.contains("graph.svg"))
    let picture = try await session.get("/clients/acme/graph.svg")
    #expect(picture.status == 503)
    #expect(picture.body.contains("Graphviz's dot is not installed on it (Debian/Ubuntu: apt-get install graphviz)"))
  }
}
