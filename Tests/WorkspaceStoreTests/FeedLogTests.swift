import Foundation
import Glibc
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The folder's change feed (`FeedLog`, `FeedReader`): how a line is settled when its
/// write failed, is still in flight, was torn, or was retried with the same event.
@Suite("Folder change feed")
struct FeedLogTests {
  @Test func aWriteThatFailedIsPassedOverAndItsRetryDeliveredOnce() async throws {
    try await withFeedWorkspace { workspace in
      try workspace.create(try sampleRecord())
      let id = try ClientID("acme")
      let retried = Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z"), id: EventID.make())
      var failing = workspace
      failing.faults = { $0 == .rename ? EIO : nil }
      #expect(throws: StoreError.self) { try failing.update(id) { $0.events.append(retried) } }
      // The same event again (an API retry under the same Idempotency-Key), now kept.
      try workspace.update(id) { $0.events.append(retried) }
      let kept = try workspace.read(id)
      let lines = try logLines(workspace)
      #expect(lines.filter { $0.hasPrefix("acme 4 \(retried.id!) ") }.count == 2, "\(lines)")

      let page = try await FolderStore(workspace).changes(after: nil, limit: 100, clients: nil)
      #expect(page.changes.map(\.position) == [0, 1, 2, 3, 4])
      #expect(page.changes.map(\.event) == kept.events)
      // Events from before ids are keyed by their hash.
      #expect(lines.first?.split(separator: " ")[2].hasPrefix("sha256:") == true)
    }
  }

  @Test func aWriteInFlightStopsThePageUntilItEnds() async throws {
    try await withFeedWorkspace { workspace in
      let acme = try sampleRecord()
      try workspace.create(acme)
      let store = FolderStore(workspace)
      let first = try await store.changes(after: nil, limit: 100, clients: nil)
      #expect(first.changes.count == acme.events.count)

      // A writer holding acme's lock has announced an event and not yet replaced the file.
      let id = try ClientID("acme")
      let lock = try ClientLock(
        path: workspace.lockPath(for: id), holder: "a slow writer", timeout: .seconds(1),
        target: workspace.fileURL(for: id).path)
      var announced = try workspace.read(id)
      announced.events.append(Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z"), id: EventID.make()))
      try FeedLog(workspace: workspace).note(announced, from: acme.events.count)
      // Another client's write commits after it.
      try workspace.create(try sampleRecord("globex"))
      let held = try await store.changes(after: first.cursor, limit: 100, clients: nil)
      #expect(held.changes.isEmpty)
      #expect(held.cursor == first.cursor)
      // Narrowed to globex, acme's line is none of the reader's business.
      #expect(try await store.changes(after: first.cursor, limit: 100, clients: ["globex"]).changes.count == 4)

      // The writer gives up without writing: its line is dead, and the page goes on.
      lock.release()
      let after = try await store.changes(after: first.cursor, limit: 100, clients: nil)
      #expect(after.changes.map(\.client) == ["globex", "globex", "globex", "globex"])
    }
  }

  @Test func aLineTornByAPowerCutIsPassedOverAndSwallowsNoOther() async throws {
    try await withFeedWorkspace { workspace in
      try workspace.create(try sampleRecord())
      let path = FeedLog(workspace: workspace).path
      let handle = try #require(FileHandle(forWritingAtPath: path))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("acme 4 0192".utf8))
      try handle.close()
      try workspace.update(try ClientID("acme")) {
        $0.events.append(Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z"), id: EventID.make()))
      }
      let page = try await FolderStore(workspace).changes(after: nil, limit: 100, clients: nil)
      let lines = try logLines(workspace)
      #expect(
        page.changes.map(\.event) == (try workspace.read(try ClientID("acme"))).events,
        "\(page.changes.map(\.position)) \(lines)")
    }
  }

  @Test func everyWritePathAnnouncesItsEvents() async throws {
    try await withFeedWorkspace { workspace in
      try workspace.create(try sampleRecord())
      try workspace.update(try ClientID("acme")) {
        $0.events.append(Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z"), id: EventID.make()))
      }
      // A client kept elsewhere, adopted as it was kept.
      var other = try sampleRecord("globex").written(after: nil, place: "elsewhere")
      other.revision = 7
      try workspace.adopt(other)
      // A change that changes nothing writes nothing, and announces nothing.
      try workspace.update(try ClientID("acme")) { _ in }
      let page = try await FolderStore(workspace).changes(after: nil, limit: 100, clients: nil)
      #expect(page.changes.filter { $0.client == "acme" }.count == 5)
      #expect(page.changes.filter { $0.client == "globex" }.count == 4)
      #expect(try logLines(workspace).count == 9)
    }
  }
}

/// A workspace in a fresh temporary folder, removed after `body`.
private func withFeedWorkspace(_ body: (Workspace) async throws -> Void) async throws {
  let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("accord-feed-tests-\(UUID().uuidString)", isDirectory: true)
  defer { try? FileManager.default.removeItem(at: root) }
  try await body(
    Workspace(directory: root.appendingPathComponent("workspace", isDirectory: true), lockTimeout: .seconds(1), holder: "test"))
}

/// The feed log's lines.
private func logLines(_ workspace: Workspace) throws -> [String] {
  try String(contentsOfFile: FeedLog(workspace: workspace).path, encoding: .utf8).split(separator: "\n").map(String.init)
}
