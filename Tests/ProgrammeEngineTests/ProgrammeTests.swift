import Foundation
import PlaybookSpec
import Testing
@testable import ProgrammeEngine

@Suite("Programme: starting and assigning")
struct StartAndAssignTests {
  @Test func theStarterHoldsTheConsultantRole() throws {
    let programme = try Programme(
      playbook: Sample.playbook,
      start: Sample.event(.started(client: "acme", name: "Acme Ltd"), by: "alice"))
    #expect(programme.assignments == ["consultant": "alice"])
    #expect(programme.client == "acme")
    #expect(programme.name == "Acme Ltd")
    #expect(programme.stageStates() == [.active, .locked, .locked])
  }

  @Test func aHistoryMustStartWithStartedAndOnlyOnce() throws {
    #expect(throws: Refusal.notStarted) {
      try Programme(playbook: Sample.playbook, start: Sample.event(.completed(milestone: "map"), by: "alice"))
    }
    var programme = try Sample.started()
    #expect(throws: Refusal.alreadyStarted) {
      try programme.apply(Sample.event(.started(client: "acme", name: "x"), by: "alice"))
    }
  }

  @Test(arguments: [
    // (role, person, by, refusal or nil)
    ("czar", "carol", "alice", nil),
    ("sales", "sam", "carol", nil),  // the czar may assign once they hold the role
    ("sales", "sam", "mallory", Refusal.notAllowed(person: "mallory", operation: .assignRoles, roles: ["consultant", "czar"])),
    ("cfo", "sam", "alice", Refusal.unknownRole("cfo", known: ["consultant", "czar", "sales", "marketing"], suggestion: nil)),
    ("czar", " ", "alice", Refusal.invalidPerson(" ")),
  ] as [(String, String, String, Refusal?)])
  func assigning(role: String, person: String, by: String, refusal: Refusal?) throws {
    var programme = try Sample.started(assigning: by == "carol" ? ["czar": "carol"] : [:])
    let before = programme
    let event = Sample.event(.assigned(role: role, person: person), by: by)
    if let refusal {
      #expect(throws: refusal) { try programme.apply(event) }
      #expect(programme == before)
    } else {
      try programme.apply(event)
      #expect(programme.assignments[role] == person)
    }
  }

  @Test func assigningTheSamePersonAgainIsRefusedAndHandingOverIsKept() throws {
    var programme = try Sample.started()
    #expect(throws: Refusal.alreadyAssigned(role: "czar", person: "carol")) {
      try programme.apply(Sample.event(.assigned(role: "czar", person: "carol"), by: "alice"))
    }
    try programme.apply(Sample.event(.assigned(role: "czar", person: "dave"), by: "alice"))
    #expect(programme.assignments["czar"] == "dave")
    #expect(programme.history.filter { $0.change.type == "assigned" }.count == 4)
  }

  @Test func onePersonMayHoldSeveralRoles() throws {
    var programme = try Sample.started(assigning: ["czar": "alice"])
    try programme.apply(Sample.event(.completed(milestone: "map"), by: "alice"))
    #expect(programme.assignments == ["consultant": "alice", "czar": "alice"])
  }
}

@Suite("Programme: completing milestones")
struct CompleteTests {
  @Test(arguments: [
    // (milestone, by, expected refusal or nil), on a freshly started programme
    ("map", "alice", nil),  // the owner
    ("map", "carol", nil),  // the czar may complete any milestone
    ("map", "sam", Refusal.notAllowed(person: "sam", operation: .complete(milestone: "map"), roles: ["consultant", "czar"])),
    ("survey", "alice", Refusal.notReady(milestone: "survey", obstacles: [.needs(["map"])])),
    ("wiifm", "carol", Refusal.notReady(milestone: "wiifm", obstacles: [.stageLocked(stage: "coaching", waitingFor: "benchmark")])),
    ("nope", "alice", Refusal.unknownMilestone("nope", suggestion: nil)),
  ] as [(String, String, Refusal?)])
  func completing(milestone: String, by: String, refusal: Refusal?) throws {
    var programme = try Sample.started()
    let before = programme
    let event = Sample.event(.completed(milestone: milestone), by: by)
    if let refusal {
      #expect(throws: refusal) { try programme.apply(event) }
      #expect(programme == before)
    } else {
      try programme.apply(event)
      #expect(programme.isDone(milestone))
      #expect(programme.state(ofMilestone: milestone) == .done)
    }
  }

  @Test func aDoneMilestoneCannotBeCompletedAgain() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice")])
    #expect(throws: Refusal.alreadyDone(milestone: "map")) {
      try programme.apply(Sample.event(.completed(milestone: "map"), by: "alice"))
    }
  }

  @Test func stagesOpenInOrder() throws {
    var programme = try Sample.started()
    #expect(programme.state(ofMilestone: "survey") == .blocked)
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice")])
    #expect(programme.state(ofMilestone: "survey") == .ready)
    #expect(programme.stageStates() == [.active, .locked, .locked])
    try Sample.run(&programme, [(.completed(milestone: "survey"), "alice")])
    #expect(programme.stageStates() == [.complete, .active, .locked])
    #expect(programme.state(ofMilestone: "wiifm") == .ready)
  }

  @Test func aMilestoneWithAClosedGateIsBlockedWithTheGateNamed() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    #expect(programme.state(ofMilestone: "rollout-plan") == .blocked)
    let hold = GateHold(agreements: [.init(agreement: "charter", roles: ["sales", "marketing"])], milestones: [])
    #expect(throws: Refusal.notReady(milestone: "rollout-plan", obstacles: [.milestoneGated(hold)])) {
      try programme.apply(Sample.event(.completed(milestone: "rollout-plan"), by: "alice"))
    }
  }
}

@Suite("Programme: signing, gates and revocation")
struct SignTests {
  @Test func signingOpensOnlyWhenTheStageIsOpenAndItsNeedsAreDone() throws {
    var programme = try Sample.started()
    let locked = Refusal.signingClosed(
      agreement: "charter", obstacles: [.stageLocked(stage: "coaching", waitingFor: "benchmark"), .needs(["draft"])])
    #expect(throws: locked) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales"), by: "sam"))
    }
    try Sample.run(&programme, Array(Sample.throughCoaching.prefix(3)))
    #expect(throws: Refusal.signingClosed(agreement: "charter", obstacles: [.needs(["draft"])])) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales"), by: "sam"))
    }
    try Sample.run(&programme, [(.completed(milestone: "draft"), "alice")])
    try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales"), by: "sam"))
    #expect(programme.signatures(of: "charter").map(\.person) == ["sam"])
  }

  @Test(arguments: [
    // (role, by, refusal)
    ("sales", "mia", Refusal.notAllowed(person: "mia", operation: .sign(agreement: "charter", role: "sales"), roles: ["sales"])),
    ("czar", "carol", Refusal.notASignatory(agreement: "charter", role: "czar", signatories: ["sales", "marketing"])),
  ] as [(String, String, Refusal)])
  func onlyASignatoryMaySignForTheirRole(role: String, by: String, refusal: Refusal) throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    let before = programme
    #expect(throws: refusal) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: role), by: by))
    }
    #expect(programme == before)
  }

  @Test func eachRoleSignsOnce() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [(.signed(agreement: "charter", role: "sales"), "sam")])
    #expect(throws: Refusal.alreadySigned(agreement: "charter", role: "sales", by: "sam")) {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: "sales"), by: "sam"))
    }
    #expect(throws: Refusal.alreadySigned(agreement: "charter", role: "sales", by: "sam")) {
      _ = try programme.role(toSign: "charter", by: "sam")
    }
  }

  @Test func aPersonHoldingSeveralSignatoryRolesMustPickOne() throws {
    var programme = try Sample.started(assigning: ["czar": "carol", "sales": "sam", "marketing": "sam"])
    try Sample.run(&programme, Sample.throughCoaching)
    #expect(throws: Refusal.ambiguousRole(agreement: "charter", roles: ["sales", "marketing"])) {
      _ = try programme.role(toSign: "charter", by: "sam")
    }
    try Sample.run(&programme, [(.signed(agreement: "charter", role: "marketing"), "sam")])
    #expect(try programme.role(toSign: "charter", by: "sam") == "sales")
  }

  @Test func theGateOpensOnTheLastSignatureAndARevocationClosesIt() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [(.signed(agreement: "charter", role: "sales"), "sam")])
    #expect(programme.state(ofAgreement: "charter") == .open)
    #expect(programme.state(ofMilestone: "rollout-plan") == .blocked)

    try Sample.run(&programme, [(.signed(agreement: "charter", role: "marketing"), "mia")])
    #expect(programme.state(ofAgreement: "charter") == .signed)
    #expect(programme.state(ofMilestone: "rollout-plan") == .ready)
    try Sample.run(&programme, [(.completed(milestone: "rollout-plan"), "alice")])
    #expect(programme.stageStates() == [.complete, .complete, .active])
    try Sample.run(&programme, [(.completed(milestone: "pilot"), "carol")])
    #expect(programme.nextActions().isComplete)

    try programme.apply(Sample.event(.revoked(agreement: "charter", role: "marketing"), by: "mia", note: "terms changed"))
    #expect(programme.state(ofAgreement: "charter") == .open)
    #expect(programme.stageStates() == [.complete, .complete, .gated])
    // Work already done stays done; nothing is erased from the history.
    #expect(programme.isDone("pilot"))
    #expect(programme.history.count == 4 + Sample.throughCoaching.count + 5)
  }

  @Test func implementationIsGatedUntilEverySignature() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    // Coaching cannot complete (rollout-plan waits on the charter) so implementation is locked.
    #expect(programme.stageStates() == [.complete, .active, .locked])
    let hold = GateHold(agreements: [.init(agreement: "charter", roles: ["marketing"])], milestones: [])
    try Sample.run(&programme, [(.signed(agreement: "charter", role: "sales"), "sam")])
    #expect(programme.hold(on: Sample.playbook.stages[2].gate!) == hold)
  }

  @Test(arguments: [
    // (by, role, note, refusal or nil) after sam signed for sales
    ("sam", "sales", "changed my mind", nil),
    ("mia", "sales", "not mine", Refusal.notAllowed(person: "mia", operation: .revoke(agreement: "charter", role: "sales"), roles: ["sales"])),
    ("sam", "sales", "  ", Refusal.reasonRequired(action: "revoking a signature")),
    ("mia", "marketing", "never signed", Refusal.notSigned(agreement: "charter", role: "marketing")),
  ] as [(String, String, String, Refusal?)])
  func revoking(by: String, role: String, note: String, refusal: Refusal?) throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [(.signed(agreement: "charter", role: "sales"), "sam")])
    let before = programme
    let event = Sample.event(.revoked(agreement: "charter", role: role), by: by, note: note)
    if let refusal {
      #expect(throws: refusal) { try programme.apply(event) }
      #expect(programme == before)
    } else {
      try programme.apply(event)
      #expect(programme.signatures(of: "charter").isEmpty)
    }
  }

  @Test func theNewHolderOfARoleMayRevokeTheirPredecessorsSignature() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [
      (.signed(agreement: "charter", role: "sales"), "sam"),
      (.assigned(role: "sales", person: "sue"), "alice"),
    ])
    #expect(try programme.role(toRevoke: "charter", by: "sue") == "sales")
    try programme.apply(Sample.event(.revoked(agreement: "charter", role: "sales"), by: "sue", note: "new head of sales"))
    #expect(programme.state(ofAgreement: "charter") == .open)
  }
}

@Suite("Programme: reopening")
struct ReopenTests {
  @Test(arguments: [
    ("alice", "wrong data", nil),
    ("carol", "wrong data", nil),
    ("sam", "wrong data", Refusal.notAllowed(person: "sam", operation: .reopen(milestone: "map"), roles: ["czar", "consultant"])),
    ("alice", "", Refusal.reasonRequired(action: "reopening a milestone")),
  ] as [(String, String, Refusal?)])
  func reopening(by: String, reason: String, refusal: Refusal?) throws {
    var programme = try Sample.started()
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice")])
    let before = programme
    let event = Sample.event(.reopened(milestone: "map"), by: by, note: reason)
    if let refusal {
      #expect(throws: refusal) { try programme.apply(event) }
      #expect(programme == before)
    } else {
      try programme.apply(event)
      #expect(!programme.isDone("map"))
      #expect(programme.state(ofMilestone: "map") == .ready)
    }
  }

  @Test func onlyADoneMilestoneCanBeReopened() throws {
    var programme = try Sample.started()
    #expect(throws: Refusal.notDone(milestone: "map")) {
      try programme.apply(Sample.event(.reopened(milestone: "map"), by: "alice", note: "why"))
    }
  }

  @Test func reopeningAnEarlierMilestoneLocksLaterStagesWhateverTheirMilestones() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching)
    try programme.apply(Sample.event(.reopened(milestone: "survey"), by: "carol", note: "survey sample too small"))
    #expect(programme.stageStates() == [.active, .locked, .locked])
    #expect(programme.isDone("wiifm"))
    #expect(programme.state(ofMilestone: "wiifm") == .done)
    #expect(programme.state(ofMilestone: "survey") == .ready)
    #expect(programme.progress == 3 * 100 / 6)
  }
}

@Suite("Programme: replaying a history")
struct ReplayTests {
  @Test func replayingTheHistoryGivesTheSameProgramme() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, Sample.throughCoaching + [(.signed(agreement: "charter", role: "sales"), "sam")])
    try programme.apply(Sample.event(.reopened(milestone: "draft"), by: "alice", note: "redo"))
    let replayed = try Programme(playbook: Sample.playbook, history: programme.history)
    #expect(replayed == programme)
    #expect(replayed.assignments == programme.assignments)
    #expect(replayed.stageStates() == programme.stageStates())
    #expect(replayed.nextActions() == programme.nextActions())
  }

  @Test func aHistoryThatBreaksTheRulesIsRejectedAtTheOffendingEvent() throws {
    let programme = try Sample.started()
    let forged = programme.history + [Sample.event(.signed(agreement: "charter", role: "sales"), by: "eve")]
    let error = #expect(throws: HistoryError.self) {
      try Programme(playbook: Sample.playbook, history: forged)
    }
    #expect(error?.position == forged.count - 1)
    #expect(error?.description.contains("events[\(forged.count - 1)]") == true)
  }

  @Test func anEmptyHistoryIsRejected() {
    #expect(throws: HistoryError.self) { try Programme(playbook: Sample.playbook, history: []) }
  }
}
