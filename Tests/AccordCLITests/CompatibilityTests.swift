import Foundation
import Testing

/// Client files written by the accord of f7a46f8 (Tests/Fixtures/compat/format1, never
/// regenerated) must load in this accord, print exactly what that accord printed, pass
/// `check`, and be left byte for byte as they were by every read.
@Suite("Compatibility: format-1 files from before")
struct CompatibilityTests {
  static let fixtures = AccordBinary.packageRoot.appendingPathComponent("Tests/Fixtures/compat/format1")
  static let clients = ["acme", "beta"]

  static func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent(name))
  }

  /// A binary whose workspace holds copies of both old client files, and whose own
  /// memory of seen revisions is fresh and private.
  static func workspaceWithOldFiles() throws -> AccordBinary {
    let accord = try AccordBinary()
    try FileManager.default.createDirectory(at: accord.workspace, withIntermediateDirectories: true)
    for client in clients {
      try fixture("\(client).json").write(to: accord.workspace.appendingPathComponent("\(client).json"))
    }
    return accord
  }

  /// What the old binary printed for `arguments`, in the fixture file `output`.
  static let outputs: [(client: String, arguments: [String], output: String)] =
    clients.flatMap { client in
      [
        (client, ["status", client, "--json"], "\(client).status.json"),
        (client, ["log", client, "--json"], "\(client).log.json"),
        (client, ["next", client, "--json"], "\(client).next.json"),
        (client, ["status", client], "\(client).status.txt"),
        (client, ["log", client], "\(client).log.txt"),
      ]
    } + [("acme", ["benchmark", "acme", "--json"], "acme.benchmark.json")]

  @Test(arguments: clients)
  func readsPrintWhatTheOldAccordPrintedAndLeaveTheFileAsItWas(client: String) throws {
    let accord = try Self.workspaceWithOldFiles()
    let original = try Self.fixture("\(client).json")
    for (_, arguments, output) in Self.outputs.filter({ $0.client == client }) {
      let run = try accord.run(arguments)
      #expect(run.status == 0, "accord \(arguments.joined(separator: " ")): \(run.stderr)")
      let expected = String(decoding: try Self.fixture(output), as: UTF8.self)
      #expect(run.stdout == expected, "accord \(arguments.joined(separator: " ")) differs from \(output)")
      #expect(try accord.stateFile(client) == original, "accord \(arguments.joined(separator: " ")) changed \(client).json")
    }

    let check = try accord("check", client)
    #expect(check.status == 0, "accord check \(client): \(check.stdout)\(check.stderr)")
    #expect(try accord.stateFile(client) == original, "accord check changed \(client).json")
  }

  /// The whole workspace checks clean as well, on a machine that has never seen it and
  /// again on one that has (after the reads above, its memory holds both clients).
  @Test func theWholeWorkspaceChecksClean() throws {
    let accord = try Self.workspaceWithOldFiles()
    for _ in 0..<2 {
      let check = try accord("check")
      #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
      #expect(check.stdout.contains("2 clients checked: all sound."))
    }
    for client in Self.clients {
      #expect(try accord.stateFile(client) == (try Self.fixture("\(client).json")))
    }
  }
}
