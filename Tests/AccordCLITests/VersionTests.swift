import Foundation
import Testing

@Suite struct VersionTests {
  /// `accord --version` names the release and the commit the binary was built from.
  @Test func theVersionNamesTheCommitItWasBuiltFrom() throws {
    let accord = try AccordBinary()
    let run = try accord("--version")
    #expect(run.status == 0)
    let git = Process()
    git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    git.arguments = ["git", "-C", AccordBinary.packageRoot.path, "rev-parse", "--short=12", "HEAD"]
    let out = Pipe.unshared()
    git.standardOutput = out
    git.standardError = FileHandle.nullDevice
    try git.run()
    let commit = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    git.waitUntilExit()
    let line = run.stdout.trimmingCharacters(in: .newlines)
    if git.terminationStatus == 0 {
      // Built from this checkout: its commit.
      #expect(line == "0.1.0 (\(commit))")
    } else {
      #expect(line == "0.1.0 (unknown)")
    }
  }
}
