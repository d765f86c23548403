import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `accord login`'s side of the server: a one-time code mailed through the outbox and the
/// relay `serve --smtp` names, exchanged once for a token of the person's own; a wrong,
/// used or burnt code is 401, and nobody learns from the answers who has access.
@Suite("Web API: signing in the command line by a mailed code", .serialized)
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
}
