import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A workspace for the acknowledgement tests, made with the built binary as a consultant
/// would: acme on the `everyone` playbook (its lead hand-off agreement acknowledged by 80% of
/// sales and of marketing before the implementation stage, and affirmed by whoever heads
/// each team before the sustain stage), its roster imported with `accord people import`,
/// the agreement's milestone done and both heads' signatures on it; globex beside it, with
/// people of its own.
struct RosterWorkspace {
  let space: APIWorkspace
  var accord: AccordBinary { space.accord }
  static let playbook = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/valid/everyone.yaml")
  static let agreement = "lead-sla"
  static let title = "The lead hand-off agreement"

  /// The roster: `perTeam` salespeople (sales01...) and as many marketers (marketing01...).
  let sales: [String]
  let marketing: [String]

  init(perTeam: Int) throws {
    space = try APIWorkspace()
    sales = (1...perTeam).map { String(format: "sales%02d", $0) }
    marketing = (1...perTeam).map { String(format: "marketing%02d", $0) }
    try run("start", "acme", "--name", "Acme Ltd", "--playbook", Self.playbook.path)
    for (role, person) in [("czar", "carol"), ("head-of-sales", "sam"), ("head-of-marketing", "mia")] {
      try run("assign", "acme", role, person)
    }
    var csv = "name,email,team,level\n"
    for (team, people) in [("sales", sales), ("marketing", marketing)] {
      for person in people { csv += "\(person),\(person)@acme.example,\(team),staff\n" }
    }
    let file = accord.folder.appendingPathComponent("roster.csv")
    try Data(csv.utf8).write(to: file)
    try run("people", "import", "acme", file.path)
    try run("complete", "acme", "processes-drafted", as: "carol")
    for head in ["sam", "mia"] { try run("sign", "acme", Self.agreement, "--yes", as: head) }
    try run("start", "globex", "--name", "Globex plc", as: "gina")
    try run("assign", "globex", "czar", "gus", as: "gina")
  }

  /// Runs the CLI, which must succeed.
  @discardableResult
  func run(_ arguments: String..., as person: String = "alice", sourceLocation: SourceLocation = #_sourceLocation)
    throws -> AccordBinary.Run
  {
    let run = try accord.run(arguments, as: person)
    try #require(run.status == 0, "accord \(arguments.joined(separator: " ")): \(run.stderr)", sourceLocation: sourceLocation)
    return run
  }

  /// The state of acme's stage `id`, as `accord status --json` gives it.
  func stage(_ id: String) throws -> String? {
    let status = try jsonObject(accord.run(["status", "acme", "--json"]).stdout)
    let stages = try #require(status["stages"] as? [[String: Any]])
    return stages.first { $0["id"] as? String == id }?["state"] as? String
  }

  /// The SHA-256 of the agreement's terms in force.
  func termsHash() throws -> String {
    let status = try jsonObject(accord.run(["status", "acme", "--json"]).stdout)
    let agreements = try #require(status["agreements"] as? [[String: Any]])
    let agreement = try #require(agreements.first { $0["id"] as? String == Self.agreement })
    return try #require(agreement["termsHash"] as? String)
  }

  /// How many events acme's history holds.
  func historyLength() throws -> Int {
    try jsonArray(accord.run(["log", "acme", "--json"]).stdout).count
  }

  /// Each team's progress on the agreement, as `people list --json` (the consultant's) gives it: "sales 3 of 10".
  func progress() throws -> [String] {
    let roster = try jsonObject(accord.run(["people", "list", "acme", "--json"]).stdout)
    let agreements = try #require(roster["agreements"] as? [[String: Any]])
    let teams = try #require(agreements.first?["teams"] as? [[String: Any]])
    return teams.map { "\($0["team"] as? String ?? "") \($0["acknowledged"] as? Int ?? -1) of \($0["members"] as? Int ?? -1)" }
  }

  /// A one-time sign-in link for `person` to acme, printed by alice, pointing at `base`.
  func link(for person: String, base: URL) throws -> String {
    let invite = try run("invite", "acme", person, "--print", "--url", base.absoluteString, "--json")
    return try #require(try jsonObject(invite.stdout)["link"] as? String)
  }
}

/// A browser session over real HTTP: signed in with a link, reading pages and sending the
/// pages' forms with the session's cookie and the CSRF token the page gave.
struct PageSession {
  let base: URL
  let cookie: String

  /// Signs in with `link` (`…/sign-in/SECRET`).
  static func signIn(base: URL, link: String) async throws -> PageSession {
    let secret = try #require(link.split(separator: "/").last.map(String.init))
    return PageSession(base: base, cookie: try await AccordCLITests.signIn(base: base, secret: secret))
  }

  func get(_ path: String) async throws -> ServedWorkspace.Answer {
    try await AccordCLITests.get(base, path, cookie: cookie)
  }

  /// What a form POST was answered with: a redirect's location, or a page.
  struct Posted {
    var status: Int
    var location: String?
    var body: String
  }

  /// POSTs `fields` to `path` as a form, with the CSRF token the page at `from` holds.
  func post(_ path: String, _ fields: [String: String], from page: String) async throws -> Posted {
    let shown = try await get(page).body
    let csrf = try #require(shown.firstMatch(of: #/name="csrf" value="([^"]+)"/#).map { String($0.1) })
    var request = URLRequest(url: URL(string: path, relativeTo: base)!)
    request.httpMethod = "POST"
    request.httpShouldHandleCookies = false
    request.setValue("accord_session=\(cookie)", forHTTPHeaderField: "Cookie")
    request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    request.httpBody = Data(
      (fields.merging(["csrf": csrf]) { given, _ in given }).sorted { $0.key < $1.key }.map {
        $0.key + "=" + ($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)
      }.joined(separator: "&").utf8)
    let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    let http = response as? HTTPURLResponse
    return Posted(
      status: http?.statusCode ?? 0, location: http?.value(forHTTPHeaderField: "Location"),
      body: String(decoding: data, as: UTF8.self))
  }
}

/// A page's text as a reader sees it: tags dropped, the entities Mustache writes turned back.
func readable(_ html: String) -> String {
  html.replacing(/<[^>]+>/, with: "")
    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    .replacingOccurrences(of: "&amp;", with: "&")
}
