import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WorkspaceStore

@testable import AccordServer

/// `accord report` through the built binary, and the same report on the server's page and
/// API route: its structure, that it fetches nothing, that a survey group too small to be
/// shown never appears in it, and that the same client on the same day is the same bytes.
@Suite("End to end: the client report")
struct ReportEndToEndTests {
  static let asOf = "2026-12-07"
  static let examples = AccordBinary.packageRoot.appendingPathComponent("docs/examples")
  let fixture: WebPageFixture
  var accord: AccordBinary { fixture.accord }

  /// acme with its roles held, two survey rounds, the opportunity's inputs and readings of a
  /// metric; its name carries markup and a URL, which must come out as text.
  init() throws {
    fixture = try WebPageFixture()
    try fixture.seed()
    let later = Self.examples.appendingPathComponent("acme-survey-after-pilot.csv").path
    try Self.expectSuccess(try accord("survey", "import", "acme", later, "--round", "after-pilot"))
    try Self.expectSuccess(
      try accord(
        "opportunity", "acme", "--marketing-staff", "10", "--cost-per-head", "60000", "--content-share", "50"))
    try Self.expectSuccess(
      try accord(
        "metric", "record", "acme", "content-used", "27.5", "--date", "2026-10-05", "--note",
        "see https://cms.example/report <b>bold</b>", as: "carol"))
    try Self.expectSuccess(try accord("metric", "record", "acme", "content-used", "31", "--date", "2026-11-05", as: "carol"))
  }

  static func expectSuccess(_ run: AccordBinary.Run, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try #require(run.status == 0, "\(run.stderr)", sourceLocation: sourceLocation)
  }

  func report(_ client: String = "acme") throws -> String {
    let run = try accord("report", client, "--as-of", Self.asOf)
    try Self.expectSuccess(run)
    return run.stdout
  }

  @Test("the report has its sections, a table behind every chart, and nothing fetched from anywhere")
  func structure() throws {
    let html = try report()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    for heading in [
      "<h1>Client report: Acme Ltd [acme]</h1>", ">Where the programme stands</h2>", ">Gates and signatures</h2>",
      ">Collaboration benchmark</h2>", "<h3>Index by dimension</h3>", "<h3>Index by team</h3>",
      "<h3>Perception gaps</h3>", "<h3>Change since round round-1</h3>", ">The opportunity</h2>", ">Metrics</h2>",
    ] {
      #expect(html.contains(heading), "missing \(heading)")
    }
    #expect(html.contains("As of \(Self.asOf)."))
    #expect(html.contains("@page{size:A4"))
    #expect(html.contains("@media print"))
    // Every chart is an image with a title, and the next thing after it is its table.
    let charts = html.components(separatedBy: "<svg ").dropFirst()
    #expect(charts.count >= 5)
    for chart in charts {
      #expect(chart.hasPrefix("role=\"img\" aria-labelledby=\"chart-"))
      let afterSVG = try #require(chart.components(separatedBy: "</svg>\n").dropFirst().first)
      #expect(afterSVG.hasPrefix("<table>\n<caption>"), "a chart not followed by its table")
    }
    // The metric's readings: both, against the target, as a line chart.
    #expect(html.contains("<polyline class=\"reading\""))
    #expect(html.contains("<th scope=\"row\">2026-10-05</th><td>27.5%</td>"))
    // Nothing from elsewhere: no URL, no script, no external style, image or font.
    for forbidden in ["http://", "https://", "src=", "href=", "@import", "url(", "<script", "<link", "<img"] {
      #expect(!html.contains(forbidden), "the report holds \(forbidden)")
    }
  }

  @Test("stored text is escaped: markup in a name is shown, never run")
  func storedTextIsEscaped() throws {
    try Self.expectSuccess(try accord("start", "odd", "--name", "<script>alert(1)</script> & \"Co\""))
    let html = try report("odd")
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
    #expect(!html.contains("<script"))
    #expect(html.contains("No survey round counts yet"))
    #expect(html.contains("No opportunity inputs are stored yet"))
  }

  @Test("a survey group smaller than the anonymity threshold appears nowhere, in the HTML or the SVG")
  func hiddenGroupsNeverAppear() throws {
    // Round one's hidden groups (fewer than 3 respondents each), as `benchmark` names them:
    // the team-level ones have names found nowhere else.
    let benchmark = try #require(try accord("benchmark", "acme", "--round", "round-1", "--json").json() as? [String: Any])
    let hidden = try #require((benchmark["anonymity"] as? [String: Any])?["hidden"] as? [String])
    #expect(hidden.contains("marketing/manager"))
    // A client whose third team and top level have names of their own, both too small to show.
    let hiddenHere = try accord.startClientWithSmallGroups()

    let html = try report("zed")
    #expect(html.contains("<h3>Index by team</h3>"))
    // Teams by their titles in the playbook.
    #expect(html.contains(">Sales</text>") && html.contains("<th scope=\"row\">Sales</th>"))
    for name in AccordBinary.smallGroupNames {
      #expect(!html.contains(name), "hidden group \(name) is in the report")
    }
    // No hidden group is a bar (SVG) or a row (table), whatever else its name is.
    for name in hiddenHere {
      #expect(!html.contains(">\(name)</text>") && !html.contains("<th scope=\"row\">\(name)</th>"), "\(name) is shown")
    }
    // Nor the hidden people's own index (their answers count only in the overall figures).
    #expect(!html.contains(">25.0<"))
    #expect(html.contains("no group of fewer than 3 respondents is shown on its own"))
    let acme = try report()
    for name in hidden { #expect(!acme.contains(name), "hidden group \(name) is in acme's report") }
  }

  @Test("the same client on the same --as-of is the same bytes, on stdout and in --out FILE")
  func byteIdentical() throws {
    let first = try accord("report", "acme", "--as-of", Self.asOf)
    let second = try accord("report", "acme", "--as-of", Self.asOf)
    try Self.expectSuccess(first)
    #expect(Data(first.stdout.utf8) == Data(second.stdout.utf8))
    let out = accord.folder.appendingPathComponent("acme-report.html").path
    let written = try accord("report", "acme", "--as-of", Self.asOf, "--out", out)
    try Self.expectSuccess(written)
    #expect(written.stdout.contains("Wrote \(out): the client report of Acme Ltd [acme], as of \(Self.asOf)."))
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(first.stdout.utf8))
    // An existing file is replaced only with --force.
    try Data("kept".utf8).write(to: URL(fileURLWithPath: out))
    let refused = try accord("report", "acme", "--as-of", Self.asOf, "--out", out)
    #expect(refused.status == 73)
    #expect(refused.stderr.contains("already exists; use --force"))
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "kept")
    try Self.expectSuccess(try accord("report", "acme", "--as-of", Self.asOf, "--out", out, "--force"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(first.stdout.utf8))
    // Another day judges the dates on that day, and says so.
    let later = try accord("report", "acme", "--as-of", "2027-01-15")
    #expect(later.stdout.contains("As of 2027-01-15."))
    #expect(try accord("report", "acme", "--force").status == 64)
    #expect(try accord("report", "nobody").status == 66)
  }

  @Test("the page and GET /api/v1/clients/{client}/report are the CLI's bytes, for those who may see the client")
  func overTheServer() async throws {
    let expected = try report()
    let czar = try fixture.invite("carol", to: "acme")
    let stranger = try fixture.invite("bob", to: "beta")
    let token = try APIWorkspace.token(in: fixture.workspace, for: "carol", client: "acme")
    try await fixture.test { client in
      let carol = try await client.signIn(czar)
      let page = try await client.get("/clients/acme/report?asOf=\(Self.asOf)", session: carol)
      #expect(page.status == .ok)
      #expect(page.headers[.contentType] == "text/html; charset=utf-8")
      #expect(page.headers[.contentSecurityPolicy] == ReportResponse.contentSecurityPolicy)
      #expect(String(buffer: page.body) == expected)
      // The client page links to it, and keeps the pages' own strict policy.
      let clientPage = try await client.get("/clients/acme", session: carol)
      #expect(String(buffer: clientPage.body).contains("<a href=\"/clients/acme/report\">Client report</a>"))
      #expect(clientPage.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)

      let bob = try await client.signIn(stranger)
      let refused = try await client.get("/clients/acme/report", session: bob)
      #expect(refused.status == .notFound)
      #expect(!String(buffer: refused.body).contains("Client report"))
      let signedOut = try await client.get("/clients/acme/report")
      #expect(signedOut.status != .ok)

      var headers: HTTPFields = [:]
      headers[.authorization] = "Bearer \(token)"
      let api = try await client.execute(
        uri: "/api/v1/clients/acme/report?asOf=\(Self.asOf)", method: .get, headers: headers)
      #expect(api.status == .ok)
      #expect(api.headers[.contentType] == "text/html; charset=utf-8")
      #expect(String(buffer: api.body) == expected)
      let badDay = try await client.execute(uri: "/api/v1/clients/acme/report?asOf=tomorrow", method: .get, headers: headers)
      #expect(badDay.status == .badRequest)
      let anonymous = try await client.execute(uri: "/api/v1/clients/acme/report", method: .get)
      #expect(anonymous.status == .unauthorized)
    }
  }
}

extension APIWorkspace {
  /// An API token for `person` on `client`, written straight into `workspace`'s access file.
  static func token(in workspace: WorkspaceStore.Workspace, for person: String, client: String) throws -> String {
    let now = Date()
    return try AccessStore(workspace).update { book in
      book.grant(person, to: client, by: "alice", now: now)
      return book.createToken(for: person, client: nil, by: "alice", now: now, expiresAt: now.addingTimeInterval(3600))
    }.token
  }
}
