import Foundation
import Testing

/// A real browser audits every kind of page the built `accord serve` shows, as the people
/// who see them: headless Chromium at a phone's 390x844 and a desk's 1280x900, axe-core
/// (bundled by axe-selenium-python) injected into each. No page may overflow sideways on the
/// phone, none may have a serious or critical accessibility violation at either width, and a
/// signatory who owes a signature sees the Sign button on the client's page without scrolling.
///
/// Never skipped: without Chromium, chromium-driver, Selenium or axe-selenium-python it fails
/// (scripts/test-deps installs them).
@Suite("End to end: every page audited in a browser")
struct BrowserPageAuditTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  /// The page kinds, by the names the plan gives them: each must have been audited.
  static let pageKinds = [
    "sign-in", "my work (signatory)", "client (signatory)", "agreement (signatory)", "sign",
    "my work (consultant)", "portfolio", "client (consultant)", "agreement (consultant)", "benchmark",
    "client report", "hand-over confirmation", "not found", "agreement (acknowledgements)", "survey",
    "signed out",
  ]

  @Test func noPageOverflowsOnAPhoneOrFailsAxeAndTheSignatorySeesTheirSignButton() throws {
    try seed()
    let served = try BrowserServer(accord)
    defer { served.stop() }
    let plan = try plan(served.base)
    let file = accord.folder.appendingPathComponent("audit-plan.json")
    try JSONSerialization.data(withJSONObject: plan, options: [.prettyPrinted, .sortedKeys]).write(to: file)

    let script = AccordBinary.packageRoot.appendingPathComponent("Tests/Browser/audit_pages.py")
    let browser = try BrowserSigningTests.run(BrowserSigningTests.python, [script.path, file.path])
    try #require(browser.status == 0, "the audit script failed:\n\(browser.stderr)\n\(browser.stdout)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any],
      "the audit script printed no JSON object:\n\(browser.stdout)")
    // axe-core 4, not the 3.1 of 2018 that axe-selenium-python 2 bundles (scripts/test-deps).
    let version = report["axe"] as? String ?? "none"
    #expect((Int(version.prefix { $0 != "." }) ?? 0) >= 4, "axe-core \(version): install axe-selenium-python 3")

    let pages = try #require(report["pages"] as? [[String: Any]])
    for kind in Self.pageKinds {
      let widths = Set(pages.filter { $0["name"] as? String == kind }.compactMap { $0["width"] as? Int })
      #expect(widths == [390, 1280], "the \(kind) page was not audited at both widths: \(widths.sorted())")
    }
    for page in pages {
      let seen = Self.label(page)
      #expect(!(page["heading"] as? String ?? "").isEmpty, "\(seen): no h1 (is it the page meant?) at \(page["url"] ?? "")")
      #expect(page["scripts"] as? Int == 0, "\(seen): the pages run no script of their own")
      if page["width"] as? Int == 390 {
        #expect(page["overflow"] as? Bool == false, "\(seen) overflows sideways: \(Self.overflow(page))")
      }
      for violation in page["violations"] as? [[String: Any]] ?? [] {
        Issue.record("\(seen): axe \(Self.describe(violation))")
      }
    }

    let signs = try #require(report["sign"] as? [[String: Any]])
    try #require(signs.count == 1)
    let sign = signs[0]
    #expect(sign["found"] as? Bool == true, "no Sign control on \(sign["path"] ?? "") for \(sign["person"] ?? "")")
    #expect(
      sign["inFirstScreen"] as? Bool == true,
      """
      the signatory's '\(sign["text"] as? String ?? "")' is \(sign["top"] ?? "?")px down the client page at 390x844, \
      below the first screen (\(sign["innerHeight"] ?? "?")px)
      """)
  }

  // MARK: The workspace

  /// acme part-way (its survey imported, every milestone that can be done done, one
  /// signature of the charter given, the opportunity and a metric's readings recorded);
  /// beta just started; globex, on the playbook whose agreement its staff acknowledge, with
  /// that agreement signed and awaiting its acknowledgements.
  func seed() throws {
    try BrowserServer.seedReadyToSign(accord)
    try run("sign", "acme", "collaboration-charter", "--yes", as: "sam")
    try run("opportunity", "acme", "--marketing-staff", "12", "--cost-per-head", "60000", "--content-share", "40")
    try run("metric", "record", "acme", "content-used", "24", "--date", "2026-09-01", "--baseline", as: "carol")
    try run("metric", "record", "acme", "content-used", "29", "--date", "2026-10-01", as: "carol")
    try run("start", "beta", "--name", "Beta plc")
    try run("assign", "beta", "czar", "bob")

    try run("start", "globex", "--name", "Globex plc", "--playbook", RosterWorkspace.playbook.path)
    for (role, person) in [("czar", "gus"), ("head-of-sales", "hal"), ("head-of-marketing", "meg")] {
      try run("assign", "globex", role, person)
    }
    let roster = accord.folder.appendingPathComponent("roster.csv")
    try Data(
      """
      name,email,team,level
      sales01,sales01@globex.example,sales,staff
      sales02,sales02@globex.example,sales,staff
      marketing01,marketing01@globex.example,marketing,staff
      marketing02,marketing02@globex.example,marketing,staff

      """.utf8
    ).write(to: roster)
    try run("people", "import", "globex", roster.path)
    try run("complete", "globex", "processes-drafted", as: "gus")
    for head in ["hal", "meg"] { try run("sign", "globex", RosterWorkspace.agreement, "--yes", as: head) }
  }

  /// Who looks at what: the page kinds, each as the person it is for.
  func plan(_ base: String) throws -> [String: Any] {
    let charter = "/clients/acme/agreements/collaboration-charter"
    let survey = try run("survey", "open", "acme", "--round", "web", "--codes", "1", "--url", base, "--json", as: "carol")
    let surveyLink = try #require((try survey.json() as? [String: Any])?["links"] as? [String]).first ?? ""
    return [
      "people": [
        [
          "name": "sid", "link": try link(["acme", "sid"], base), "sign": "/clients/acme",
          "pages": [
            ["name": "my work (signatory)", "path": "/", "heading": "My work"],
            ["name": "client (signatory)", "path": "/clients/acme"],
            ["name": "agreement (signatory)", "path": charter],
            ["name": "sign", "path": charter + "/sign"],
          ],
        ],
        [
          "name": "alice", "link": try link(["--firm", "alice"], base),
          "pages": [
            ["name": "my work (consultant)", "path": "/", "heading": "My work"],
            ["name": "portfolio", "path": "/portfolio", "heading": "Portfolio"],
            ["name": "client (consultant)", "path": "/clients/acme"],
            ["name": "agreement (consultant)", "path": charter],
            ["name": "benchmark", "path": "/clients/acme/benchmark"],
            ["name": "client report", "path": "/clients/acme/report"],
            // Asking to hand the consultant role over shows the confirmation; nothing changes.
            [
              "name": "hand-over confirmation", "path": "/clients/acme",
              "submit": ["button": "Assign", "fields": ["role": "consultant", "person": "dave"]],
              "heading": "Hand over the role 'Independent alignment consultant' to dave?",
            ],
            ["name": "not found", "path": "/clients/no-such-client", "heading": "Not found"],
          ],
        ],
        [
          "name": "sales01", "link": try link(["globex", "sales01"], base),
          "pages": [
            ["name": "agreement (acknowledgements)", "path": "/clients/globex/agreements/\(RosterWorkspace.agreement)"]
          ],
        ],
      ],
      "anonymous": [
        ["name": "survey", "url": surveyLink, "heading": "Collaboration survey"],
        ["name": "signed out", "url": base + "/signed-out", "heading": "You are signed out"],
      ],
    ]
  }

  /// A sign-in link, printed by alice.
  func link(_ arguments: [String], _ base: String) throws -> String {
    let invite = try run(["invite"] + arguments + ["--print", "--url", base, "--json"])
    return try #require((try invite.json() as? [String: Any])?["link"] as? String)
  }

  /// Runs the CLI, which must succeed.
  @discardableResult
  func run(_ arguments: String..., as person: String = "alice") throws -> AccordBinary.Run {
    try run(arguments, as: person)
  }

  @discardableResult
  func run(_ arguments: [String], as person: String = "alice") throws -> AccordBinary.Run {
    let run = try accord.run(arguments, as: person)
    try #require(run.status == 0, "accord \(arguments.joined(separator: " ")) as \(person): \(run.stderr)")
    return run
  }

  // MARK: What a failure says

  /// "client (signatory), as sid, at 390px".
  static func label(_ page: [String: Any]) -> String {
    let person = (page["person"] as? String).map { ", as \($0)" } ?? ""
    return "\(page["name"] ?? "?")\(person), at \(page["width"] ?? "?")px"
  }

  /// The document's width and what sticks out past the window's edge.
  static func overflow(_ page: [String: Any]) -> String {
    let elements = (page["stickingOut"] as? [[String: Any]] ?? []).map {
      "<\($0["tag"] ?? "")\(($0["class"] as? String).flatMap { $0.isEmpty ? nil : " class=\"\($0)\"" } ?? "")> "
        + "to \($0["right"] ?? "?")px: \"\($0["text"] ?? "")\""
    }
    return "\(page["scrollWidth"] ?? "?")px wide in a \(page["innerWidth"] ?? "?")px window; "
      + (elements.isEmpty ? "no element found sticking out" : elements.joined(separator: "; "))
  }

  /// "scrollable-region-focusable (serious): Scrollable region must have keyboard access, at
  /// section:nth-child(10) > pre".
  static func describe(_ violation: [String: Any]) -> String {
    let targets = (violation["nodes"] as? [[String: Any]] ?? []).map { node in
      (node["target"] as? [Any] ?? []).map { "\($0)" }.joined(separator: " ")
    }
    return "\(violation["id"] ?? "?") (\(violation["impact"] ?? "?")): \(violation["help"] ?? ""), at "
      + targets.joined(separator: "; ")
  }
}
