import Foundation
import Testing

/// docs/playbook.md quotes diagnostics; each must be one the code really prints, so the
/// reference cannot drift from the messages.
@Suite struct DocumentationTests {
  /// Messages quoted in the docs that other tests check, being awkward as fixtures.
  static let checkedElsewhere: Set<String> = [
    "the playbook is 16777217 bytes, more than the limit of 16777216 bytes (16 MiB)",  // ParsingTests
    "milestone 'm' is already listed",  // DecodingTests
  ]

  @Test func quotedDiagnosticsAreReal() throws {
    let docs = Fixtures.playbooks.deletingLastPathComponent().appending(path: "docs/playbook.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let quoted = text.split(separator: "`").compactMap { span in
      span.range(of: ": error: ").map { String(span[$0.upperBound...].prefix { $0 != "\n" }) }
    }
    #expect(quoted.count > 30)

    let folder = Fixtures.root.appending(path: "invalid")
    var recorded = ""
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
    where name.hasSuffix(".expected.txt") {
      recorded += try String(contentsOf: folder.appending(path: name), encoding: .utf8)
    }
    for message in quoted where !Self.checkedElsewhere.contains(message) {
      #expect(recorded.contains(": error: \(message)\n"), "docs quote a message no fixture prints: \(message)")
    }
  }
}
