import Foundation
import Testing

/// Every rule about who may do what, through the binary: the wrong person is refused with
/// exit 1 and nothing written, and the right person, running the same command next, is not.
@Suite("Reliability: who may do what")
struct AuthorisationTests {
  static let playbook = """
    playbook: authorisation
    version: 1
    title: Authorisation
    roles:
      consultant: Consultant
      czar: Collaboration czar
      sales: Head of sales
      marketing: Head of marketing
      ops: Operations
    stages:
      - id: one
        title: One
        milestones:
          - {id: m1, title: Owned by ops, owner: ops}
          - {id: m2, title: Owned by the consultant, owner: consultant}
        agreements:
          - {id: charter, title: Charter, signatories: [sales, marketing]}

    """

  /// The command to try, who is refused, who may, and what must happen first.
  struct Rule: Sendable, CustomTestStringConvertible {
    var name: String
    var setup: [[String]] = []
    var command: [String]
    var refused: [String]
    var allowed: String
    var testDescription: String { name }
  }

  static let rules: [Rule] = [
    Rule(
      name: "complete: only the owner or the czar", command: ["complete", "acme", "m1"],
      refused: ["alice", "sam", "mallory"], allowed: "oscar"),
    Rule(
      name: "complete: the czar may complete any milestone", command: ["complete", "acme", "m2"],
      refused: ["oscar", "sam"], allowed: "carol"),
    Rule(
      name: "sign: only a holder of a signatory role", command: ["sign", "acme", "charter"],
      refused: ["mallory", "oscar", "alice", "carol"], allowed: "sam"),
    Rule(
      name: "sign: not for a signatory role one does not hold",
      command: ["sign", "acme", "charter", "--role", "marketing"], refused: ["sam"], allowed: "mia"),
    Rule(
      name: "revoke: only the signer or the role's holder", setup: [["sign", "acme", "charter", "--by", "sam"]],
      command: ["revoke", "acme", "charter", "--role", "sales", "--reason", "r"],
      refused: ["mia", "carol", "alice", "mallory"], allowed: "sam"),
    Rule(
      name: "revoke: the role's new holder may",
      setup: [["sign", "acme", "charter", "--by", "sam"], ["assign", "acme", "sales", "sue"]],
      command: ["revoke", "acme", "charter", "--role", "sales", "--reason", "r"],
      refused: ["mia", "oscar"], allowed: "sue"),
    Rule(
      name: "reopen: only the czar or the consultant", setup: [["complete", "acme", "m1", "--by", "oscar"]],
      command: ["reopen", "acme", "m1", "--reason", "r"], refused: ["oscar", "sam", "mallory"], allowed: "carol"),
    Rule(
      name: "assign: only the consultant or the czar", command: ["assign", "acme", "ops", "olga"],
      refused: ["oscar", "sam", "mallory", "olga"], allowed: "carol"),
    Rule(
      name: "a role handed over is no longer held", setup: [["assign", "acme", "czar", "dave"]],
      command: ["complete", "acme", "m2"], refused: ["carol"], allowed: "dave"),
  ]

  @Test(arguments: rules)
  func theWrongPersonIsRefusedAndNothingWritten(rule: Rule) throws {
    let accord = try AccordBinary()
    let path = accord.folder.appendingPathComponent("authorisation.yaml")
    try Self.playbook.write(to: path, atomically: true, encoding: .utf8)
    #expect(try accord("start", "acme", "--playbook", path.path).status == 0)
    let roles = [("czar", "carol"), ("sales", "sam"), ("marketing", "mia"), ("ops", "oscar")]
    for (role, person) in roles {
      #expect(try accord("assign", "acme", role, person).status == 0)
    }
    for step in rule.setup {
      let run = try accord.run(step)
      #expect(run.status == 0, "setup \(step): \(run.stderr)")
    }
    let before = try accord.stateFile("acme")
    for person in rule.refused {
      let run = try accord.run(rule.command, as: person)
      #expect(run.status == 1, "\(person): \(run.stderr)")
      #expect(run.stderr.contains("\(person) may not"), "\(person): \(run.stderr)")
      #expect(try accord.stateFile("acme") == before, "\(person) changed the file")
    }
    let allowed = try accord.run(rule.command, as: rule.allowed)
    #expect(allowed.status == 0, "\(rule.allowed): \(allowed.stderr)")
    #expect(try accord.stateFile("acme") != before)
  }
}
