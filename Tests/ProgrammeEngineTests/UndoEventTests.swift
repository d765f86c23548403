import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// Mistakes undone in the open: archiving and restoring a client, withdrawing a survey
/// round. Each is an event; nothing is ever removed from the history.
@Suite("Programme: archive, restore, withdraw")
struct UndoEventTests {
  /// The outcome of `change` by `person` on `programme`: nil when accepted.
  static func outcome(_ programme: inout Programme, _ change: Change, by person: String, note: String? = nil)
    -> Refusal?
  {
    let before = programme
    do {
      try programme.apply(Sample.event(change, by: person, note: note))
      return nil
    } catch {
      #expect(programme == before, "a refusal changes nothing")
      return error
    }
  }

  @Test(arguments: [
    // (change, by, note, refusal or nil) on a client that is not archived
    (Change.archived, "alice", "paused", nil),
    (Change.archived, "carol", "paused", Refusal.notAllowed(person: "carol", operation: .archive, roles: ["consultant"])),
    (Change.archived, "alice", nil, Refusal.reasonRequired(action: "archiving a client")),
    (Change.archived, "alice", "  ", Refusal.reasonRequired(action: "archiving a client")),
    (Change.restored, "alice", nil, Refusal.notArchived),
    (Change.restored, "carol", nil, Refusal.notAllowed(person: "carol", operation: .restore, roles: ["consultant"])),
  ] as [(Change, String, String?, Refusal?)])
  func onAnActiveClient(change: Change, by person: String, note: String?, refusal: Refusal?) throws {
    var programme = try Sample.started()
    #expect(Self.outcome(&programme, change, by: person, note: note) == refusal)
  }

  @Test(arguments: [
    // (change, by, note, refusal or nil) on an archived client
    (Change.restored, "alice", nil, nil),  // a reason is optional
    (Change.restored, "alice", "back on", nil),
    (Change.restored, "carol", nil, Refusal.notAllowed(person: "carol", operation: .restore, roles: ["consultant"])),
    (Change.archived, "alice", "again", Refusal.alreadyArchived),
    (Change.completed(milestone: "map"), "alice", nil, Refusal.clientArchived),
    (Change.assigned(role: "czar", person: "dora"), "alice", nil, Refusal.clientArchived),
    (Change.reopened(milestone: "map"), "alice", "why", Refusal.clientArchived),
    (Change.signed(agreement: "charter", role: "sales"), "sam", nil, Refusal.clientArchived),
    (Change.surveyWithdrawn(round: "x"), "alice", "why", Refusal.clientArchived),
  ] as [(Change, String, String?, Refusal?)])
  func onAnArchivedClient(change: Change, by person: String, note: String?, refusal: Refusal?) throws {
    var programme = try Sample.started()
    try programme.apply(Sample.event(.archived, by: "alice", note: "paused", minute: 1))
    #expect(Self.outcome(&programme, change, by: person, note: note) == refusal)
  }

  @Test func archivingKeepsEverythingAndRestoringBringsItBackAsItWas() throws {
    var programme = try Sample.started()
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice")])
    let next = programme.nextActions()
    let states = programme.stageStates()
    try programme.apply(Sample.event(.archived, by: "alice", note: "paused", minute: 5))
    #expect(programme.archived == Stamp(by: "alice", at: Sample.t0.addingTimeInterval(300), reason: "paused"))
    #expect(programme.nextActions().actions.isEmpty, "nothing to do while archived")
    #expect(programme.stageStates() == states)
    #expect(programme.isDone("map"))
    try programme.apply(Sample.event(.restored, by: "alice", minute: 6))
    #expect(programme.archived == nil)
    #expect(programme.nextActions() == next)
    #expect(programme.history.map(\.change.type).suffix(3) == ["completed", "archived", "restored"])
    // The history replays to the same programme.
    #expect(try Programme(playbook: Sample.playbook, history: programme.history) == programme)
  }

  @Test func aHistoryWrittenBeforeTheseEventsReplaysUnchanged() throws {
    var programme = try SurveySample.started()
    try programme.apply(Sample.event(.surveyImported(round: "round-1", responses: SurveySample.round), by: "alice"))
    // The same answers twice: allowed in the record, as files written before hold it.
    try programme.apply(Sample.event(.surveyImported(round: "round-2", responses: SurveySample.round.reversed()), by: "alice"))
    let replayed = try Programme(playbook: SurveySample.playbook, history: programme.history)
    #expect(replayed.surveyRounds.map(\.name) == ["round-1", "round-2"])
    #expect(replayed.countedRounds.count == 2)
    #expect(replayed.archived == nil)
  }
}

@Suite("Programme: withdrawn survey rounds")
struct WithdrawnRoundTests {
  static func imported(_ names: String...) throws -> Programme {
    var programme = try SurveySample.started()
    for (offset, name) in names.enumerated() {
      let responses = SurveySample.round.map { answer in
        var answer = answer
        answer.answers["g1"] = 1 + offset % 5
        return answer
      }
      try programme.apply(Sample.event(.surveyImported(round: name, responses: responses), by: "alice", minute: offset))
    }
    return programme
  }

  @Test(arguments: [
    // (round, by, note, refusal or nil)
    ("round-1", "alice", "wrong file", nil),
    ("round-1", "carol", "wrong file", nil),  // the czar too
    ("round-1", "sam", "wrong file", Refusal.notAllowed(person: "sam", operation: .withdrawSurvey(round: "round-1"), roles: ["consultant", "czar"])),
    ("round-1", "alice", nil, Refusal.reasonRequired(action: "withdrawing a survey round")),
    ("round-3", "alice", "x", Refusal.unknownRound("round-3", suggestion: "round-1")),
    ("pilot", "alice", "x", Refusal.unknownRound("pilot", suggestion: nil)),
  ] as [(String, String, String?, Refusal?)])
  func withdrawing(round: String, by person: String, note: String?, refusal: Refusal?) throws {
    var programme = try Self.imported("round-1", "round-2")
    #expect(UndoEventTests.outcome(&programme, .surveyWithdrawn(round: round), by: person, note: note) == refusal)
  }

  @Test func aWithdrawnRoundIsKeptMarkedButCountsForNothing() throws {
    var programme = try Self.imported("round-1", "round-2")
    try programme.apply(Sample.event(.surveyWithdrawn(round: "round-1"), by: "carol", note: "wrong file", minute: 9))
    #expect(programme.surveyRounds.map(\.name) == ["round-1", "round-2"])
    #expect(programme.surveyRounds[0].withdrawn?.reason == "wrong file")
    #expect(programme.countedRounds.map(\.name) == ["round-2"], "round-2 is the baseline now")
    #expect(
      UndoEventTests.outcome(&programme, .surveyWithdrawn(round: "round-1"), by: "alice", note: "again")
        == .roundWithdrawn("round-1"))
    // Its name stays taken.
    #expect(
      UndoEventTests.outcome(&programme, .surveyImported(round: "round-1", responses: SurveySample.round), by: "alice")
        == .roundExists("round-1"))
  }

  @Test func aWithdrawnRoundIsNoEvidence() throws {
    var programme = try Self.imported("round-1")
    try programme.apply(Sample.event(.completed(milestone: "map"), by: "alice"))
    try programme.apply(Sample.event(.surveyWithdrawn(round: "round-1"), by: "alice", note: "wrong file"))
    #expect(
      UndoEventTests.outcome(&programme, .completed(milestone: "survey"), by: "alice")
        == .notReady(milestone: "survey", obstacles: [.evidenceMissing(.survey)]))
    #expect(programme.nextActions().actions.first?.kind == .survey)
  }

  @Test func aMilestoneDoneOnAWithdrawnRoundStaysDone() throws {
    var programme = try Self.imported("round-1")
    try Sample.run(&programme, [(.completed(milestone: "map"), "alice"), (.completed(milestone: "survey"), "alice")])
    try programme.apply(Sample.event(.surveyWithdrawn(round: "round-1"), by: "alice", note: "wrong file"))
    #expect(programme.isDone("survey"))
  }

  @Test func theSameAnswersInAnyOrderAreFound() throws {
    let programme = try Self.imported("round-1", "round-2")
    let second = programme.surveyRounds[1].responses
    #expect(programme.round(withSameAnswersAs: second.reversed())?.name == "round-2")
    #expect(programme.round(withSameAnswersAs: Array(second.dropLast())) == nil)
    var changed = second
    changed[0].answers["g1"] = 5 - (changed[0].answers["g1"] ?? 1) + 1
    #expect(programme.round(withSameAnswersAs: changed) == nil)
    #expect(programme.round(withSameAnswersAs: []) == nil)
  }
}
