import Foundation
import Testing
@testable import ProgrammeEngine

@Suite("Next actions")
struct NextActionsTests {
  /// The hash of the sample charter's terms, which every sign action carries.
  let charterTerms = Sample.playbook.stages[1].agreements[0].termsHash

  @Test func aNewClientMustMapStakeholdersAndNobodyElseIsNeededYet() throws {
    let programme = try Sample.started(assigning: [:])
    let next = programme.nextActions()
    #expect(next.actions == [Action(kind: .complete, target: "map", stage: "benchmark", role: "consultant", person: "alice")])
    #expect(next.blocked.isEmpty)
    #expect(!next.isComplete)
  }

  @Test func unassignedRolesBecomeAssignActionsForTheConsultant() throws {
    var programme = try Sample.started(assigning: [:])
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice"), (.completed(milestone: "survey"), "alice")])
    let next = programme.nextActions()
    #expect(next.actions == [
      Action(kind: .complete, target: "wiifm", stage: "coaching", role: "czar", person: nil),
      Action(kind: .assign, target: "czar", stage: "coaching", role: "consultant", person: "alice"),
    ])
  }

  @Test func oneSignActionPerAgreementAndRoleAndTheMilestoneGateIsShown() throws {
    var programme = try Sample.started(assigning: ["czar": "carol", "sales": "sam"])
    try Sample.run(&programme, Sample.throughCoaching)
    let next = programme.nextActions()
    #expect(next.actions == [
      Action(kind: .sign, target: "charter", stage: "coaching", role: "sales", person: "sam", terms: charterTerms),
      Action(kind: .sign, target: "charter", stage: "coaching", role: "marketing", person: nil, terms: charterTerms),
      Action(kind: .assign, target: "marketing", stage: "coaching", role: "consultant", person: "alice"),
    ])
    #expect(next.blocked == [
      Blocker(
        stage: "coaching", milestone: "rollout-plan",
        hold: GateHold(agreements: [.init(agreement: "charter", roles: ["sales", "marketing"])], milestones: []))
    ])
  }

  @Test func aGatedStageSaysExactlyWhichRolesStillOweSignatures() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [
      (.signed(agreement: "charter", role: "sales"), "sam"),
      (.signed(agreement: "charter", role: "marketing"), "mia"),
      (.completed(milestone: "rollout-plan"), "alice"),
    ])
    try programme.apply(Sample.event(.revoked(agreement: "charter", role: "sales"), by: "sam", note: "budget"))
    let next = programme.nextActions()
    #expect(next.blocked == [
      Blocker(stage: "implementation", milestone: nil, hold: GateHold(agreements: [.init(agreement: "charter", roles: ["sales"])], milestones: []))
    ])
    #expect(next.actions == [Action(kind: .sign, target: "charter", stage: "coaching", role: "sales", person: "sam", terms: charterTerms)])
  }

  @Test func filtersKeepOnlyTheirActions() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    let next = programme.nextActions()
    #expect(next.filtered(role: "marketing").actions.map(\.target) == ["charter"])
    #expect(next.filtered(person: "sam").actions.map(\.role) == ["sales"])
    #expect(next.filtered(person: "nobody").actions.isEmpty)
  }

  @Test func aFinishedProgrammeSaysSo() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [
      (.signed(agreement: "charter", role: "sales"), "sam"),
      (.signed(agreement: "charter", role: "marketing"), "mia"),
      (.completed(milestone: "rollout-plan"), "alice"),
      (.completed(milestone: "pilot"), "carol"),
    ])
    let next = programme.nextActions()
    #expect(next.isComplete)
    #expect(next.actions.isEmpty)
    #expect(programme.progress == 100)
    #expect(programme.currentStage(stages: programme.stageStates()) == nil)
  }
}

@Suite("Events and timestamps")
struct EventCodingTests {
  @Test(arguments: [
    Change.started(client: "acme", name: "Acme Ltd"), .assigned(role: "czar", person: "carol"),
    .completed(milestone: "map"), .signed(agreement: "charter", role: "sales"),
    .revoked(agreement: "charter", role: "sales"), .reopened(milestone: "map"),
  ])
  func eventsRoundTripThroughJSON(change: Change) throws {
    let event = Event(change, by: "alice", at: Sample.t0, note: "because")
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["type"] as? String == change.type)
    #expect(object["at"] as? String == "2026-09-21T14:13:20Z")
  }

  @Test func anUnknownTypeOrABadTimeIsADecodingError() {
    let unknown = #"{"type":"deleted","by":"a","at":"2026-01-01T00:00:00Z"}"#
    let badTime = #"{"type":"completed","milestone":"m","by":"a","at":"yesterday"}"#
    for json in [unknown, badTime] {
      #expect(throws: DecodingError.self) { try JSONDecoder().decode(Event.self, from: Data(json.utf8)) }
    }
  }

  @Test(arguments: [
    (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
    (1_790_000_000.9, "2026-09-21T14:13:20Z"), (-1, "1969-12-31T23:59:59Z"),
    (4_107_542_399, "2100-02-28T23:59:59Z"),
  ])
  func timestampsFormatAndParse(seconds: Double, text: String) {
    #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == text)
    #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
  }

  /// Four-digit years are written straight into the string; any other year keeps the
  /// padded pieces it always had.
  @Test(arguments: [
    (-62_167_219_200.0, "0000-01-01T00:00:00Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
    (253_402_300_800, "10000-01-01T00:00:00Z"), (-62_167_219_201, "00-1-12-31T23:59:59Z"),
  ])
  func timestampsAtTheEdgesOfFourDigitYears(seconds: Double, text: String) {
    #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == text)
  }

  @Test(arguments: ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+01:00", ""])
  func malformedTimestampsAreRejected(text: String) {
    #expect(Timestamp.parse(text) == nil)
  }
}
