import Foundation
import Glibc
import ProgrammeEngine
import Testing
import WorkspaceStore

@testable import AccordCLI

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
