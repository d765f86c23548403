import Foundation
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// The example in docs/state-format.md is a real client file: it must keep reading, its
/// playbook text must validate and its history keep the rules.
@Suite struct DocumentationTests {
  @Test func stateFormatExampleIsAValidClientFile() throws {
    let docs = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/state-format.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let start = try #require(text.range(of: "```json\n"))
    let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
    let example = Data((text[start.upperBound..<end.lowerBound] + "\n").utf8)

    let record = try ClientRecord.decode(example, path: "example", expecting: ClientID("acme"))
    #expect(record.revision == 5)
    #expect(record.events.map(\.change.type) == ["started", "assigned", "assigned", "completed", "signed"])
    // Written back unchanged, it is the same bytes: the example shows the real layout.
    #expect(record.encoded() == example)

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("accord-doc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try example.write(to: folder.appendingPathComponent("acme.json"))
    let workspace = Workspace(directory: folder, lockTimeout: .zero, holder: "test")
    let programme = try workspace.programme(try ClientID("acme")).programme
    #expect(programme.assignments == record.assignments)
    #expect(programme.isDone("benchmark-survey"))
    // Its hashes are the real ones: the chain holds and the signature is on the terms in force.
    #expect(HistoryChain.firstBreak(in: record.events, head: record.head) == nil)
    #expect(HistoryChain.hash(of: record.events[0]) == "8732b4b83a661da2b28c6383e8dbebd66b4ef0faf8fa94e1dba8b2783d81a75f")
    #expect(programme.signatures(of: "charter").map(\.isStale) == [false])
    #expect(programme.signatures(of: "charter").first?.terms == programme.termsHash(ofAgreement: "charter"))
  }
}
