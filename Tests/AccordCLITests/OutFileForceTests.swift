import Foundation
import Testing

/// The commands that write `--out FILE` refuse `--force` without it, each in the same words
/// (`OutputFile.checkForce`), as a usage error that reads and writes nothing.
@Suite struct OutFileForceTests {
  @Test(arguments: [
    ["graph", "acme", "--force"], ["report", "acme", "--force"], ["schema", "--force"],
    ["certificate", "acme", "collaboration-charter", "--force"],
  ])
  func forceWithoutOutIsAUsageError(arguments: [String]) throws {
    let accord = try AccordBinary()
    let run = try accord.run(arguments)
    #expect(run.status == 64, "\(arguments): \(run.stderr)")
    #expect(run.stderr.contains("--force only applies to --out FILE"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: accord.workspace.path))
  }
}
