import Foundation
import PlaybookSpec
import Testing

/// Each `invalid/<case>.yaml` must fail with exactly the diagnostics in
/// `invalid/<case>.expected.txt`, one per line, located in the fixture's relative path.
@Suite struct InvalidPlaybookTests {
  @Test(arguments: Fixtures.yamlFiles(in: "invalid"))
  func reportsExactDiagnostics(_ name: String) throws {
    let data = try Fixtures.data(name)
    let error = try #require(throws: PlaybookError.self) {
      try Playbook.parse(data, file: name)
    }
    #expect(!error.diagnostics.isEmpty)
    #expect(error.diagnostics.allSatisfy { $0.location.file == name })
    try Fixtures.assertGolden(error.description + "\n", matches: Fixtures.expectedName(for: name))
  }

  @Test func everyGoldenFileHasItsFixture() throws {
    let folder = Fixtures.root.appending(path: "invalid").path
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    for file in files where file.hasSuffix(".expected.txt") {
      let fixture = String(file.dropLast(".expected.txt".count)) + ".yaml"
      #expect(files.contains(fixture), "\(file) has no \(fixture)")
    }
    #expect(Fixtures.yamlFiles(in: "invalid").count >= 20)
  }
}
