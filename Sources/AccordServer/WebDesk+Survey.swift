import AccordKit
import Foundation
import ProgrammeEngine
import WorkspaceStore

extension WebDesk {
  /// Closes the client's rounds whose last day has passed at `now`, as `SurveyWeb.closeDue`
  /// does for the commands: each box sealed, its answers recorded as the round's responses
  /// by the round's opener (or the consultant) with a note saying it closed by itself, made
  /// through the server (`via web`), and the box emptied. Answers the programme after.
  func closeDueSurveys(_ id: ClientID, _ programme: Programme, now: Date = Date()) async throws -> Programme {
    guard let box = surveyBox else { return programme }
    var programme = programme
    for round in programme.openSurveyRounds where round.isPastClosing(at: now) {
      let key = SurveyBoxKey(client: id.rawValue, round: round.name)
      let responses = SurveyAnswer.responses(from: try await box.seal(key))
      let closer = Viewer(
        person: SurveyWeb.closer(of: round, in: programme), scope: .clients([id.rawValue]),
        credential: .token(id: "survey-closing"))
      do {
        programme = try await apply(to: id.rawValue, as: closer, via: .web, note: SurveyWeb.closedByItself(round)) { _ in
          .surveyClosed(round: round.name, responses: responses)
        }.after
      } catch Refusal.roundNotOpen {
        // Closed meanwhile, by someone else: only the box is left to empty.
      }
      try await box.remove(key)
    }
    return programme
  }

  /// The client's survey rounds as `survey status --json` gives them, its rounds past their
  /// last day closed first: the closed ones, then each open one with its number of answers
  /// only.
  func surveyStatus(_ id: ClientID, _ programme: Programme) async throws -> SurveyStatusJSON {
    let after = try await closeDueSurveys(id, programme)
    let open = Set(after.openSurveyRounds.map(\.name))
    let closedNow = programme.openSurveyRounds.map(\.name).filter { !open.contains($0) }
    var counts: [String: Int] = [:]
    if let box = surveyBox {
      for round in after.openSurveyRounds {
        counts[round.name] = try await box.answerCount(SurveyBoxKey(client: id.rawValue, round: round.name))
      }
    }
    return SurveyStatusJSON(after, counts: counts, closedNow: closedNow)
  }
}
