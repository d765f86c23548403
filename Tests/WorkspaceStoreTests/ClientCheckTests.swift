import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// `Workspace.check`: every problem with a client, in words that name its file.
@Suite struct ClientCheckTests {
  /// A playbook the sample's events fit, except the signature: lee never holds the role.
  static let source = """
    playbook: sales-marketing-alignment
    version: 1
    title: Sales and marketing alignment
    roles:
      consultant: Consultant
      czar: Collaboration czar
      head-of-sales: Head of sales
    stages:
      - id: benchmark
        title: Benchmark
        milestones:
          - {id: benchmark-survey, title: Survey, owner: consultant}
          - {id: coaching-sessions, title: Coaching, owner: consultant}
        agreements:
          - {id: charter, title: Charter, signatories: [head-of-sales]}

    """

  /// The sample client with its history cut before the signature no one could have made,
  /// on a playbook it fits, so that it replays: started, czar assigned, a milestone done.
  static func soundRecord(_ raw: String = "acme") throws -> ClientRecord {
    var record = try sampleRecord(raw)
    record.playbook.source = source
    record.events = Array(record.events.prefix(3))
    // Started as `accord start` starts a client now: its text recorded in the chain.
    record.events[0].change = .started(client: raw, name: "Acme Ltd", playbook: record.playbook.sha256)
    return record
  }

  @Test func aSoundClientHasNoProblems() throws {
    try withWorkspace { plain in
      let workspace = SeenRevisionsTests.remembering(plain)
      try workspace.create(try Self.soundRecord())
      let result = try workspace.check(try ClientID("acme"))
      #expect(result.isSound, "\(result.problems)")
      #expect(result.revision == 1 && result.events == 3)
      #expect(result.notes.isEmpty)
    }
  }

  @Test func anOlderCopyIsReportedUntilAccepted() throws {
    try withWorkspace { plain in
      let workspace = SeenRevisionsTests.remembering(plain)
      let id = try ClientID("acme")
      try workspace.create(try Self.soundRecord())
      let old = try bytes(workspace)
      try workspace.change(id) { programme in
        try programme.apply(Event(.assigned(role: "czar", person: "kim"), by: "dana", at: time("2026-12-01T09:00:00Z")))
      }
      try old.write(to: workspace.fileURL(for: id))

      let result = try workspace.check(id)
      #expect(result.problems.count == 1)
      let problem = try #require(result.problems.first)
      #expect(problem.contains(workspace.fileURL(for: id).path))
      #expect(problem.contains("older copy"))
      #expect(problem.contains("revision 1 with 3 events, but this machine saw revision 2 with 4 events"))
      // Reading it again does not make it right.
      _ = try workspace.programme(id)
      #expect(!(try workspace.check(id)).isSound)

      _ = try workspace.accept(id)
      #expect(try workspace.check(id).isSound)
      #expect(try bytes(workspace) == old, "check and accept never write the client file")
    }
  }

  @Test func everyProblemIsReportedForEveryClient() throws {
    try withWorkspace { plain in
      let workspace = SeenRevisionsTests.remembering(plain)
      for raw in ["acme", "beta", "gamma"] { try workspace.create(try Self.soundRecord(raw)) }
      // beta: damaged; gamma: a history the rules refuse; acme: a leftover from a dead
      // process (no pid is that high), and a write in progress by a live one (pid 1).
      try Data("{".utf8).write(to: workspace.fileURL(for: try ClientID("beta")))
      try workspace.update(try ClientID("gamma")) { $0.events.append(try sampleRecord("gamma").events[3]) }
      #expect(try workspace.read(try ClientID("gamma")).events.count == 4)
      let leftover = workspace.directory.appendingPathComponent(".acme.json.tmp-999999999-ab12")
      try Data("half a".utf8).write(to: leftover)
      try Data("half b".utf8).write(to: workspace.directory.appendingPathComponent(".acme.json.tmp-1-cd34"))
      let lock = workspace.lockPath(for: try ClientID("acme"))
      try FileManager.default.removeItem(atPath: lock)
      try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: "/etc/passwd")

      let results = try workspace.checkAll()
      #expect(results.map(\.client) == ["acme", "beta", "gamma"])
      #expect(results[0].notes.count == 1 && results[0].notes[0].contains(".acme.json.tmp-1-cd34"), "\(results[0].notes)")
      #expect(results[0].leftovers == [leftover.path])
      #expect(results[0].problems.count == 2, "\(results[0].problems)")
      #expect(results[0].problems.contains { $0.contains("symbolic link") })
      #expect(results[0].problems.contains { $0.contains(".acme.json.tmp-999999999-ab12") && $0.contains("delete it") })
      #expect(results[1].problems.count == 1 && results[1].problems[0].contains("not valid JSON"))
      #expect(results[1].revision == nil)
      #expect(results[2].problems.count == 1 && results[2].problems[0].contains("events[3]"), "\(results[2].problems)")
      #expect(results[2].problems[0].contains("breaks the rules"))
    }
  }

  @Test func aMissingClientIsAnErrorNotAProblem() throws {
    try withWorkspace { workspace in
      let id = try ClientID("ghost")
      #expect(throws: StoreError.noSuchClient(path: workspace.fileURL(for: id).path)) {
        try workspace.check(id)
      }
    }
  }
}
