import Foundation
import Testing

/// Every relative link in README.md and docs/**/*.md leads somewhere: to a file that exists
/// and, for a `#anchor` into a Markdown file, to one of its headings, slugged as GitHub
/// slugs them. Links in code blocks and code spans are examples, not links.
@Suite struct DocumentationLinkTests {
  static let root = AccordBinary.packageRoot

  /// README.md and every Markdown file under docs/, relative to the package.
  static let files: [String] = {
    let docs = FileManager.default.enumerator(atPath: root.appendingPathComponent("docs").path)
    let pages = (docs?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
    return ["README.md"] + pages.sorted()
  }()

  /// A heading's anchor as GitHub makes it: lower case, punctuation but `-` and `_` dropped,
  /// spaces as `-`.
  static func slug(_ heading: String) -> String {
    String(
      heading.lowercased().compactMap { character -> Character? in
        if character == " " { return "-" }
        if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
        return nil
      })
  }

  /// The lines of a Markdown text outside code blocks.
  static func prose(_ text: String) -> [(number: Int, line: String)] {
    var inCode = false
    var lines: [(Int, String)] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.hasPrefix("```") {
        inCode.toggle()
      } else if !inCode {
        lines.append((index + 1, String(line)))
      }
    }
    return lines
  }

  /// The anchors of a Markdown file's headings; a repeated heading gets `-1`, `-2`...
  static func anchors(_ text: String) -> Set<String> {
    var seen: [String: Int] = [:]
    var anchors: Set<String> = []
    for (_, line) in prose(text) {
      guard let match = line.firstMatch(of: #/^#{1,6} (.+)$/#) else { continue }
      let slug = slug(String(match.1).trimmingCharacters(in: .whitespaces))
      let count = seen[slug, default: 0]
      seen[slug] = count + 1
      anchors.insert(count == 0 ? slug : "\(slug)-\(count)")
    }
    return anchors
  }

  /// The relative links of a Markdown text: `[text](target)`, outside code.
  static func links(_ text: String) -> [(number: Int, target: String)] {
    prose(text).flatMap { number, line in
      line.replacing(#/`[^`]*`/#, with: "").matches(of: #/\]\(([^)\s]+)\)/#).map { (number, String($0.1)) }
    }.filter { $0.target.firstMatch(of: #/^[a-z]+:/#) == nil }
  }

  @Test func theDocumentationHasFilesToCheck() {
    #expect(Self.files.contains("docs/guide/README.md"))
    #expect(Self.files.contains("docs/playbook.md"))
  }

  @Test(arguments: files)
  func everyRelativeLinkResolves(_ name: String) throws {
    let file = Self.root.appendingPathComponent(name)
    let text = try String(contentsOf: file, encoding: .utf8)
    for (number, target) in Self.links(text) {
      let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      let destination = parts[0].isEmpty ? file : file.deletingLastPathComponent().appendingPathComponent(parts[0]).standardized
      guard FileManager.default.fileExists(atPath: destination.path) else {
        Issue.record("\(name):\(number): \(target) leads to no file")
        continue
      }
      if parts.count == 2, destination.pathExtension == "md" {
        let anchors = Self.anchors(try String(contentsOf: destination, encoding: .utf8))
        #expect(anchors.contains(parts[1]), "\(name):\(number): \(target) names no heading of \(destination.lastPathComponent)")
      }
    }
  }

  @Test func slugsAreGitHubs() {
    #expect(Self.slug("A consultant's Monday morning") == "a-consultants-monday-morning")
    #expect(Self.slug("`accord check [CLIENT] [--json] [--accept]`") == "accord-check-client---json---accept")
    #expect(Self.slug("10,000 clients on PostgreSQL beside the folder (issue 20)") == "10000-clients-on-postgresql-beside-the-folder-issue-20")
  }
}
