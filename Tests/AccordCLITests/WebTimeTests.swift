import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ProgrammeEngine
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordKit

/// Dates on the server: `GET /api/v1/agenda` for the token's clients, and the pages' due
/// dates, agendas and overdue counts, in process on a workspace the built binary made with
/// a timed playbook.
@Suite("Web: dates and the agenda")
struct WebTimeTests {
  /// A playbook whose work has times: a stage target, a milestone due 10 days after it is
  /// ready, a weekly check-in three times, and an agreement due in two weeks.
  static let playbook = """
    playbook: timed
    version: 1
    title: Timed
    roles:
      consultant: Consultant
      czar: Czar
      sponsor: Sponsor
    stages:
      - id: one
        title: One
        target: 3w
        milestones:
          - id: kick-off
            title: Kick off
            owner: consultant
            due: 10d
          - id: check-in
            title: Check in
            owner: czar
            every: 7d
            times: 3
        agreements:
          - id: charter
            title: The charter
            signatories: [sponsor]
            due: 2w
      - id: two
        title: Two
        milestones:
          - id: wrap-up
            title: Wrap up
            owner: consultant

    """

  let fixture: WebPageFixture

  init() throws {
    fixture = try WebPageFixture()
  }

  /// Writes the timed playbook into `accord`'s folder and starts `client` on it as `person`.
  static func start(_ accord: AccordBinary, _ client: String, name: String, as person: String = "alice") throws {
    let path = accord.folder.appendingPathComponent("timed.yaml")
    try playbook.write(to: path, atomically: true, encoding: .utf8)
    let run = try accord("start", client, "--playbook", path.path, "--name", name, as: person)
    try #require(run.status == 0, "\(run.stderr)")
  }

  /// acme (alice's, carol its czar, sid its sponsor) and globex (gina's, gus its czar), both
  /// on the timed playbook; with `late`, acme's kick-off was due on 2020-01-02.
  func seed(late: Bool = false) throws {
    let accord = fixture.accord
    try Self.start(accord, "acme", name: "Acme Ltd")
    try #require(try accord("assign", "acme", "czar", "carol").status == 0)
    try #require(try accord("assign", "acme", "sponsor", "sid").status == 0)
    try Self.start(accord, "globex", name: "Globex plc", as: "gina")
    try #require(try accord("assign", "globex", "czar", "gus", as: "gina").status == 0)
    if late {
      let run = try accord("schedule", "acme", "kick-off", "2020-01-02", "--reason", "promised for new year", "--force")
      try #require(run.status == 0, "\(run.stderr)")
    }
  }

  /// An API token for `person`, granted `clients` (nil: firm access).
  func token(for person: String, clients: [String]? = nil) throws -> String {
    let now = Date()
    return try AccessStore(fixture.workspace).update { book in
      for client in clients.map({ $0.map(Optional.some) }) ?? [nil] {
        book.grant(person, to: client, by: "alice", now: now)
      }
      return book.createToken(for: person, client: nil, by: "alice", now: now, expiresAt: now.addingTimeInterval(3600))
    }.token
  }

  /// GETs each of `paths` with `token`; the answers' statuses and bodies.
  func get(_ paths: [String], token: String?) async throws -> [(status: HTTPResponse.Status, body: String)] {
    try await fixture.test { client in
      var answers: [(status: HTTPResponse.Status, body: String)] = []
      for path in paths {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(uri: path, method: .get, headers: headers)
        answers.append((response.status, String(buffer: response.body)))
      }
      return answers
    }
  }

  /// A month from today in the workspace's zone: acme's kick-off (due in 10 days), check-in
  /// and charter are all overdue then.
  func aMonthAhead() throws -> String {
    try WorkspaceClock(fixture.workspace).today.adding(days: 30).description
  }

  /// Every item of an agenda answer, flattened.
  static func items(_ body: String) throws -> [[String: Any]] {
    let people = try #require(try jsonObject(body)["people"] as? [[String: Any]])
    return people.flatMap { ($0["items"] as? [[String: Any]]) ?? [] }
  }

  // MARK: The API

  @Test func theAgendaIsTheCLIsForAFirmToken() async throws {
    try seed()
    let asOf = try aMonthAhead()
    let answer = try await get(["/api/v1/agenda?days=7&asOf=\(asOf)"], token: token(for: "alice"))[0]
    #expect(answer.status == .ok)
    let run = try fixture.accord("agenda", "--days", "7", "--as-of", asOf, "--json")
    try #require(run.status == 0, "\(run.stderr)")
    #expect(answer.body == run.stdout)
    let body = try jsonObject(answer.body)
    #expect(body["asOf"] as? String == asOf)
    let kickOff = try #require(
      try Self.items(answer.body).first { $0["client"] as? String == "acme" && $0["target"] as? String == "kick-off" })
    #expect(kickOff["overdue"] as? Bool == true)
    #expect((kickOff["daysLeft"] as? Int ?? 0) < 0)
    #expect(kickOff["person"] as? String == "alice")
    #expect(kickOff["clientName"] as? String == "Acme Ltd")
  }

  @Test func todayNothingIsOverdueYet() async throws {
    try seed()
    let answer = try await get(["/api/v1/agenda"], token: token(for: "alice"))[0]
    #expect(answer.status == .ok)
    // The default is 7 days from today: the weekly check-ins are due, nothing is late.
    let items = try Self.items(answer.body)
    #expect(!items.isEmpty)
    #expect(items.allSatisfy { $0["overdue"] as? Bool == false })
    #expect(Set(items.compactMap { $0["target"] as? String }) == ["check-in"])
  }

  @Test func aTokenForAnotherClientSeesNothingOfAcme() async throws {
    try seed()
    let asOf = try aMonthAhead()
    let answer = try await get(["/api/v1/agenda?asOf=\(asOf)"], token: token(for: "gus", clients: ["globex"]))[0]
    #expect(answer.status == .ok)
    let items = try Self.items(answer.body)
    #expect(!items.isEmpty)
    #expect(items.allSatisfy { $0["client"] as? String == "globex" })
    #expect(!answer.body.contains("acme"))
    #expect(!answer.body.contains("Acme"))
  }

  @Test(arguments: [
    ("days=-1", "days"), ("days=3651", "days"), ("days=seven", "days"), ("days=", "days"), ("days=1.5", "days"),
    ("days=1&days=2", "days"), ("asOf=2026-02-30", "asOf"), ("asOf=tomorrow", "asOf"), ("asOf=2026-1-05", "asOf"),
    ("asOf=", "asOf"),
  ])
  func badDaysOrAsOfIs400(query: String, parameter: String) async throws {
    try seed()
    let answer = try await get(["/api/v1/agenda?" + query], token: token(for: "alice"))[0]
    #expect(answer.status == .badRequest)
    let error = try errorOf(answer.body)
    #expect(error["code"] as? String == "bad-request")
    #expect(error["parameter"] as? String == parameter)
  }

  @Test func theAgendaNeedsAToken() async throws {
    try seed()
    let answer = try await get(["/api/v1/agenda"], token: nil)[0]
    #expect(answer.status == .unauthorized)
    #expect(try errorOf(answer.body)["code"] as? String == "unauthenticated")
  }

  // MARK: Pages

  @Test func myWorkShowsWhatIsOverdueFirst() async throws {
    try seed(late: true)
    let secret = try fixture.invite("alice", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/", session: session)
      #expect(page.status == .ok)
      let text = page.text
      #expect(text.contains("Overdue and due by"))
      #expect(text.contains("Complete 'Kick off'"))
      #expect(text.contains("days late"))
      #expect(page.html.contains(#"title="2020-01-02""#))
      #expect(page.html.contains(#"class="due overdue""#))
      // Only alice's own work is on her agenda: carol's check-in is not.
      let agenda = try #require(
        page.html.components(separatedBy: #"class="card agenda""#).dropFirst().first?
          .components(separatedBy: "</section>").first)
      #expect(agenda.contains("Kick off"))
      #expect(!agenda.contains("Check in"))
    }
  }

  @Test func nothingDueSoonIsSaidSo() async throws {
    try seed(late: true)
    // sid's signature is due in two weeks: past the agenda's seven days.
    let secret = try fixture.invite("sid", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/", session: session)
      #expect(page.text.contains("Nothing of yours is overdue or due by"))
      #expect(!page.text.contains("days late"))
      #expect(!page.text.contains("Globex"))
    }
  }

  @Test func thePortfolioShowsTheAgendaAndEachClientsDates() async throws {
    try seed(late: true)
    let secret = try fixture.invite("alice", to: nil)
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/portfolio", session: session)
      #expect(page.status == .ok)
      let text = page.text
      #expect(text.contains("Agenda: overdue and due by"))
      // Everyone's: alice's late kick-off, and the czars' check-ins on both clients.
      #expect(text.contains("days late"))
      #expect(text.contains("carol"))
      #expect(text.contains("gus"))
      #expect(text.contains("1 overdue"))
      #expect(text.contains("next due Thu 2 Jan 2020"))
      #expect(page.html.contains(#"title="2020-01-02""#))
    }
  }

  @Test func thePortfolioShowsTenOfAPersonsItemsAndHowManyMoreAndMyWorkShowsAll() async throws {
    for index in 1...12 {
      let id = "client\(index)"
      try Self.start(fixture.accord, id, name: "Client \(index)")
      let late = try fixture.accord("schedule", id, "kick-off", "2020-01-02", "--reason", "late", "--force")
      try #require(late.status == 0, "\(late.stderr)")
    }
    let secret = try fixture.invite("alice", to: nil)
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      // The agenda's items, one a line (the rows below it name the work again).
      func items(_ html: String) -> Int { html.components(separatedBy: #"<div class="line">"#).count - 1 }
      // alice's part of the portfolio's agenda: her twelve late kick-offs, ten shown.
      func part(_ html: String, of person: String) -> String {
        guard let start = html.range(of: "<h3>\(person)</h3>") else { return "" }
        let rest = html[start.upperBound...]
        let end = [rest.range(of: "<h3>")?.lowerBound, rest.range(of: "</section>")?.lowerBound]
          .compactMap { $0 }.min() ?? rest.endIndex
        return String(rest[..<end])
      }
      let portfolio = try await client.get("/portfolio", session: session)
      let alices = part(portfolio.html, of: "alice")
      #expect(items(alices) == 10, "\(portfolio.text)")
      #expect(alices.contains("and 2 more"))
      let mine = try await client.get("/", session: session)
      let agenda = try #require(
        mine.html.components(separatedBy: #"class="card agenda""#).dropFirst().first?
          .components(separatedBy: "</section>").first)
      #expect(items(agenda) == 12, "\(mine.text)")
      #expect(!mine.text.contains("more"))
    }
  }

  @Test func theAgendaOnAPageEscapesWhatPeopleWrote() async throws {
    try Self.start(fixture.accord, "evil", name: "<script>alert(1)</script> & Co")
    let secret = try fixture.invite("alice", to: nil)
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      for path in ["/", "/portfolio"] {
        let page = try await client.get(path, session: session)
        #expect(page.status == .ok)
        #expect(page.html.contains("Overdue and due by") || page.html.contains("overdue and due by"))
        #expect(!page.html.contains("<script>alert(1)</script>"), "\(path)")
        #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"), "\(path)")
      }
    }
  }

  @Test func theClientPageShowsEachDate() async throws {
    try seed(late: true)
    let secret = try fixture.invite("alice", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/clients/acme", session: session)
      #expect(page.status == .ok)
      let text = page.text
      #expect(text.contains("days late"))
      #expect(page.html.contains(#"title="2020-01-02""#))
      #expect(text.contains("To finish due "))
      #expect(text.contains("1 of 3, due "))
      #expect(text.contains("Signatures due "))
    }
  }
}
