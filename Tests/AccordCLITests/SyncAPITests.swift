import Foundation
import Testing
import WorkspaceStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A client on a small playbook for the sync routes, served by the built `accord serve`,
/// and a laptop: a second workspace holding a copy of the client's file, where changes are
/// made with the CLI as they would be offline, then pushed one event at a time.
struct SyncWorkspace {
  /// brief, then plan (which needs it), and a charter the head of sales signs.
  static let playbook = """
    playbook: sync
    version: 1
    title: Sync
    roles:
      consultant: Consultant
      czar: Czar
      head-of-sales: Head of sales
    stages:
      - id: one
        title: One
        milestones:
          - id: brief
            title: Brief
            owner: consultant
          - id: plan
            title: Plan
            owner: consultant
            needs: [brief]
        agreements:
          - id: charter
            title: The charter
            terms: |
              We agree to meet weekly.
            signatories: [head-of-sales]

    """

  /// Version 2: plan gives way to review, so an upgrade drops plan (and needs --force once
  /// plan is done).
  static let version2 = playbook.replacingOccurrences(of: "version: 1\n", with: "version: 2\n")
    .replacingOccurrences(of: "id: plan\n        title: Plan", with: "id: review\n        title: Review")

  let space: APIWorkspace
  var accord: AccordBinary { space.accord }
  /// The laptop: its own workspace, config and state.
  let laptop: AccordBinary

  init() throws {
    space = try APIWorkspace()
    laptop = try AccordBinary()
    let path = space.accord.folder.appendingPathComponent("sync.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    try #require(try accord("start", "acme", "--name", "Acme Ltd", "--playbook", path.path).status == 0)
    try #require(try accord("assign", "acme", "czar", "carol").status == 0)
    try #require(try accord("assign", "acme", "head-of-sales", "sam").status == 0)
  }

  /// Copies the server's file of acme to the laptop, as sync's replica holds it.
  func copyToLaptop() throws {
    try FileManager.default.createDirectory(at: laptop.workspace, withIntermediateDirectories: true)
    let target = laptop.workspace.appendingPathComponent("acme.json")
    try? FileManager.default.removeItem(at: target)
    try accord.stateFile("acme").write(to: target)
  }

  /// Runs `arguments` on the laptop's copy as `person` and answers the event it made, as
  /// `log --json` prints it.
  func offline(_ arguments: String..., as person: String) throws -> String {
    let run = try laptop.run(arguments, as: person)
    try #require(run.status == 0, "accord \(arguments.joined(separator: " ")): \(run.stderr)")
    let log = try laptop("log", "acme", "--json", as: person)
    let events = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [Any])
    let last = try #require(events.last)
    return String(decoding: try JSONSerialization.data(withJSONObject: last, options: [.sortedKeys]), as: UTF8.self)
  }

  /// The server's history of acme, as `log --json` prints it.
  func history() throws -> [[String: Any]] {
    let log = try accord("log", "acme", "--json")
    return try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
  }
}

@Suite("Web API: what sync needs of a server", .serialized)
struct SyncAPITests {
  static func push(_ served: ServedWorkspace, _ event: String, token: String) async throws -> ServedWorkspace.Answer {
    try await served.send("POST", "api/v1/clients/acme/events", token: token, body: event)
  }

  @Test func meNamesTheTokensPersonClientsAndExpiry() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    let sam = try sync.space.token(for: "sam", clients: ["acme"]).token
    let me = try await served.send("GET", "api/v1/me", token: sam)
    #expect(me.status == 200, "\(me.body)")
    #expect(me.json["person"] as? String == "sam")
    #expect(me.json["clients"] as? [String] == ["acme"])
    let expires = try #require(me.json["expires"] as? String)
    #expect(expires.hasSuffix("Z") && expires.count == 20, "\(expires)")
    // A firm grant: every client, said as null.
    let alice = try sync.space.token(for: "alice").token
    let firm = try await served.send("GET", "api/v1/me", token: alice)
    #expect(firm.status == 200)
    #expect(firm.json["clients"] is NSNull, "\(firm.body)")
    #expect(firm.json["person"] as? String == "alice")
    // No token: 401.
    #expect(try await served.send("GET", "api/v1/me", token: nil).status == 401)
    #expect(served.stop() == .exited(0))
  }

  @Test func theRecordIsTheFoldersFileByteForByteForItsKeepersOnly() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    #expect(try sync.accord("complete", "acme", "brief").status == 0)
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let carol = try sync.space.token(for: "carol", clients: ["acme"]).token
    for token in [alice, carol] {
      let answer = try await served.send("GET", "api/v1/clients/acme/record", token: token)
      #expect(answer.status == 200)
      #expect(Data(answer.body.utf8) == (try sync.accord.stateFile("acme")))
    }
    // The head of sales sees the log, not the whole record.
    let sam = try sync.space.token(for: "sam", clients: ["acme"]).token
    let refused = try await served.send("GET", "api/v1/clients/acme/record", token: sam)
    #expect(refused.status == 403)
    #expect(try errorOf(refused.body)["code"] as? String == "not-permitted")
    // A client the token does not open is not there.
    let gus = try sync.space.token(for: "gus", clients: ["globex"]).token
    #expect(try await served.send("GET", "api/v1/clients/acme/record", token: gus).status == 404)
    #expect(served.stop() == .exited(0))
  }

  @Test func aPushIsAppendedOnceAndARetryIsKept() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    try sync.copyToLaptop()
    let event = try sync.offline("complete", "acme", "brief", "--note", "on the train", as: "alice")
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let before = try sync.history().count
    let first = try await Self.push(served, event, token: alice)
    #expect(first.status == 200, "\(first.body)")
    #expect(first.json["outcome"] as? String == "appended")
    #expect(first.json["position"] as? Int == before)
    // The same push again, as after a dropped connection: kept, written once.
    let again = try await Self.push(served, event, token: alice)
    #expect(again.status == 200, "\(again.body)")
    #expect(again.json["outcome"] as? String == "kept")
    #expect(again.json["position"] as? Int == before)
    let history = try sync.history()
    #expect(history.count == before + 1)
    let sent = try jsonObject(event)
    let kept = try #require(history.last)
    #expect(kept["id"] as? String == sent["id"] as? String)
    #expect(kept["at"] as? String == sent["at"] as? String)
    #expect(kept["note"] as? String == "on the train")
    #expect(kept["via"] as? String == "remote")
    #expect(try sync.accord("check", "acme").status == 0)

    // Many retries of one new event at once: one append, every answer 200.
    let next = try sync.offline("complete", "acme", "plan", as: "alice")
    let base = served.base
    let answers = try await withThrowingTaskGroup(of: ServedWorkspace.Answer.self) { group in
      for _ in 0..<8 {
        group.addTask {
          try await ServedWorkspace.send(base: base, "POST", "api/v1/clients/acme/events", token: alice, body: next)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.body))")
    #expect(answers.filter { $0.json["outcome"] as? String == "appended" }.count == 1)
    #expect(Set(answers.compactMap { $0.json["position"] as? Int }) == [before + 1])
    #expect(try sync.history().count == before + 2)
    #expect(served.stop() == .exited(0))
  }

  @Test func aPushAsSomeoneElseOrMalformedIsRefusedWithNothingWritten() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    try sync.copyToLaptop()
    let event = try sync.offline("complete", "acme", "brief", as: "alice")
    let before = try sync.accord.stateFile("acme")
    // Carol's token pushing alice's change.
    let carol = try sync.space.token(for: "carol", clients: ["acme"]).token
    let other = try await Self.push(served, event, token: carol)
    #expect(other.status == 403, "\(other.body)")
    #expect(try errorOf(other.body)["code"] as? String == "not-permitted")
    // Without an id; with a field missing; not JSON at all.
    var object = try jsonObject(event)
    object["id"] = nil
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let noID = try await Self.push(served, try text(object), token: alice)
    #expect(noID.status == 400)
    #expect(try errorOf(noID.body)["field"] as? String == "id")
    object = try jsonObject(event)
    object["at"] = nil
    let noTime = try await Self.push(served, try text(object), token: alice)
    #expect(noTime.status == 400)
    #expect(try errorOf(noTime.body)["field"] as? String == "at", "\(noTime.body)")
    #expect(try await Self.push(served, "[1]", token: alice).status == 400)
    // A pushed event may be larger than any other request (a survey import), up to 4 MiB.
    object = try jsonObject(event)
    object["note"] = String(repeating: "a", count: 100_000)
    let long = try await Self.push(served, try text(object), token: carol)
    #expect(long.status == 403, "\(long.body.prefix(300))")
    object["note"] = String(repeating: "a", count: 4 * 1024 * 1024)
    let huge = try await Self.push(served, try text(object), token: alice)
    #expect(huge.status == 413, "\(huge.body.prefix(300))")
    // A kind only the server makes.
    object = try jsonObject(event)
    object["type"] = "surveyClosed"
    object["round"] = "1"
    object["responses"] = [Any]()
    object["milestone"] = nil
    let closed = try await Self.push(served, try text(object), token: alice)
    #expect(closed.status == 409, "\(closed.body)")
    #expect(try errorOf(closed.body)["code"] as? String == "server-only")
    #expect(try sync.accord.stateFile("acme") == before)
    #expect(served.stop() == .exited(0))
  }

  /// A signature on paper, entered offline by the consultant for the head of sales with its
  /// scan as evidence: kept with both names, the evidence and the terms it was made on.
  @Test func aPaperSignatureEnteredOfflineKeepsItsEvidence() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    try sync.copyToLaptop()
    let scan = sync.laptop.folder.appendingPathComponent("charter-signed.pdf")
    try Data("%PDF-1.4 signed in ink".utf8).write(to: scan)
    let show = try jsonObject(try sync.laptop("show", "acme", "charter", "--json").stdout)
    let terms = try #require(show["termsHash"] as? String)
    let signature = try sync.offline(
      "sign", "acme", "charter", "--terms", terms, "--on-behalf-of", "sam", "--evidence", scan.path, as: "alice")
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let pushed = try await Self.push(served, signature, token: alice)
    #expect(pushed.status == 200, "\(pushed.body)")
    #expect(pushed.json["outcome"] as? String == "appended")
    let kept = try #require(try sync.history().last)
    #expect(kept["type"] as? String == "signed")
    #expect(kept["by"] as? String == "alice")
    #expect(kept["onBehalfOf"] as? String == "sam")
    #expect((kept["evidence"] as? [String: Any])?["name"] as? String == "charter-signed.pdf")
    #expect(kept["terms"] as? String == terms)
    #expect(try sync.accord("status", "acme").stdout.contains("charter"))

    // An event dated well after the server's clock: the laptop's clock is wrong.
    var future = try jsonObject(try sync.offline("complete", "acme", "brief", as: "alice"))
    future["at"] = "2099-01-01T00:00:00Z"
    let body = String(decoding: try JSONSerialization.data(withJSONObject: future), as: UTF8.self)
    let refused = try await Self.push(served, body, token: alice)
    #expect(refused.status == 409, "\(refused.body)")
    #expect(try errorOf(refused.body)["code"] as? String == "event-in-future")
    #expect(served.stop() == .exited(0))
  }

  @Test func aSignatureOnTermsChangedOnTheServerIsRefused() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    try sync.copyToLaptop()
    let show = try #require(
      try JSONSerialization.jsonObject(with: Data(try sync.laptop("show", "acme", "charter", "--json").stdout.utf8))
        as? [String: Any])
    let terms = try #require(show["termsHash"] as? String)
    let signature = try sync.offline("sign", "acme", "charter", "--terms", terms, as: "sam")
    // Meanwhile the server's client moves to other terms.
    let path = sync.accord.folder.appendingPathComponent("sync-v2.yaml")
    try SyncWorkspace.playbook.replacingOccurrences(of: "version: 1\n", with: "version: 2\n")
      .replacingOccurrences(of: "meet weekly", with: "meet monthly")
      .write(to: path, atomically: true, encoding: .utf8)
    let upgrade = try sync.accord("upgrade", "acme", "--playbook", path.path, "--reason", "monthly")
    try #require(upgrade.status == 0, "\(upgrade.stderr)")
    let before = try sync.accord.stateFile("acme")
    let sam = try sync.space.token(for: "sam", clients: ["acme"]).token
    let refused = try await Self.push(served, signature, token: sam)
    #expect(refused.status == 409, "\(refused.body)")
    #expect(try errorOf(refused.body)["code"] as? String == "terms-changed")
    #expect(try sync.accord.stateFile("acme") == before)
    #expect(served.stop() == .exited(0))
  }

  @Test func aCompletionWhoseNeedWasReopenedMeanwhileIsRefused() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    #expect(try sync.accord("complete", "acme", "brief").status == 0)
    try sync.copyToLaptop()
    let plan = try sync.offline("complete", "acme", "plan", as: "alice")
    // On the server, brief is reopened before the laptop syncs.
    #expect(try sync.accord("reopen", "acme", "brief", "--reason", "the brief was wrong").status == 0)
    let before = try sync.accord.stateFile("acme")
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let refused = try await Self.push(served, plan, token: alice)
    #expect(refused.status == 409, "\(refused.body)")
    #expect(try errorOf(refused.body)["code"] as? String == "milestone-not-ready")
    #expect(try sync.accord.stateFile("acme") == before)
    #expect(served.stop() == .exited(0))
  }

  /// An upgrade made on a copy carries the text it moves to; the server checks it is the
  /// text the event names, decides the upgrade again, and keeps the text with it.
  @Test func anUpgradeIsKeptOnlyWithTheTextItNames() async throws {
    let sync = try SyncWorkspace()
    let served = try ServedWorkspace(sync.space)
    try sync.copyToLaptop()
    let path = sync.laptop.folder.appendingPathComponent("sync-v2.yaml")
    try SyncWorkspace.version2.write(to: path, atomically: true, encoding: .utf8)
    let event = try sync.offline("upgrade", "acme", "--playbook", path.path, "--reason", "review, not plan", as: "alice")
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let before = try sync.accord.stateFile("acme")
    var object = try jsonObject(event)
    let bare = try await Self.push(served, event, token: alice)
    #expect(bare.status == 409, "\(bare.body)")
    #expect(try errorOf(bare.body)["code"] as? String == "playbook-text-required")
    // Another text than the one the event names; a text that is no playbook.
    object["upgrade"] = ["text": SyncWorkspace.version2 + "\n", "origin": "sync-v2.yaml", "force": false]
    let other = try await Self.push(served, try text(object), token: alice)
    #expect(other.status == 409, "\(other.body)")
    #expect(try errorOf(other.body)["code"] as? String == "playbook-mismatch")
    object["upgrade"] = ["text": "playbook: [", "origin": "sync-v2.yaml", "force": false]
    let broken = try await Self.push(served, try text(object), token: alice)
    #expect(broken.status == 422, "\(broken.body)")
    #expect(try sync.accord.stateFile("acme") == before)

    object["upgrade"] = ["text": SyncWorkspace.version2, "origin": "sync-v2.yaml", "force": false]
    let kept = try await Self.push(served, try text(object), token: alice)
    #expect(kept.status == 200, "\(kept.body)")
    #expect(kept.json["outcome"] as? String == "appended")
    let file = try jsonObject(String(decoding: try sync.accord.stateFile("acme"), as: UTF8.self))
    #expect((file["playbook"] as? [String: Any])?["source"] as? String == SyncWorkspace.version2)
    #expect((file["earlierPlaybooks"] as? [[String: Any]])?.map { $0["source"] as? String } == [SyncWorkspace.playbook])
    #expect(try sync.history().last?["via"] as? String == "remote")
    #expect(try sync.accord("check", "acme").status == 0)
    let again = try await Self.push(served, try text(object), token: alice)
    #expect(again.json["outcome"] as? String == "kept", "\(again.body)")
    #expect(served.stop() == .exited(0))
  }

  @Test func theFirmKeyAndACertificateComeFromTheServersKey() async throws {
    let sync = try SyncWorkspace()
    // Without a key: 404 no-firm-key, for both.
    let bare = try ServedWorkspace(sync.space)
    let alice = try sync.space.token(for: "alice", clients: ["acme"]).token
    let none = try await bare.send("GET", "api/v1/firm-key", token: alice)
    #expect(none.status == 404)
    #expect(try errorOf(none.body)["code"] as? String == "no-firm-key")
    let noCertificate = try await bare.send(
      "GET", "api/v1/clients/acme/agreements/charter/certificate", token: alice)
    #expect(noCertificate.status == 404)
    #expect(bare.stop() == .exited(0))

    #expect(try sync.accord("key", "create").status == 0)
    let publicKey = try sync.accord("key", "show").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let served = try ServedWorkspace(sync.space)
    let key = try await served.send("GET", "api/v1/firm-key", token: alice)
    #expect(key.status == 200, "\(key.body)")
    #expect(key.json["publicKey"] as? String == publicKey)
    #expect(!key.body.contains("private"))
    // Nothing signed yet: the engine's refusal, 409.
    let unsigned = try await served.send("GET", "api/v1/clients/acme/agreements/charter/certificate", token: alice)
    #expect(unsigned.status == 409, "\(unsigned.body)")
    #expect(try errorOf(unsigned.body)["code"] as? String == "no-signatures")
    let terms = try #require(
      (try JSONSerialization.jsonObject(with: Data(try sync.accord("show", "acme", "charter", "--json").stdout.utf8))
        as? [String: Any])?["termsHash"] as? String)
    #expect(try sync.accord("sign", "acme", "charter", "--terms", terms, as: "sam").status == 0)
    let issued = try await served.send("GET", "api/v1/clients/acme/agreements/charter/certificate", token: alice)
    #expect(issued.status == 200, "\(issued.body)")
    // What the CLI would write, issued by the token's person; it verifies against the key.
    let file = sync.accord.folder.appendingPathComponent("charter.json")
    try Data(issued.body.utf8).write(to: file)
    let verify = try sync.accord("verify", file.path)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    let written = try jsonObject(issued.body)
    #expect(written["seal"] is String)
    #expect(written["issuedBy"] as? String == "alice")
    let fromCLI = try jsonObject(try sync.accord("certificate", "acme", "charter", "--format", "json").stdout)
    for field in ["agreement", "signatures", "chainHead", "key", "client", "playbook"] {
      #expect(try same(written[field] as Any, fromCLI[field] as Any), "\(field)")
    }
    // The private key appears in no answer and no log line.
    let seed = try String(contentsOf: sync.accord.configHome.appendingPathComponent("accord/firm-key"), encoding: .utf8)
      .replacingOccurrences(of: "accord-ed25519-private:", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!issued.body.contains(seed) && !key.body.contains(seed))
    #expect(served.stop() == .exited(0))
    #expect(!served.server.stderr.contains(seed) && !served.server.stdout.contains(seed))
  }

  func text(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
  }
}
