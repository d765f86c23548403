import Foundation
import Testing
import WorkspaceStore

/// A workspace for the API's tests, made with the built binary as a user would: client
/// `acme` on the bundled playbook with its five people, `globex` beside it with its own czar,
/// and an API token for whoever a test needs, written straight into the access file.
struct APIWorkspace {
  let accord: AccordBinary
  /// Who holds which role on acme (alice, the consultant, started it).
  static let people = [
    "consultant": "alice", "czar": "carol", "head-of-sales": "sam", "head-of-marketing": "mia", "sponsor": "sid",
  ]

  init() throws {
    accord = try AccordBinary()
  }

  /// Starts acme with every role above held and a survey round imported, and globex with
  /// gus as its czar.
  func seed() throws {
    try expectSuccess(accord("start", "acme", "--name", "Acme Ltd"))
    for (role, person) in Self.people.sorted(by: { $0.key < $1.key }) where role != "consultant" {
      try expectSuccess(accord("assign", "acme", role, person))
    }
    let answers = AccordBinary.packageRoot.appendingPathComponent("docs/examples/acme-survey-round-1.csv")
    try expectSuccess(accord("survey", "import", "acme", answers.path))
    try expectSuccess(accord("start", "globex", "--name", "Globex plc", as: "gina"))
    try expectSuccess(accord("assign", "globex", "czar", "gus", as: "gina"))
  }

  /// The workspace as the server opens it.
  var workspace: Workspace { Workspace(directory: accord.workspace) }

  /// A token for `person`, granted `clients` (nil: the firm's every client) and limited to
  /// `only` when given; `expiresIn` may be negative for one already expired.
  func token(
    for person: String, clients: [String]? = nil, only: String? = nil, expiresIn: TimeInterval = 3600
  ) throws -> (token: String, id: String) {
    let now = Date()
    return try AccessStore(workspace).update { book in
      for client in clients.map({ $0.map(Optional.some) }) ?? [nil] {
        book.grant(person, to: client, by: "alice", now: now)
      }
      return book.createToken(
        for: person, client: only, by: "alice", now: now, expiresAt: now.addingTimeInterval(expiresIn))
    }
  }

  /// Every person of acme with a token of their own on acme.
  func tokens() throws -> [String: String] {
    var tokens: [String: String] = [:]
    for person in Self.people.values {
      tokens[person] = try token(for: person, clients: ["acme"]).token
    }
    return tokens
  }

  /// What the CLI prints with `--json` for `arguments` (run as `person`), checked to succeed.
  func cli(_ arguments: String..., as person: String = "alice") throws -> String {
    let run = try accord.run(arguments + ["--json"], as: person)
    #expect(run.status == 0, "accord \(arguments.joined(separator: " ")): \(run.stderr)")
    return run.stdout
  }

  /// Completes, with the CLI, every milestone of acme that is ready until none is, each as
  /// whoever `next` names (the czar when nobody holds the owner role).
  func completeEverythingReady() throws {
    while true {
      let next = try jsonObject(cli("next", "acme"))
      let actions = try #require(next["actions"] as? [[String: Any]])
      guard let action = actions.first(where: { $0["kind"] as? String == "complete" }),
        let milestone = action["target"] as? String
      else { return }
      let run = try accord("complete", "acme", milestone, as: action["person"] as? String ?? "carol")
      try #require(run.status == 0, "complete \(milestone): \(run.stderr)")
    }
  }

  private func expectSuccess(_ run: AccordBinary.Run, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == 0, "\(run.stderr)", sourceLocation: sourceLocation)
  }
}

/// A JSON body as a dictionary, for the fields a test looks at.
func jsonObject(_ text: String) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// A JSON body as an array.
func jsonArray(_ text: String) throws -> [Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])
}

/// The `error` object of an error body.
func errorOf(_ text: String) throws -> [String: Any] {
  try #require(try jsonObject(text)["error"] as? [String: Any])
}

/// Whether two parsed JSON values are the same JSON (compared in one canonical text).
func same(_ a: Any, _ b: Any) throws -> Bool {
  let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed]
  return try JSONSerialization.data(withJSONObject: a, options: options)
    == JSONSerialization.data(withJSONObject: b, options: options)
}
