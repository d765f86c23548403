import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

@Suite struct WorkspaceTests {
  struct Refusal: Error {}

  @Test func createThenReadGivesTheSameRecord() throws {
    try withWorkspace { workspace in
      let record = try sampleRecord()
      try workspace.create(record)
      var expected = record
      expected.revision = 1
      // What the store adds: each event's link in the hash chain, and the chain's head.
      expected.chain(from: 0)
      #expect(expected.events.dropFirst().allSatisfy { $0.previous != nil } && expected.head != nil)
      #expect(try workspace.read(ClientID("acme")) == expected)
    }
  }

  @Test func fileIsSortedPrettyJSONEndingInANewline() throws {
    try withWorkspace { workspace in
      try workspace.create(try sampleRecord())
      let text = String(decoding: try bytes(workspace), as: UTF8.self)
      #expect(text.hasSuffix("}\n"))
      #expect(text.contains(#""origin" : "playbooks/alignment.yaml""#), "slashes are not escaped")
      #expect(text.contains(#""at" : "2026-11-26T16:40:05Z""#))
      #expect(text.contains(#""format" : 1"#))
      #expect(text.contains(#""revision" : 1"#))
      let keys = [
        "assignments", "client", "events", "format", "name", "playbook", "revision", "uid",
      ]
      let positions = keys.map { text.range(of: "\n  \"\($0)\" :")?.lowerBound }
      #expect(!positions.contains(nil), "every top-level key is present")
      #expect(
        positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "keys are sorted")
    }
  }

  @Test func createRefusesAnExistingClientAndLeavesItAlone() throws {
    try withWorkspace { workspace in
      try workspace.create(try sampleRecord())
      let before = try bytes(workspace)
      var other = try sampleRecord()
      other.name = "Someone Else"
      let error = #expect(throws: StoreError.self) { try workspace.create(other) }
      #expect(error == .clientExists(path: workspace.fileURL(for: try ClientID("acme")).path))
      #expect(try bytes(workspace) == before)
    }
  }

  @Test func updateIncreasesTheRevisionAndPersists() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let count = try workspace.update(id) { record in
        record.events.append(completion("coaching-sessions"))
        record.assignments["head-of-sales"] = "lee"
        return record.events.count
      }
      #expect(count == 5)
      let stored = try workspace.read(id)
      #expect(stored.revision == 2)
      #expect(stored.events.last?.unlinked == completion("coaching-sessions"))
      #expect(stored.events.last?.previous == HistoryChain.link(before: 4, in: stored.events))
      #expect(stored.assignments["head-of-sales"] == "lee")
      try workspace.update(id) { $0.name = "Acme Group" }
      #expect(try workspace.read(id).revision == 3)
    }
  }

  @Test func updateThatThrowsWritesNothing() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let before = try bytes(workspace)
      #expect(throws: Refusal.self) {
        try workspace.update(id) { record in
          record.events.append(completion("half-done"))
          throw Refusal()
        }
      }
      #expect(try bytes(workspace) == before)
      #expect(try temporaryFiles(workspace).isEmpty)
      // The lock was released: the next update does not wait.
      var quick = workspace
      quick.lockTimeout = .zero
      try quick.update(id) { $0.name = "Acme Group" }
    }
  }

  @Test func updateThatChangesNothingWritesNothing() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      let before = try bytes(workspace)
      let name = try workspace.update(id) { $0.name }
      #expect(name == "Acme Ltd")
      #expect(try bytes(workspace) == before)
      #expect(try workspace.read(id).revision == 1)
    }
  }

  @Test func missingClient() throws {
    try withWorkspace { workspace in
      let id = try ClientID("ghost")
      let path = workspace.fileURL(for: id).path
      #expect(throws: StoreError.noSuchClient(path: path)) { try workspace.read(id) }
      #expect(throws: StoreError.noSuchClient(path: path)) { try workspace.update(id) { _ in } }
      try workspace.create(try sampleRecord())
      #expect(throws: StoreError.noSuchClient(path: path)) { try workspace.update(id) { _ in } }
      #expect(!(try folderListing(workspace)).contains(".ghost.lock"), "no stray lock file")
    }
  }

  @Test func filesAreForTheOwnerOnly() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      #expect(try mode(workspace.directory.path) == 0o700)
      #expect(try mode(workspace.fileURL(for: id).path) == 0o600)
      #expect(try mode(workspace.lockPath(for: id)) == 0o600)
      try workspace.update(id) { $0.name = "Acme Group" }
      #expect(try mode(workspace.fileURL(for: id).path) == 0o600, "still 0600 after a rewrite")
    }
  }

  @Test func clientIDsAreSortedAndOnlyClients() throws {
    try withWorkspace { workspace in
      #expect(try workspace.clientIDs().isEmpty, "a missing folder has no clients")
      for raw in ["zeta", "acme", "Beta"] {
        try workspace.create(try sampleRecord(raw))
      }
      let folder = workspace.directory
      for stray in [".acme.json.tmp-12-ab12", ".hidden.json", "notes.txt", "my client.json"] {
        try Data("x".utf8).write(to: folder.appendingPathComponent(stray))
      }
      #expect(try workspace.clientIDs().map(\.rawValue) == ["Beta", "acme", "zeta"])
      #expect(try folderListing(workspace).contains(".acme.lock"), "lock files are kept")
    }
  }
}
