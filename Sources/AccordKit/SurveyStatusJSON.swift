import Foundation
import ProgrammeEngine

/// `survey status --json` and `GET /api/v1/clients/{client}/survey/status`: a client's
/// rounds, closed ones (imported or answered on the web) first, then the open ones with only
/// their number of answers, and the rounds closed by this reading because their last day
/// had passed.
package struct SurveyStatusJSON: Codable, Sendable {
  package struct Round: Codable, Sendable {
    package var round: String
    /// `closed`, `withdrawn` or `open`.
    package var state: String
    package var answers: Int
    /// Of an open round: how many single-use links were made (nil: one shared link), its
    /// last day, and who opened it when.
    package var links: Int?
    package var closes: String?
    package var openedBy: String?
    package var openedAt: String?
  }

  package var client: String
  package var rounds: [Round]
  package var closedNow: [String]

  /// The rounds of `programme`, each open one with its count from `counts` (by round name).
  package init(_ programme: Programme, counts: [String: Int], closedNow: [String]) {
    client = programme.client
    let done = programme.surveyRounds.map { round in
      Round(
        round: round.name, state: round.withdrawn == nil ? "closed" : "withdrawn", answers: round.responses.count)
    }
    let open = programme.openSurveyRounds.map { round in
      Round(
        round: round.name, state: "open", answers: counts[round.name] ?? 0, links: round.codes,
        closes: round.closes, openedBy: round.by, openedAt: Timestamp.format(round.at))
    }
    rounds = done + open
    self.closedNow = closedNow
  }
}
