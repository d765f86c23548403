import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Every new event gets an id (a UUIDv7), files with ids are format 6, and a change is
/// applied once: through the built binary, and through the served API with `Idempotency-Key`.
@Suite("Event ids end to end", .serialized)
struct EventIDEndToEndTests {
  /// Whether `text` is a UUIDv7 in lowercase canonical form.
  static func isVersion7(_ text: String?) -> Bool {
    guard let text else { return false }
    return text.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil
  }

  /// The client file as JSON.
  static func file(_ accord: AccordBinary, _ client: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: accord.stateFile(client)) as? [String: Any])
  }

  static func events(_ file: [String: Any]) -> [[String: Any]] {
    file["events"] as? [[String: Any]] ?? []
  }

  @Test func aNewClientsEventsEachHaveAnIDAndItsFileIsFormat6() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
    #expect(try accord("complete", "acme", "stakeholder-map").status == 0)
    let file = try Self.file(accord, "acme")
    #expect(file["format"] as? Int == 6)
    let ids = Self.events(file).compactMap { $0["id"] as? String }
    #expect(ids.count == 3)
    #expect(ids.allSatisfy(Self.isVersion7), "\(ids)")
    #expect(Set(ids).count == 3)
    // Made in order, so they sort in order.
    #expect(ids == ids.sorted())
    // `log --json` and a change's own answer carry them as stored.
    let log = try #require(try accord("log", "acme", "--json").json() as? [[String: Any]])
    #expect(log.compactMap { $0["id"] as? String } == ids)
    let change = try accord("assign", "acme", "sales-manager", "sean", "--json")
    #expect(change.status == 0, "\(change.stderr)")
    let answer = try #require(try change.json() as? [String: Any])
    let event = try #require(answer["event"] as? [String: Any])
    let made = try #require(event["id"] as? String)
    #expect(Self.events(try Self.file(accord, "acme")).last?["id"] as? String == made)
    let check = try accord("check", "acme")
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
  }

  /// A format-1 file keeps its old events as they were (no ids) and becomes format 6 with its
  /// first new event; it checks sound before and after.
  @Test func anOldFileGainsIDsAndFormat6OnItsFirstNewEvent() throws {
    let accord = try CompatibilityTests.workspaceWithOldFiles()
    let original = try CompatibilityTests.fixture("acme.json")
    let old = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
    // A read leaves it as it is.
    #expect(try accord("status", "acme").status == 0)
    #expect(try accord.stateFile("acme") == original)
    let assign = try accord("assign", "acme", "sales-manager", "kim")
    #expect(assign.status == 0, "\(assign.stderr)")
    let file = try Self.file(accord, "acme")
    #expect(old["format"] as? Int == 1)
    #expect(file["format"] as? Int == 6)
    let before = Self.events(old)
    let after = Self.events(file)
    #expect(after.count > before.count)
    for (position, event) in before.enumerated() {
      #expect(try same(after[position], event), "events[\(position)] changed")
    }
    // The seal of the playbook text and the change: each with an id of its own.
    let added = after[before.count...].map { $0["id"] as? String }
    #expect(added.allSatisfy(Self.isVersion7), "\(added)")
    #expect(after[after.count - 1]["type"] as? String == "assigned")
    let check = try accord("check")
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
  }

  /// An id repeated by hand is reported by `check` (beside the break in the chain the edit
  /// makes), and every read refuses the file.
  @Test func aHandEditedDuplicateIDIsReported() throws {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    #expect(try accord("assign", "acme", "czar", "carol").status == 0)
    #expect(try accord("complete", "acme", "stakeholder-map").status == 0)
    let url = accord.workspace.appendingPathComponent("acme.json")
    var text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    var events = Self.events(try Self.file(accord, "acme"))
    let repeated = try #require(events[1]["id"] as? String)
    let replaced = try #require(events[2]["id"] as? String)
    text = text.replacing(replaced, with: repeated)
    try Data(text.utf8).write(to: url)
    events = Self.events(try Self.file(accord, "acme"))
    #expect(events[2]["id"] as? String == repeated)

    let check = try accord("check", "acme")
    #expect(check.status != 0)
    #expect(check.stdout.contains("events[2]"), "\(check.stdout)")
    #expect(check.stdout.contains("holds an event with id \(repeated) already"), "\(check.stdout)")
    let status = try accord("status", "acme")
    #expect(status.status == 65, "\(status.stderr)")
  }

  // MARK: - The API

  /// An answer with its headers.
  struct Answer {
    var status: Int
    var body: String
    var headers: [String: String]
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
    var event: [String: Any] { json["event"] as? [String: Any] ?? [:] }
  }

  static func post(
    _ base: URL, _ path: String, token: String, body: [String: String], key: String?
  ) async throws -> Answer {
    var request = URLRequest(url: base.appendingPathComponent("api/v1/clients/acme/" + path))
    request.httpMethod = "POST"
    request.timeoutInterval = 60
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
    request.httpBody = Data(try jsonText(body).utf8)
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(for: request)
    let http = response as? HTTPURLResponse
    var headers: [String: String] = [:]
    for (name, value) in http?.allHeaderFields ?? [:] {
      if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
    }
    return Answer(status: http?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self), headers: headers)
  }

  @Test func aRetriedPostWithTheSameKeyWritesOneEventAndAnswersAsTheFirstDid() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let base = served.base
    let carol = try served.token(for: "carol")
    let sam = try served.token(for: "sam")
    let key = "0193A5D0-AC96-774B-BCCE-B302099A8057"
    let id = key.lowercased()
    let body = ["milestone": "sales-baseline", "note": "numbers in"]

    let first = try await Self.post(base, "complete", token: carol, body: body, key: key)
    try #require(first.status == 200, "\(first.body)")
    #expect(first.event["id"] as? String == id)
    #expect(first.headers["idempotent-replayed"] == nil)
    #expect(first.json["replayed"] == nil)
    let written = try space.accord.stateFile("acme")
    let count = Self.events(try Self.file(space.accord, "acme")).count

    // Sent again, as a client whose answer was lost would (the key as the draft writes it,
    // a structured-field string): the same answer, said to be a replay, nothing written.
    for retry in [key, "\"\(id)\""] {
      let again = try await Self.post(base, "complete", token: carol, body: body, key: retry)
      #expect(again.status == 200, "\(again.body)")
      #expect(again.headers["idempotent-replayed"] == "true")
      #expect(again.json["replayed"] as? Bool == true)
      var replayed = again.json
      replayed["replayed"] = nil
      #expect(try same(replayed, first.json), "\(again.body)\nvs\n\(first.body)")
      #expect(try space.accord.stateFile("acme") == written)
    }

    // Another change under the used key, or the same one by someone else: 409, nothing written.
    let other = try await Self.post(base, "complete", token: carol, body: ["milestone": "marketing-baseline"], key: key)
    #expect(other.status == 409, "\(other.body)")
    #expect(try errorOf(other.body)["code"] as? String == "duplicate-event")
    #expect(try errorOf(other.body)["id"] as? String == id)
    let note = try await Self.post(base, "complete", token: carol, body: ["milestone": "sales-baseline"], key: key)
    #expect(note.status == 409, "\(note.body)")
    let bySam = try await Self.post(base, "complete", token: sam, body: body, key: key)
    #expect(bySam.status == 409, "\(bySam.body)")
    #expect(try space.accord.stateFile("acme") == written)

    // A key that is not a UUID is a bad request; no key is a new id each time.
    let bad = try await Self.post(base, "complete", token: carol, body: ["milestone": "marketing-baseline"], key: "once")
    #expect(bad.status == 400, "\(bad.body)")
    #expect(try errorOf(bad.body)["header"] as? String == "Idempotency-Key")
    #expect(try space.accord.stateFile("acme") == written)
    let plain = try await Self.post(base, "complete", token: carol, body: ["milestone": "marketing-baseline"], key: nil)
    #expect(plain.status == 200, "\(plain.body)")
    #expect(Self.isVersion7(plain.event["id"] as? String))
    #expect(served.stop() == .exited(0))

    // One event under the key, in the file and in `log`.
    let events = Self.events(try Self.file(space.accord, "acme"))
    #expect(events.count == count + 1)
    #expect(events.filter { $0["id"] as? String == id }.count == 1)
    #expect(try space.accord("check", "acme").status == 0)
  }

  /// Many retries of one change at once, as a client with a short timeout sends them: one
  /// event, and every answer the first one's.
  @Test func concurrentRetriesWriteOneEvent() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let served = try ServedWorkspace(space)
    let base = served.base
    let carol = try served.token(for: "carol")
    let key = "0193a5d0-ac96-774b-bcce-b302099a8058"
    let count = Self.events(try Self.file(space.accord, "acme")).count
    let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
      for _ in 0..<6 {
        group.addTask {
          try await Self.post(base, "complete", token: carol, body: ["milestone": "sales-baseline"], key: key)
        }
      }
      var answers: [Answer] = []
      for try await answer in group { answers.append(answer) }
      return answers
    }
    #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.body))")
    #expect(answers.filter { $0.headers["idempotent-replayed"] == "true" }.count == 5)
    #expect(Set(answers.map { $0.event["id"] as? String }) == [key])
    #expect(served.stop() == .exited(0))
    #expect(Self.events(try Self.file(space.accord, "acme")).count == count + 1)
  }
}
