import Foundation
import PlaybookSpec
import Testing

/// Named hostile inputs, read in this process: each is refused with a located diagnostic
/// (or, for JSON, read like the YAML it is), without crashing.
@Suite struct HostilePlaybookTests {
  static func refusal(_ text: String, file: String = "hostile.yaml") throws -> PlaybookError {
    try #require(throws: PlaybookError.self) { try Playbook.parse(text, file: file) }
  }

  /// The ways YAML nests, each written `depth` levels deep.
  enum Nesting: String, CaseIterable {
    case flowLists, flowMappings, blockLists, blockMappings

    func text(depth: Int) -> String {
      switch self {
      case .flowLists: String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      case .flowMappings: String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
      case .blockLists: String(repeating: "- ", count: depth) + "x"
      case .blockMappings:
        (0..<depth).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " x"
      }
    }
  }

  /// libyaml stops at about 1000 levels (block nesting at exactly 1000, flow nesting a
  /// little later), before the recursive walk of the tree could overflow the stack: Swift
  /// Testing's threads have small ones, so reading 900 levels here shows there is room.
  @Test(arguments: Nesting.allCases)
  func veryDeepNestingIsRefused(shape: Nesting) throws {
    let shallow = try Self.refusal(shape.text(depth: 900))
    #expect(!shallow.description.contains("nested"), "\(shape): 900 levels are read, then found wrong")
    // Block mappings grow with the square of their depth: 2,000 levels are already 2 MB.
    for depth in shape == .blockMappings ? [2_000] : [2_000, 100_000] {
      let error = try Self.refusal(shape.text(depth: depth))
      #expect(error.diagnostics.count == 1)
      #expect(error.description.contains("nested too deep (the limit is about 1000 levels)"), "\(shape): \(error)")
    }
  }

  @Test func aBillionLaughsIsRefused() throws {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let error = try Self.refusal(text)
    let message = "the playbook's anchors and aliases expand to more elements than it is worth reading"
    #expect(error.description == "hostile.yaml:1:1: error: \(message)")
  }

  @Test func duplicateKeysAreRefusedAtTheSecond() throws {
    let text = ParsingTests.minimal.replacingOccurrences(of: "title: P\n", with: "title: P\ntitle: Q\n")
    let error = try Self.refusal(text)
    #expect(error.description == "hostile.yaml:4:1: error: duplicate key 'title' (first at line 3, column 1)")
  }

  @Test func bytesThatAreNotUTF8AreRefusedWhereTheyStart() throws {
    var data = Data(ParsingTests.minimal.utf8)
    data.insert(contentsOf: [0xFF, 0xFE], at: 30)
    let error = try #require(throws: PlaybookError.self) { try Playbook.parse(data, file: "hostile.yaml") }
    #expect(error.description.hasPrefix("hostile.yaml:3:"))
    #expect(error.description.hasSuffix("error: the playbook is not valid UTF-8 text; save it as UTF-8"))
  }

  @Test(arguments: ["", "\n", "   ", "# nothing\n", "---\n", "~\n", "null\n"])
  func emptyOrNullIsRefused(text: String) throws {
    let error = try Self.refusal(text)
    #expect(error.diagnostics.count == 1)
    // At the start, or where the empty document's value would be.
    #expect(error.diagnostics[0].location.line <= 2, "\(error)")
    #expect(error.description.contains("empty"), "\(error)")
  }

  /// JSON is YAML: a playbook written as JSON is read like any other, and a JSON value that
  /// is not a playbook is refused at its position.
  @Test func aJSONDocumentIsReadAsYAML() throws {
    let json = """
      {"playbook": "p", "version": 1, "title": "P", "roles": {"consultant": "Consultant"},
       "stages": [{"id": "s", "title": "S", "milestones": [{"id": "m", "title": "M", "owner": "consultant"}]}]}
      """
    let fromJSON = try Playbook.parse(json, file: "p.json")
    let fromYAML = try Playbook.parse(ParsingTests.minimal, file: "p.yaml")
    #expect(fromJSON.summary == fromYAML.summary)
    #expect(fromJSON.stages.flatMap(\.milestones).map(\.id) == ["m"])
    let list = try Self.refusal("[1, 2, 3]")
    #expect(list.description.hasPrefix("hostile.yaml:1:1: error: expected a playbook"))
    let wrong = try Self.refusal(json.replacingOccurrences(of: "\"version\": 1", with: "\"version\": \"one\""))
    #expect(wrong.description == "hostile.yaml:1:30: error: expected an integer, got a string")
  }
}
