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
}
