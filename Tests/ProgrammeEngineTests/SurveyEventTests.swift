import Foundation
import PlaybookSpec
import Testing
@testable import ProgrammeEngine

/// Sample's playbook with a survey, whose `survey` milestone needs a round as evidence.
enum SurveySample {
  static let here = Sample.here

  static let survey = Survey(
    teams: [.init(id: "sales", title: "Sales", location: here), .init(id: "marketing", title: "Marketing", location: here)],
    levels: [.init(id: "manager", title: "Managers", location: here)],
    dimensions: [
      .init(id: "goals", title: "Goals", statements: [.init(id: "g1", text: "One", location: here)], location: here)
    ],
    location: here)

  static let playbook: Playbook = {
    var playbook = Sample.playbook
    playbook.stages[0].milestones[1].evidence = .survey
    playbook.survey = survey
    return playbook
  }()

  static func started() throws -> Programme {
    var programme = try Programme(
      playbook: playbook, start: Sample.event(.started(client: "acme", name: "Acme Ltd"), by: "alice"))
    for (role, person) in [("czar", "carol"), ("sales", "sam")] {
      try programme.apply(Sample.event(.assigned(role: role, person: person), by: "alice"))
    }
    return programme
  }

  static func answer(_ id: String, _ team: String = "sales", _ score: Int = 4) -> SurveyResponse {
    SurveyResponse(respondent: id, team: team, level: "manager", answers: ["g1": score])
  }

  static let round = [answer("r1"), answer("r2", "marketing", 2), answer("r3")]
}

@Suite("Programme: survey rounds and evidence")
struct SurveyEventTests {
  @Test(arguments: [
    // (round, responses, by, refusal or nil)
    ("round-1", SurveySample.round, "alice", nil),
    ("round-1", SurveySample.round, "carol", nil),  // the czar runs later rounds
    ("round-1", SurveySample.round, "sam", Refusal.notAllowed(person: "sam", operation: .importSurvey, roles: ["consultant", "czar"])),
    ("round 1", SurveySample.round, "alice", Refusal.invalidRoundName("round 1", problem: "invalid id 'round 1': ' ' is not allowed, only letters, digits, '-' and '_'")),
    ("round-1", [], "alice", Refusal.emptyRound("round-1")),
    ("round-1", [SurveySample.answer("r1", "legal")], "alice", Refusal.invalidResponse(round: "round-1", problem: "respondent 'r1': unknown team 'legal'")),
    ("round-1", [SurveySample.answer("r1", "sales", 9)], "alice", Refusal.invalidResponse(round: "round-1", problem: "respondent 'r1': score 9 for 'g1' is outside the scale 1-5")),
    ("round-1", [SurveySample.answer("r1"), SurveySample.answer("r1")], "alice", Refusal.invalidResponse(round: "round-1", problem: "respondent 'r1' answered more than once")),
  ] as [(String, [SurveyResponse], String, Refusal?)])
  func importing(round: String, responses: [SurveyResponse], by: String, refusal: Refusal?) throws {
    var programme = try SurveySample.started()
    let before = programme
    let event = Sample.event(.surveyImported(round: round, responses: responses), by: by)
    if let refusal {
      #expect(throws: refusal) { try programme.apply(event) }
      #expect(programme == before)
    } else {
      try programme.apply(event)
      #expect(programme.surveyRounds.map(\.name) == [round])
      #expect(programme.surveyRounds[0].responses == responses)
      #expect(programme.surveyRounds[0].by == by)
    }
  }

  @Test func roundNamesAreUniqueAndRoundsKeepTheirOrder() throws {
    var programme = try SurveySample.started()
    try programme.apply(Sample.event(.surveyImported(round: "baseline", responses: SurveySample.round), by: "alice"))
    #expect(throws: Refusal.roundExists("baseline")) {
      try programme.apply(Sample.event(.surveyImported(round: "baseline", responses: SurveySample.round), by: "alice"))
    }
    try programme.apply(Sample.event(.surveyImported(round: "after-pilot", responses: SurveySample.round), by: "carol"))
    #expect(programme.surveyRounds.map(\.name) == ["baseline", "after-pilot"])
  }

  @Test func aPlaybookWithoutASurveyTakesNoAnswers() throws {
    var programme = try Sample.started()
    #expect(throws: Refusal.noSurvey) {
      try programme.apply(Sample.event(.surveyImported(round: "r", responses: SurveySample.round), by: "alice"))
    }
  }

  @Test func theSurveyMilestoneWaitsForARoundAndNextSaysSo() throws {
    var programme = try SurveySample.started()
    try programme.apply(Sample.event(.completed(milestone: "map"), by: "alice"))
    #expect(programme.state(ofMilestone: "survey") == .blocked)
    #expect(throws: Refusal.notReady(milestone: "survey", obstacles: [.evidenceMissing(.survey)])) {
      try programme.apply(Sample.event(.completed(milestone: "survey"), by: "alice"))
    }
    #expect(
      Refusal.notReady(milestone: "survey", obstacles: [.evidenceMissing(.survey)]).description
        == "milestone 'survey' is not ready\n  it needs a round of the survey imported first")
    let next = programme.nextActions().actions
    #expect(next.map(\.kind) == [.survey])
    #expect(next.first == Action(kind: .survey, target: "survey", stage: "benchmark", role: "consultant", person: "alice"))

    try programme.apply(Sample.event(.surveyImported(round: "round-1", responses: SurveySample.round), by: "alice"))
    #expect(programme.state(ofMilestone: "survey") == .ready)
    #expect(programme.nextActions().actions.map(\.kind) == [.complete])
    try programme.apply(Sample.event(.completed(milestone: "survey"), by: "alice"))
    #expect(programme.stageStates()[0] == .complete)
  }

  @Test func evidenceIsNotAskedOfAMilestoneStillWaitingOnItsNeeds() throws {
    let programme = try SurveySample.started()
    // survey needs map: only map is to do, and nothing asks for a survey round yet.
    #expect(programme.nextActions().actions.map(\.target) == ["map"])
  }
}

@Suite("Programme: opportunity inputs")
struct OpportunityEventTests {
  static let inputs = OpportunityInputs(marketingStaff: 10, costPerHead: 60_000, contentShare: 50)

  @Test func theConsultantOrCzarSetsThemAndTheLastWins() throws {
    var programme = try SurveySample.started()
    try programme.apply(Sample.event(.opportunitySet(Self.inputs), by: "alice"))
    var changed = Self.inputs
    changed.ancillary = 20_000
    try programme.apply(Sample.event(.opportunitySet(changed), by: "carol", minute: 1))
    #expect(programme.opportunity?.inputs == changed)
    #expect(programme.opportunity?.by == "carol")
  }

  @Test func othersAndNonsenseAreRefused() throws {
    var programme = try SurveySample.started()
    #expect(throws: Refusal.notAllowed(person: "sam", operation: .setOpportunity, roles: ["consultant", "czar"])) {
      try programme.apply(Sample.event(.opportunitySet(Self.inputs), by: "sam"))
    }
    var bad = Self.inputs
    bad.contentShare = 150
    let refusal = Refusal.invalidOpportunity(["content share must be a percentage from 0 to 100, got 150"])
    #expect(throws: refusal) { try programme.apply(Sample.event(.opportunitySet(bad), by: "alice")) }
    #expect(programme.opportunity == nil)
  }
}

/// The new events keep the flat JSON shape of the state file and `log --json`.
@Suite struct SurveyEventJSONTests {
  static func json(_ event: Event) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(event), as: UTF8.self)
  }

  @Test func surveyImportedIsFlat() throws {
    let event = Sample.event(
      .surveyImported(round: "round-1", responses: [SurveySample.answer("r1")]), by: "alice")
    let text = try Self.json(event)
    #expect(
      text == #"{"at":"2026-09-21T14:13:20Z","by":"alice","responses":[{"answers":{"g1":4},"#
        + #""level":"manager","respondent":"r1","team":"sales"}],"round":"round-1","type":"surveyImported"}"#)
    #expect(try JSONDecoder().decode(Event.self, from: Data(text.utf8)) == event)
  }

  @Test func opportunitySetCarriesEveryInput() throws {
    let event = Sample.event(.opportunitySet(OpportunityEventTests.inputs), by: "alice", note: "from the CFO")
    let text = try Self.json(event)
    #expect(
      text == #"{"at":"2026-09-21T14:13:20Z","by":"alice","inputs":{"ancillary":0,"contentShare":50,"#
        + #""costPerHead":60000,"marketingStaff":10,"profitMultiplier":4,"recoveredShare":50,"#
        + #""searchShare":20,"unusedShare":75},"note":"from the CFO","type":"opportunitySet"}"#)
    #expect(try JSONDecoder().decode(Event.self, from: Data(text.utf8)) == event)
  }

  @Test func aStoredRoundThatBreaksTheSurveyIsCaughtOnReplay() throws {
    let programme = try SurveySample.started()
    let bad = Sample.event(
      .surveyImported(round: "round-1", responses: [SurveySample.answer("r1", "legal")]), by: "alice")
    #expect(throws: HistoryError.self) {
      try Programme(playbook: SurveySample.playbook, history: programme.history + [bad])
    }
  }
}
