import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The per-machine memory of the newest revision seen of each client, and how a file is
/// judged against it.
@Suite struct SeenRevisionsTests {
  /// A workspace whose commands remember what they see, in a folder of the test's own.
  static func remembering(_ workspace: Workspace) -> Workspace {
    var workspace = workspace
    workspace.seen = SeenRevisions(
      directory: workspace.directory.deletingLastPathComponent().appendingPathComponent("state/accord/seen"))
    return workspace
  }

  static func later(_ record: ClientRecord, adding events: [Event], revision: Int) -> ClientRecord {
    var record = record
    record.events += events
    record.revision = revision
    return record
  }

  static let extra = [
    Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-02T09:00:00Z")),
    Event(.assigned(role: "czar", person: "sam"), by: "dana", at: time("2026-12-03T09:00:00Z")),
  ]

  @Test func judgesLaterOlderAndDivergedCopies() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      var seenRecord = try sampleRecord()
      seenRecord.revision = 5
      #expect(seen.verdict(on: seenRecord) == .unknown)
      seen.note(seenRecord, in: workspace.directory)
      let mark = try #require(seen.mark(uid: seenRecord.uid, client: seenRecord.client))
      #expect(mark.revision == 5 && mark.events == 4)

      #expect(seen.verdict(on: seenRecord) == .consistent(mark))
      #expect(seen.verdict(on: Self.later(seenRecord, adding: Self.extra, revision: 7)) == .consistent(mark))

      var older = seenRecord
      older.revision = 4
      #expect(seen.verdict(on: older) == .older(mark))
      var shorter = seenRecord
      shorter.events.removeLast()
      shorter.revision = 9
      #expect(seen.verdict(on: shorter) == .older(mark), "fewer events than were seen")

      var reordered = seenRecord
      reordered.events.swapAt(2, 3)
      #expect(seen.verdict(on: reordered) == .diverged(mark))
      var edited = seenRecord
      edited.events[2].note = "41 of 45 staff answered"
      #expect(seen.verdict(on: edited) == .diverged(mark))
      // Another copy wrote its own revision 5 on top of revision 4.
      var fork = seenRecord
      fork.events[3] = Self.extra[0]
      #expect(seen.verdict(on: fork) == .diverged(mark))
      // ...or carried on from a revision this machine never saw, with more events.
      let otherBranch = Self.later(fork, adding: Self.extra, revision: 8)
      #expect(seen.verdict(on: otherBranch) == .diverged(mark))
      // The same revision number with more events was written by another copy.
      #expect(seen.verdict(on: Self.later(seenRecord, adding: Self.extra, revision: 5)) == .diverged(mark))
    }
  }

  /// A later revision moves the mark on; one that does not carry on from it does not, so
  /// the problem stays visible until someone accepts it.
  @Test func theMarkOnlyMovesAlongTheSameHistory() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      var record = try sampleRecord()
      record.revision = 5
      seen.note(record, in: workspace.directory)

      var fork = Self.later(record, adding: Self.extra, revision: 9)
      fork.events.swapAt(1, 2)
      seen.note(fork, in: workspace.directory)
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 5)

      var older = record
      older.revision = 3
      seen.note(older, in: workspace.directory)
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 5)

      let later = Self.later(record, adding: Self.extra, revision: 7)
      seen.note(later, in: workspace.directory)
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 7)
      #expect(seen.mark(uid: record.uid, client: record.client)?.events == 6)

      try seen.accept(older, in: workspace.directory)
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 3)
    }
  }

  /// A chained history is remembered by its chain's link at the end, one event's hash:
  /// the link carries every event before it, so a history edited and linked again, an
  /// event removed or one put in is still told from a later revision of the one seen.
  @Test func aChainedHistoryIsRememberedByItsLink() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      func chained(_ record: ClientRecord) -> ClientRecord {
        var record = record
        HistoryChain.link(&record.events, from: 1)
        return record
      }
      var record = chained(try sampleRecord())
      record.revision = 5
      seen.note(record, in: workspace.directory)
      let mark = try #require(seen.mark(uid: record.uid, client: record.client))
      #expect(mark.chain == HistoryChain.head(of: record.events) && mark.history == nil)

      #expect(seen.verdict(on: record) == .consistent(mark))
      #expect(seen.verdict(on: chained(Self.later(record, adding: Self.extra, revision: 7))) == .consistent(mark))
      // Edited early on and linked again, as a forger who knows the chain would.
      var edited = record
      edited.events[1].note = "edited"
      #expect(seen.verdict(on: chained(edited)) == .diverged(mark))
      var inserted = Self.later(record, adding: [], revision: 7)
      inserted.events.insert(Self.extra[0], at: 2)
      #expect(seen.verdict(on: chained(inserted)) == .diverged(mark))
    }
  }

  /// A mark written before marks kept the chain holds a fingerprint of every event instead:
  /// it is still judged by it, and the next newer revision noted writes a chained mark.
  @Test func aMarkWrittenBeforeTheChainIsStillJudged() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      var record = try sampleRecord()
      HistoryChain.link(&record.events, from: 1)
      record.revision = 5
      seen.note(record, in: workspace.directory)
      // The mark as an earlier Accord wrote it: `history`, and no `chain`.
      let path = seen.markPath(uid: record.uid, client: record.client)
      let fingerprint = SeenRevisions.fingerprints(of: record.events, at: record.events.count).whole
      let old = """
        {
          "at" : "2026-11-01T09:00:00Z",
          "client" : "acme",
          "events" : \(record.events.count),
          "history" : "\(fingerprint)",
          "revision" : 5,
          "uid" : "\(record.uid)",
          "workspace" : "\(workspace.directory.path)"
        }

        """
      try Data(old.utf8).write(to: URL(fileURLWithPath: path))
      let mark = try #require(seen.mark(uid: record.uid, client: record.client))
      #expect(mark.chain == nil && mark.history == fingerprint)
      #expect(seen.verdict(on: record) == .consistent(mark))
      var edited = record
      edited.events[1].note = "edited"
      #expect(seen.verdict(on: edited) == .diverged(mark))

      var later = Self.later(record, adding: Self.extra, revision: 6)
      HistoryChain.link(&later.events, from: 1)
      seen.note(later, in: workspace.directory)
      let moved = try #require(seen.mark(uid: record.uid, client: record.client))
      #expect(moved.revision == 6 && moved.chain == HistoryChain.head(of: later.events) && moved.history == nil)
    }
  }

  @Test func theStoreRemembersWhatItWritesAndReads() throws {
    try withWorkspace { plain in
      let workspace = Self.remembering(plain)
      let seen = try #require(workspace.seen)
      let id = try ClientID("acme")
      let record = try ClientCheckTests.soundRecord()
      try workspace.create(record)
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 1)
      try workspace.change(id) { programme in
        try programme.apply(Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z")))
      }
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 2)
      // A copy written by another machine is remembered once it is read.
      try plain.update(id) { $0.name = "Acme Group" }
      _ = try workspace.programme(id)
      #expect(seen.mark(uid: record.uid, client: record.client)?.revision == 3)
    }
  }

  /// The uid comes from a file that may be hostile: it must not pick where the mark goes.
  @Test func aHostileUIDCannotChooseThePath() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      let record = ClientRecord(
        client: try ClientID("acme"), name: "Acme", uid: "../../../escaped",
        playbook: try sampleRecord().playbook, events: try sampleRecord().events)
      seen.note(record, in: workspace.directory)
      let path = seen.markPath(uid: record.uid, client: record.client)
      #expect((path as NSString).deletingLastPathComponent == seen.directory.path)
      #expect(FileManager.default.fileExists(atPath: path))
      #expect(seen.mark(uid: "../../../escaped", client: "acme")?.client == "acme")
    }
  }

  @Test func marksAreForTheOwnerOnly() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      let record = try sampleRecord()
      seen.note(record, in: workspace.directory)
      #expect(try mode(seen.directory.path) == 0o700)
      #expect(try mode(seen.directory.deletingLastPathComponent().path) == 0o700)
      #expect(try mode(seen.markPath(uid: record.uid, client: record.client)) == 0o600)
    }
  }

  /// Failing to remember must never fail a command.
  @Test func anUnwritableMemoryDoesNotStopTheStore() throws {
    try withWorkspace { plain in
      var workspace = plain
      let blocker = plain.directory.deletingLastPathComponent().appendingPathComponent("not-a-folder")
      try FileManager.default.createDirectory(
        at: plain.directory.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("x".utf8).write(to: blocker)
      workspace.seen = SeenRevisions(directory: blocker.appendingPathComponent("accord/seen"))
      try workspace.create(try sampleRecord())
      try workspace.update(try ClientID("acme")) { $0.name = "Acme Group" }
      #expect(try workspace.read(try ClientID("acme")).revision == 2)
    }
  }

  /// Marks are read without JSONDecoder when they are as `store` writes them; the quick
  /// reading must agree with JSONDecoder, and step aside for anything else.
  @Test func aStoredMarkReadsQuicklyAsJSONDecoderReadsIt() throws {
    try withWorkspace { workspace in
      let seen = try #require(Self.remembering(workspace).seen)
      var record = try sampleRecord()
      record.revision = 3
      seen.note(record, in: workspace.directory)
      let data = try Data(contentsOf: URL(fileURLWithPath: seen.markPath(uid: record.uid, client: record.client)))
      let quick = try #require(SeenRevisions.Mark.quickly(from: data))
      #expect(quick == (try JSONDecoder().decode(SeenRevisions.Mark.self, from: data)))
      #expect(quick.revision == 3 && quick.events == record.events.count)
      let extra = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "{", with: "{\"later\": 1, ").utf8)
      #expect(SeenRevisions.Mark.quickly(from: extra) == nil)
      #expect(SeenRevisions.Mark.quickly(from: data.prefix(data.count / 2)) == nil)
    }
  }

  @Test func theStandardPlaceFollowsXDG() {
    #expect(SeenRevisions.standard(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])?.directory.path == "/s/accord/seen")
    #expect(SeenRevisions.standard(environment: ["HOME": "/h"])?.directory.path == "/h/.local/state/accord/seen")
    // A relative XDG path is to be ignored, by the XDG rules.
    let relative = SeenRevisions.standard(environment: ["XDG_STATE_HOME": "state", "HOME": "/h"])
    #expect(relative?.directory.path == "/h/.local/state/accord/seen")
    #expect(SeenRevisions.standard(environment: [:]) == nil)
  }
}
