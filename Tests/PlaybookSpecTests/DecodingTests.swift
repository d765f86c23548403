import Foundation
import PlaybookSpec
import Testing

/// Decoding details that a fixture per case would make hard to read: each case swaps one
/// line of a valid playbook and expects exactly one diagnostic.
@Suite struct DecodingTests {
  static let template = """
    playbook: p
    version: 1
    title: P
    roles:
      consultant: Consultant
    stages:
      - id: s
        title: S
        milestones:
          - id: m
            title: M
            owner: consultant

    """

  static func messages(replacing line: String, with replacement: String) -> [String] {
    let text = template.replacingOccurrences(of: line, with: replacement)
    do {
      _ = try Playbook.parse(text, file: "t.yaml")
      return []
    } catch {
      return error.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }
  }

  @Test(arguments: [
    ("version: 1.5", "2:10 expected an integer, got a number"),
    ("version: yes", "2:10 expected an integer, got a boolean"),
    ("version: 99999999999999999999999", "2:10 '99999999999999999999999' is too large"),
    ("version: -2", "2:10 version must be 1 or more, got -2"),
    ("version: ", "2:9 expected an integer, got an empty value"),
    ("version: [1]", "2:10 expected an integer, got a list"),
  ])
  func version(_ line: String, _ expected: String) {
    #expect(Self.messages(replacing: "version: 1", with: line) == [expected])
  }

  /// The typo is written on line 12, after the milestone's title; a key it suggests is
  /// not reported missing as well (`owners` for `owner`).
  @Test(arguments: [
    ("Title: M2", "12:9 unknown key 'Title' in milestone 'm' (did you mean 'title'?)"),
    ("titel: M", "12:9 unknown key 'titel' in milestone 'm' (did you mean 'title'?)"),
    ("needz: [x]", "12:9 unknown key 'needz' in milestone 'm' (did you mean 'needs'?)"),
    ("terms: none", "12:9 unknown key 'terms' in milestone 'm'"),
    ("owners: [consultant]", "12:9 unknown key 'owners' in milestone 'm' (did you mean 'owner'?)"),
  ])
  func unknownKeySuggestions(_ line: String, _ expected: String) {
    let messages = line.hasPrefix("owners")
      ? Self.messages(replacing: "owner: consultant", with: line)
      : Self.messages(replacing: "title: M", with: "title: M\n        \(line)")
    #expect(messages == [expected])
  }

  @Test func nonStringKey() {
    let messages = Self.messages(replacing: "title: P", with: "title: P\n? [a, b]\n: c")
    #expect(messages == ["4:3 expected a key name in the playbook, got a list"])
  }

  @Test func gateNamingNothing() {
    let messages = Self.messages(replacing: "owner: consultant", with: "owner: consultant\n        gate: {agreements: [], milestones: []}")
    #expect(messages == ["13:15 a gate must name at least one agreement or milestone"])
  }

  @Test func tabIndentationIsASyntaxError() throws {
    let messages = Self.messages(replacing: "  consultant: Consultant", with: "\tconsultant: Consultant")
    let message = try #require(messages.first)
    #expect(messages.count == 1)
    #expect(message.hasPrefix("5:1 invalid YAML: found character that cannot start any token"))
  }

  @Test func controlCharactersAreLocated() {
    let messages = Self.messages(replacing: "title: P", with: "title: P\u{7}")
    #expect(messages == ["3:9 invalid text: control characters are not allowed"])
  }

  @Test func undefinedAlias() {
    let messages = Self.messages(replacing: "title: P", with: "title: *nowhere")
    #expect(messages == ["3:8 invalid YAML: found undefined alias"])
  }

  @Test func nullItemInAList() {
    let messages = Self.messages(replacing: "owner: consultant", with: "owner: consultant\n        needs:\n          -")
    #expect(messages == ["14:12 expected a milestone id, got an empty value"])
  }

  @Test func repeatsInReferenceListsAreReported() {
    let messages = Self.messages(replacing: "owner: consultant", with: "owner: consultant\n      - {id: n, title: N, owner: consultant, needs: [m, m]}")
    #expect(messages == ["13:57 milestone 'm' is already listed"])
  }
}
