import Foundation
import PlaybookSpec
import Testing

/// Validation details beyond the one-case-per-rule fixtures in Tests/Fixtures/invalid.
@Suite struct ValidationTests {
  static func messages(_ text: String) -> [String] {
    do {
      _ = try Playbook.parse(text, file: "v.yaml")
      return []
    } catch {
      return error.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }
  }

  @Test func theFirstIdIsTheFirstInTheFile() {
    // The agreement is written before the milestone that repeats its id.
    let messages = Self.messages("""
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      stages:
        - id: s
          title: S
          agreements:
            - {id: x, title: X, signatories: [consultant]}
          milestones:
            - {id: x, title: X, owner: consultant}
      """)
    #expect(messages == ["11:14 duplicate id 'x': already the id of the agreement at line 9, column 14"])
  }

  @Test func longRoleListsAreCut() {
    let roles = (1...10).map { "  role-\($0): Role \($0)" }.joined(separator: "\n")
    let messages = Self.messages("""
      playbook: p
      version: 1
      title: P
      roles:
        consultant: Consultant
      \(roles)
      stages:
        - id: s
          title: S
          milestones:
            - {id: m, title: M, owner: nobody}
      """)
    let known = "consultant, role-1, role-2, role-3, role-4, role-5, role-6, role-7, ..."
    #expect(messages == ["20:34 unknown role 'nobody' (known: \(known))"])
  }

  @Test func emptyRolesSayNone() {
    let messages = Self.messages("""
      playbook: p
      version: 1
      title: P
      roles: {}
      stages:
        - id: s
          title: S
          milestones:
            - {id: m, title: M, owner: consultant}
      """)
    #expect(messages == [
      "4:1 the playbook must define the 'consultant' role",
      "9:34 unknown role 'consultant' (known: none)",
    ])
  }

  @Test func aGateCycleThroughOtherGatesIsReportedOnce() {
    // a waits for b, b's gate waits for c, c needs a: one deadlock, one report.
    let messages = Self.messages("""
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      stages:
        - id: s
          title: S
          milestones:
            - {id: a, title: A, owner: consultant, gate: {milestones: [b]}}
            - {id: b, title: B, owner: consultant, gate: {milestones: [c]}}
            - {id: c, title: C, owner: consultant, needs: [a]}
      """)
    #expect(messages == [
      "9:66 gate of milestone 'a' can never open: it waits for milestone 'b', whose gate waits for milestone 'c', which needs milestone 'a'"
    ])
  }

  /// The gate's loop runs through the need that closes the needs cycle; that need is
  /// reported once, and the gate again only if the cycle is fixed by dropping the other need.
  @Test func aLoopIsReportedOnceEvenWhenAGateAlsoRunsThroughIt() {
    let messages = Self.messages("""
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      stages:
        - id: s
          title: S
          milestones:
            - {id: a, title: A, owner: consultant, needs: [b], gate: {milestones: [b]}}
            - {id: b, title: B, owner: consultant, needs: [a]}
      """)
    #expect(messages == ["10:54 needs form a cycle: a -> b -> a"])
  }
}
