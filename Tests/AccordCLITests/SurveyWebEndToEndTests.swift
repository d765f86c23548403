import AccordKit
import Foundation
import ProgrammeEngine
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A benchmark round answered on the web: `accord survey open` as built, `accord serve`
/// over real HTTP on loopback, twenty respondents, `survey close`, and `benchmark` reading
/// the round with its small groups hidden; then what the server's log and the stored files
/// hold, read as someone with the machine would.
@Suite("End to end: the survey on the web", .serialized)
struct SurveyWebEndToEndTests {
  /// Twenty people: sales managers 8, sales individual contributors 6, marketing managers 4,
  /// marketing executives 2 (under the threshold of 3: hidden, and not revealed by subtraction).
  static let people: [(team: String, level: String)] =
    Array(repeating: ("sales", "manager"), count: 8) + Array(repeating: ("sales", "individual"), count: 6)
    + Array(repeating: ("marketing", "manager"), count: 4) + Array(repeating: ("marketing", "executive"), count: 2)

  /// acme started by alice with carol as its czar, the survey's statement ids, and the links
  /// of a round opened with `--codes 20`.
  static func opened(_ space: APIWorkspace, base: String) throws -> (statements: [String], links: [String]) {
    #expect(try space.accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try space.accord("assign", "acme", "czar", "carol").status == 0)
    let header = try space.accord("survey", "template", "acme").stdout.trimmingCharacters(in: .newlines)
    let statements = Array(header.split(separator: ",").dropFirst(3).map(String.init))
    let open = try space.accord(
      "survey", "open", "acme", "--round", "web", "--codes", "20", "--url", base, as: "carol")
    #expect(open.status == 0, "\(open.stderr)")
    #expect(open.stdout.contains("Opened round 'web' for answers with 20 single-use links"))
    let links = open.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(base + "/survey/") }
    #expect(links.count == 20 && Set(links).count == 20)
    return (statements, links)
  }

  static func post(_ url: URL, _ fields: [(String, String)]) async throws -> (status: Int, body: String, cookie: String?) {
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.httpShouldHandleCookies = false
    request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._"))
    request.httpBody = Data(
      fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
    let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    let http = response as? HTTPURLResponse
    return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "Set-Cookie"))
  }

  static func fetch(_ url: URL, cookie: String? = nil) async throws -> (status: Int, body: String, setCookie: String?) {
    var request = URLRequest(url: url)
    request.httpShouldHandleCookies = false
    if let cookie { request.setValue("accord_session=\(cookie)", forHTTPHeaderField: "Cookie") }
    let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    let http = response as? HTTPURLResponse
    return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "Set-Cookie"))
  }

  @Test func twentyPeopleAnswerOverHTTPAndTheBenchmarkHidesTheSmallGroups() async throws {
    let space = try APIWorkspace()
    let served = try ServedWorkspace(space)
    let base = served.base.absoluteString.hasSuffix("/") ? String(served.base.absoluteString.dropLast()) : served.base.absoluteString
    let (statements, links) = try Self.opened(space, base: base)
    let codes = links.map { String($0.dropFirst((base + "/survey/").count)) }
    // carol, the czar, signed in: her session cookie, sent with a survey page, is never read.
    let invite = try space.accord("invite", "acme", "carol", "--print", "--url", base, "--json")
    #expect(invite.status == 0, "\(invite.stderr)")
    let signInLink = try #require((try invite.json() as? [String: Any])?["link"] as? String)
    let cookie = try await signIn(base: served.base, secret: String(signInLink.split(separator: "/").last ?? ""))

    var generator = SystemRandomNumberGenerator()
    for (number, person) in Self.people.enumerated() {
      let url = try #require(URL(string: links[number]))
      let page = try await Self.fetch(url, cookie: number == 0 ? cookie : nil)
      #expect(page.status == 200)
      #expect(page.setCookie == nil, "the survey page sets no cookie")
      #expect(page.body.contains("What is kept, and who sees what"))
      #expect(page.body.contains(#"type="radio" name="team" value="sales""#))
      #expect(page.body.contains(#"name="s.\#(statements[0])" value="5""#))
      var fields = [("team", person.team), ("level", person.level)]
      for statement in statements { fields.append(("s." + statement, String(Int.random(in: 1...5, using: &generator)))) }
      if number == 0 {
        // A form without a team is refused, the form shown again, and nothing kept.
        let refused = try await Self.post(url, Array(fields.dropFirst()))
        #expect(refused.status == 400)
        #expect(refused.body.contains("Please choose your team."))
        let status = try space.accord("survey", "status", "acme", "--json")
        #expect(status.stdout.contains(#""answers" : 0"#), "\(status.stdout)")
      }
      let sent = try await Self.post(url, fields)
      #expect(sent.status == 200, "\(sent.body)")
      #expect(sent.body.contains("Thank you"))
      #expect(sent.cookie == nil)
      // The same link again: used.
      let again = try await Self.post(url, fields)
      #expect(again.status == 404)
      #expect(again.body.contains("This survey link is not open"))
      if number == 0 {
        let status = try space.accord("survey", "status", "acme", "--json")
        #expect(status.stdout.contains(#""answers" : 1"#), "\(status.stdout)")
      }
    }
    #expect(try await Self.fetch(try #require(URL(string: base + "/survey/not-a-code"))).status == 404)

    // While open: the number of answers, nothing else.
    let status = try space.accord("survey", "status", "acme", "--json")
    #expect(status.status == 0, "\(status.stderr)")
    let rounds = try #require(try jsonObject(status.stdout)["rounds"] as? [[String: Any]])
    #expect(rounds.count == 1)
    #expect(rounds.first?["state"] as? String == "open")
    #expect(rounds.first?["answers"] as? Int == 20)
    // The API says the same as the CLI, and no more.
    let apiStatus = try await served.send(
      "GET", "api/v1/clients/acme/survey/status", token: try served.token(for: "carol"))
    #expect(apiStatus.status == 200, "\(apiStatus.body)")
    #expect(NSDictionary(dictionary: apiStatus.json).isEqual(to: try jsonObject(status.stdout)), "\(apiStatus.body)")
    let early = try space.accord("benchmark", "acme", "--round", "web")
    #expect(early.status == 66)
    #expect(early.stderr.contains("survey round 'web' is open on the web, with 20 answers so far"))

    // The benchmark page, signed in, shows the count and nothing of what the answers say.
    let benchmarkPage = try await get(served.base, "clients/acme/benchmark", cookie: cookie)
    #expect(benchmarkPage.status == 200)
    #expect(benchmarkPage.body.contains("web: 20 answers so far"))
    #expect(benchmarkPage.body.contains("No survey round has been counted yet"))

    let close = try space.accord("survey", "close", "acme", "--round", "web", as: "carol")
    #expect(close.status == 0, "\(close.stderr)")
    #expect(close.stdout.contains("Closed round 'web': 20 answers recorded as its responses."))
    // Closed: a link never used answers nothing now (every link was used here; try one anyway).
    #expect(try await Self.post(try #require(URL(string: links[0])), [("team", "sales")]).status == 404)

    // The API reads the closed round as the CLI does.
    let token = try served.token(for: "carol")
    let api = try await served.send("GET", "api/v1/clients/acme/benchmark", token: token)
    #expect(api.status == 200, "\(api.body)")
    #expect(api.json["respondents"] as? Int == 20)
    #expect(((api.json["anonymity"] as? [String: Any])?["hidden"] as? [String])?.contains("marketing/executive") == true)
    let benchmark = try jsonObject(space.accord("benchmark", "acme", "--round", "web", "--json").stdout)
    #expect(benchmark["respondents"] as? Int == 20)
    let hidden = try #require((benchmark["anonymity"] as? [String: Any])?["hidden"] as? [String])
    #expect(hidden.contains("marketing/executive"), "\(hidden)")
    let shown = try #require(benchmark["groups"] as? [[String: Any]]).compactMap { $0["group"] as? String }
    #expect(!shown.contains("marketing/executive") && !shown.contains("executive"), "\(shown)")
    #expect(shown.contains("sales") && shown.contains("marketing"), "\(shown)")

    #expect(served.stop() == .exited(0))
    // The log: every survey request, and neither a code nor an address on any line of them.
    let log = served.server.stderr
    // (The API's survey/status request, made with a token, is not a survey page.)
    let surveyLines = log.split(separator: "\n").filter { $0.contains("/survey/") && !$0.contains("/api/v1/") }
    #expect(surveyLines.count >= 60, "\(surveyLines.count) survey requests logged")
    #expect(surveyLines.allSatisfy { $0.contains("/survey/[code]") && !$0.contains("127.0.0.1") })
    for code in codes { #expect(!log.contains(code), "the log holds a code") }

    // The stored files: no code, no hash of one, the box gone, and respondent ids w01..w20.
    let file = try String(contentsOf: space.accord.workspace.appendingPathComponent("acme.json"), encoding: .utf8)
    for code in codes { #expect(!file.contains(code) && !file.contains(sha256Hex(code))) }
    let box = space.accord.workspace.appendingPathComponent(".accord-survey/acme.web.json")
    #expect(!FileManager.default.fileExists(atPath: box.path), "the box is emptied at closing")
    let respondents = (1...20).map { String(format: "w%02d", $0) }
    for id in respondents { #expect(file.contains("\"respondent\" : \"\(id)\"") || file.contains("\"respondent\":\"\(id)\"")) }
  }

  @Test func aSharedLinkTakesManyAnswersAndARoundNameIsTakenOnce() async throws {
    let space = try APIWorkspace()
    let served = try ServedWorkspace(space)
    let base = served.base.absoluteString.hasSuffix("/") ? String(served.base.absoluteString.dropLast()) : served.base.absoluteString
    #expect(try space.accord("start", "acme", "--name", "Acme Ltd").status == 0)
    let open = try space.accord("survey", "open", "acme", "--url", base + "/")
    #expect(open.status == 0, "\(open.stderr)")
    #expect(open.stdout.contains("Opened round 'round-1' for answers with one shared link"))
    #expect(open.stdout.contains("nothing stops someone answering twice"))
    let links = open.stdout.split(separator: "\n").filter { $0.hasPrefix(base + "/survey/") }
    try #require(links.count == 1)
    let url = try #require(URL(string: String(links[0])))
    for score in ["1", "3", "5"] {
      let sent = try await Self.post(url, [("team", "sales"), ("level", "manager"), ("s.goals-lead", score)])
      #expect(sent.status == 200, "\(sent.body)")
    }
    #expect(try space.accord("survey", "status", "acme").stdout.contains("3 answers"))
    // A round name is taken by an open round as by an imported one.
    let again = try space.accord("survey", "open", "acme", "--round", "round-1")
    #expect(again.status == 1)
    #expect(again.stderr.contains("a survey round named 'round-1' has already been imported or opened"))
    let notOpen = try space.accord("survey", "close", "acme", "--round", "nope")
    #expect(notOpen.status == 1)
    #expect(notOpen.stderr.contains("survey round 'nope' is not open for answers"))
    let past = try space.accord("survey", "open", "acme", "--closes", "2020-01-01")
    #expect(past.status == 64)
    #expect(past.stderr.contains("--closes 2020-01-01 has passed already"))
    let stranger = try space.accord("survey", "close", "acme", "--round", "round-1", as: "sam")
    #expect(stranger.status == 1)
    #expect(stranger.stderr.contains("sam may not open or close survey round 'round-1'"), "\(stranger.stderr)")
    // A closing refused leaves the round taking answers.
    let fourth = try await Self.post(url, [("team", "marketing"), ("level", "manager"), ("s.goals-lead", "2")])
    #expect(fourth.status == 200, "\(fourth.body)")
    #expect(try space.accord("survey", "close", "acme", "--round", "round-1").status == 0)
    let closed = try #require(try space.accord("benchmark", "acme", "--json").json() as? [String: Any])
    #expect(closed["respondents"] as? Int == 4)
    #expect(served.stop() == .exited(0))
  }

  /// After its last day a round's page takes no answer, before anyone has recorded the closing.
  @Test func aRoundPastItsLastDayTakesNoAnswer() async throws {
    let space = try APIWorkspace()
    #expect(try space.accord("start", "acme", "--name", "Acme Ltd").status == 0)
    let served = try ServedWorkspace(space)
    // Opened in process with a day gone by: the command refuses one, the engine does not.
    let desk = Desk(workspace: space.workspace)
    let opened = try SurveyWeb.open(
      try ClientID("acme"), round: "late", codes: 2, closes: "2020-01-01", by: "alice", note: nil, on: desk)
    let url = served.base.appendingPathComponent("survey/\(opened.codes[0])")
    let page = try await Self.fetch(url)
    #expect(page.status == 410)
    #expect(page.body.contains("This survey has closed"))
    // The first request after its day recorded the closing, through the server, as the opener.
    let log = try #require(try space.accord("log", "acme", "--json").json() as? [[String: Any]])
    let last = try #require(log.last)
    #expect(last["type"] as? String == "surveyClosed")
    #expect(last["by"] as? String == "alice")
    #expect(last["via"] as? String == "web")
    #expect(last["note"] as? String == "closed by itself: its last day, 2020-01-01, has passed")
    let sent = try await Self.post(url, [("team", "sales"), ("level", "manager"), ("s.goals-lead", "4")])
    #expect(sent.status == 404, "closed: the box and its codes are gone")
    let status = try space.accord("survey", "status", "acme")
    #expect(!status.stdout.contains("Closed round"), "nothing left for the next reader to close")
    #expect(status.stdout.contains("late  0 answers  closed"))
    #expect(log.filter { $0["type"] as? String == "surveyClosed" }.count == 1)
    #expect(served.stop() == .exited(0))
  }

  /// The API's readers close a round past its last day as the pages and the CLI do.
  @Test func theAPIClosesARoundPastItsLastDayBeforeItAnswers() async throws {
    let space = try APIWorkspace()
    #expect(try space.accord("start", "acme", "--name", "Acme Ltd").status == 0)
    let served = try ServedWorkspace(space)
    let desk = Desk(workspace: space.workspace)
    _ = try SurveyWeb.open(
      try ClientID("acme"), round: "late", codes: 2, closes: "2020-01-01", by: "alice", note: nil, on: desk)
    _ = try SurveyWeb.open(try ClientID("acme"), round: "later", codes: nil, closes: nil, by: "alice", note: nil, on: desk)
    let token = try served.token(for: "alice")
    let status = try await served.send("GET", "api/v1/clients/acme/survey/status", token: token)
    #expect(status.status == 200, "\(status.body)")
    #expect(status.json["closedNow"] as? [String] == ["late"])
    let rounds = try #require(status.json["rounds"] as? [[String: Any]])
    #expect(rounds.map { $0["round"] as? String } == ["late", "later"])
    #expect(rounds.map { $0["state"] as? String } == ["closed", "open"])
    #expect(rounds[1]["links"] == nil && rounds[1]["answers"] as? Int == 0)
    let log = try #require(try space.accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.filter { $0["type"] as? String == "surveyClosed" }.count == 1)
    #expect(log.last?["via"] as? String == "web")
    // Closed once: the next reader has nothing to close.
    let again = try await served.send("GET", "api/v1/clients/acme/survey/rounds", token: token)
    #expect(again.status == 200, "\(again.body)")
    #expect(try jsonObject(space.accord("survey", "status", "acme", "--json").stdout)["closedNow"] as? [String] == [])
    #expect(served.stop() == .exited(0))
  }

  /// A round past its last day is closed by the next reader, as its opener, saying so.
  @Test func aRoundPastItsLastDayIsClosedByTheNextReader() throws {
    let space = try APIWorkspace()
    #expect(try space.accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try space.accord("assign", "acme", "czar", "carol").status == 0)
    #expect(try space.accord("survey", "open", "acme", "--codes", "3", "--closes", "2099-12-31", as: "carol").status == 0)
    let desk = Desk(workspace: space.workspace)
    let id = try ClientID("acme")
    #expect(try SurveyWeb.closeDue(id, at: Timestamp.parse("2099-12-31T23:59:59Z")!, on: desk) == [])
    #expect(try SurveyWeb.closeDue(id, at: Timestamp.parse("2100-01-01T00:00:00Z")!, on: desk) == ["round-1"])
    let programme = try desk.programme(id)
    #expect(programme.openSurveyRounds.isEmpty)
    #expect(programme.surveyRounds.map(\.name) == ["round-1"])
    let event = try #require(programme.history.last)
    #expect(event.change == .surveyClosed(round: "round-1", responses: []))
    #expect(event.by == "carol")
    #expect(event.note == "closed by itself: its last day, 2099-12-31, has passed")
  }

  @Test func outWritesTheLinksAsCSVAndAPrintablePage() throws {
    let space = try APIWorkspace()
    #expect(try space.accord("start", "acme", "--name", "Acme Ltd").status == 0)
    let out = space.accord.folder.appendingPathComponent("links.csv").path
    let open = try space.accord(
      "survey", "open", "acme", "--codes", "5", "--closes", "2099-12-31", "--out", out, "--url", "https://s.example.com")
    #expect(open.status == 0, "\(open.stderr)")
    #expect(!open.stdout.contains("/survey/"), "the links go to the file, not the terminal")
    let csv = try String(contentsOfFile: out, encoding: .utf8)
    let rows = csv.split(separator: "\r\n")
    #expect(rows.first == "number,link")
    #expect(rows.count == 6)
    #expect(rows.dropFirst().allSatisfy { $0.contains(",https://s.example.com/survey/") })
    let html = try String(contentsOfFile: space.accord.folder.appendingPathComponent("links.html").path, encoding: .utf8)
    #expect(html.components(separatedBy: "class=\"slip\"").count == 6)
    #expect(html.contains("until the end of 2099-12-31"))
    let status = try space.accord("survey", "status", "acme")
    #expect(status.stdout.contains("round-1"))
    #expect(status.stdout.contains("0 answers"))
    #expect(status.stdout.contains("5 single-use links, closes after 2099-12-31"))
    // Not replaced without --force.
    let twice = try space.accord("survey", "open", "acme", "--codes", "5", "--out", out)
    #expect(twice.status == 73)
    #expect(!(try space.accord("survey", "status", "acme").stdout.contains("round-2")), "nothing opened")
  }
}

/// The lowercase hex SHA-256 of `text`, as the box keeps a code.
func sha256Hex(_ text: String) -> String {
  SHA256.hex(Array(text.utf8))
}
