import Foundation
import Testing

@testable import WorkspaceStore

@Suite struct StoreErrorTests {
  @Test(arguments: [
    (
      StoreError.invalidClientID(id: "a/b", problem: "'/' is not allowed"), "invalid-client-id", "'/' is not allowed"
    ),
    (.noSuchClient(path: "/w/acme.json"), "no-such-client", "/w/acme.json"),
    (.clientExists(path: "/w/acme.json"), "client-exists", "/w/acme.json already exists"),
    (
      .corrupt(path: "/w/acme.json", problem: "events[3]: missing field 'by'"), "corrupt-file",
      "events[3]: missing field 'by'"
    ),
    (.newerFormat(path: "/w/acme.json", found: 2, supported: 1), "newer-format", "file format 2"),
    (
      .locked(path: "/w/.acme.lock", holder: "pid 7 on box since 2026-11-26T16:40:05Z"), "locked",
      "pid 7 on box"
    ),
    (
      .io(path: "/w/acme.json", problem: "cannot write: No space left on device"), "io-error",
      "No space left"
    ),
  ])
  func codesAndMessages(error: StoreError, code: String, words: String) {
    #expect(error.code == code)
    #expect(error.description.contains(words), "\(error)")
    if case .invalidClientID = error { return }
    #expect(error.description.contains("/w/"), "the message names the file: \(error)")
    #expect(error.details["path"]?.hasPrefix("/w/") == true)
  }

  @Test func aMissingClientNamesTheNearestOne() {
    let error = StoreError.noSuchClient(path: "/w/acm.json", suggestion: "acme")
    #expect(error.description.contains("Did you mean 'acme'?"))
    #expect(error.details["suggestion"] == "acme")
  }

  @Test func everyCodeIsListedInTheGuide() throws {
    let errors: [StoreError] = [
      .invalidClientID(id: "", problem: ""), .noSuchClient(path: ""), .clientExists(path: ""),
      .corrupt(path: "", problem: ""), .newerFormat(path: "", found: 2, supported: 1),
      .locked(path: "", holder: ""), .io(path: "", problem: ""), .notRegularFile(path: "", found: ""),
      .changedOnDisk(path: "", read: 1, found: nil),
    ]
    let readme = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/guide/commands.md"), encoding: .utf8)
    #expect(Set(errors.map(\.code)).count == errors.count)
    for error in errors where error.code != "invalid-client-id" {
      #expect(readme.contains("`\(error.code)`"), "docs/guide/commands.md's table of codes lacks \(error.code)")
    }
  }
}
