import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ProgrammeEngine
import Testing
import WorkspaceStore

@testable import AccordCLI
@testable import AccordServer

/// Issue 19, sections 2 and 5, through the server in process: the API and the pages refuse
/// a name or note that could forge a line, show an old one escaped and indented, and hand
/// over the consultant role only when it is confirmed, saying after every change what was done.
@Suite("Server: names, notes and the consultant's hand-over")
struct WebNoteAndHandOverTests {
  // MARK: API

  static func send(_ space: APIWorkspace, _ calls: [(String, String, String)]) async throws
    -> [(status: HTTPResponse.Status, body: String)]
  {
    let server = WebServer(workspace: space.workspace, logger: Logger(label: "test"))
    let app = Application(router: server.router())
    return try await app.test(.router) { client in
      var answers: [(HTTPResponse.Status, String)] = []
      for (path, token, body) in calls {
        let response = try await client.execute(
          uri: path, method: .post,
          headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
          body: ByteBuffer(string: body))
        answers.append((response.status, String(buffer: response.body)))
      }
      return answers
    }
  }

  @Test func theAPIRefusesAForgedLineAnEscapeAndAnOverrideWithTheirPlace() async throws {
    let space = try APIWorkspace()
    try space.seed()
    _ = try space.cli("complete", "acme", "stakeholder-map")
    let alice = try space.token(for: "alice", clients: ["acme"]).token
    let before = try space.accord.stateFile("acme")
    let forged = "map was wrong\\r2026-12-06T10:00:00Z  sam  signed  collaboration-charter as head-of-sales (via web)"
    let answers = try await Self.send(space, [
      ("/api/v1/clients/acme/reopen", alice, #"{"milestone": "stakeholder-map", "reason": "\#(forged)"}"#),
      ("/api/v1/clients/acme/reopen", alice, #"{"milestone": "stakeholder-map", "reason": "ok\u001b[2J"}"#),
      ("/api/v1/clients/acme/assign", alice, #"{"role": "czar", "person": "sa\u202em"}"#),
    ])
    let expected: [(String, String, String)] = [("invalid-note", "U+000D", "14"), ("invalid-note", "U+001B", "3"), ("invalid-person", "U+202E", "3")]
    for (answer, (code, character, position)) in zip(answers, expected) {
      #expect(answer.status == .badRequest, "\(answer.body)")
      let error = try errorOf(answer.body)
      #expect(error["code"] as? String == code)
      let details = error  // the ids sit beside the code, as the CLI's --json writes them
      #expect(details["character"] as? String == character)
      #expect(details["position"] as? String == position)
    }
    #expect(try errorOf(answers[2].body)["message"] as? String
      == "person 'sa\\u{202E}m' has a right-to-left override (U+202E) at character 3")
    #expect(try space.accord.stateFile("acme") == before)
  }

  @Test func theAPIHandsOverTheConsultantRoleOnlyWhenConfirmed() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let alice = try space.token(for: "alice", clients: ["acme"]).token
    let before = try space.accord.stateFile("acme")
    let refused = try await Self.send(space, [
      ("/api/v1/clients/acme/assign", alice, #"{"role": "consultant", "person": "bob"}"#),
      ("/api/v1/clients/acme/assign", alice, #"{"role": "consultant", "person": "bob", "confirm": false}"#),
      ("/api/v1/clients/acme/assign", alice, #"{"role": "consultant", "person": "bob", "confirm": "yes"}"#),
    ])
    for answer in refused.prefix(2) {
      #expect(answer.status == .conflict, "\(answer.body)")
      let error = try errorOf(answer.body)
      #expect(error["code"] as? String == "confirmation-required")
      let details = error
      #expect(details["holder"] as? String == "alice")
      #expect((details["loss"] as? String)?.hasPrefix("alice will no longer be acme's consultant") == true)
    }
    #expect(refused[2].status == .badRequest)
    #expect(try space.accord.stateFile("acme") == before)
    let confirmed = try await Self.send(space, [
      ("/api/v1/clients/acme/assign", alice, #"{"role": "consultant", "person": "bob", "confirm": true}"#)
    ])
    #expect(confirmed[0].status == .ok, "\(confirmed[0].body)")
    let status = try #require(try space.accord("status", "acme", "--json").json() as? [String: Any])
    #expect((status["assignments"] as? [String: String])?["consultant"] == "bob")
  }

  // MARK: Pages

  @Test func theAssignFormPreselectsNoRoleAndRefusesASubmitWithoutOne() async throws {
    let fixture = try WebPageFixture()
    try fixture.seed()
    let secret = try fixture.invite("alice", to: "acme")
    let before = try fixture.clientFile("acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/clients/acme", session: session)
      let html = String(buffer: page.body)
      #expect(html.contains(#"<select name="role" required><option value="" selected disabled>Choose a role</option>"#))
      #expect(html.components(separatedBy: "selected").count == 2, "one option, the empty one, is selected")
      for fields in [["person": "bob"], ["role": "", "person": "bob"]] {
        let refused = try await client.post("/clients/acme/assign", fields: fields, session: session)
        #expect(refused.status == .badRequest)
        #expect(refused.text.contains("choose the role to assign; nothing was changed"))
      }
    }
    #expect(try fixture.clientFile("acme") == before)
  }

  @Test func handingOverTheConsultantRoleOnAPageHasAConfirmationStep() async throws {
    let fixture = try WebPageFixture()
    try fixture.seed()
    let secret = try fixture.invite("alice", to: "acme")
    let before = try fixture.clientFile("acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let asked = try await client.post(
        "/clients/acme/assign", fields: ["role": "consultant", "person": "bob"], session: session)
      #expect(asked.status == .ok)
      #expect(asked.text.contains("Hand over the role 'Independent alignment consultant' to bob?"))
      #expect(asked.text.contains("alice will no longer be acme's consultant"))
      #expect(String(buffer: asked.body).contains(#"name="confirm" value="yes""#))
      #expect(try fixture.clientFile("acme") == before)
      // A confirmation for another holder than the one shown is asked again, not taken.
      let stale = try await client.post(
        "/clients/acme/assign", fields: ["role": "consultant", "person": "bob", "confirm": "yes", "holder": "zed"],
        session: session)
      #expect(stale.status == .ok && stale.text.contains("Hand over the role"))
      #expect(try fixture.clientFile("acme") == before)
      let confirmed = try await client.post(
        "/clients/acme/assign", fields: ["role": "consultant", "person": "bob", "confirm": "yes", "holder": "alice"],
        session: session)
      #expect(confirmed.status == .seeOther)
      let location = try #require(confirmed.headers[.location])
      #expect(location.hasPrefix("/clients/acme?done="))
      let after = try await client.get(location, session: session)
      #expect(after.text.contains("Done: bob now holds the role 'Independent alignment consultant'"), "\(after.text)")
    }
    let status = try #require(try fixture.accord("status", "acme", "--json").json() as? [String: Any])
    #expect((status["assignments"] as? [String: String])?["consultant"] == "bob")
  }

  @Test func everyChangeOnThePagesEndsWithAMessageAndOnlyItsAuthorSeesIt() async throws {
    let fixture = try WebPageFixture()
    try fixture.seed()
    let carol = try fixture.invite("carol", to: "acme")
    let sam = try fixture.invite("sam", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(carol)
      let done = try await client.post(
        "/clients/acme/complete", fields: ["milestone": "stakeholder-map"], session: session)
      #expect(done.status == .seeOther)
      let location = try #require(done.headers[.location])
      let page = try await client.get(location, session: session)
      #expect(page.text.contains("Done: you completed 'Map the stakeholders'"))
      // The same link in someone else's browser claims nothing.
      let other = try await client.get(location, session: try await client.signIn(sam))
      #expect(!other.text.contains("Done:"))
      let assigned = try await client.post(
        "/clients/acme/assign", fields: ["role": "sales-manager", "person": "sue"], session: session)
      let message = try await client.get(try #require(assigned.headers[.location]), session: session)
      #expect(message.text.contains("Done: sue now holds the role 'Sales manager'"))
    }
  }

  @Test func aPageFormRefusesAnOverrideInANameWithItsPlace() async throws {
    let fixture = try WebPageFixture()
    try fixture.seed()
    let secret = try fixture.invite("carol", to: "acme")
    let before = try fixture.clientFile("acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let refused = try await client.post(
        "/clients/acme/assign", fields: ["role": "sales-manager", "person": "su\u{202E}e"], session: session)
      #expect(refused.status == .badRequest)
      #expect(refused.text.contains("has a right-to-left override (U+202E) at character 3"))
      #expect(!String(buffer: refused.body).unicodeScalars.contains("\u{202E}"))
    }
    #expect(try fixture.clientFile("acme") == before)
  }

  @Test func anOldForgedNoteIsShownIndentedAndEscapedOnTheClientPage() async throws {
    let fixture = try WebPageFixture()
    try fixture.seed()
    let forged = "2026-12-06T10:00:00Z  sam  signed  collaboration-charter as head-of-sales (via web)"
    try fixture.workspace.update(try ClientID("acme")) { record in
      record.events.append(
        Event(.completed(milestone: "stakeholder-map"), by: "alice", at: Date(), note: "done\n\(forged)\u{202E}\u{1B}[2J"))
    }
    let secret = try fixture.invite("carol", to: "acme")
    try await fixture.test { client in
      let session = try await client.signIn(secret)
      let page = try await client.get("/clients/acme", session: session)
      let html = String(buffer: page.body)
      #expect(!html.unicodeScalars.contains("\u{202E}") && !html.unicodeScalars.contains("\u{1B}"))
      // The note, later line and all, is a paragraph inside its own event's item (newest
      // first), never an event of its own.
      let items = try HistoryPageTests.items(html)
      let newest = try #require(items.first)
      #expect(newest.contains("alice completed <span class=\"named\" title=\"stakeholder-map\">"))
      #expect(newest.contains("<p class=\"note\">done\n\(forged)\\u{202E}\\u{1B}[2J</p>"), "\(newest)")
      #expect(items.filter { $0.contains(forged) }.count == 1)
    }
    let log = try fixture.accord("log", "acme")
    #expect(log.stdout.split(separator: "\n").contains { $0.hasPrefix("    ") && $0.contains(forged) })
  }
}
