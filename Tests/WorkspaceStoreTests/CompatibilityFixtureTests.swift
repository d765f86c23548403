import Foundation
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
