import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordServer

/// The client page's metrics: the readings as `metric show` judges them, a form to record
/// one for whoever may, and the engine's refusal on the page for a reading it cannot have.
@Suite("Web pages: metrics")
struct MetricPageTests {
  let fixture: WebPageFixture

  init() throws {
    fixture = try WebPageFixture()
    try fixture.seed()
  }

  @Test func theCzarRecordsAReadingFromTheClientPage() async throws {
    let czar = try fixture.invite("carol", to: "acme")
    let sponsor = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let carol = try await client.signIn(czar)
      var page = try await client.get("/clients/acme", session: carol)
      #expect(page.html.contains("<h2>Metrics</h2>"))
      #expect(page.html.contains(#"action="/clients/acme/record-metric""#))
      #expect(page.html.contains(#"<option value="content-used">content-used</option>"#))

      let recorded = try await client.post(
        "/clients/acme/record-metric",
        fields: ["metric": "content-used", "value": "25.0", "date": "2026-11-02", "reason": "the CMS report"],
        session: carol)
      #expect(recorded.status == .seeOther)
      // The page after says what was recorded, in the metric's title.
      let message = try await client.get(try #require(recorded.headers[.location]), session: carol)
      #expect(
        message.text.contains("Done: you recorded 25% for 'Share of marketing content used by sales' on Mon 2 Nov"),
        "\(message.text)")
      page = try await client.get("/clients/acme", session: carol)
      #expect(page.text.contains("Baseline 25% on Mon 2 Nov"))
      #expect(page.html.contains(#/<td>Mon 2 Nov( 2026)?</td><td>25%</td><td>baseline</td><td>carol</td>/#))

      let refused = try await client.post(
        "/clients/acme/record-metric", fields: ["metric": "content-used", "value": "250", "date": "2026-11-03"],
        session: carol)
      #expect(refused.text.contains("250 is above 100, the highest a reading of 'content-used' may be"))

      // The sponsor records no metric: no form, but the readings are there to read.
      let sid = try await client.signIn(sponsor)
      page = try await client.get("/clients/acme", session: sid)
      #expect(page.html.contains("<h2>Metrics</h2>"))
      #expect(!page.html.contains("/record-metric"))
    }
    let file = try #require(String(data: try fixture.clientFile("acme"), encoding: .utf8))
    #expect(file.components(separatedBy: "\"metricRecorded\"").count - 1 == 1)
  }
}
