import Foundation
import PlaybookSpec
import Testing

@Suite struct ParsingTests {
  static let minimal = """
    playbook: p
    version: 1
    title: P
    roles: {consultant: Consultant}
    stages:
      - id: s
        title: S
        milestones:
          - {id: m, title: M, owner: consultant}

    """

  @Test func textAndDataGiveTheSamePlaybook() throws {
    let fromText = try Playbook.parse(Self.minimal, file: "p.yaml")
    let fromData = try Playbook.parse(Data(Self.minimal.utf8), file: "p.yaml")
    #expect(fromText == fromData)
    #expect(fromText.location == PlaybookSpec.SourceLocation(file: "p.yaml", line: 1, column: 1))
    #expect(fromText.stages[0].milestones[0].location.description == "p.yaml:9:9")
  }

  @Test func fileNameIsUsedVerbatimInLocations() {
    let text = Self.minimal.replacingOccurrences(of: "owner: consultant", with: "owner: czr")
    #expect {
      try Playbook.parse(text, file: "some dir/x.yaml")
    } throws: { error in
      (error as? PlaybookError)?.description
        == "some dir/x.yaml:9:34: error: unknown role 'czr' (known: consultant)"
    }
  }

  @Test func emptyInputIsLocatedAtTheStart() {
    for text in ["", "   \n\n", "# only a comment\n"] {
      #expect {
        try Playbook.parse(text, file: "e.yaml")
      } throws: { error in
        (error as? PlaybookError)?.description == "e.yaml:1:1: error: the playbook is empty"
      }
    }
  }

  @Test func sizeLimitIsSixteenMebibytes() throws {
    #expect(Playbook.maximumSize == 16 * 1024 * 1024)
    let tooBig = Data(repeating: UInt8(ascii: " "), count: Playbook.maximumSize + 1)
    let error = try #require(throws: PlaybookError.self) { try Playbook.parse(tooBig, file: "big.yaml") }
    #expect(error.diagnostics.count == 1)
    #expect(error.description == "big.yaml:1:1: error: the playbook is 16777217 bytes, more than the limit of 16777216 bytes (16 MiB)")
    // Exactly at the limit is read (and found empty: it is all spaces).
    let atLimit = Data(repeating: UInt8(ascii: " "), count: Playbook.maximumSize)
    let atLimitError = try #require(throws: PlaybookError.self) { try Playbook.parse(atLimit, file: "big.yaml") }
    #expect(atLimitError.description == "big.yaml:1:1: error: the playbook is empty")
  }

  @Test func invalidUTF8IsLocatedAtTheFirstBadByte() throws {
    var data = Data("playbook: p\ntitle: caf".utf8)
    data.append(0xE9)
    let error = try #require(throws: PlaybookError.self) { try Playbook.parse(data, file: "latin1.yaml") }
    #expect(error.description == "latin1.yaml:2:11: error: the playbook is not valid UTF-8 text; save it as UTF-8")
  }

  @Test func diagnosticsComeSortedByLocation() throws {
    let text = Self.minimal
      .replacingOccurrences(of: "title: S", with: "titel: S")
      .replacingOccurrences(of: "version: 1", with: "version: x")
    let error = try #require(throws: PlaybookError.self) { try Playbook.parse(text, file: "p.yaml") }
    #expect(error.diagnostics.map(\.location.line) == [2, 7])
  }

  @Test func aliasesThatExplodeAreRefused() throws {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...8 {
      let previous = "*a\(level - 1)"
      text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
    }
    let error = try #require(throws: PlaybookError.self) { try Playbook.parse(text, file: "bomb.yaml") }
    #expect(error.diagnostics.count == 1)
    #expect(error.description.contains("aliases"))
  }

  @Test func modestAliasesAreFine() throws {
    let text = Self.minimal
      .replacingOccurrences(of: "roles: {consultant: Consultant}", with: "roles: {consultant: &title Consultant}")
      .replacingOccurrences(of: "title: S", with: "title: *title")
    let playbook = try Playbook.parse(text, file: "p.yaml")
    #expect(playbook.stages[0].title == "Consultant")
  }
}
