import ArgumentParser
import Foundation
import Testing

@testable import AccordCLI

/// The help of every command and subcommand, under golden files in Tests/Fixtures/help, so
/// that a changed line of help is a visible diff. `ACCORD_RECORD=1` re-records them.
@Suite struct HelpTextTests {
  static let folder = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/help")

  /// Every command under `accord`, as the words that name it: `[]`, `["next"]`, `["survey", "import"]`.
  static let commands: [[String]] = {
    func walk(_ command: any ParsableCommand.Type, _ path: [String]) -> [[String]] {
      [path] + command.configuration.subcommands.flatMap { sub in
        walk(sub, path + [sub._commandName])
      }
    }
    return walk(Accord.self, [])
  }()

  @Test func everyCommandHasAGoldenFileAndNoGoldenFileIsLeftOver() throws {
    let expected = Set(Self.commands.map(Self.fileName))
    let found = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path))
    if ProcessInfo.processInfo.environment["ACCORD_RECORD"] != "1" {
      #expect(found == expected)
    }
    #expect(Self.commands.count >= 17)
  }

  @Test(arguments: commands)
  func helpMatchesItsGoldenFile(_ words: [String]) throws {
    let command = try #require(Self.command(at: words))
    let text = Accord.helpMessage(for: command, columns: 100) + "\n"
    let url = Self.folder.appendingPathComponent(Self.fileName(words))
    if ProcessInfo.processInfo.environment["ACCORD_RECORD"] == "1" {
      try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    #expect(text == golden, "help of 'accord \(words.joined(separator: " "))' changed; re-record with ACCORD_RECORD=1")
  }

  static func fileName(_ words: [String]) -> String {
    (["accord"] + words).joined(separator: "-") + ".txt"
  }

  static func command(at words: [String]) -> (any ParsableCommand.Type)? {
    var command: any ParsableCommand.Type = Accord.self
    for word in words {
      guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { return nil }
      command = next
    }
    return command
  }
}
