import Foundation
import Glibc
import ProgrammeEngine
import Testing
@testable import WorkspaceStore

@testable import AccordCLI
@testable import AccordServer

/// The server's memory of each client (`WebDesk`, `ProgrammeCache`): a read after the server's
/// own write is answered from memory, a change made outside it (the CLI) is read again, and
/// what memory holds is always what the file holds.
@Suite("The server's memory of its clients", .serialized)
struct WebDeskMemoryTests {
  let firm = Viewer(person: "alice", scope: .firm, credential: .token(id: "test"))

  /// Overwrites the client's file in place with `bytes` of the same length and puts its
  /// modification time back: the file's stamp (inode, size, time) is as it was, its bytes not.
  private func overwriteKeepingStamp(_ url: URL, with bytes: Data) throws {
    var info = stat()
    try #require(lstat(url.path, &info) == 0)
    let descriptor = open(url.path, O_WRONLY)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    try #require(written == bytes.count)
    var times = [info.st_atim, info.st_mtim]
    try #require(futimens(descriptor, &times) == 0)
    var after = stat()
    try #require(lstat(url.path, &after) == 0)
    try #require(after.st_ino == info.st_ino && after.st_size == info.st_size)
    try #require(after.st_mtim.tv_sec == info.st_mtim.tv_sec && after.st_mtim.tv_nsec == info.st_mtim.tv_nsec)
  }

  /// The seeded workspace of the web tests, and the server's desk on it.
  private func seededDesk() throws -> (WebPageFixture, WebDesk) {
    let fixture = try WebPageFixture()
    try fixture.seed()
    return (fixture, WebDesk(workspace: fixture.workspace))
  }

  @Test func aReadAfterTheServersOwnWriteIsAnsweredFromMemory() async throws {
    let (fixture, desk) = try seededDesk()
    _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sales-manager", person: "kim") }

    // The file now says nothing Accord can read, yet its stamp is the one the write left.
    let file = fixture.accord.workspace.appendingPathComponent("acme.json")
    let size = try Data(contentsOf: file).count
    try overwriteKeepingStamp(file, with: Data(repeating: UInt8(ascii: " "), count: size))
    let (_, programme) = try await desk.load("acme", for: firm)
    #expect(programme.assignments["sales-manager"] == "kim")
  }

  /// A client from before the chain covered its playbook text, changed first through the
  /// server: the server seals it as the CLI would (a `sealed` event, format 5), and what it
  /// keeps in memory is the sealed history, so its next write links on from the seal.
  @Test func aChangeThroughTheServerSealsAnOldClient() async throws {
    let accord = try CompatibilityTests.workspaceWithOldFiles()
    let desk = WebDesk(workspace: Workspace(directory: accord.workspace, holder: "web tests"))
    let (_, before) = try await desk.load("acme", for: firm)
    _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sales-manager", person: "kim") }
    // What memory holds now, as the next read and the next write see it.
    let (_, after) = try await desk.load("acme", for: firm)
    #expect(after.history.count == before.history.count + 2)
    #expect(after.history[before.history.count].change.type == "sealed")
    let file = try #require(try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])
    // Sealed, and the seal and the change each have an id: format 6.
    #expect(file["format"] as? Int == 6)
    _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sales-manager", person: "kai") }
    let check = try accord("check", "acme")
    #expect(check.status == 0, "\(check.stdout)")
    #expect(!check.stdout.contains("not yet covered"), "\(check.stdout)")
    let events = try #require(
      (try JSONSerialization.jsonObject(with: accord.stateFile("acme")) as? [String: Any])?["events"] as? [[String: Any]])
    #expect(events.filter { $0["type"] as? String == "sealed" }.count == 1, "sealed once, not on every write")
  }

  @Test func aChangeMadeWithTheCLIIsReadAgain() async throws {
    let (fixture, desk) = try seededDesk()
    _ = try await desk.load("acme", for: firm)
    _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sales-manager", person: "kim") }
    try #require(try fixture.accord("assign", "acme", "marketing-manager", "lee").status == 0)

    let (_, programme) = try await desk.load("acme", for: firm)
    #expect(programme.assignments["sales-manager"] == "kim")
    #expect(programme.assignments["marketing-manager"] == "lee")
    // The server's next write starts from the CLI's file, not from its memory: nothing lost.
    _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sales-manager", person: "kai") }
    let stored = try fixture.workspace.programme(ClientID("acme")).programme
    #expect(stored.assignments["marketing-manager"] == "lee")
    #expect(stored.assignments["sales-manager"] == "kai")
  }

  @Test func whatMemoryHoldsIsWhatTheFileHolds() async throws {
    let (fixture, desk) = try seededDesk()
    let id = try ClientID("acme")
    for (round, person) in ["kim", "kai", "kit", "kat"].enumerated() {
      _ = try await desk.apply(to: "acme", as: firm, via: round.isMultiple(of: 2) ? .api : .web) { _ in
        .assigned(role: "sales-manager", person: person)
      }
      let (record, programme) = try await desk.load("acme", for: firm)
      let stored = try fixture.workspace.programme(id)
      // Record for record and event for event, the chain's links included.
      #expect(record == stored.record)
      #expect(record.revision == stored.record.revision)
      #expect(programme == stored.programme)
      #expect(programme.history.map(\.previous) == stored.record.events.map(\.previous))
      #expect(programme.nextActions() == stored.programme.nextActions())
      // Each write after the first copies the events' text it wrote before: the file is
      // still exactly the record written whole.
      let file = fixture.accord.workspace.appendingPathComponent("acme.json")
      #expect(try Data(contentsOf: file) == Data(stored.record.canonicalJSON()))
    }
    // The chain the server's writes made holds, as `check` reads it.
    #expect(try fixture.accord("check", "acme").status == 0)
  }

  @Test func aWriteFromMemoryChecksTheBytesNotOnlyTheStamp() async throws {
    let (fixture, desk) = try seededDesk()
    _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sales-manager", person: "kim") }
    // An edit in place that keeps the file's stamp: "kim" becomes "kit", which the chain's
    // head no longer matches.
    let file = fixture.accord.workspace.appendingPathComponent("acme.json")
    let edited = Data(String(decoding: try Data(contentsOf: file), as: UTF8.self).replacingOccurrences(of: "\"kim\"", with: "\"kit\"").utf8)
    try overwriteKeepingStamp(file, with: edited)

    // The write reads the bytes under the lock, finds them changed, reads the file as it is,
    // and refuses to seal the edit; nothing is written.
    await #expect(throws: StoreError.self) {
      _ = try await desk.apply(to: "acme", as: firm, via: .api) { _ in .assigned(role: "sponsor", person: "sue") }
    }
    #expect(try Data(contentsOf: file) == edited)
  }
}

extension WebDeskMemoryTests {
  /// A memory that does what the server's does and notes what a reader would find at each
  /// step of a write.
  final class WatchedMemory: ClientMemory, @unchecked Sendable {
    let cache = ProgrammeCache()
    let workspace: Workspace
    var expected: [(client: LoadedClient, onDisk: FileStamp?, reader: LoadedClient?)] = []
    init(_ workspace: Workspace) { self.workspace = workspace }
    func recall(_ id: ClientID) -> LoadedClient? { cache.recall(id) }
    func keep(_ id: ClientID, _ client: LoadedClient) { cache.keep(id, client) }
    func expect(_ id: ClientID, _ client: LoadedClient) {
      cache.expect(id, client)
      expected.append((client, try? workspace.stamp(of: id), try? cache.fresh(id, in: workspace)))
    }
  }

  /// A read that finds the server's new file before the write has kept it is answered from
  /// memory too: the write says what is coming before the rename, and readers know it by
  /// its stamp, where before they read and replayed the whole file again.
  @Test func aReaderBetweenTheRenameAndTheKeepIsAnsweredFromMemory() throws {
    let (fixture, _) = try seededDesk()
    let id = try ClientID("acme")
    let memory = WatchedMemory(fixture.workspace)
    memory.keep(id, try fixture.workspace.loadClient(id))
    let before = try #require(try fixture.workspace.stamp(of: id))
    let (_, written) = try fixture.workspace.change(id, memory: memory) { programme in
      try programme.apply(Event(.assigned(role: "sales-manager", person: "kim"), by: firm.person, at: Date()))
    }
    let coming = try #require(memory.expected.first)
    #expect(memory.expected.count == 1)
    // Announced while the old file was still in place, and readers then still got the old one.
    #expect(coming.onDisk == before)
    #expect(coming.reader?.stamp == before)
    // The stamp announced is the new file's, and a reader finds that file in memory.
    let after = try #require(try fixture.workspace.stamp(of: id))
    #expect(coming.client.stamp == after && after != before)
    #expect(written?.stamp == after)
    let coming2 = ProgrammeCache()
    coming2.expect(id, coming.client)
    #expect(try coming2.fresh(id, in: fixture.workspace)?.record == written?.record)
  }
}
