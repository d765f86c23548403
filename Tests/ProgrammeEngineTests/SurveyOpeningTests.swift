import Foundation
import PlaybookSpec
import Testing
@testable import ProgrammeEngine

@Suite("Programme: a survey round opened on the web, and closed")
struct SurveyOpeningTests {
  static func opened(_ round: String = "web-1", codes: String? = "20", closes: String? = nil) throws -> Programme {
    var programme = try SurveySample.started()
    try programme.apply(Sample.event(.surveyOpened(round: round, codes: codes, closes: closes), by: "carol"))
    return programme
  }

  @Test func anOpenRoundHoldsNoAnswersAndCountsForNothingUntilClosed() throws {
    var programme = try Self.opened(closes: "2026-12-31")
    #expect(programme.openRound("web-1") == OpenSurveyRound(name: "web-1", by: "carol", at: Sample.t0, codes: 20, closes: "2026-12-31"))
    #expect(programme.surveyRounds.isEmpty)
    #expect(programme.countedRounds.isEmpty)
    try programme.apply(Sample.event(.surveyClosed(round: "web-1", responses: SurveySample.round), by: "alice", minute: 2))
    #expect(programme.openSurveyRounds.isEmpty)
    #expect(programme.countedRounds.map(\.name) == ["web-1"])
    #expect(programme.countedRounds.first?.responses == SurveySample.round)
  }

  @Test func aRoundClosedOnTheWebIsTheSameRoundAsOneImported() throws {
    var web = try Self.opened("round-1")
    try web.apply(Sample.event(.surveyClosed(round: "round-1", responses: SurveySample.round), by: "alice", minute: 2))
    var imported = try SurveySample.started()
    try imported.apply(Sample.event(.surveyImported(round: "round-1", responses: SurveySample.round), by: "alice", minute: 2))
    #expect(web.countedRounds.map(\.responses) == imported.countedRounds.map(\.responses))
    #expect(web.countedRounds.map(\.name) == imported.countedRounds.map(\.name))
  }

  @Test(arguments: [
    // (change, by, refusal)
    (Change.surveyOpened(round: "web-1"), "alice", Refusal.roundExists("web-1")),
    (.surveyImported(round: "web-1", responses: SurveySample.round), "alice", .roundExists("web-1")),
    (.surveyOpened(round: "web-2"), "sam", .notAllowed(person: "sam", operation: .runSurvey(round: "web-2"), roles: ["consultant", "czar"])),
    (.surveyOpened(round: "web-2", codes: "0"), "alice", .invalidResponse(round: "web-2", problem: "the number of links '0' is not a whole number from 1")),
    (.surveyOpened(round: "web-2", closes: "2026-13-01"), "alice", .invalidDate("2026-13-01")),
    (.surveyClosed(round: "web-2", responses: []), "alice", .roundNotOpen("web-2")),
    (.surveyClosed(round: "web-1", responses: []), "sam", .notAllowed(person: "sam", operation: .runSurvey(round: "web-1"), roles: ["consultant", "czar"])),
    (.surveyClosed(round: "web-1", responses: [SurveySample.answer("w1", "legal")]), "alice", .invalidResponse(round: "web-1", problem: "respondent 'w1': unknown team 'legal'")),
  ] as [(Change, String, Refusal)])
  func refusals(change: Change, by person: String, refusal: Refusal) throws {
    var programme = try Self.opened()
    let before = programme
    #expect(throws: refusal) { try programme.apply(Sample.event(change, by: person, minute: 3)) }
    #expect(programme == before)
  }

  @Test func aRoundClosesOnceAndNobodyAnsweredIsAnEmptyRound() throws {
    var programme = try Self.opened()
    try programme.apply(Sample.event(.surveyClosed(round: "web-1", responses: []), by: "carol", minute: 2))
    #expect(programme.surveyRounds.map(\.responses.count) == [0])
    #expect(throws: Refusal.roundNotOpen("web-1")) {
      try programme.apply(Sample.event(.surveyClosed(round: "web-1", responses: []), by: "carol", minute: 3))
    }
  }

  @Test func itClosesByItselfAtTheEndOfItsLastDayUTC() throws {
    let round = OpenSurveyRound(name: "r", by: "a", at: Date(), closes: "2026-12-07")
    #expect(!round.isPastClosing(at: Timestamp.parse("2026-12-07T23:59:59Z")!))
    #expect(round.isPastClosing(at: Timestamp.parse("2026-12-08T00:00:00Z")!))
    #expect(!OpenSurveyRound(name: "r", by: "a", at: Date()).isPastClosing(at: .distantFuture))
  }

  @Test func theEventsRoundTripInTheRecordFormat() throws {
    for change in [
      Change.surveyOpened(round: "web-1", codes: "20", closes: "2026-12-31"), .surveyOpened(round: "web-2"),
      .surveyClosed(round: "web-1", responses: SurveySample.round),
    ] {
      let event = Sample.event(change, by: "alice")
      let data = try JSONEncoder().encode(event)
      #expect(try JSONDecoder().decode(Event.self, from: data) == event)
      let text = String(decoding: data, as: UTF8.self)
      if case .surveyOpened(_, nil, nil) = change {
        #expect(!text.contains("codes") && !text.contains("closes"))
      }
    }
  }
}
