import Foundation
import Testing

/// The history's hash chain through the binary: a client file edited by hand in each way
/// the chain is meant to catch, and `accord check` naming the event (exit 65). Each test
/// uses a fresh machine memory, so that what names the event is the chain itself.
@Suite("Reliability: a tamper-evident history")
struct TamperEvidenceTests {
  /// A client with eight events: started, five assignments, two completions.
  static func client() throws -> AccordBinary {
    let accord = try AccordBinary()
    #expect(try accord("start", "acme", "--name", "Acme Ltd").status == 0)
    for (role, person) in [
      ("czar", "carol"), ("head-of-sales", "sam"), ("head-of-marketing", "mia"),
      ("sales-manager", "sean"), ("marketing-manager", "meg"),
    ] {
      #expect(try accord("assign", "acme", role, person).status == 0)
    }
    #expect(try accord("complete", "acme", "stakeholder-map", "--note", "first pass").status == 0)
    #expect(try accord("complete", "acme", "sales-baseline", as: "sean").status == 0)
    return accord
  }

  /// Rewrites the client file's events with `edit`, the rest as it was.
  static func edit(_ accord: AccordBinary, _ edit: (inout [[String: Any]], inout [String: Any]) -> Void) throws {
    let file = accord.workspace.appendingPathComponent("acme.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    var events = try #require(object["events"] as? [[String: Any]])
    edit(&events, &object)
    object["events"] = events
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: file)
  }

  /// `check` on a machine that has never seen the client: exit 65 and the chain's message.
  static func check(_ accord: AccordBinary) throws -> String {
    var fresh = accord
    fresh.stateHome = accord.folder.appendingPathComponent("fresh-\(UUID().uuidString)")
    let run = try fresh("check", "acme")
    #expect(run.status == 65, "\(run.stdout)\(run.stderr)")
    return run.stdout
  }

  @Test func anUntouchedHistoryChecksClean() throws {
    let accord = try Self.client()
    let run = try accord("check", "acme")
    #expect(run.status == 0, "\(run.stdout)")
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    let events = try #require(file["events"] as? [[String: Any]])
    #expect(events.count == 8)
    #expect(events[0]["previous"] == nil)
    #expect(events.dropFirst().allSatisfy { ($0["previous"] as? String)?.count == 64 })
    #expect((file["head"] as? String)?.count == 64)
  }

  @Test func anEditedNameIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in events[0]["name"] = "Acme Inc" }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[1] (assigned by alice"), "\(out)")
    #expect(out.contains("so events[0] (started by alice"), "\(out)")
  }

  @Test func anEditedTimeIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in events[3]["at"] = "2020-01-01T00:00:00Z" }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[4]"), "\(out)")
    #expect(out.contains("so events[3] (assigned by alice at 2020-01-01T00:00:00Z) was edited"), "\(out)")
  }

  @Test func anEditedNoteOnTheNewestEventIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in events[7]["note"] = "backdated" }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[7] (completed by sean"), "\(out)")
    #expect(out.contains("the newest event"), "\(out)")
  }

  @Test func aDeletedEventIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in events.remove(at: 4) }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[4] (assigned by alice"), "\(out)")
    #expect(out.contains("inserted, removed or reordered"), "\(out)")
  }

  @Test func anInsertedEventIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in
      events.insert(["type": "assigned", "role": "sponsor", "person": "sid", "by": "alice", "at": "2026-01-01T00:00:00Z"], at: 3)
    }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[3] (assigned by alice at 2026-01-01T00:00:00Z): it carries no link"), "\(out)")
  }

  @Test func anInsertedEventWithACopiedLinkIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in
      var copy = events[3]
      copy["person"] = "mallory"
      events.insert(copy, at: 4)
    }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[4]"), "\(out)")
  }

  @Test func reorderedEventsAreNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in events.swapAt(2, 3) }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[2]"), "\(out)")
  }

  /// A change on top of an edited newest event would link to it and seal the edit: it is
  /// refused, and the file left as it was.
  @Test func noChangeIsWrittenOnTopOfAnEditedNewestEvent() throws {
    let accord = try Self.client()
    try Self.edit(accord) { events, _ in events[7]["note"] = "backdated" }
    let edited = try accord.stateFile("acme")
    let run = try accord("assign", "acme", "sponsor", "sid")
    #expect(run.status == 65, "\(run.stdout)\(run.stderr)")
    #expect(run.stderr.contains("hash chain breaks at events[7]"), "\(run.stderr)")
    #expect(try accord.stateFile("acme") == edited)
    try Self.edit(accord) { _, file in file["head"] = nil }
    #expect(try accord("assign", "acme", "sponsor", "sid").status == 65)
  }

  @Test func aRemovedHeadIsNamed() throws {
    let accord = try Self.client()
    try Self.edit(accord) { _, file in file["head"] = nil }
    let out = try Self.check(accord)
    #expect(out.contains("hash chain has no head"), "\(out)")
  }

  /// Files written before the chain load and pass `check`; their next write chains them,
  /// the first new event linking to all the old ones; from then on an edit to an old event
  /// or a new one is named.
  @Test func anOldFileGetsItsChainOnItsNextWrite() throws {
    let accord = try CompatibilityTests.workspaceWithOldFiles()
    let file = accord.workspace.appendingPathComponent("acme.json")
    let old = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    let oldCount = try #require(old["events"] as? [[String: Any]]).count
    #expect(old["head"] == nil)
    #expect(try accord("check", "acme").status == 0)
    #expect(try accord("complete", "acme", "tooling-chosen", as: "sid").status == 0)
    #expect(try accord("check", "acme").status == 0)
    let new = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    let events = try #require(new["events"] as? [[String: Any]])
    // The change is written after the event that seals the old file's playbook text.
    #expect(events.count == oldCount + 2)
    #expect(events[oldCount]["type"] as? String == "sealed")
    #expect(events.dropLast(2).allSatisfy { $0["previous"] == nil })
    #expect(events.suffix(2).allSatisfy { ($0["previous"] as? String)?.count == 64 })
    let chained = try accord.stateFile("acme")

    // An old event edited: the first chained event names the old ones as a block.
    try Self.edit(accord) { events, _ in events[1]["person"] = "carla" }
    var out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[\(oldCount)] (sealed by sid"), "\(out)")
    #expect(out.contains("so one of events[0...\(oldCount - 1)] was edited"), "\(out)")

    // The new event edited: the head names it.
    try chained.write(to: file)
    try Self.edit(accord) { events, _ in events[events.count - 1]["at"] = "2030-01-01T00:00:00Z" }
    out = try Self.check(accord)
    #expect(out.contains("hash chain breaks at events[\(oldCount + 1)] (completed by sid at 2030-01-01T00:00:00Z), the newest event"), "\(out)")
  }
}
