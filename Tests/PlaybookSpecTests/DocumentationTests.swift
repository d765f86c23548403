import Foundation
import PlaybookSpec
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

/// Every YAML example in docs/ and the README is a playbook that validates: a whole one as
/// it stands, a fragment (a few top-level keys) in place of those keys of the first whole
/// example of its file.
@Suite struct DocumentedYAMLTests {
  static let root = Fixtures.playbooks.deletingLastPathComponent()

  static func blocks(in file: URL) throws -> [String] {
    let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    var blocks: [String] = []
    var current: [Substring]?
    for line in lines {
      if current == nil, line == "```yaml" {
        current = []
      } else if let open = current, line == "```" {
        blocks.append(open.joined(separator: "\n") + "\n")
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  /// The top-level keys of a YAML text and the lines under each, in order.
  static func topLevel(_ text: String) -> [(key: String, text: String)] {
    var parts: [(key: String, text: String)] = []
    for line in text.split(separator: "\n") {
      if let first = line.first, first != " ", first != "#", let colon = line.firstIndex(of: ":") {
        parts.append((String(line[..<colon]), String(line) + "\n"))
      } else if !parts.isEmpty {
        parts[parts.count - 1].text += line + "\n"
      }
    }
    return parts
  }

  /// Every Markdown file of docs/ (the guide's pages among them), and the README, that holds
  /// a YAML example.
  static let files: [String] = {
    let docs = FileManager.default.enumerator(atPath: root.appending(path: "docs").path)?.allObjects as? [String] ?? []
    return (docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 } + ["README.md"]).filter {
      ((try? String(contentsOf: root.appending(path: $0), encoding: .utf8)) ?? "").contains("```yaml")
    }
  }()

  @Test func theDocsHaveYAMLExamplesToCheck() {
    #expect(Self.files.contains("docs/playbook.md"))
  }

  @Test(arguments: files)
  func everyYAMLExampleValidates(_ name: String) throws {
    let blocks = try Self.blocks(in: Self.root.appending(path: name))
    let whole = blocks.first { $0.contains("\nstages:") }
    for (index, block) in blocks.enumerated() {
      var text = block
      if !block.contains("\nstages:") {
        let base = try #require(whole, "\(name): a fragment with no whole example to fit it in")
        var parts = Self.topLevel(base)
        for fragment in Self.topLevel(block) {
          if let position = parts.firstIndex(where: { $0.key == fragment.key }) {
            parts[position] = fragment
          } else {
            parts.append(fragment)
          }
        }
        text = parts.map(\.text).joined()
      }
      #expect(throws: Never.self, "\(name), YAML example \(index + 1)") {
        _ = try Playbook.parse(text, file: "\(name)#\(index + 1)")
      }
    }
  }
}
