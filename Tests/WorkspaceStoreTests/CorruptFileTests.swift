import Foundation
import Testing

@testable import WorkspaceStore

/// Files that cannot be trusted are refused with their path and a located problem, and are
/// never written over, by `update` or by `create`.
@Suite struct CorruptFileTests {
  /// A way to damage a good file, and words the problem must contain.
  struct Damage: Sendable, CustomTestStringConvertible {
    var name: String
    var damage: @Sendable (String) -> String
    var problem: String
    var testDescription: String { name }
  }

  static let damages: [Damage] = [
    Damage(
      name: "truncated", damage: { String($0.prefix($0.count / 2)) }, problem: "not valid JSON"),
    Damage(
      name: "not JSON", damage: { _ in "Acme Ltd: started 2 Nov\n" }, problem: "not valid JSON"),
    Damage(name: "empty", damage: { _ in "" }, problem: "the file is empty"),
    Damage(name: "a list", damage: { _ in "[1, 2]\n" }, problem: "expected an object"),
    Damage(
      name: "missing field", damage: { removingLine(containing: #""uid" :"#, from: $0) },
      problem: "missing field 'uid'"),
    Damage(
      name: "event missing a field",
      damage: { removingLine(containing: #""by" : "sam""#, from: $0) },
      problem: "events[2]: missing field 'by'"),
    Damage(
      name: "bad time",
      damage: { replacing("2026-11-03T10:15:00Z", with: "2026-11-03 10:15", in: $0) },
      problem: "events[1].at: '2026-11-03 10:15' is not a UTC time"),
    Damage(
      name: "wrong type",
      damage: { replacing(#""revision" : 1"#, with: #""revision" : "one""#, in: $0) },
      problem: "revision: expected a whole number, found text"),
    Damage(
      name: "fraction",
      damage: { replacing(#""revision" : 1"#, with: #""revision" : 1.5"#, in: $0) },
      problem: "a number does not fit its field"),
    Damage(
      name: "null",
      damage: { replacing(#""name" : "Acme Ltd","#, with: #""name" : null,"#, in: $0) },
      problem: "name: is null, expected text"),
    Damage(
      name: "unknown event",
      damage: { replacing(#""type" : "signed""#, with: #""type" : "approved""#, in: $0) },
      problem: "events[3].type: unknown event type 'approved'"),
    Damage(
      name: "playbook edited", damage: { replacing("Collaboration czar", with: "Czar", in: $0) },
      problem: "playbook.sha256"),
    Damage(
      name: "another client",
      damage: { replacing(#""client" : "acme""#, with: #""client" : "beta""#, in: $0) },
      problem: "client: the file says it holds client 'beta'"),
    // The next write adds one: this once crashed the binary with an overflow.
    Damage(
      name: "revision at the top of the range",
      damage: { replacing(#""revision" : 1"#, with: #""revision" : 9223372036854775807"#, in: $0) },
      problem: "revision: 9223372036854775807 is not a revision Accord could have written"),
    Damage(
      name: "revision zero",
      damage: { replacing(#""revision" : 1"#, with: #""revision" : 0"#, in: $0) },
      problem: "revision: 0 is not a revision"),
    Damage(
      name: "format zero", damage: { replacing(#""format" : 1"#, with: #""format" : 0"#, in: $0) },
      problem: "format: 0 is not a format"),
  ]

  @Test(arguments: damages)
  func refusedAndLeftUntouched(damage: Damage) throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      let url = workspace.fileURL(for: id)
      try workspace.create(try sampleRecord())
      let good = String(decoding: try bytes(workspace), as: UTF8.self)
      let damaged = Data(damage.damage(good).utf8)
      #expect(damaged != Data(good.utf8), "the damage changed the file")
      try damaged.write(to: url)

      let error = #expect(throws: StoreError.self) { try workspace.read(id) }
      guard case let .corrupt(path, problem)? = error else {
        Issue.record("expected corrupt, got \(String(describing: error))")
        return
      }
      #expect(path == url.path)
      #expect(problem.contains(damage.problem), "\(problem)")
      #expect(error?.description.contains(url.path) == true)

      #expect(throws: error!) { try workspace.update(id) { $0.name = "Overwritten" } }
      #expect(throws: StoreError.clientExists(path: url.path)) {
        try workspace.create(try sampleRecord())
      }
      #expect(try Data(contentsOf: url) == damaged)
      #expect(try temporaryFiles(workspace).isEmpty)
    }
  }

  /// A file from a newer Accord may have fields this version has never heard of: it is
  /// reported as newer, not as damaged, and left alone.
  @Test func newerFormatIsRefused() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      let url = workspace.fileURL(for: id)
      try workspace.create(try sampleRecord())
      let newer = ClientRecord.currentFormat + 1
      let future = Data(#"{"format": \#(newer), "client": "acme", "ledger": [{"kind": "opened"}]}"#.utf8)
      try future.write(to: url)
      let expected = StoreError.newerFormat(path: url.path, found: newer, supported: ClientRecord.currentFormat)
      #expect(throws: expected) { try workspace.read(id) }
      #expect(throws: expected) { try workspace.update(id) { $0.name = "Overwritten" } }
      #expect(try Data(contentsOf: url) == future)
    }
  }

  /// The unreadable-file message gives the JSON parser's position.
  @Test func syntaxErrorsSayWhere() throws {
    try withWorkspace { workspace in
      let id = try ClientID("acme")
      try workspace.create(try sampleRecord())
      try Data("{\"format\": 1,\n  \"client\": acme}\n".utf8).write(to: workspace.fileURL(for: id))
      let error = #expect(throws: StoreError.self) { try workspace.read(id) }
      guard case let .corrupt(_, problem)? = error else {
        Issue.record("expected corrupt, got \(String(describing: error))")
        return
      }
      #expect(problem.contains("line 2"), "\(problem)")
    }
  }
}

private func replacing(_ target: String, with replacement: String, in text: String) -> String {
  guard let range = text.range(of: target) else { return text }
  return text.replacingCharacters(in: range, with: replacement)
}

private func removingLine(containing target: String, from text: String) -> String {
  text.split(separator: "\n", omittingEmptySubsequences: false)
    .filter { !$0.contains(target) }
    .joined(separator: "\n")
}
