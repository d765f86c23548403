import Foundation
import Testing

/// The README's picture of the standard programme is what `accord graph` draws of it now, so
/// that the picture cannot drift from the playbook or the command.
@Suite struct ReadmeGraphTests {
  static let command = ["graph", "playbooks/alignment.yaml", "--format", "mermaid"]

  /// The lines of the README's one `mermaid` block.
  static func shown() throws -> [String] {
    let text = try String(contentsOf: AccordBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let open = try #require(lines.firstIndex(of: "```mermaid"), "the README has no mermaid block")
    return Array(lines[(open + 1)...].prefix { $0 != "```" })
  }

  @Test func theReadmesGraphIsWhatAccordGraphPrints() throws {
    let process = Process()
    process.executableURL = AccordBinary.executable
    process.arguments = Self.command
    process.currentDirectoryURL = AccordBinary.packageRoot
    let out = Pipe.unshared()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    var printed = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if printed.last == "" { printed.removeLast() }
    #expect(try Self.shown() == printed, "the README's mermaid block differs from `accord \(Self.command.joined(separator: " "))`")
  }
}
