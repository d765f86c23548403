import Foundation
import Testing

@testable import WorkspaceStore

/// The example in docs/state-format.md is a real client file: it must keep reading.
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
    #expect(record.revision == 4)
    #expect(record.events.map(\.change.type) == ["started", "assigned", "completed", "signed"])
    // Written back unchanged, it is the same bytes: the example shows the real layout.
    #expect(record.encoded() == example)
  }
}
