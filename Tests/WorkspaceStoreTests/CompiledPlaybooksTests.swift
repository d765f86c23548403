import Foundation
import PlaybookSpec
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The per-user cache of parsed playbooks: a sound entry is used, anything else is refused
/// and the text parsed again, and a cache that cannot be written changes nothing.
@Suite struct CompiledPlaybooksTests {
  static let playbooks = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "playbooks")

  static func text(_ name: String = "alignment.yaml") throws -> String {
    try String(contentsOf: playbooks.appending(path: name), encoding: .utf8)
  }

  static let file = "playbook.source"

  /// A cache in a fresh folder of its own, removed after `body`.
  static func withCache<T>(_ body: (CompiledPlaybooks, URL) throws -> T) throws -> T {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("accord-cache-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    return try body(CompiledPlaybooks(directory: root.appendingPathComponent("cache/accord/playbooks")), root)
  }

  static func read(_ cache: CompiledPlaybooks, _ source: String) throws -> Playbook {
    try cache.playbook(sha256: SHA256.hex(source.utf8), file: file) { source }.get()
  }

  @Test func aMissParsesAndWritesAnEntryThatIsThenUsed() throws {
    try Self.withCache { cache, _ in
      let source = try Self.text()
      let key = SHA256.hex(source.utf8)
      let parsed = try Playbook.parse(source, file: Self.file)
      #expect(try Self.read(cache, source) == parsed)
      let path = cache.path(for: key)
      let entry = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(CompiledPlaybooks.entry(entry, key: key, file: Self.file) == parsed)
      #expect(try mode(path) == 0o600)
      #expect(try mode(cache.directory.path) == 0o700)
      #expect(try mode(cache.directory.deletingLastPathComponent().path) == 0o700)
      #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory.path) == [(path as NSString).lastPathComponent])

      // A hit reads the entry: make it say something else (with a sound checksum) and
      // the answer follows it, which shows the YAML was not parsed.
      var changed = parsed
      changed.title = "From the cache"
      let forged = try #require(CompiledPlaybooks.encode(changed, source: source))
      #expect(forged.key == key)
      try forged.bytes.write(to: URL(fileURLWithPath: path))
      #expect(try Self.read(cache, source).title == "From the cache")
      // And a hit never asks for the text: a read from the cache need not make it a string.
      let hit = cache.playbook(sha256: key, file: Self.file) {
        Issue.record("the text was asked for on a hit")
        return source
      }
      #expect(try hit.get().title == "From the cache")
    }
  }

  @Test func damagedEntriesAreRefusedAndRewritten() throws {
    try Self.withCache { cache, _ in
      let source = try Self.text()
      let key = SHA256.hex(source.utf8)
      let parsed = try Playbook.parse(source, file: Self.file)
      _ = try Self.read(cache, source)
      let url = URL(fileURLWithPath: cache.path(for: key))
      let sound = try Data(contentsOf: url)
      var damaged: [Data] = [Data(), Data("not an entry".utf8), sound + Data([0])]
      damaged += stride(from: 0, to: sound.count, by: max(1, sound.count / 97)).map { sound.prefix($0) }
      for offset in stride(from: 0, to: sound.count, by: max(1, sound.count / 89)) {
        var flipped = sound
        flipped[offset] ^= 0x10
        damaged.append(flipped)
      }
      for bytes in damaged {
        #expect(CompiledPlaybooks.entry(bytes, key: key, file: Self.file) == nil)
        try bytes.write(to: url)
        #expect(try Self.read(cache, source) == parsed)
        #expect(try Data(contentsOf: url) == sound, "the damaged entry is written again")
      }
    }
  }

  @Test func anEntryUnderTheWrongKeyIsNotUsed() throws {
    try Self.withCache { cache, _ in
      let alignment = try Self.text()
      let other = alignment.replacingOccurrences(
        of: "title: Sales and marketing alignment", with: "title: Another programme")
      #expect(other != alignment)
      let otherParsed = try Playbook.parse(other, file: Self.file)
      let key = SHA256.hex(other.utf8)
      let url = URL(fileURLWithPath: cache.path(for: key))
      try FileManager.default.createDirectory(at: cache.directory, withIntermediateDirectories: true)

      // Another text's entry copied to this key's name: its key inside does not match.
      _ = try Self.read(cache, alignment)
      let foreign = try Data(contentsOf: URL(fileURLWithPath: cache.path(for: SHA256.hex(alignment.utf8))))
      try foreign.write(to: url)
      #expect(try Self.read(cache, other) == otherParsed)

      // An entry's key is the SHA-256 of the text it was parsed from, worked out by the
      // writer: a caller that names another text's key gets its text parsed, and no entry
      // is written under the key it named.
      let wrong = try #require(CompiledPlaybooks.encode(try Playbook.parse(alignment, file: Self.file), source: alignment))
      #expect(wrong.key == SHA256.hex(alignment.utf8))
      #expect(CompiledPlaybooks.entry(wrong.bytes, key: key, file: Self.file) == nil)
      try FileManager.default.removeItem(at: url)
      let misnamed = cache.playbook(sha256: key, file: Self.file) { alignment }
      #expect(try misnamed.get() == (try Playbook.parse(alignment, file: Self.file)))
      #expect(!FileManager.default.fileExists(atPath: url.path))
      #expect(try Self.read(cache, other) == otherParsed)

      // An entry parsed under another file name is not this one.
      let renamed = try #require(CompiledPlaybooks.encode(try Playbook.parse(other, file: "other.yaml"), source: other))
      #expect(CompiledPlaybooks.entry(renamed.bytes, key: key, file: Self.file) == nil)
    }
  }

  @Test func aKeyThatIsNotAHashNeverNamesAPath() throws {
    try Self.withCache { cache, _ in
      let source = try Self.text()
      let parsed = try Playbook.parse(source, file: Self.file)
      #expect(try cache.playbook(sha256: "../../escape", file: Self.file) { source }.get() == parsed)
      #expect(!FileManager.default.fileExists(atPath: cache.directory.path))
    }
  }

  @Test func anUnwritableCacheStillReads() throws {
    try Self.withCache { _, root in
      // A file where the cache's folder should be: no folder can be made under it, even
      // by root, for whom permission bits do not count.
      let blocker = root.appendingPathComponent("blocker")
      try Data("x".utf8).write(to: blocker)
      let cache = CompiledPlaybooks(directory: blocker.appendingPathComponent("accord/playbooks"))
      let source = try Self.text()
      #expect(try Self.read(cache, source) == (try Playbook.parse(source, file: Self.file)))
      #expect(try Self.read(cache, source) == (try Playbook.parse(source, file: Self.file)))

      let readOnly = root.appendingPathComponent("read-only/accord/playbooks")
      try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
      chmod(readOnly.path, 0o500)
      defer { chmod(readOnly.path, 0o700) }
      #expect(try Self.read(CompiledPlaybooks(directory: readOnly), source) == (try Playbook.parse(source, file: Self.file)))
    }
  }

  @Test func aPlaybookThatDoesNotParseIsNotCached() throws {
    try Self.withCache { cache, _ in
      let source = "playbook: broken\n"
      #expect(throws: PlaybookError.self) { try Self.read(cache, source) }
      #expect(!FileManager.default.fileExists(atPath: cache.path(for: SHA256.hex(source.utf8))))
    }
  }

  @Test func theStandardPlaceFollowsXDG() {
    #expect(CompiledPlaybooks.standard(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])?.directory.path == "/c/accord/playbooks")
    #expect(CompiledPlaybooks.standard(environment: ["HOME": "/h"])?.directory.path == "/h/.cache/accord/playbooks")
    #expect(CompiledPlaybooks.standard(environment: ["XDG_CACHE_HOME": "cache", "HOME": "/h"])?.directory.path == "/h/.cache/accord/playbooks")
    #expect(CompiledPlaybooks.standard(environment: [:]) == nil)
  }

  @Test func aWorkspaceReadsThroughTheCache() throws {
    try withWorkspace { workspace in
      var workspace = workspace
      let cache = CompiledPlaybooks(
        directory: workspace.directory.deletingLastPathComponent().appendingPathComponent("cache/accord/playbooks"))
      workspace.compiled = cache
      let source = try Self.text("alignment.yaml")
      let playbook = try Playbook.parse(source, file: Self.file)
      let programme = try Programme(
        playbook: playbook,
        start: Event(.started(client: "acme", name: "Acme Ltd"), by: "dana", at: time("2026-11-02T09:00:00Z")))
      try workspace.create(try ClientRecord(starting: programme, source: source, origin: "playbooks/alignment.yaml"))
      let (_, read) = try workspace.programme(try ClientID("acme"))
      // The same programme. (Not compared whole: this process keeps one parse of each text,
      // and another suite may have parsed this one first under another file name.)
      #expect(read.history == programme.history)
      #expect(read.nextActions() == programme.nextActions())
      #expect(read.playbook.stages.map(\.id) == programme.playbook.stages.map(\.id))
      // This process may have read the text before (the memo), so write the entry here.
      _ = cache.playbook(sha256: SHA256.hex(source.utf8), file: Self.file) { source }
      #expect(FileManager.default.fileExists(atPath: cache.path(for: SHA256.hex(source.utf8))))
    }
  }
}
