import Testing

@testable import WorkspaceStore

@Suite struct ClientIDTests {
  @Test(arguments: ["acme", "ACME_2-x", "a", "0", "_", "_x", "x-", String(repeating: "z", count: 64)])
  func accepts(raw: String) throws {
    #expect(try ClientID(raw).rawValue == raw)
  }

  /// Each refused id with the words its message must contain.
  @Test(arguments: [
    ("", "it is empty"),
    ("..", "'.' is not allowed"),
    (".", "'.' is not allowed"),
    ("acme.json", "'.' is not allowed"),
    ("a/b", "'/' is not allowed"),
    ("../etc", "'.' is not allowed"),
    ("a\0b", "the NUL character is not allowed"),
    ("acme ltd", "a space is not allowed"),
    ("acme\n", "the control character U+000A is not allowed"),
    ("café", "'é' (U+00E9, not plain ASCII) is not allowed"),
    ("ａcme", "U+FF41"),  // a full-width letter that looks like an ASCII one
    (String(repeating: "z", count: 65), "65 characters long, the limit is 64"),
    ("-", "it starts with '-'"),
    ("-acme", "it starts with '-', which would be read as an option"),
  ])
  func refuses(raw: String, problem: String) {
    let error = #expect(throws: StoreError.self) { try ClientID(raw) }
    guard case let .invalidClientID(id, text)? = error else {
      Issue.record("expected invalidClientID, got \(String(describing: error))")
      return
    }
    #expect(id == raw)
    #expect(text.contains(problem), "\(text)")
    #expect(error?.code == "invalid-client-id")
  }

  @Test func sortsByBytes() throws {
    let ids = try ["zeta", "acme", "Beta", "acme-2", "_x"].map { try ClientID($0) }
    #expect(ids.sorted().map(\.rawValue) == ["Beta", "_x", "acme", "acme-2", "zeta"])
  }
}
