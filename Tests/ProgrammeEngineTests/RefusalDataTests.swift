import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Refusals as data: programs act on the code and the ids, people read the sentence.
@Suite struct RefusalDataTests {
  /// The refusal `change` by `person` meets on a programme through coaching, charter unsigned.
  static func refusal(_ change: Change, by person: String, note: String? = nil, coached: Bool = true) throws -> Refusal {
    var programme = try Sample.started()
    if coached { try Sample.run(&programme, Sample.throughCoaching) }
    do {
      try programme.apply(Sample.event(change, by: person, note: note))
    } catch {
      return error
    }
    Issue.record("\(change) by \(person) was not refused")
    return .notStarted
  }

  @Test func aClosedGateNamesTheMilestoneTheStageAndTheRolesStillOwing() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [
      (.signed(agreement: "charter", role: "sales"), "sam"),
      (.signed(agreement: "charter", role: "marketing"), "mia"),
      (.completed(milestone: "rollout-plan"), "alice"),
    ])
    try programme.apply(Sample.event(.revoked(agreement: "charter", role: "marketing"), by: "mia", note: "not yet"))
    #expect(throws: Refusal.self) { try programme.apply(Sample.event(.completed(milestone: "pilot"), by: "carol")) }
    do {
      try programme.apply(Sample.event(.completed(milestone: "pilot"), by: "carol"))
    } catch {
      #expect(error.code == "gate-closed")
      #expect(error.details["milestone"] == .text("pilot"))
      #expect(error.details["stage"] == .text("implementation"))
      #expect(error.details["roles"] == .list(["marketing"]))
      #expect(error.description.contains("stage 'implementation' is gated"))
    }
  }

  @Test func aMilestoneGateIsAClosedGateToo() throws {
    let refusal = try Self.refusal(.completed(milestone: "rollout-plan"), by: "alice")
    #expect(refusal.code == "gate-closed")
    #expect(refusal.details["roles"] == .list(["sales", "marketing"]))
    #expect(refusal.details["stage"] == nil)
  }

  @Test func workStillToDoIsNotAGate() throws {
    let refusal = try Self.refusal(.completed(milestone: "survey"), by: "alice", coached: false)
    #expect(refusal.code == "milestone-not-ready")
    #expect(refusal.details["obstacles"] == .obstacles([.needs(["map"])]))
  }

  @Test func notPermittedNamesTheRolesThatMay() throws {
    let refusal = try Self.refusal(.completed(milestone: "map"), by: "sam", coached: false)
    #expect(refusal.code == "not-permitted")
    #expect(refusal.details["person"] == .text("sam"))
    #expect(refusal.details["operation"] == .text("complete"))
    #expect(refusal.details["milestone"] == .text("map"))
    #expect(refusal.details["roles"] == .list(["consultant", "czar"]))
    #expect(refusal.description == "sam may not complete 'map': only the consultant or the czar may")
  }

  @Test(arguments: [
    (Change.completed(milestone: "surevy"), "unknown-milestone", "milestone", "survey"),
    (Change.reopened(milestone: "wifm"), "unknown-milestone", "milestone", "wiifm"),
    (Change.signed(agreement: "chartr", role: "sales"), "unknown-agreement", "agreement", "charter"),
    (Change.assigned(role: "slaes", person: "bo"), "unknown-role", "role", "sales"),
  ])
  func unknownIdsSuggestTheNearest(_ change: Change, code: String, key: String, nearest: String) throws {
    let refusal = try Self.refusal(change, by: "alice", coached: false)
    #expect(refusal.code == code)
    #expect(refusal.details["suggestion"] == .text(nearest))
    #expect(refusal.description.contains("(did you mean '\(nearest)'?)"))
  }

  @Test func nothingCloseSuggestsNothing() throws {
    let refusal = try Self.refusal(.completed(milestone: "quarterly-review"), by: "alice", coached: false)
    #expect(refusal == .unknownMilestone("quarterly-review", suggestion: nil))
    #expect(refusal.details["suggestion"] == nil)
  }

  /// One refusal of every kind.
  static let everyKind: [Refusal] = [
      .notStarted, .alreadyStarted, .unknownMilestone("x", suggestion: nil), .unknownAgreement("x", suggestion: nil),
      .unknownRole("x", known: [], suggestion: nil), .invalidPerson(""),
      .notAllowed(person: "p", operation: .assignRoles, roles: []), .alreadyAssigned(role: "r", person: "p"),
      .alreadyDone(milestone: "m"), .notDone(milestone: "m"), .notReady(milestone: "m", obstacles: []),
      .signingClosed(agreement: "a", obstacles: []), .alreadySigned(agreement: "a", role: "r", by: "p"),
      .ambiguousRole(agreement: "a", roles: []), .notASignatory(agreement: "a", role: "r", signatories: []),
      .notSigned(agreement: "a", role: "r"), .reasonRequired(action: "x"), .noSurvey,
      .invalidRoundName("x", problem: "p"), .roundExists("x"), .emptyRound("x"),
      .invalidResponse(round: "x", problem: "p"), .invalidOpportunity([]),
      .clientArchived, .alreadyArchived, .notArchived, .unknownRound("x", suggestion: nil), .roundWithdrawn("x"),
      .duplicateRound(round: "x", earlier: "y", earlierWithdrawn: false),
      .roleUnassigned("r"), .delegateIsHolder(role: "r", person: "p"),
      .untilInPast(role: "r", until: "2026-01-01", today: "2026-01-02"), .invalidDay("x"), .notDelegated(role: "r"),
      .wrongHolder(recorded: nil, expected: "p"), .evidenceRequired, .invalidEvidence("x"),
      .duplicateEvent(id: "x"), .termsChanged(agreement: "a", given: "x", inForce: "y"), .termsRequired(agreement: "a"),
  ]

  @Test func everyCodeIsStableKebabCaseAndListedInTheGuide() throws {
    let codes = Self.everyKind.map(\.code)
    #expect(Set(codes).count == codes.count)
    let readme = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/guide/commands.md"), encoding: .utf8)
    for code in codes + ["gate-closed"] {
      #expect(code.allSatisfy { $0.isLowercase || $0 == "-" }, "\(code)")
      #expect(readme.contains("`\(code)`"), "docs/guide/commands.md's table of codes lacks \(code)")
    }
  }

  @Test func obstaclesEncodeAsNextShowsBlockedGates() throws {
    let hold = GateHold(agreements: [.init(agreement: "charter", roles: ["sales"])], milestones: ["draft"])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(decoding: try encoder.encode(Obstacle.stageGated(stage: "implementation", hold: hold)), as: UTF8.self)
    #expect(
      text
        == #"{"agreements":[{"id":"charter","unsigned":["sales"]}],"kind":"stage-gated","milestones":["draft"],"stage":"implementation"}"#
    )
  }
}
