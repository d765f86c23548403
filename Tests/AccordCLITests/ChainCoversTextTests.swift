import Foundation
import ProgrammeEngine
import Testing

/// The history's chain covers the playbook text it runs on, and no command but `check` and
/// `log` serves or changes a history whose chain breaks (issue 19, section 3). Through the
/// built binary and the served API, each on a machine with no memory of the client and no
/// compiled playbooks (fresh XDG state and cache folders).
@Suite("Reliability: the chain covers what was signed")
struct ChainCoversTextTests {
  /// `accord` on the same workspace as a machine that never saw it: fresh state and cache.
  static func freshMachine(_ accord: AccordBinary) -> AccordBinary {
    var fresh = accord
    let id = UUID().uuidString
    fresh.stateHome = accord.folder.appendingPathComponent("fresh-state-\(id)")
    fresh.cacheHome = accord.folder.appendingPathComponent("fresh-cache-\(id)")
    return fresh
  }

  static func sha256(_ text: String) -> String {
    SHA256.hex(text.utf8)
  }

  /// The client file as an object, edited by `edit` and written back.
  static func edit(_ accord: AccordBinary, _ client: String = "acme", _ edit: (inout [String: Any]) throws -> Void) throws {
    let file = accord.workspace.appendingPathComponent("\(client).json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    try edit(&object)
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: file)
  }

  /// Edits the fourth event of acme's history in place (who was assigned), as a hand edit
  /// would, leaving every link and the head as they were.
  static func editMidHistory(_ accord: AccordBinary) throws {
    try edit(accord) { file in
      var events = try #require(file["events"] as? [[String: Any]])
      events[3]["person"] = "mallory"
      file["events"] = events
    }
  }

  @Test func aNewClientRecordsItsTextAndIsFormatFive() throws {
    let accord = try TamperEvidenceTests.client()
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    let playbook = try #require(file["playbook"] as? [String: Any])
    let events = try #require(file["events"] as? [[String: Any]])
    #expect(events[0]["playbook"] as? String == playbook["sha256"] as? String)
    // 5 for the text its chain covers, and 6 for its events' ids.
    #expect(file["format"] as? Int == 6)
    let check = try accord("check", "acme")
    #expect(check.status == 0, "\(check.stdout)")
    #expect(!check.stdout.contains("not yet covered"), "\(check.stdout)")
  }

  /// The attack of the issue: an agreement's terms changed in the stored text, its
  /// `sha256` recomputed. A machine that never saw the client still catches it.
  @Test func editedTermsWithARecomputedHashFailCheckAndAreRefused() throws {
    let accord = try TamperEvidenceTests.client()
    try Self.edit(accord) { file in
      var playbook = try #require(file["playbook"] as? [String: Any])
      let source = try #require(playbook["source"] as? String)
      let edited = source.replacing("change them only", with: "change them whenever the sponsor likes, not only")
      try #require(edited != source)
      playbook["source"] = edited
      playbook["sha256"] = Self.sha256(edited)
      file["playbook"] = playbook
    }
    let edited = try accord.stateFile("acme")
    let fresh = Self.freshMachine(accord)

    let check = try fresh("check", "acme")
    #expect(check.status == 65, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("playbook.source: the stored playbook text hashes to"), "\(check.stdout)")
    #expect(check.stdout.contains("events[0] (started) records"), "\(check.stdout)")

    let next = try fresh("next", "acme", "--json")
    #expect(next.status == 65, "\(next.stderr)")
    let error = try errorOf(next.stderr)
    #expect(error["code"] as? String == "corrupt-file")
    #expect((error["message"] as? String)?.contains("playbook.source") == true, "\(next.stderr)")
    // Nobody is asked to sign again: nothing is served and nothing written.
    let sign = try fresh("sign", "acme", "collaboration-charter", as: "sam")
    #expect(sign.status == 65, "\(sign.stderr)")
    #expect(try accord.stateFile("acme") == edited)
  }

  /// A history edited mid-way is refused by a read and a change alike, naming the first bad
  /// event and `accord check`, and the file is left as it was.
  @Test func aMidHistoryEditIsRefusedByNextAndByAChange() throws {
    let accord = try TamperEvidenceTests.client()
    try Self.editMidHistory(accord)
    let edited = try accord.stateFile("acme")
    let fresh = Self.freshMachine(accord)
    let next = try fresh("next", "acme", "--json")
    #expect(next.status == 65, "\(next.stderr)")
    let error = try errorOf(next.stderr)
    #expect(error["code"] as? String == "corrupt-file")
    #expect(error["event"] as? String == "4")
    let message = try #require(error["message"] as? String)
    #expect(message.contains("hash chain breaks at events[4]"), "\(message)")
    #expect(message.contains("accord check acme"), "\(message)")

    let text = try fresh("status", "acme")
    #expect(text.status == 65)
    #expect(text.stderr.contains("accord: error: "), "\(text.stderr)")
    let change = try fresh("assign", "acme", "sponsor", "sid")
    #expect(change.status == 65, "\(change.stderr)")
    #expect(change.stderr.contains("hash chain breaks at events[4]"), "\(change.stderr)")
    #expect(try accord.stateFile("acme") == edited)
  }

  /// `log` still prints a damaged client as its file holds it, and says it is damaged.
  @Test func logPrintsADamagedClientAndSaysSo() throws {
    let accord = try TamperEvidenceTests.client()
    try Self.editMidHistory(accord)
    let edited = try accord.stateFile("acme")
    let log = try accord("log", "acme")
    #expect(log.status == 65, "\(log.stderr)")
    #expect(log.stdout.contains("head-of-marketing -> mallory") || log.stdout.contains("-> mallory"), "\(log.stdout)")
    #expect(log.stdout.split(separator: "\n").count == 8, "\(log.stdout)")
    #expect(log.stderr.contains("is damaged: the history's hash chain breaks at events[4]"), "\(log.stderr)")
    let json = try accord("log", "acme", "--json")
    #expect(json.status == 65)
    #expect(try jsonArray(json.stdout).count == 8)
    #expect(try errorOf(json.stderr)["code"] as? String == "corrupt-file")
    #expect(try accord.stateFile("acme") == edited)
  }

  /// The API answers a damaged client with a 500 that names no path and no hash.
  @Test func theAPIRefusesAMidHistoryEditWithA500ThatNamesNoInternals() async throws {
    let space = try APIWorkspace()
    try space.seed()
    let token = try space.token(for: "alice", clients: ["acme"]).token
    try Self.edit(space.accord) { file in
      var events = try #require(file["events"] as? [[String: Any]])
      events[2]["person"] = "mallory"
      file["events"] = events
    }
    let edited = try space.accord.stateFile("acme")
    let served = try ServedWorkspace(space)
    for (method, path, body) in [
      ("GET", "api/v1/clients/acme/next", nil),
      ("GET", "api/v1/clients/acme/status", nil),
      ("POST", "api/v1/clients/acme/complete", try jsonText(["milestone": "stakeholder-map"])),
    ] as [(String, String, String?)] {
      let answer = try await served.send(method, path, token: token, body: body)
      #expect(answer.status == 500, "\(method) \(path): \(answer.status) \(answer.body)")
      let error = try errorOf(answer.body)
      #expect(error["code"] as? String == "corrupt-file", "\(answer.body)")
      #expect(!answer.body.contains(space.accord.workspace.path), "\(answer.body)")
      #expect(!answer.body.contains("/"), "\(answer.body)")
      #expect(answer.body.firstMatch(of: #/[0-9a-f]{12}/#) == nil, "\(answer.body)")
      #expect(!answer.body.contains("events["), "\(answer.body)")
    }
    #expect(try space.accord.stateFile("acme") == edited)
  }

  /// A file from before: `check` notes its text is not yet covered, reads leave it byte for
  /// byte, and the first change seals the text in force into the chain (format 5), after
  /// which `check` passes with no note. Then an edit to that text is caught.
  @Test func anOldFileIsSealedByItsNextChange() throws {
    let accord = try CompatibilityTests.workspaceWithOldFiles()
    let original = try accord.stateFile("acme")
    let check = try accord("check", "acme")
    #expect(check.status == 0, "\(check.stdout)")
    #expect(check.stdout.contains("the playbook text is not yet covered by the history's hash chain"), "\(check.stdout)")
    for arguments in [["next", "acme"], ["status", "acme", "--json"], ["log", "acme"], ["check"]] {
      #expect(try accord.run(arguments).status == 0, "\(arguments)")
      #expect(try accord.stateFile("acme") == original, "accord \(arguments.joined(separator: " ")) wrote")
    }

    let complete = try accord("complete", "acme", "tooling-chosen", as: "sid")
    #expect(complete.status == 0, "\(complete.stderr)")
    let old = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
    let oldEvents = try #require(old["events"] as? [[String: Any]])
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    let events = try #require(file["events"] as? [[String: Any]])
    // Sealed (5), and the seal and the change have ids (6).
    #expect(file["format"] as? Int == 6)
    #expect(events.count == oldEvents.count + 2)
    let seal = events[oldEvents.count]
    #expect(seal["type"] as? String == "sealed")
    #expect(seal["by"] as? String == "sid")
    #expect(seal["sha256"] as? String == (file["playbook"] as? [String: Any])?["sha256"] as? String)
    #expect(events[oldEvents.count + 1]["type"] as? String == "completed")

    let after = try Self.freshMachine(accord)("check", "acme")
    #expect(after.status == 0, "\(after.stdout)")
    #expect(!after.stdout.contains("not yet covered"), "\(after.stdout)")
    let log = try accord("log", "acme")
    #expect(log.stdout.contains("sid    sealed"), "\(log.stdout)")
    #expect(log.stdout.contains("taken into the history's chain"), "\(log.stdout)")

    // Now covered: the text edited with its hash recomputed is caught.
    try Self.edit(accord) { file in
      var playbook = try #require(file["playbook"] as? [String: Any])
      let source = try #require(playbook["source"] as? String) + "\n# edited\n"
      playbook["source"] = source
      playbook["sha256"] = Self.sha256(source)
      file["playbook"] = playbook
    }
    let caught = try Self.freshMachine(accord)("check", "acme")
    #expect(caught.status == 65, "\(caught.stdout)")
    #expect(caught.stdout.contains("playbook.source: the stored playbook text hashes to"), "\(caught.stdout)")
    #expect(caught.stdout.contains("(sealed) records"), "\(caught.stdout)")
  }
}
