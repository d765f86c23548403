import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The store's side of the chain covering the playbook text: what replay holds each stored
/// text to, the seal an older client gets on its first change, format 5, and the whole chain
/// verified before anything is served or written.
@Suite struct ChainCoverageStoreTests {
  static func oldRecord(_ raw: String = "acme") throws -> ClientRecord {
    try ClientCheckTests.soundRecord(raw).withStarted(playbook: nil)
  }

  @Test func aRecordedTextReplaysAndAnEditedOneIsNamed() throws {
    var record = try ClientCheckTests.soundRecord()
    #expect(record.isSealed)
    #expect(record.neededFormat == 5)
    #expect(record.textProblem() == nil)
    guard case .success = record.replay() else { Issue.record("a sound record does not replay"); return }
    // The text edited: StoredPlaybook recomputes its sha256, as a forger would.
    record.playbook.source += "# edited\n"
    let problem = try #require(record.textProblem())
    #expect(problem.text.hasPrefix("playbook.source: the stored playbook text hashes to \(record.playbook.sha256)"))
    #expect(problem.text.contains("events[0] (started) records"))
    guard case let .failure(failure) = record.replay() else { Issue.record("an edited text replays"); return }
    #expect(failure.text == problem.text)
  }

  @Test func anUpgradeNamesTheTextItMovesToAndTheOneItLeaves() throws {
    var record = try Self.oldRecord()
    let first = record.playbook
    var second = first
    second.source += "# version two\n"
    record.earlierPlaybooks = [first]
    record.playbook = second
    let from = PlaybookVersion(id: first.id, version: 1, sha256: first.sha256)
    let to = PlaybookVersion(id: second.id, version: 1, sha256: second.sha256)
    record.events.append(Event(.upgraded(from: from, to: to), by: "dana", at: time("2026-12-01T09:00:00Z")))
    #expect(record.textProblem() == nil)
    // The first text edited: the upgrade's `from` names it, though `started` does not.
    var edited = record
    edited.earlierPlaybooks[0].source += "# edited\n"
    #expect(edited.textProblem()?.text.hasPrefix("earlierPlaybooks[0].source:") == true)
    edited = record
    edited.playbook.source += "# edited\n"
    #expect(edited.textProblem()?.text.contains("events[3] (upgraded) records \(second.sha256)") == true)
  }

  @Test func anOldClientIsSealedByItsFirstChangeAndNotByAReadOrARefusal() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try Self.oldRecord())
      let written = try bytes(workspace)
      #expect(try workspace.read(id).format == 1)
      #expect(try workspace.check(id).notes.contains { $0.contains("not yet covered") })
      _ = try workspace.programme(id)
      _ = try workspace.check(id)
      // A refused change writes nothing, and so seals nothing.
      #expect(throws: Refusal.self) {
        try workspace.change(id) { programme in
          try programme.apply(Event(.completed(milestone: "no-such"), by: "dana", at: time("2026-12-01T09:00:00Z")))
        }
      }
      #expect(try bytes(workspace) == written)

      try workspace.change(id) { programme in
        try programme.apply(Event(.assigned(role: "czar", person: "kim"), by: "sam", at: time("2026-12-01T09:00:00Z")))
      }
      let sealed = try workspace.read(id)
      #expect(sealed.format == 5)
      #expect(sealed.events.count == 5)
      #expect(sealed.events[3].change == .sealed(sha256: sealed.playbook.sha256))
      #expect(sealed.events[3].by == "sam" && sealed.events[3].at == time("2026-12-01T09:00:00Z"))
      #expect(sealed.events[4].change == .assigned(role: "czar", person: "kim"))
      #expect(HistoryChain.firstBreak(in: sealed.events, head: sealed.head) == nil)
      let check = try workspace.check(id)
      #expect(check.isSound && check.notes.isEmpty, "\(check.problems) \(check.notes)")

      // Sealed once: the next change adds its own event only.
      try workspace.change(id) { programme in
        try programme.apply(Event(.assigned(role: "czar", person: "sam"), by: "dana", at: time("2026-12-02T09:00:00Z")))
      }
      #expect(try workspace.read(id).events.count == 6)
    }
  }

  @Test func aHistoryEditedMidWayIsNeitherServedNorChanged() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try ClientCheckTests.soundRecord())
      try workspace.change(id) { programme in
        try programme.apply(Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z")))
      }
      // The second event's note changed by hand: the third event's link no longer holds,
      // though the newest events (and so the head) do.
      let file = workspace.fileURL(for: id)
      let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
      let edited = text.replacingOccurrences(of: "42 of 45 staff answered", with: "45 of 45 staff answered")
      #expect(edited != text)
      try Data(edited.utf8).write(to: file)
      func isBrokenAtThree(_ error: StoreError) -> Bool {
        if case let .brokenChain(_, client, position, problem) = error {
          return client == "acme" && position == 3 && problem.contains("hash chain breaks at events[3]")
        }
        return false
      }
      let read = #expect(throws: StoreError.self) { try workspace.programme(id) }
      #expect(read.map(isBrokenAtThree) == true, "\(String(describing: read))")
      #expect(read?.code == "corrupt-file")
      #expect(read?.description.contains("accord check acme") == true)
      let write = #expect(throws: StoreError.self) {
        try workspace.change(id) { programme in
          try programme.apply(Event(.assigned(role: "czar", person: "sam"), by: "dana", at: time("2026-12-02T09:00:00Z")))
        }
      }
      #expect(write.map(isBrokenAtThree) == true)
      #expect(try Data(contentsOf: file) == Data(edited.utf8))
      // `log`'s reading: the events as stored, with the damage.
      let (events, damage) = try workspace.history(id)
      #expect(events.count == 4)
      #expect(damage.map(isBrokenAtThree) == true)
    }
  }

  /// A long history has its chain followed on a thread of its own while it is replayed:
  /// an edit deep in it is refused all the same, by reads and changes, and a sound one
  /// reads as the short path reads it.
  @Test func aLongHistoryFollowedBesideItsReplayIsRefusedWhenEdited() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try ClientCheckTests.soundRecord())
      let count = ClientRecord.sideBySideEvents + 50
      let start = time("2026-12-01T09:00:00Z")
      try workspace.change(id) { programme in
        for index in 0..<count {
          let person = index % 2 == 0 ? "kim" : "sam"
          try programme.apply(Event(.assigned(role: "czar", person: person), by: "dana", at: start + Double(index)))
        }
      }
      let sound = try workspace.programme(id)
      #expect(sound.programme.history.count == count + 3)
      #expect(sound.record.chainBreak() == nil)

      let file = workspace.fileURL(for: id)
      var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
      var events = try #require(object["events"] as? [[String: Any]])
      let edited = count / 2
      events[edited]["person"] = events[edited]["person"] as? String == "kim" ? "sam" : "kim"
      object["events"] = events
      let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
      try data.write(to: file)
      func isBrokenAfterEdit(_ error: StoreError) -> Bool {
        if case let .brokenChain(_, client, position, _) = error { return client == "acme" && position == edited + 1 }
        return false
      }
      let read = #expect(throws: StoreError.self) { try workspace.programme(id) }
      #expect(read.map(isBrokenAfterEdit) == true, "\(String(describing: read))")
      let write = #expect(throws: StoreError.self) {
        try workspace.change(id) { programme in
          try programme.apply(Event(.assigned(role: "czar", person: "lee"), by: "dana", at: time("2026-12-02T09:00:00Z")))
        }
      }
      #expect(write.map(isBrokenAfterEdit) == true)
      #expect(try Data(contentsOf: file) == data)
    }
  }
}

extension ClientRecord {
  /// The record with its `started` event recording `playbook` (nil: as before it did).
  func withStarted(playbook: String?) -> ClientRecord {
    var record = self
    guard case let .started(client, name, _) = record.events[0].change else { return record }
    record.events[0].change = .started(client: client, name: name, playbook: playbook)
    return record
  }
}
