import Foundation
import Testing

/// The cache of parsed playbooks through the built binary: reads give the same answers
/// with a cache that is empty, sound, damaged or impossible to write.
@Suite("End to end: the playbook cache")
struct PlaybookCacheTests {
  let accord: AccordBinary

  init() throws {
    accord = try AccordBinary()
  }

  var entries: URL { accord.cacheHome.appendingPathComponent("accord/playbooks") }

  func entryNames() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: entries.path)) ?? []).sorted()
  }

  @Test func readsAgreeWhateverTheCacheHolds() throws {
    let start = try accord("start", "acme", "--name", "Acme Ltd")
    #expect(start.status == 0, "\(start.stderr)")
    // `start` parses the playbook it is given; the first read is what fills the cache.
    try? FileManager.default.removeItem(at: accord.cacheHome)

    let first = try accord("status", "acme", "--json")
    #expect(first.status == 0, "\(first.stderr)")
    let names = entryNames()
    #expect(names.count == 1, "one entry, for the one playbook text")
    let entry = entries.appendingPathComponent(try #require(names.first))
    let sound = try Data(contentsOf: entry)
    let attributes = try FileManager.default.attributesOfItem(atPath: entry.path)
    #expect(attributes[.posixPermissions] as? Int == 0o600)

    // Served from the cache, then from a truncated entry, then from a foreign one.
    #expect(try accord("status", "acme", "--json").stdout == first.stdout)
    try sound.prefix(sound.count / 2).write(to: entry)
    #expect(try accord("status", "acme", "--json").stdout == first.stdout)
    #expect(try Data(contentsOf: entry) == sound, "the truncated entry is written again")
    try Data(repeating: 0x41, count: sound.count).write(to: entry)
    #expect(try accord("status", "acme", "--json").stdout == first.stdout)
    #expect(try Data(contentsOf: entry) == sound)
  }

  @Test func anUnwritableCacheChangesNothing() throws {
    let start = try accord("start", "acme", "--name", "Acme Ltd")
    #expect(start.status == 0, "\(start.stderr)")
    let expected = try accord("next", "acme")
    let blocker = accord.folder.appendingPathComponent("blocker")
    try Data("not a folder".utf8).write(to: blocker)
    let run = try accord("next", "acme", environment: ["XDG_CACHE_HOME": blocker.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == expected.stdout)
    #expect(run.stderr.isEmpty)
  }
}
