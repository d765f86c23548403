import Foundation
import Glibc
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The memo of texts already hashed, by each client file's stat: a file read whole is
/// remembered, the memo stands in for hashing only while the file has exactly that stat,
/// and a file changed too recently to be sure of is not remembered at all.
@Suite struct HashedTextsTests {
  static func stamp(_ path: String) throws -> HashedTexts.Stamp {
    var info = stat()
    try #require(stat(path, &info) == 0)
    return HashedTexts.Stamp(info)
  }

  /// A workspace with a memo in a folder beside it; `settled` as given.
  static func withMemo<T>(settled: Int64, _ body: (Workspace, HashedTexts) throws -> T) throws -> T {
    try withWorkspace { workspace in
      var workspace = workspace
      var memo = HashedTexts(
        directory: workspace.directory.deletingLastPathComponent().appendingPathComponent("state/accord/hashed"))
      memo.settled = settled
      workspace.hashed = memo
      return try body(workspace, memo)
    }
  }

  @Test func theMemoStandsForHashingOnlyWhileTheFileHasItsStat() throws {
    try Self.withMemo(settled: 0) { workspace, memo in
      var record = try sampleRecord()
      record.playbook.source = sampleSource + "# marker-one \(UUID().uuidString)\n" + Self.prose
      try workspace.create(record)
      let id = try ClientID("acme")
      let path = workspace.fileURL(for: id).path
      let sha256 = record.playbook.sha256

      // Read whole and checked: remembered by the file's stat.
      #expect(try workspace.read(id).playbook.source == record.playbook.source)
      #expect(memo.recall(try Self.stamp(path)) == [sha256])
      #expect(try mode(memo.directory.path) == 0o700)

      // The text edited by hand, its sha256 left as it was: refused, and not remembered.
      let original = try Data(contentsOf: URL(fileURLWithPath: path))
      let forged = Data(
        String(decoding: original, as: UTF8.self).replacingOccurrences(of: "marker-one", with: "marker-two").utf8)
      #expect(forged.count == original.count)
      try forged.write(to: URL(fileURLWithPath: path))
      #expect(throws: StoreError.self) { try workspace.read(id) }
      #expect(memo.recall(try Self.stamp(path)).isEmpty)

      // A memo for exactly this stat is what a read goes by (so only this user's own memo,
      // written after hashing these bytes, may ever say so)...
      memo.note(try Self.stamp(path), hashes: [sha256])
      #expect(try workspace.read(id).playbook.source.contains("marker-two"))
      // `check` hashes every text itself, whatever this machine noted.
      #expect(try !workspace.check(id).isSound)
      // ...and nothing else: any change to the file (here only its mode) changes its stat.
      usleep(50_000)  // past the file system clock's tick
      #expect(chmod(path, 0o640) == 0)
      #expect(throws: StoreError.self) { try workspace.read(id) }
    }
  }

  /// Enough text that the file is worth a memo (`HashedTexts.worthwhile`).
  static let prose = (0..<3_000).map { "# A line of prose, number \($0), as a playbook's description has.\n" }.joined()

  static func largeRecord() throws -> ClientRecord {
    var record = try sampleRecord()
    record.playbook.source = sampleSource + prose
    return record
  }

  @Test func aSmallFileIsNotWorthAMemo() throws {
    try Self.withMemo(settled: 0) { workspace, memo in
      try workspace.create(try sampleRecord())
      _ = try workspace.read(try ClientID("acme"))
      #expect(!FileManager.default.fileExists(atPath: memo.directory.path))
    }
  }

  @Test func aFileChangedTooRecentlyIsNotRemembered() throws {
    try Self.withMemo(settled: 3_600_000_000_000) { workspace, memo in
      try workspace.create(try Self.largeRecord())
      let id = try ClientID("acme")
      _ = try workspace.read(id)
      #expect(memo.recall(try Self.stamp(workspace.fileURL(for: id).path)).isEmpty)
      #expect(!FileManager.default.fileExists(atPath: memo.directory.path))
    }
  }

  @Test func aDamagedOrForeignMemoIsIgnoredAndWrittenAgain() throws {
    try Self.withMemo(settled: 0) { workspace, memo in
      let record = try Self.largeRecord()
      try workspace.create(record)
      let id = try ClientID("acme")
      let path = workspace.fileURL(for: id).path
      _ = try workspace.read(id)
      let stamp = try Self.stamp(path)
      let memoFile = memo.directory.appendingPathComponent("\(stamp.device)-\(stamp.inode)")
      let sound = try Data(contentsOf: memoFile)
      let other = String(repeating: "0", count: 64)
      for damaged in [Data(), Data("garbage".utf8), sound.dropLast(), Data(sound.prefix(20)),
        Data(String(decoding: sound, as: UTF8.self).replacingOccurrences(of: record.playbook.sha256, with: "NOT A HASH").utf8)]
      {
        try damaged.write(to: memoFile)
        #expect(memo.recall(stamp).isEmpty)
        #expect(try workspace.read(id) == (try workspace.read(id)))
        #expect(try Data(contentsOf: memoFile) == sound, "written again")
      }
      // A memo of another stat (another size) says nothing about this file.
      var foreign = stamp
      foreign.size += 1
      memo.note(foreign, hashes: [other])
      #expect(memo.recall(stamp) == [record.playbook.sha256] || memo.recall(stamp).isEmpty)
      #expect(!memo.recall(stamp).contains(other))
    }
  }

  @Test func theStandardPlaceFollowsXDG() {
    #expect(HashedTexts.standard(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])?.directory.path == "/s/accord/hashed")
    #expect(HashedTexts.standard(environment: ["HOME": "/h"])?.directory.path == "/h/.local/state/accord/hashed")
    #expect(HashedTexts.standard(environment: [:]) == nil)
  }
}
