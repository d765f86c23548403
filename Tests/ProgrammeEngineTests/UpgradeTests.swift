import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Moving a running client to another version of its playbook: what carries over by id,
/// what goes stale, what needs --force, who may, and that the history replays against the
/// playbook in force at each event.
@Suite("Programme: upgrades")
struct UpgradeTests {
  static let v1 = PlaybookVersion(id: "sample", version: 1, sha256: "1111")

  /// `Sample.playbook` changed by `edit`, as version `version`.
  static func playbook(_ version: Int, _ edit: (inout Playbook) -> Void) -> (Playbook, PlaybookVersion) {
    var playbook = Sample.playbook
    playbook.version = version
    edit(&playbook)
    return (playbook, PlaybookVersion(id: "sample", version: version, sha256: String(repeating: "\(version)", count: 4)))
  }

  /// The charter's terms reworded.
  static let reworded = playbook(2) { $0.stages[1].agreements[0].terms = "We meet every week." }
  /// `map` gone (and `survey` no longer needs it).
  static let withoutMap = playbook(3) {
    $0.stages[0].milestones.removeFirst()
    $0.stages[0].milestones[0].needs = []
  }
  /// A new milestone in the benchmark stage.
  static let withInterviews = playbook(4) {
    $0.stages[0].milestones.append(
      Milestone(id: "interviews", title: "Interviews", owner: Sample.ref("consultant"), location: Sample.here))
  }
  /// The marketing role gone: the charter is signed by sales alone.
  static let withoutMarketing = playbook(5) {
    $0.roles.removeAll { $0.id == "marketing" }
    $0.stages[1].agreements[0].signatories = [Sample.ref("sales")]
  }

  static func started() throws -> Programme {
    var programme = try Programme(
      playbook: Sample.playbook, sha256: v1.sha256,
      start: Sample.event(.started(client: "acme", name: "Acme Ltd"), by: "alice"))
    for (role, person) in [("czar", "carol"), ("marketing", "mia"), ("sales", "sam")] {
      try programme.apply(Sample.event(.assigned(role: role, person: person), by: "alice"))
    }
    return programme
  }

  /// Coaching done and the charter signed by both roles (sales on `salesTerms`).
  static func signed(salesTerms: String? = Sample.playbook.stages[1].agreements[0].termsHash) throws -> Programme {
    var programme = try started()
    let terms = Sample.playbook.stages[1].agreements[0].termsHash
    try Sample.run(
      &programme,
      Sample.throughCoaching + [
        (.signed(agreement: "charter", role: "sales", terms: salesTerms), "sam"),
        (.signed(agreement: "charter", role: "marketing", terms: terms), "mia"),
      ])
    return programme
  }

  static func upgrade(
    _ programme: inout Programme, to target: (Playbook, PlaybookVersion), by person: String = "alice",
    note: String? = "new version", force: Bool = false
  ) throws(Refusal) -> UpgradeReport {
    let from = programme.playbookVersion ?? v1
    return try programme.upgrade(
      to: target.0, Sample.event(.upgraded(from: from, to: target.1), by: person, note: note, minute: 90),
      force: force)
  }

  @Test func changedTermsMakeSignaturesStaleAndCloseTheGate() throws {
    var programme = try Self.signed()
    try programme.apply(Sample.event(.completed(milestone: "rollout-plan"), by: "alice"))
    #expect(programme.stageStates()[2] == .active)
    let oldCharter = programme.playbook.stages[1].agreements[0]
    let report = try Self.upgrade(&programme, to: Self.reworded)
    #expect(report.agreements.changed == [.init(id: "charter", what: ["terms"])])
    #expect(report.staleSignatures.map(\.role) == ["sales", "marketing"])
    #expect(report.stageChanges.contains(.init(stage: "implementation", before: .active, after: .gated)))
    #expect(!report.needsForce)
    #expect(programme.playbook == Self.reworded.0)
    #expect(programme.playbookVersion == Self.reworded.1)
    #expect(programme.state(ofAgreement: "charter") == .open)
    #expect(programme.stageStates()[2] == .gated)
    // Each role is asked to sign again, with the terms it signed to set beside the new.
    let signing = programme.nextActions().actions.filter { $0.kind == .sign }
    #expect(signing.map(\.role) == ["sales", "marketing"])
    #expect(signing.allSatisfy { $0.signedAgreement == oldCharter && $0.staleTerms == oldCharter.termsHash })
    let newTerms = Self.reworded.0.stages[1].agreements[0].termsHash
    for (role, person) in [("sales", "sam"), ("marketing", "mia")] {
      try programme.apply(Sample.event(.signed(agreement: "charter", role: role, terms: newTerms), by: person))
    }
    #expect(programme.stageStates()[2] == .active)
  }

  @Test func aSignatureFromBeforeTermsHashesGoesStaleWhenTheTermsChange() throws {
    // Signed without a recorded hash: it counts on the terms in force when it was made.
    var kept = try Self.signed(salesTerms: nil)
    let retitled = Self.playbook(6) { $0.stages[0].title = "Benchmark it" }
    let unchanged = try Self.upgrade(&kept, to: retitled)
    #expect(unchanged.staleSignatures.isEmpty && kept.state(ofAgreement: "charter") == .signed)
    var changed = try Self.signed(salesTerms: nil)
    let report = try Self.upgrade(&changed, to: Self.reworded)
    #expect(report.staleSignatures.map(\.role) == ["sales", "marketing"])
    let sales = changed.nextActions().actions.first { $0.role == "sales" }
    #expect(sales?.staleTerms == Sample.playbook.stages[1].agreements[0].termsHash)
  }

  @Test func droppingADoneMilestoneNeedsForce() throws {
    var programme = try Self.started()
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice")])
    let before = programme
    #expect(throws: Refusal.upgradeNeedsForce(dropsDone: ["map"], locks: [])) {
      try Self.upgrade(&programme, to: Self.withoutMap)
    }
    #expect(programme == before)
    let report = try Self.upgrade(&programme, to: Self.withoutMap, force: true)
    #expect(report.droppedDone == ["map"] && report.keptDone.isEmpty)
    #expect(report.milestones.removed == ["map"])
    #expect(report.milestones.changed == [.init(id: "survey", what: ["needs"])])
    #expect(!programme.isDone("map") && programme.progress == 0)
    #expect(programme.state(ofMilestone: "survey") == .ready)
  }

  @Test func aMilestoneAddedToACompletedStageReopensItAndLocksTheNext() throws {
    var programme = try Self.started()
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice"), (.completed(milestone: "survey"), "alice")])
    #expect(programme.stageStates()[0...1] == [.complete, .active])
    let report = programme.upgradeReport(to: Self.withInterviews.0, version: Self.withInterviews.1)
    #expect(report.milestones.added == ["interviews"])
    #expect(
      report.stageChanges == [
        .init(stage: "benchmark", before: .complete, after: .active),
        .init(stage: "coaching", before: .active, after: .locked),
      ])
    #expect(report.stagesLocked == ["coaching"] && report.needsForce)
    #expect(throws: Refusal.upgradeNeedsForce(dropsDone: [], locks: ["coaching"])) {
      try Self.upgrade(&programme, to: Self.withInterviews)
    }
    try Self.upgrade(&programme, to: Self.withInterviews, force: true)
    #expect(programme.stageStates()[0...1] == [.active, .locked])
    #expect(programme.keptDone(["map", "survey"]))
  }

  @Test func aRoleTheNewVersionDropsLosesItsHolderAndSignature() throws {
    var programme = try Self.signed()
    try programme.apply(
      Sample.event(.delegated(role: "marketing", person: "pat", until: "2999-12-31"), by: "mia", note: "away"))
    #expect(programme.delegations["marketing"] != nil)
    let report = try Self.upgrade(&programme, to: Self.withoutMarketing)
    #expect(report.roles.removed == ["marketing"])
    #expect(report.droppedRoles == [.init(role: "marketing", person: "mia")])
    #expect(report.droppedSignatures == [.init(agreement: "charter", role: "marketing", person: "mia")])
    // The signatories are part of the terms: sales signed a charter two roles signed.
    #expect(report.staleSignatures == [.init(agreement: "charter", role: "sales", person: "sam")])
    #expect(programme.assignments["marketing"] == nil)
    #expect(programme.delegations["marketing"] == nil)
  }

  // (person, note, target, the refusal)
  @Test(arguments: [
    ("carol", "why", UpgradeTests.reworded.1, Refusal.notAllowed(person: "carol", operation: .upgrade, roles: ["consultant"])),
    ("alice", nil, UpgradeTests.reworded.1, .reasonRequired(action: "upgrading a client's playbook")),
    ("alice", " ", UpgradeTests.reworded.1, .reasonRequired(action: "upgrading a client's playbook")),
    ("alice", "why", UpgradeTests.v1, .alreadyOnPlaybook(UpgradeTests.v1)),
  ] as [(String, String?, PlaybookVersion, Refusal)])
  func refusedUpgradesChangeNothing(person: String, note: String?, target: PlaybookVersion, refusal: Refusal) throws {
    var programme = try Self.signed()
    let before = programme
    let playbook = target == Self.v1 ? Sample.playbook : Self.reworded.0
    #expect(throws: refusal) {
      try programme.upgrade(
        to: playbook, Sample.event(.upgraded(from: Self.v1, to: target), by: person, note: note), force: true)
    }
    #expect(programme == before)
  }

  @Test func anUpgradeMustMoveFromThePlaybookInForceToAVersionOfIt() throws {
    var programme = try Self.started()
    let elsewhere = PlaybookVersion(id: "sample", version: 1, sha256: "9999")
    #expect(throws: Refusal.playbookMismatch(inForce: Self.v1, named: elsewhere)) {
      try programme.upgrade(
        to: Self.reworded.0, Sample.event(.upgraded(from: elsewhere, to: Self.reworded.1), by: "alice", note: "x"),
        force: true)
    }
    var other = Self.reworded
    other.0.id = "other"
    other.1.id = "other"
    #expect(throws: Refusal.otherPlaybook(inForce: "sample", given: "other")) {
      try programme.upgrade(
        to: other.0, Sample.event(.upgraded(from: Self.v1, to: other.1), by: "alice", note: "x"), force: true)
    }
    // Without the playbook it moves to, an upgrade cannot be applied.
    #expect(throws: Refusal.unknownPlaybook(Self.reworded.1)) {
      try programme.apply(Sample.event(.upgraded(from: Self.v1, to: Self.reworded.1), by: "alice", note: "x"))
    }
  }

  @Test func replayChecksEachEventAgainstThePlaybookInForceWhenItWasMade() throws {
    var programme = try Self.started()
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice")])
    try Self.upgrade(&programme, to: Self.withoutMap, force: true)
    try Self.upgrade(&programme, to: Self.withoutMapWithInterviews)
    try programme.apply(Sample.event(.completed(milestone: "interviews"), by: "alice", minute: 120))
    let upgrades = [Self.withoutMap.1.sha256: Self.withoutMap.0, Self.withoutMapWithInterviews.1.sha256: Self.withoutMapWithInterviews.0]
    let replayed = try Programme(
      playbook: Sample.playbook, sha256: Self.v1.sha256, history: programme.history, upgrades: upgrades)
    #expect(replayed == programme)
    #expect(replayed.playbookVersion == Self.withoutMapWithInterviews.1)
    // `map` was completed under version 1 and `interviews` under the last: neither replays
    // against the other.
    #expect(throws: HistoryError.self) {
      try Programme(playbook: Self.withoutMapWithInterviews.0, history: programme.history, upgrades: upgrades)
    }
    // A history naming a text it does not hold is not one Accord wrote.
    do {
      _ = try Programme(playbook: Sample.playbook, sha256: Self.v1.sha256, history: programme.history)
      Issue.record("replayed without the playbooks it moved to")
    } catch {
      #expect(error.refusal == .unknownPlaybook(Self.withoutMap.1))
    }
  }

  /// Version 3 (no `map`) with the interviews of version 4.
  static let withoutMapWithInterviews = playbook(7) {
    $0.stages[0].milestones.removeFirst()
    $0.stages[0].milestones[0].needs = []
    $0.stages[0].milestones.append(
      Milestone(id: "interviews", title: "Interviews", owner: Sample.ref("consultant"), location: Sample.here))
  }
}

extension Programme {
  fileprivate func keptDone(_ ids: [String]) -> Bool { ids.allSatisfy(isDone) }
}
