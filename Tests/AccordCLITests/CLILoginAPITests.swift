import Foundation
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `accord login`'s side of the server: a one-time link and code mailed through the outbox
/// and the relay `serve --smtp` names; the link approved in a browser or the code given,
/// once, gives a token of the person's own to the laptop that asked; a wrong, used or
/// burnt code is 401, and nobody learns from the answers who has access.
@Suite("Web API: signing in the command line by a mailed link or code", .serialized)
struct CLILoginAPITests {
  let sync: SyncWorkspace

  init() throws {
    sync = try SyncWorkspace()
    try #require(try sync.accord("invite", "acme", "sam", "--print").status == 0)
    try #require(try sync.accord("address", "sam", "sam@example.com").status == 0)
    try #require(try sync.accord("address", "nobody", "nobody@example.com").status == 0)
  }

  func serve(_ sink: SMTPSink?) throws -> ServedWorkspace {
    try ServedWorkspace(sync.space, options: sink.map { ["--smtp", $0.url] } ?? [])
  }

  /// Asks for a code for `person` and answers the code mailed to them (nil when none came
  /// within a few seconds).
  func askForCode(_ served: ServedWorkspace, _ person: String, sink: SMTPSink, wait: Double = 20) async throws
    -> String?
  {
    let already = sink.messages.count
    let asked = try await served.send("POST", "api/v1/login", token: nil, body: #"{"person": "\#(person)"}"#)
    #expect(asked.status == 202, "\(asked.body)")
    #expect(asked.json["sent"] as? Bool == true)
    let deadline = Date().addingTimeInterval(wait)
    while Date() < deadline {
      let codes = sink.messages.dropFirst(already).filter { $0.data.contains("sign-in code") }
      if let message = codes.first {
        let body = message.data.replacingOccurrences(of: "=\r\n", with: "")
        let match = try #require(body.firstMatch(of: /\b([A-HJ-KMNP-Z2-9]{5}-[A-HJ-KMNP-Z2-9]{5})\b/))
        return String(match.1)
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    return nil
  }

  func exchange(_ served: ServedWorkspace, _ person: String, _ code: String) async throws -> ServedWorkspace.Answer {
    try await served.send(
      "POST", "api/v1/login/token", token: nil, body: #"{"person": "\#(person)", "code": "\#(code)"}"#)
  }

  @Test func aMailedCodeIsExchangedOnceForAWorkingToken() async throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try serve(sink)
    let code = try #require(try await askForCode(served, "sam", sink: sink))
    // The file keeps a hash only.
    let access = try String(contentsOf: sync.accord.workspace.appendingPathComponent(".accord-access.json"), encoding: .utf8)
    #expect(!access.contains(code) && !access.contains(code.replacingOccurrences(of: "-", with: "")))
    // A wrong code first: 401.
    let wrong = try await exchange(served, "sam", "AAAAA-AAAAA")
    #expect(wrong.status == 401, "\(wrong.body)")
    #expect(try errorOf(wrong.body)["code"] as? String == "unauthenticated")
    // The right one, typed in lower case without its dash: a token for sam, on what sam may see.
    let given = try await exchange(served, "sam", code.lowercased().replacingOccurrences(of: "-", with: ""))
    #expect(given.status == 200, "\(given.body)")
    let token = try #require(given.json["token"] as? String)
    #expect(token.hasPrefix("accord_"))
    #expect(given.json["person"] as? String == "sam")
    #expect(given.json["clients"] as? [String] == ["acme"])
    let expires = try #require(given.json["expires"] as? String)
    let days = try #require(ISO8601DateFormatter().date(from: expires)).timeIntervalSinceNow / 86_400
    #expect(days > 89 && days <= 90)
    let me = try await served.send("GET", "api/v1/me", token: token)
    #expect(me.status == 200 && me.json["person"] as? String == "sam", "\(me.body)")
    #expect(me.json["expires"] as? String == expires)
    // Recorded as accord token create records one: listed by access list.
    let list = try sync.accord("access", "list", "--json")
    #expect(list.stdout.contains(String(token.split(separator: "_")[1])), "\(list.stdout)")
    // Used: never again.
    let again = try await exchange(served, "sam", code)
    #expect(again.status == 401)
    #expect(served.stop() == .exited(0))
    // Neither the code nor the token was logged.
    #expect(!served.server.stderr.contains(code) && !served.server.stderr.contains(token))
  }

  @Test func anyoneIsAnsweredAlikeAndOnlyThoseWithAccessAreMailed() async throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try serve(sink)
    // nobody has an address but no access; ghost has neither.
    for person in ["nobody", "ghost"] {
      let asked = try await served.send("POST", "api/v1/login", token: nil, body: #"{"person": "\#(person)"}"#)
      #expect(asked.status == 202)
      #expect(asked.body == #"{"sent":true}"# + "\n" || asked.json["sent"] as? Bool == true, "\(asked.body)")
    }
    try await Task.sleep(for: .seconds(1))
    #expect(!sink.messages.contains { $0.data.contains("sign-in code") })
    // A code for someone is no code for another.
    let code = try #require(try await askForCode(served, "sam", sink: sink))
    #expect(try await exchange(served, "nobody", code).status == 401)
    #expect(try await exchange(served, "sam", code).status == 200)
    // The body must name the person.
    #expect(try await served.send("POST", "api/v1/login", token: nil, body: "{}").status == 400)
    #expect(served.stop() == .exited(0))
  }

  @Test func aCodeBurnsAfterFiveWrongTries() async throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try serve(sink)
    let code = try #require(try await askForCode(served, "sam", sink: sink))
    for _ in 0..<5 { #expect(try await exchange(served, "sam", "BBBBB-BBBBB").status == 401) }
    #expect(try await exchange(served, "sam", code).status == 401)
    #expect(served.stop() == .exited(0))
  }

  @Test func withoutARelayTheAnswerIsTheSameAndTheLogSaysSo() async throws {
    let served = try serve(nil)
    let asked = try await served.send("POST", "api/v1/login", token: nil, body: #"{"person": "sam"}"#)
    #expect(asked.status == 202)
    let deadline = Date().addingTimeInterval(10)
    while !served.server.stderr.contains("cannot mail sam a code"), Date() < deadline { usleep(20_000) }
    #expect(served.server.stderr.contains("no relay"), "\(served.server.stderr)")
    // No code was made.
    let access = try String(contentsOf: sync.accord.workspace.appendingPathComponent(".accord-access.json"), encoding: .utf8)
    #expect(!access.contains("\"codes\""))
    #expect(served.stop() == .exited(0))
  }

  // MARK: The mailed link

  /// Asks for a sign-in for `person`: the 202, whose request the laptop polls with.
  func ask(_ served: ServedWorkspace, _ person: String) async throws -> (answer: ServedWorkspace.Answer, request: String) {
    let asked = try await served.send("POST", "api/v1/login", token: nil, body: #"{"person": "\#(person)"}"#)
    #expect(asked.status == 202, "\(asked.body)")
    return (asked, try #require(asked.json["request"] as? String, "\(asked.body)"))
  }

  func poll(_ served: ServedWorkspace, _ person: String, _ request: String) async throws -> ServedWorkspace.Answer {
    try await served.send(
      "POST", "api/v1/login/token", token: nil, body: #"{"person": "\#(person)", "request": "\#(request)"}"#)
  }

  @Test func aLinkApprovedInTheBrowserSignsTheLaptopInOnce() async throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try serve(sink)
    let (_, request) = try await ask(served, "sam")
    let mail = try #require(try await mailedSignIn(sink, after: 0))
    #expect(mail.link.absoluteString.hasPrefix(served.base.absoluteString + "/sign-in/laptop/"), "\(mail.link)")
    let pending = try await poll(served, "sam", request)
    #expect(pending.status == 202 && pending.json["pending"] as? Bool == true, "\(pending.body)")
    // Opened, as a mail scanner or the person does: a question and a button, nothing approved.
    for _ in 0..<2 {
      let page = try await openLink(mail.link)
      #expect(page.answer.status == 200, "\(page.answer.body)")
      #expect(page.answer.body.contains("Sign in your laptop to Accord as <strong>sam</strong>?"), "\(page.answer.body)")
      #expect(page.action == "/sign-in/laptop")
      #expect(try await poll(served, "sam", request).status == 202)
    }
    // The page shows the check the laptop can work out from its request.
    let check = try #require(
      try await openLink(mail.link).answer.body.firstMatch(of: /the check <strong>([0-9A-F]{3}-[0-9A-F]{3})<\/strong>/))
    #expect(String(check.1) == LoginRequest(request)?.check)
    // A form without the link's secret, as another site could send, approves nothing.
    #expect(try await postForm(served.base, "/sign-in/laptop", ["secret": "forged"]).status == 404)
    let approved = try await approveInBrowser(mail.link)
    #expect(approved.status == 200, "\(approved.body)")
    #expect(approved.body.contains("Your laptop is signed in; you can close this page"), "\(approved.body)")
    // The laptop's next poll takes the token, once.
    let given = try await poll(served, "sam", request)
    #expect(given.status == 200, "\(given.body)")
    let token = try #require(given.json["token"] as? String)
    #expect(given.json["person"] as? String == "sam")
    #expect(given.json["clients"] as? [String] == ["acme"])
    let me = try await served.send("GET", "api/v1/me", token: token)
    #expect(me.status == 200 && me.json["person"] as? String == "sam", "\(me.body)")
    let spent = try await poll(served, "sam", request)
    #expect(spent.status == 401, "\(spent.body)")
    #expect(try errorOf(spent.body)["code"] as? String == "unauthenticated")
    // Spent: the code mailed with it, and the link, too.
    #expect(try await exchange(served, "sam", mail.code).status == 401)
    let used = try await openLink(mail.link)
    #expect(used.answer.status == 410 && used.answer.body.contains("Link already used"), "\(used.answer.body)")
    #expect(used.action == nil)
    #expect(try await approveInBrowserAgain(mail.link).status == 410)
    #expect(served.stop() == .exited(0))
    // Neither the link's secret, the request, the code nor the token was logged.
    let secret = mail.link.lastPathComponent
    let log = served.server.stderr
    for hidden in [secret, request, mail.code, token] { #expect(!log.contains(hidden)) }
    #expect(log.contains("/sign-in/laptop/[secret]"), "\(log)")
  }

  /// The POST the page's button sends, with the link's secret, for a link already used.
  func approveInBrowserAgain(_ link: URL) async throws -> ServedWorkspace.Answer {
    try await postForm(link, "/sign-in/laptop", ["secret": link.lastPathComponent])
  }

  @Test func anyoneIsAskedAndPolledAlike() async throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try serve(sink)
    // sam has access and an address; nobody an address but no access; ghost neither.
    var shapes: [[String]] = []
    for person in ["sam", "nobody", "ghost"] {
      let (asked, request) = try await ask(served, person)
      shapes.append(asked.json.keys.sorted())
      #expect(asked.json["sent"] as? Bool == true)
      #expect(request.count == 43 + 1 + 10, "\(request)")
      let expires = try #require(asked.json["expires"] as? String)
      let minutes = try #require(ISO8601DateFormatter().date(from: expires)).timeIntervalSinceNow / 60
      #expect(minutes > 14 && minutes <= 15.1)
      let polled = try await poll(served, person, request)
      #expect(polled.status == 202 && polled.json.keys.sorted() == ["pending"], "\(polled.body)")
    }
    #expect(shapes.allSatisfy { $0 == ["expires", "request", "sent"] }, "\(shapes)")
    // A request past its time, made up or real, is out of date for anyone; one not made by
    // the server is a 400.
    let past = String(repeating: "A", count: 43) + ".1700000000"
    for person in ["sam", "ghost"] {
      let late = try await poll(served, person, past)
      #expect(late.status == 401, "\(late.body)")
    }
    #expect(try await poll(served, "sam", "made-up").status == 400)
    #expect(served.stop() == .exited(0))
  }

  @Test func anExpiredLinkSaysSoAndApprovesNothing() async throws {
    let sink = try SMTPSink()
    defer { sink.stop() }
    let served = try serve(sink)
    let (_, request) = try await ask(served, "sam")
    let mail = try #require(try await mailedSignIn(sink, after: 0))
    // Fifteen minutes pass: the access file says the sign-in ran out.
    let file = sync.accord.workspace.appendingPathComponent(".accord-access.json")
    let text = try String(contentsOf: file, encoding: .utf8)
    let aged = text.replacing(/"expiresAt" : "[^"]+"(,\s*"failures")/) { "\"expiresAt\" : \"2020-01-01T00:00:00Z\"" + $0.1 }
    #expect(aged != text)
    try aged.write(to: file, atomically: true, encoding: .utf8)
    let page = try await openLink(mail.link)
    #expect(page.answer.status == 410 && page.answer.body.contains("Link expired"), "\(page.answer.body)")
    #expect(page.action == nil)
    let pressed = try await postForm(served.base, "/sign-in/laptop", ["secret": mail.link.lastPathComponent])
    #expect(pressed.status == 410)
    #expect(try await poll(served, "sam", request).status == 202)
    #expect(served.stop() == .exited(0))
  }
}
