import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The format-1 files written by the accord of f7a46f8 (Tests/Fixtures/compat/format1,
/// never regenerated), read and written through the store's own entry points.
@Suite struct CompatibilityFixtureTests {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/compat/format1")

  static func fixture(_ client: String) throws -> Data {
    try Data(contentsOf: folder.appendingPathComponent("\(client).json"))
  }

  @Test(arguments: ["acme", "beta"])
  func theQuickReaderReadsWhatJSONDecoderReads(client: String) throws {
    let data = try Self.fixture(client)
    let fast = try #require(ClientRecord.fastDecode(data), "the quick reader stepped aside for \(client).json")
    let reference = try JSONDecoder().decode(ClientRecord.self, from: data)
    #expect(fast == reference)
    #expect(fast.client == client)
  }

  /// The writer is canonical (sorted keys, JSONEncoder's layout), so a file Accord wrote
  /// and read back is written again as the very same bytes: loading and saving an old
  /// file without a change is no diff.
  @Test(arguments: ["acme", "beta"])
  func writingTheRecordAgainGivesTheSameBytes(client: String) throws {
    let data = try Self.fixture(client)
    let record = try JSONDecoder().decode(ClientRecord.self, from: data)
    #expect(record.encoded() == data)
    #expect(try record.encodedByFoundation() == data)
  }

  /// Through the store as a command reads it: decoded, checked and replayed.
  @Test(arguments: ["acme", "beta"])
  func theStoreLoadsAndReplaysTheOldFile(client: String) throws {
    try withWorkspace { workspace in
      try FileManager.default.createDirectory(at: workspace.directory, withIntermediateDirectories: true)
      let id = try ClientID(client)
      let data = try Self.fixture(client)
      try data.write(to: workspace.fileURL(for: id))
      let (record, programme) = try workspace.programme(id)
      #expect(record == (try JSONDecoder().decode(ClientRecord.self, from: data)))
      #expect(record.events.count == (client == "acme" ? 35 : 2))
      _ = programme
      #expect(try bytes(workspace, client) == data)
    }
  }
}

/// A store other than the folder changes a client by `ClientRecord.changed`: the record it
/// keeps must be the one the folder's own change writes, the seal of an old client's text
/// included, and an edited history must be refused the same way.
@Suite struct ChangedRecordTests {
  @Test(arguments: ["acme", "beta"])
  func aChangeOutsideTheFolderGivesTheRecordTheFolderWrites(client: String) throws {
    try withWorkspace { workspace in
      try FileManager.default.createDirectory(at: workspace.directory, withIntermediateDirectories: true)
      let id = try ClientID(client)
      let data = try CompatibilityFixtureTests.fixture(client)
      try data.write(to: workspace.fileURL(for: id))
      let old = try JSONDecoder().decode(ClientRecord.self, from: data)
      #expect(!old.isSealed)
      let note = { (programme: inout Programme) in
        let consultant = programme.assignments["consultant"] ?? "alice"
        try programme.record(
          .assigned(role: "czar", person: "zoe"), by: consultant, at: time("2026-12-07T09:00:00Z"),
          id: "0193a5a0-0000-7000-8000-000000000001")
      }
      try workspace.change(id, note)
      let byFolder = try workspace.read(id)
      let (changed, programme, _) = try old.changed(note)
      // The folder's write also sets the revision, format and chain: what a store's append does.
      let kept = try changed.written(after: old, place: "test")
      // The same record, but for the id each gave its seal (ids are new for each event made).
      let same = { (record: ClientRecord) in
        record.events.map { event in
          var event = event
          (event.id, event.previous) = (nil, nil)
          return String(decoding: ClientRecord.eventText(event), as: UTF8.self)
        }
      }
      #expect(same(kept) == same(byFolder))
      #expect(kept.assignments == byFolder.assignments)
      #expect(kept.revision == byFolder.revision && kept.format == byFolder.format)
      #expect(kept.events.count == old.events.count + 2)
      #expect(kept.isSealed && byFolder.isSealed)
      #expect(throws: Never.self) { try kept.verifiedProgramme() }
      #expect(programme.assignments["czar"] == "zoe")
    }
  }

  @Test func anEditedHistoryIsRefusedAsDamaged() throws {
    var record = try JSONDecoder().decode(ClientRecord.self, from: CompatibilityFixtureTests.fixture("acme"))
    record = try record.changed { programme in
      try programme.record(
        .assigned(role: "czar", person: "zoe"), by: "alice", at: time("2026-12-07T09:00:00Z"),
        id: "0193a5a0-0000-7000-8000-000000000002")
    }.record.written(after: record, place: "test")
    #expect(throws: Never.self) { try record.verifiedProgramme() }
    record.events[3].note = "edited by hand"
    #expect {
      try record.verifiedProgramme()
    } throws: { error in
      guard case let .damaged(client, problem) = error as? StoreFailure else { return false }
      return client == "acme" && problem.contains("event 3")
    }
  }
}
