import Foundation
import PlaybookSpec

/// A survey round open for answers on the web (`accord survey open`): who opened it and
/// when, how many single-use links were made (nil for one shared link), and the day it
/// closes by itself. What it does not hold is the point: no answer, no respondent, no
/// count. The answers wait in the store's survey box until the round closes, and then
/// become the round's responses (`Change.surveyClosed`).
public struct OpenSurveyRound: Sendable, Hashable {
  /// The round's name, an id such as `round-2`.
  public var name: String
  /// Who opened it.
  public var by: String
  public var at: Date
  /// How many single-use links were made; nil for one shared link.
  public var codes: Int?
  /// The last day answers are taken (`YYYY-MM-DD`, UTC); nil when only `survey close` closes it.
  public var closes: String?

  public init(name: String, by: String, at: Date, codes: Int? = nil, closes: String? = nil) {
    self.name = name
    self.by = by
    self.at = at
    self.codes = codes
    self.closes = closes
  }

  /// The moment it closes by itself: the end of its closing day, UTC (as a delegation ends).
  public var closesAt: Date? { closes.flatMap(CalendarDay.end(of:)) }

  /// Whether its closing day has passed at `time`: it takes no more answers, and the next
  /// reader closes it.
  public func isPastClosing(at time: Date) -> Bool {
    guard let closesAt else { return false }
    return time >= closesAt
  }
}

extension Programme {
  /// The rounds open for answers, oldest first.
  public var openSurveyRounds: [OpenSurveyRound] {
    openRounds
  }

  /// The open round named `name`, if it is open.
  public func openRound(_ name: String) -> OpenSurveyRound? {
    openRounds.first { $0.name == name }
  }

  /// A round is opened or closed on the web by whoever may import one (the consultant, the
  /// czar). Its name is taken as an imported round's is.
  func checkOpening(round: String, codes: String?, closes: String?, by person: String, at time: Date)
    throws(Refusal) -> String?
  {
    guard playbook.survey != nil else { throw .noSurvey }
    let holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .runSurvey(round: round), at: time)
    if let problem = Identifier.problem(with: round) { throw .invalidRoundName(round, problem: problem) }
    guard !surveyRounds.contains(where: { $0.name == round }), openRound(round) == nil else {
      throw .roundExists(round)
    }
    if let codes, Int(codes).map({ $0 < 1 }) ?? true {
      throw .invalidResponse(round: round, problem: "the number of links '\(codes)' is not a whole number from 1")
    }
    if let closes, CalendarDay.end(of: closes) == nil { throw .invalidDate(closes) }
    return holder
  }

  /// Closing needs the round open, and answers the survey takes (any number, none included:
  /// a round nobody answered is closed all the same, and measures nothing).
  func checkClosing(round: String, responses: [SurveyResponse], by person: String, at time: Date)
    throws(Refusal) -> String?
  {
    guard let survey = playbook.survey else { throw .noSurvey }
    let holder = try require(person, holdsOneOf: [consultantRole, czarRole], to: .runSurvey(round: round), at: time)
    guard openRound(round) != nil else { throw .roundNotOpen(round) }
    try checkResponses(responses, of: round, to: survey)
    return holder
  }
}
