import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `POST /api/v1/clients/CLIENT/survey/open` and `.../survey/close`, which `accord survey
/// open|close --remote NAME` send: the server opens and closes the round in its own survey
/// box, as the token's person, refused as the engine refuses anyone without the role.
@Suite("Web API: a survey round opened and closed from a laptop", .serialized)
struct SurveyAPITests {
  /// One answer to the bundled survey, from a sales manager, every statement a 4.
  static func answer(_ space: APIWorkspace) throws -> [(String, String)] {
    let header = try space.accord("survey", "template", "acme").stdout.trimmingCharacters(in: .newlines)
    let statements = header.split(separator: ",").dropFirst(3).map(String.init)
    return [("team", "sales"), ("level", "manager")] + statements.map { ("s." + $0, "4") }
  }

  @Test func theCzarOpensARoundItsAnswersAreTakenAndSheClosesIt() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let carol = try space.token(for: "carol", clients: ["acme"]).token
    let opened = try await served.send(
      "POST", "api/v1/clients/acme/survey/open", token: carol, body: #"{"round": "pilot", "codes": 3, "note": "at the offsite"}"#)
    #expect(opened.status == 200, "\(opened.body)")
    #expect(opened.json["round"] as? String == "pilot")
    #expect(opened.json["shared"] as? Bool == false)
    let codes = try #require(opened.json["codes"] as? [String])
    #expect(codes.count == 3 && Set(codes).count == 3)
    let opening = try #require(try jsonArray(space.cli("log", "acme")).last as? [String: Any])
    #expect(opening["type"] as? String == "surveyOpened" && opening["by"] as? String == "carol")
    #expect(opening["via"] as? String == "remote" && opening["note"] as? String == "at the offsite")

    // A code works on the server's survey page.
    let page = served.base.appendingPathComponent("survey/\(codes[0])")
    let sent = try await SurveyWebEndToEndTests.post(page, try Self.answer(space))
    #expect(sent.status == 200, "\(sent.body)")

    let closed = try await served.send(
      "POST", "api/v1/clients/acme/survey/close", token: carol, body: #"{"round": "pilot"}"#)
    #expect(closed.status == 200, "\(closed.body)")
    // Answered as `survey close --json` prints it: the event, with the one answer.
    let event = try #require(closed.json["event"] as? [String: Any])
    #expect(event["type"] as? String == "surveyClosed" && event["via"] as? String == "remote")
    #expect((event["responses"] as? [Any])?.count == 1, "\(event)")
    let rounds = try #require(try jsonObject(space.cli("survey", "status", "acme"))["rounds"] as? [[String: Any]])
    #expect(rounds.contains { $0["round"] as? String == "pilot" && $0["state"] as? String == "closed" }, "\(rounds)")
    // Closed once: again is the engine's refusal, and the codes work no more.
    let again = try await served.send(
      "POST", "api/v1/clients/acme/survey/close", token: carol, body: #"{"round": "pilot"}"#)
    #expect(again.status == 409)
    #expect(try errorOf(again.body)["code"] as? String == "round-not-open")
    #expect(try await SurveyWebEndToEndTests.fetch(served.base.appendingPathComponent("survey/\(codes[1])")).status == 404)

    #expect(served.stop() == .exited(0))
    // The codes are in the answer only: in no line the server logged.
    for code in codes {
      #expect(!served.server.stdout.contains(code) && !served.server.stderr.contains(code))
    }
  }

  @Test func someoneWithoutTheRoleOrTheClientOrWithABadBodyChangesNothing() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let before = try space.accord.stateFile("acme")
    let boxes = try Self.boxes(space)
    // sam sees acme but holds neither the consultant's role nor the czar's.
    let sam = try space.token(for: "sam", clients: ["acme"]).token
    for (path, body) in [("open", #"{"codes": 2}"#), ("close", #"{"round": "round-1"}"#)] {
      let refused = try await served.send("POST", "api/v1/clients/acme/survey/\(path)", token: sam, body: body)
      #expect(refused.status == 403, "\(path): \(refused.body)")
      #expect(try errorOf(refused.body)["code"] as? String == "not-permitted")
    }
    // gus's token does not open acme: it is not there, for him.
    let gus = try space.token(for: "gus", clients: ["globex"]).token
    for path in ["open", "close"] {
      let hidden = try await served.send(
        "POST", "api/v1/clients/acme/survey/\(path)", token: gus, body: #"{"round": "pilot"}"#)
      #expect(hidden.status == 404, "\(path): \(hidden.body)")
    }
    // The options are checked as the command line checks them, before a box is made.
    let alice = try space.token(for: "alice", clients: ["acme"]).token
    for (body, field) in [
      (#"{"codes": 0}"#, "codes"), (#"{"codes": 10001}"#, "codes"), (#"{"codes": "3"}"#, "codes"),
      (#"{"codes": true}"#, "codes"), (#"{"round": "no good"}"#, "round"), (#"{"closes": "2020-01-01"}"#, "closes"),
      (#"{"closes": "soon"}"#, "closes"),
    ] {
      let bad = try await served.send("POST", "api/v1/clients/acme/survey/open", token: alice, body: body)
      #expect(bad.status == 400, "\(body): \(bad.body)")
      #expect(try errorOf(bad.body)["field"] as? String == field, "\(bad.body)")
    }
    let noRound = try await served.send("POST", "api/v1/clients/acme/survey/close", token: alice, body: "{}")
    #expect(noRound.status == 400)
    // A round name taken by the imported round.
    let taken = try await served.send(
      "POST", "api/v1/clients/acme/survey/open", token: alice, body: #"{"round": "round-1"}"#)
    #expect(taken.status == 409, "\(taken.body)")
    #expect(try errorOf(taken.body)["code"] as? String == "round-exists")
    #expect(try space.accord.stateFile("acme") == before)
    let after = try Self.boxes(space)
    #expect(after == boxes, "\(boxes) \(after)")
    #expect(served.stop() == .exited(0))
  }

  /// The rounds' files in the workspace's survey box (its folder and lock left out: a
  /// refused opening may leave those, as on the command line).
  static func boxes(_ space: APIWorkspace) throws -> [String] {
    let folder = space.accord.workspace
    let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
    return names.filter { $0.hasPrefix(".accord-survey/") && $0 != ".accord-survey/lock" }.sorted()
  }
}
