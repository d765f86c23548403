import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// The roster, acknowledgements to a quorum per team, and affirmation after a hand-over, on
/// `Sample.playbook` with the charter asking sales and marketing (80%) to acknowledge it and
/// the implementation stage's gate asking it to be affirmed as well.
@Suite("Programme: roster, acknowledgements and affirmation")
struct RosterTests {
  static let teams = [Survey.Group(id: "sales", title: "Sales", location: Sample.here),
    Survey.Group(id: "marketing", title: "Marketing", location: Sample.here)]
  static let levels = [Survey.Group(id: "staff", title: "Staff", location: Sample.here)]

  /// `Sample.playbook` whose charter asks `quorum` of both teams, the implementation gate
  /// asking it affirmed when `affirmed`.
  static func playbook(quorum: Quorum = .percent(80), affirmed: Bool = false, version: Int = 1) -> Playbook {
    var playbook = Sample.playbook
    playbook.version = version
    playbook.teams = teams
    playbook.levels = levels
    playbook.stages[1].agreements[0].acknowledgedBy = Acknowledgement(
      teams: [Sample.ref("sales"), Sample.ref("marketing")], quorum: quorum, location: Sample.here)
    if affirmed { playbook.stages[2].gate?.affirmed = [Sample.ref("charter")] }
    return playbook
  }

  /// Started, czar carol, heads sam and mia, coaching done, `sales` and `marketing` people
  /// on the roster (s1..., m1...).
  static func started(_ playbook: Playbook = playbook(), sales: Int = 5, marketing: Int = 4) throws -> Programme {
    var programme = try Programme(
      playbook: playbook, sha256: "1111", start: Sample.event(.started(client: "acme", name: "Acme Ltd"), by: "alice"))
    try Sample.run(
      &programme,
      [(.assigned(role: "czar", person: "carol"), "alice"), (.assigned(role: "sales", person: "sam"), "alice"),
        (.assigned(role: "marketing", person: "mia"), "alice")] + Sample.throughCoaching)
    for number in 1...max(sales, 1) where sales > 0 {
      try programme.apply(Sample.event(.joined(person: "s\(number)", email: "s\(number)@acme.example", team: "sales", level: "staff"), by: "carol"))
    }
    for number in 1...max(marketing, 1) where marketing > 0 {
      try programme.apply(Sample.event(.joined(person: "m\(number)", email: "m\(number)@acme.example", team: "marketing", level: "staff"), by: "alice"))
    }
    return programme
  }

  static func acknowledge(_ programme: inout Programme, _ people: [String]) throws {
    let terms = programme.termsHash(ofAgreement: "charter")
    for person in people { try programme.apply(Sample.event(.acknowledged(agreement: "charter", terms: terms), by: person)) }
  }

  static func signCharter(_ programme: inout Programme) throws {
    let terms = programme.termsHash(ofAgreement: "charter")
    try Sample.run(&programme, [
      (.signed(agreement: "charter", role: "sales", terms: terms), "sam"),
      (.signed(agreement: "charter", role: "marketing", terms: terms), "mia"),
    ])
  }

  @Test func quorumIsAShareOfTheTeamRoundedUpToWholePeopleAndNeverNone() {
    #expect(Quorum.percent(80).needed(of: 18) == 15)
    #expect(Quorum.percent(80).needed(of: 10) == 8)
    #expect(Quorum.percent(80).needed(of: 12) == 10)
    #expect(Quorum.percent(50).needed(of: 3) == 2)
    #expect(Quorum.percent(1).needed(of: 0) == 1)
    #expect(Quorum.all.needed(of: 7) == 7)
    #expect(Quorum.all.needed(of: 0) == 1)
    #expect(Quorum(parsing: "80%") == .percent(80))
    #expect(Quorum(parsing: "all") == .all)
    for bad in ["0%", "101%", "80", "eighty%", "%", "-5%", "８０%"] { #expect(Quorum(parsing: bad) == nil, "\(bad)") }
  }

  @Test func theGateOpensExactlyWhenTheLastTeamReachesItsQuorum() throws {
    var programme = try Self.started()  // 5 sales (4 needed), 4 marketing (4 needed)
    try Self.signCharter(&programme)
    #expect(programme.stageStates()[2] == .locked || programme.stageStates()[2] == .gated)
    try Self.acknowledge(&programme, ["s1", "s2", "s3", "s4", "m1", "m2", "m3"])
    #expect(programme.acknowledgementProgress(of: "charter").map(\.text) == ["sales 4 of 5", "marketing 3 of 4"])
    #expect(!programme.holds(Self.playbook().stages[1].milestones[2].gate!))
    #expect(programme.state(ofMilestone: "rollout-plan") == .blocked)
    let hold = programme.hold(on: programme.playbook.stages[2].gate!)
    #expect(hold.agreements.map(\.agreement) == ["charter"])
    #expect(hold.agreements[0].roles.isEmpty)
    #expect(hold.agreements[0].acknowledgements.map(\.isReached) == [true, false])
    #expect(hold.explanation(indent: "").contains("still needs acknowledging: sales 4 of 5, marketing 3 of 4, 80% needed"))
    try Self.acknowledge(&programme, ["m4"])
    #expect(programme.hold(on: programme.playbook.stages[2].gate!).isEmpty)
    #expect(programme.state(ofMilestone: "rollout-plan") == .ready)
  }

  @Test func signaturesAloneDoNotOpenAGateWhoseAgreementAsksTheStaff() throws {
    var programme = try Self.started()
    try Self.signCharter(&programme)
    #expect(programme.state(ofAgreement: "charter") == .signed)
    #expect(programme.state(ofMilestone: "rollout-plan") == .blocked)
    let rally = try #require(programme.nextActions().actions.first { $0.kind == .acknowledge })
    #expect(rally.role == "czar" && rally.person == "carol" && rally.target == "charter")
    #expect(rally.progress?.map(\.text) == ["sales 0 of 5", "marketing 0 of 4"])
  }

  @Test func aTeamWithNobodyOnTheRosterNeverReachesItsQuorum() throws {
    var programme = try Self.started(marketing: 0)
    try Self.signCharter(&programme)
    try Self.acknowledge(&programme, ["s1", "s2", "s3", "s4", "s5"])
    #expect(programme.acknowledgementProgress(of: "charter").last?.isReached == false)
    #expect(programme.state(ofMilestone: "rollout-plan") == .blocked)
  }

  @Test func someoneWhoLeavesStopsCountingEitherWay() throws {
    var programme = try Self.started(sales: 5, marketing: 1)
    try Self.acknowledge(&programme, ["s1", "s2", "s3", "m1"])
    #expect(programme.acknowledgementProgress(of: "charter")[0].text == "sales 3 of 5")
    // One who had not acknowledged leaves: 3 of 4, quorum 4 still short.
    try programme.apply(Sample.event(.left(person: "s5"), by: "carol", note: "moved to finance"))
    #expect(programme.acknowledgementProgress(of: "charter")[0].text == "sales 3 of 4")
    // One who had: 2 of 3; and back again, they count afresh.
    try programme.apply(Sample.event(.left(person: "s1"), by: "carol", note: "left Acme"))
    #expect(programme.acknowledgementProgress(of: "charter")[0].text == "sales 2 of 3")
    try programme.apply(Sample.event(.joined(person: "s1", email: "s1@acme.example", team: "sales", level: "staff"), by: "carol"))
    #expect(programme.acknowledgementProgress(of: "charter")[0].text == "sales 2 of 4")
    #expect(programme.acknowledgement(of: "charter", by: "s1") == nil)
    #expect(throws: Refusal.reasonRequired(action: "taking someone off the roster")) {
      try programme.apply(Sample.event(.left(person: "s2"), by: "carol"))
    }
    #expect(throws: Refusal.notOnRoster(person: "s4x", suggestion: "s4")) {
      try programme.apply(Sample.event(.left(person: "s4x"), by: "carol", note: "x"))
    }
  }

  @Test func onlyTheConsultantOrCzarKeepTheRosterAndEveryDetailIsChecked() throws {
    var programme = try Self.started(sales: 1, marketing: 1)
    func join(_ person: String, _ email: String, _ team: String, _ level: String, by author: String = "carol") throws {
      try programme.apply(Sample.event(.joined(person: person, email: email, team: team, level: level), by: author))
    }
    #expect(throws: Refusal.notAllowed(person: "sam", operation: .keepRoster, roles: ["consultant", "czar"])) {
      try join("x", "x@acme.example", "sales", "staff", by: "sam")
    }
    #expect(throws: Refusal.alreadyOnRoster(person: "s1")) { try join("s1", "s1@acme.example", "sales", "staff") }
    #expect(throws: Refusal.self) { try join("x", "not-an-address", "sales", "staff") }
    #expect(throws: Refusal.self) { try join("x", "x@acme.example", "finance", "staff") }
    #expect(throws: Refusal.self) { try join("x", "x@acme.example", "sales", "board") }
    #expect(throws: Refusal.self) { try join("x", "S1@ACME.example", "sales", "staff") }
    #expect(throws: Refusal.invalidPerson("x\u{202E}y")) { try join("x\u{202E}y", "x@acme.example", "sales", "staff") }
    // A change of team keeps the person's place and counts them in the new team.
    try join("s1", "s1@acme.example", "marketing", "staff")
    #expect(programme.people.map(\.name) == ["s1", "m1"])
    #expect(programme.acknowledgementProgress(of: "charter").map(\.members) == [0, 2])
  }

  @Test func whoMustAcknowledgeIsNotPartOfTheTerms() {
    let asking = Self.playbook().stages[1].agreements[0]
    var plain = asking
    plain.acknowledgedBy = nil
    #expect(asking.termsHash == plain.termsHash)
  }

  @Test func aPlaybookWithoutTeamsKeepsNoRoster() throws {
    var programme = try Sample.started()
    #expect(throws: Refusal.noTeams) {
      try programme.apply(Sample.event(.joined(person: "x", email: "x@acme.example", team: "sales", level: ""), by: "carol"))
    }
  }

  @Test func anAcknowledgementIsAPersonsOwnOnTheTermsInForceOnceSigningHasOpened() throws {
    var early = try Programme(
      playbook: Self.playbook(), sha256: "1111", start: Sample.event(.started(client: "acme", name: "Acme"), by: "alice"))
    try early.apply(Sample.event(.assigned(role: "czar", person: "carol"), by: "alice"))
    try early.apply(Sample.event(.joined(person: "s1", email: "s1@acme.example", team: "sales", level: "staff"), by: "carol"))
    let terms = early.termsHash(ofAgreement: "charter")
    #expect(throws: Refusal.self) {
      try early.apply(Sample.event(.acknowledged(agreement: "charter", terms: terms), by: "s1"))
    }

    var programme = try Self.started()
    #expect(throws: Refusal.termsRequired(agreement: "charter")) {
      try programme.apply(Sample.event(.acknowledged(agreement: "charter"), by: "s1"))
    }
    #expect(throws: Refusal.self) {
      try programme.apply(Sample.event(.acknowledged(agreement: "charter", terms: String(repeating: "0", count: 64)), by: "s1"))
    }
    #expect(throws: Refusal.notOnRoster(person: "sam", suggestion: nil)) {
      try programme.apply(Sample.event(.acknowledged(agreement: "charter", terms: terms), by: "sam"))
    }
    try Self.acknowledge(&programme, ["s1"])
    #expect(throws: Refusal.alreadyAcknowledged(agreement: "charter", person: "s1")) { try Self.acknowledge(&programme, ["s1"]) }
    // No delegate acknowledges for anyone: a delegation is of a role, and this is a person's act.
    try programme.apply(Sample.event(.delegated(role: "sales", person: "s2", until: "2030-01-01"), by: "sam", note: "away"))
    #expect(throws: Refusal.self) {
      var event = Sample.event(.acknowledged(agreement: "charter", terms: terms), by: "s3")
      event.holder = "sam"
      try programme.apply(event)
    }
    // A paper sheet: the czar records it, with its evidence.
    var paper = Sample.event(.acknowledged(agreement: "charter", terms: terms), by: "carol")
    paper.onBehalfOf = "m1"
    #expect(throws: Refusal.evidenceRequired) { try programme.apply(paper) }
    paper.evidence = EvidenceFile(name: "sheet.pdf", sha256: String(repeating: "a", count: 64))
    try programme.apply(paper)
    #expect(programme.acknowledgement(of: "charter", by: "m1")?.enteredBy == "carol")
    #expect(programme.yetToAcknowledge("charter").map(\.name) == ["s2", "s3", "s4", "s5", "m2", "m3", "m4"])
  }

  @Test func changedTermsSendEveryoneBackToAcknowledge() throws {
    var programme = try Self.started(sales: 1, marketing: 1)
    try Self.signCharter(&programme)
    try Self.acknowledge(&programme, ["s1", "m1"])
    #expect(programme.state(ofMilestone: "rollout-plan") == .ready)
    var reworded = Self.playbook(version: 2)
    reworded.stages[1].agreements[0].terms = "We meet every week."
    let report = try programme.upgrade(
      to: reworded, Sample.event(
        .upgraded(from: programme.playbookVersion!, to: PlaybookVersion(id: "sample", version: 2, sha256: "2222")),
        by: "alice", note: "weekly"), force: true)
    #expect(report.staleAcknowledgements == [UpgradeReport.AcknowledgementChange(agreement: "charter", people: 2)])
    #expect(programme.acknowledgementProgress(of: "charter").map(\.acknowledged) == [0, 0])
    #expect(programme.agreementsToAcknowledge(by: "s1").map(\.id) == ["charter"])
    try Self.acknowledge(&programme, ["s1"])
    #expect(programme.acknowledgement(of: "charter", by: "s1") != nil)
  }

  @Test func aHandOverAsksTheNewHolderToAffirmAndAnOpenGateStaysOpen() throws {
    var programme = try Self.started(sales: 1, marketing: 1)
    try Self.signCharter(&programme)
    try Self.acknowledge(&programme, ["s1", "m1"])
    try programme.apply(Sample.event(.completed(milestone: "rollout-plan"), by: "alice"))
    #expect(programme.stageStates()[2] == .active)
    try programme.apply(Sample.event(.assigned(role: "sales", person: "ravi"), by: "alice"))
    // The gate does not ask for affirmation: it stays open.
    #expect(programme.stageStates()[2] == .active)
    let standing = try #require(programme.standings(of: "charter").first)
    #expect(standing.isByPredecessor && standing.holder == "ravi" && standing.signedFor == "sam")
    let affirm = try #require(programme.nextActions().actions.first { $0.kind == .affirm })
    #expect(affirm.role == "sales" && affirm.person == "ravi" && affirm.signedBy == "sam")
    #expect(throws: Refusal.self) { try programme.apply(Sample.event(.affirmed(agreement: "charter", role: "sales"), by: "sam")) }
    #expect(throws: Refusal.nothingToAffirm(agreement: "charter", role: "marketing")) {
      try programme.apply(Sample.event(.affirmed(agreement: "charter", role: "marketing"), by: "mia"))
    }
    try programme.apply(Sample.event(try programme.affirmation(of: "charter", by: "ravi"), by: "ravi"))
    #expect(programme.standings(of: "charter").first?.isHolders == true)
    #expect(!programme.nextActions().actions.contains { $0.kind == .affirm })
    #expect(throws: Refusal.alreadyAffirmed(agreement: "charter", role: "sales", person: "ravi")) {
      try programme.apply(Sample.event(.affirmed(agreement: "charter", role: "sales"), by: "ravi"))
    }
    // Handed back to the signer: theirs again, nothing to affirm.
    try programme.apply(Sample.event(.assigned(role: "sales", person: "sam"), by: "alice"))
    #expect(programme.standings(of: "charter").first?.isHolders == true)
  }

  @Test func aGateThatAsksForAffirmationWaitsForTheNewHolder() throws {
    var programme = try Self.started(Self.playbook(affirmed: true), sales: 1, marketing: 1)
    try Self.signCharter(&programme)
    try Self.acknowledge(&programme, ["s1", "m1"])
    try programme.apply(Sample.event(.assigned(role: "marketing", person: "nia"), by: "alice"))
    try programme.apply(Sample.event(.completed(milestone: "rollout-plan"), by: "alice"))
    #expect(programme.stageStates()[2] == .gated)
    let hold = programme.hold(on: programme.playbook.stages[2].gate!)
    #expect(hold.agreements.first?.unaffirmed == ["marketing"])
    #expect(hold.explanation(indent: "").contains("signed by a predecessor: the marketing now must affirm it"))
    try programme.apply(Sample.event(.affirmed(agreement: "charter", role: "marketing"), by: "nia"))
    #expect(programme.stageStates()[2] == .active)
    // A new signature by the holder clears the affirmation's need; a revocation clears it.
    try programme.apply(Sample.event(.revoked(agreement: "charter", role: "marketing"), by: "nia", note: "rethink"))
    #expect(programme.standings(of: "charter").count == 1)
  }

  @Test func aStoredHistoryReplaysToTheSameRosterAndCounts() throws {
    var programme = try Self.started(Self.playbook(affirmed: true), sales: 3, marketing: 2)
    try Self.signCharter(&programme)
    try Self.acknowledge(&programme, ["s1", "s2", "m2"])
    try programme.apply(Sample.event(.left(person: "s3"), by: "carol", note: "left"))
    try programme.apply(Sample.event(.assigned(role: "sales", person: "ravi"), by: "alice"))
    try programme.apply(Sample.event(.affirmed(agreement: "charter", role: "sales"), by: "ravi"))
    let replayed = try Programme(playbook: programme.playbook, sha256: "1111", history: programme.history)
    #expect(replayed.people == programme.people)
    #expect(replayed.acknowledgementProgress(of: "charter") == programme.acknowledgementProgress(of: "charter"))
    #expect(replayed.standings(of: "charter") == programme.standings(of: "charter"))
    #expect(replayed.nextActions() == programme.nextActions())
    #expect(ClientSummary(replayed, zone: { TimeZone.gmt }) == ClientSummary(programme, zone: { TimeZone.gmt }))
  }
}
