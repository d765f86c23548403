import Foundation
import Testing

/// A real browser: headless Chromium, driven by Selenium, acknowledges an agreement for
/// some of a roster of twenty by clicking through the pages of the built `accord serve`,
/// while others acknowledge it through the API; the gate it holds opens exactly at quorum.
/// Then a new head of sales affirms the predecessor's signature on the page, and the last
/// stage opens.
///
/// Never skipped: without Chromium, chromium-driver or Selenium it fails (scripts/test
/// installs them).
@Suite("End to end: acknowledging in a browser")
struct BrowserAcknowledgementTests {
  @Test func twentyPeopleAcknowledgeAndTheGateOpensAtQuorumThenASuccessorAffirms() async throws {
    // Ten salespeople and ten marketers, imported with `accord people import`: 80% of ten is eight.
    let roster = try RosterWorkspace(perTeam: 10)
    let accord = roster.accord
    let served = try BrowserServer(accord)
    defer { served.stop() }
    let base = try #require(URL(string: served.base))

    // Everyone's link, printed to a file for the czar's mail merge.
    let file = accord.folder.appendingPathComponent("links.csv")
    try roster.run("invite", "acme", "--roster", "--print-to", file.path, "--url", served.base)
    let links = try Self.links(in: file)
    #expect(links.count == 20)
    #expect(Set(links.keys) == Set(roster.sales + roster.marketing))

    // Three of each team in the browser.
    let first = Array(roster.sales.prefix(3)) + Array(roster.marketing.prefix(3))
    let seen = try Self.acknowledgeInBrowser(first.compactMap { links[$0] })
    #expect(seen.map { $0["person"] as? String } == first)
    let terms = try roster.termsHash()
    for page in seen {
      #expect(page["terms"] as? String == terms)
      #expect(page["form"] as? Int == 0)
      #expect((page["url"] as? String)?.contains("/clients/acme/agreements/lead-sla?done=") == true)
      let done = page["done"] as? [String] ?? []
      #expect(done.contains { $0.hasPrefix("Done: you acknowledged 'The lead hand-off agreement' (terms \(terms.prefix(8)))") })
      #expect(done.contains { $0.hasPrefix("You acknowledged these terms on ") })
    }
    #expect((seen.last?["progress"] as? [String]) == ["sales 3 of 10", "marketing 3 of 10"])
    #expect(try roster.stage("implementation") == "gated")

    // Four more of each through the API: seven of ten each, one short in both teams.
    let body = #"{"terms": "\#(terms)"}"#
    for person in Array(roster.sales[3..<7]) + Array(roster.marketing[3..<7]) {
      let answer = try await ServedWorkspace.send(
        base: base, "POST", "api/v1/clients/acme/agreements/lead-sla/acknowledge", token: try token(person, roster),
        body: body)
      try #require(answer.status == 200, "\(person): \(answer.body)")
    }
    #expect(try roster.progress() == ["sales 7 of 10", "marketing 7 of 10"])
    #expect(try roster.stage("implementation") == "gated")
    // The eighth salesperson: sales at quorum, marketing still one short.
    let eighth = try await ServedWorkspace.send(
      base: base, "POST", "api/v1/clients/acme/agreements/lead-sla/acknowledge",
      token: try token(roster.sales[7], roster), body: body)
    #expect(eighth.status == 200, "\(eighth.body)")
    #expect(try roster.progress() == ["sales 8 of 10", "marketing 7 of 10"])
    #expect(try roster.stage("implementation") == "gated")

    // The eighth marketer, in the browser: quorum in both, and the gate opens.
    let last = try Self.acknowledgeInBrowser([try #require(links[roster.marketing[7]])])
    #expect(last.first?["progress"] as? [String] == ["sales 8 of 10", "marketing 8 of 10"])
    #expect(try roster.stage("implementation") == "active")
    let log = try jsonArray(accord.run(["log", "acme", "--json"]).stdout).compactMap { $0 as? [String: Any] }
    let acknowledged = log.filter { $0["type"] as? String == "acknowledged" }
    #expect(acknowledged.count == 16)
    #expect(acknowledged.filter { $0["via"] as? String == "web" }.count == 7)
    #expect(acknowledged.filter { $0["via"] as? String == "api" }.count == 9)
    // The links were printed by alice, and every acknowledgement made from one says so.
    #expect(acknowledged.filter { $0["via"] as? String == "web" }.allSatisfy { $0["printedBy"] as? String == "alice" })

    // A hand-over: the new head of sales affirms the predecessor's signature on the page.
    try roster.run("complete", "acme", "pilot", as: "carol")
    try roster.run("assign", "acme", "head-of-sales", "ana")
    #expect(try roster.stage("sustain") == "gated")
    let link = try roster.link(for: "ana", base: base)
    let script = AccordBinary.packageRoot.appendingPathComponent("Tests/Browser/affirm_agreement.py")
    let browser = try BrowserSigningTests.run(
      BrowserSigningTests.python, [script.path, link, RosterWorkspace.title, "Head of sales"])
    try #require(browser.status == 0, "the browser script failed:\n\(browser.stderr)\n\(browser.stdout)")
    let affirmed = try jsonObject(browser.stdout)
    #expect(
      (affirmed["before"] as? [String])?.contains("signed by a predecessor: ana holds the role now and has not affirmed it")
        == true)
    #expect((affirmed["after"] as? [String])?.contains { $0.hasPrefix("affirmed by ana at ") } == true)
    #expect((affirmed["done"] as? [String])?.first?.hasPrefix("Done: you affirmed 'The lead hand-off agreement' as Head of sales") == true)
    #expect(affirmed["buttons"] as? Int == 0)
    #expect(try roster.stage("sustain") == "active")
  }

  /// A token on acme for `person`, made with the CLI (the roster's invitation gave them access).
  func token(_ person: String, _ roster: RosterWorkspace) throws -> String {
    let created = try roster.run("token", "create", person, "--client", "acme", "--json")
    return try #require(try jsonObject(created.stdout)["token"] as? String)
  }

  /// Runs Tests/Browser/acknowledge_agreement.py over `links`; what it saw for each.
  static func acknowledgeInBrowser(_ links: [String]) throws -> [[String: Any]] {
    let script = AccordBinary.packageRoot.appendingPathComponent("Tests/Browser/acknowledge_agreement.py")
    let browser = try BrowserSigningTests.run(BrowserSigningTests.python, [script.path, RosterWorkspace.title] + links)
    try #require(browser.status == 0, "the browser script failed:\n\(browser.stderr)\n\(browser.stdout)")
    return try #require(try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [[String: Any]])
  }

  /// The links of `invite --roster --print-to`'s file, by name: its cells may be quoted.
  static func links(in file: URL) throws -> [String: String] {
    let text = try String(contentsOf: file, encoding: .utf8)
    var rows = text.split(whereSeparator: \.isNewline).map { line in
      line.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      }
    }
    let header = rows.removeFirst()
    let name = try #require(header.firstIndex(of: "name"))
    let link = try #require(header.firstIndex(of: "link"))
    return Dictionary(rows.map { ($0[name], $0[link]) }, uniquingKeysWith: { first, _ in first })
  }
}
