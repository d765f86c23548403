import Testing

@testable import WorkspaceStore

@Suite struct StoreErrorTests {
  @Test(arguments: [
    (
      StoreError.invalidClientID(id: "a/b", problem: "'/' is not allowed"), 64, "'/' is not allowed"
    ),
    (.noSuchClient(path: "/w/acme.json"), 66, "/w/acme.json"),
    (.clientExists(path: "/w/acme.json"), 1, "/w/acme.json already exists"),
    (
      .corrupt(path: "/w/acme.json", problem: "events[3]: missing field 'by'"), 65,
      "events[3]: missing field 'by'"
    ),
    (.newerFormat(path: "/w/acme.json", found: 2, supported: 1), 65, "file format 2"),
    (
      .locked(path: "/w/.acme.lock", holder: "pid 7 on box since 2026-11-26T16:40:05Z"), 75,
      "pid 7 on box"
    ),
    (
      .io(path: "/w/acme.json", problem: "cannot write: No space left on device"), 74,
      "No space left"
    ),
  ])
  func exitCodesAndMessages(error: StoreError, exitCode: Int32, words: String) {
    #expect(error.exitCode == exitCode)
    #expect(error.description.contains(words), "\(error)")
    if case .invalidClientID = error { return }
    #expect(error.description.contains("/w/"), "the message names the file: \(error)")
  }
}
