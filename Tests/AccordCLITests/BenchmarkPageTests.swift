import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import AccordServer

/// The benchmark page over HTTP on loopback: the latest round as charts, each followed by a
/// table of its figures, the opportunity as a table, nothing styled inline (the pages' policy
/// forbids it), and no group the anonymity rule hides, in the HTML or in any SVG.
@Suite("Benchmark page")
struct BenchmarkPageTests {
  let fixture: WebPageFixture
  var accord: AccordBinary { fixture.accord }

  init() throws {
    fixture = try WebPageFixture()
  }

  /// acme with two rounds and the opportunity's inputs, as the czar sees its benchmark page.
  func acmePage() async throws -> TestResponse {
    try fixture.seed()
    let later = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-after-pilot.csv").path
    try #require(try accord("survey", "import", "acme", later, "--round", "after-pilot").status == 0)
    let set = try accord(
      "opportunity", "acme", "--currency", "GBP", "--marketing-staff", "10", "--cost-per-head", "60000",
      "--content-share", "50", "--unused-share", "50", "--ancillary", "20000")
    try #require(set.status == 0, "\(set.stderr)")
    let secret = try fixture.invite("carol", to: "acme")
    return try await fixture.live { client in
      let carol = try await client.signIn(secret)
      return try await client.get("/clients/acme/benchmark", session: carol)
    }
  }

  @Test func everyChartIsAnSVGFollowedByATableOfTheSameFigures() async throws {
    let page = try await acmePage()
    #expect(page.status == .ok)
    #expect(page.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)
    let html = page.html
    for heading in [
      "<h3>Index by dimension</h3>", "<h3>Index by team</h3>", "<h3>Perception gaps</h3>",
      "<h3>Change since round round-1</h3>", "<h2>The opportunity</h2>",
    ] {
      #expect(html.contains(heading), "missing \(heading)")
    }
    #expect(!html.contains("<pre"))
    // Nothing styled inline: the policy allows only the stylesheet.
    #expect(!html.contains("style="))
    #expect(!html.contains("<style"))
    let charts = html.components(separatedBy: "<svg ").dropFirst()
    #expect(charts.count >= 4)
    for chart in charts {
      #expect(chart.hasPrefix("role=\"img\" aria-labelledby=\"chart-"))
      #expect(chart.contains("viewBox=\"0 0 "))
      let after = try #require(chart.components(separatedBy: "</svg>\n").dropFirst().first)
      #expect(after.hasPrefix("<div class=\"figures\">\n<table>\n<caption>"), "a chart not followed by its table")
    }
    // Titles, not ids: the teams as the playbook names them, in the chart and its table.
    #expect(html.contains(">Sales</text>") && html.contains("<th scope=\"row\">Sales</th>"))
    #expect(html.contains("Perception gap, Sales minus Marketing, by dimension"))
    // The index's figure in the chart and in its table alike.
    let index = try #require(html.firstMatch(of: /Collaboration index: ([0-9.]+) of 100/)?.1)
    #expect(html.contains("<th scope=\"row\">Overall</th><td>\(index)</td>"))
    // The opportunity, row by row.
    #expect(html.contains("<caption>The calculation, row by row</caption>"))
    #expect(page.text.contains("£170,000"))
  }

  @Test func aGroupTooSmallToShowIsNowhereOnThePage() async throws {
    let hidden = try accord.startClientWithSmallGroups()
    let secret = try fixture.invite("alice", to: "zed")
    let page = try await fixture.live { client in
      try await client.get("/clients/zed/benchmark", session: try await client.signIn(secret))
    }
    #expect(page.status == .ok)
    let html = page.html
    #expect(html.contains("<h3>Index by team</h3>"))
    #expect(html.contains(">Sales</text>"))
    for name in AccordBinary.smallGroupNames {
      #expect(!html.contains(name), "hidden group \(name) is on the page")
    }
    for name in hidden {
      #expect(!html.contains(">\(name)</text>") && !html.contains("<th scope=\"row\">\(name)</th>"), "\(name) is shown")
    }
    #expect(page.text.contains("no group of fewer than 3 respondents is shown on its own"))
  }

  @Test func withoutARoundOrInputsThePageSaysWhatIsMissing() async throws {
    try #require(try accord("start", "new", "--name", "New Co").status == 0)
    let secret = try fixture.invite("alice", to: "new")
    let page = try await fixture.live { client in
      try await client.get("/clients/new/benchmark", session: try await client.signIn(secret))
    }
    #expect(page.status == .ok)
    #expect(page.text.contains("No survey round has been counted yet"))
    #expect(page.text.contains("No opportunity inputs are stored yet"))
    #expect(!page.html.contains("<svg"))
  }
}
