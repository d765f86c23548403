import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// A survey round answered on the web: opened (an event, and a box with the hashes of its
/// codes), answered into the box, and closed (the box's answers, shuffled and numbered, as
/// the round's responses in one event; the box emptied). One way for the CLI and the
/// server alike, so that the rule for what is kept lives once.
package enum SurveyWeb {
  /// A round just opened, and the codes its links carry (shown once, kept only as hashes).
  package struct Opened {
    package var round: String
    package var codes: [String]
    package var shared: Bool
    package var before: Programme
    package var after: Programme
  }

  /// The most links one round makes: more people than any client surveys.
  package static let maximumCodes = 10_000

  /// What is wrong with an opening's options, as the option's name and the rest of a
  /// sentence about it (`codes`, ` must be a whole number from 1 to 10000`); nil when
  /// nothing is. Checked before a box is made: the command line's options and the API's
  /// fields alike.
  package static func problem(round: String?, codes: Int?, closes: String?, now: Date = Date())
    -> (option: String, problem: String)?
  {
    if let round, let problem = Identifier.problem(with: round) { return ("round", ": \(problem)") }
    if let codes, !(1...maximumCodes).contains(codes) {
      return ("codes", " must be a whole number from 1 to \(maximumCodes)")
    }
    if let closes {
      guard let end = CalendarDay.end(of: closes) else { return ("closes", " '\(closes)' is not a day as YYYY-MM-DD") }
      guard end > now else { return ("closes", " \(closes) has passed already") }
    }
    return nil
  }

  /// Opens `round` (or the next `round-N`) for answers: `codes` single-use codes, or one
  /// shared code when nil; `closes` the last day answers are taken. The box is made first,
  /// so that a round is never open without one; a refused opening takes away the box it
  /// made, and only that one (a name whose box exists is refused before anything is made).
  /// `via` is the server's door the opening came through (nil on the command line).
  package static func open(
    _ id: ClientID, round: String?, codes count: Int?, closes: String?, by person: String, note: String?,
    via: Via? = nil, on desk: Desk
  ) throws -> Opened {
    let programme = try desk.programme(id)
    guard programme.playbook.survey != nil else { throw Refusal.noSurvey }
    let name = round ?? nextRoundName(after: programme)
    let codes = (0..<(count ?? 1)).map { _ in SurveyAnswer.newCode() }
    let box = SurveyBoxKey(client: id.rawValue, round: name)
    let made = try desk.inSurveyBox {
      try await $0.openBox(box, codes: codes.map(SurveyAnswer.hash(ofCode:)), shared: count == nil)
    }
    guard made else { throw Refusal.roundExists(name) }
    do {
      let (before, after) = try desk.apply(
        .surveyOpened(round: name, codes: count.map(String.init), closes: closes), to: id, by: person, note: note,
        via: via)
      return Opened(round: name, codes: codes, shared: count == nil, before: before, after: after)
    } catch {
      try? desk.inSurveyBox { try await $0.remove(box) }
      throw error
    }
  }

  /// `round-N` for the first N not taken by a round imported or open.
  package static func nextRoundName(after programme: Programme) -> String {
    let taken = Set(programme.surveyRounds.map(\.name) + programme.openSurveyRounds.map(\.name))
    var number = programme.surveyRounds.count + programme.openSurveyRounds.count + 1
    while taken.contains("round-\(number)") { number += 1 }
    return "round-\(number)"
  }

  /// Closes the open `round`: seals its box (no answer is taken after), records its answers
  /// as the round's responses, then empties the box. A round closed meanwhile by someone
  /// else is not closed twice: its box is emptied, and the refusal passed on.
  /// `via` as for `open`.
  package static func close(
    _ id: ClientID, round: String, by person: String, note: String?, via: Via? = nil, on desk: Desk
  ) throws -> (before: Programme, after: Programme) {
    // Decided first with no answers, so that a closing the engine refuses (someone who may
    // not, a round not open) leaves the box taking answers.
    var trial = try desk.programme(id)
    try Desk.record(.surveyClosed(round: round, responses: []), by: person, at: Date(), note: note, via: via, in: &trial)
    let box = SurveyBoxKey(client: id.rawValue, round: round)
    let answers = try desk.inSurveyBox { try await $0.seal(box) }
    let responses = SurveyAnswer.responses(from: answers)
    let result = try desk.apply(
      .surveyClosed(round: round, responses: responses), to: id, by: person, note: note, via: via)
    try desk.inSurveyBox { try await $0.remove(box) }
    return result
  }

  /// Closes every round of the client whose closing day has passed at `now`, as the person
  /// who opened it (or, when they no longer may, the consultant), with a note saying so.
  /// Answers the rounds closed.
  @discardableResult
  package static func closeDue(_ id: ClientID, at now: Date = Date(), on desk: Desk) throws -> [String] {
    let programme = try desk.programme(id)
    var closed: [String] = []
    for round in programme.openSurveyRounds where round.isPastClosing(at: now) {
      let note = closedByItself(round)
      do {
        _ = try close(id, round: round.name, by: closer(of: round, in: programme), note: note, on: desk)
        closed.append(round.name)
      } catch Refusal.roundNotOpen {
        // Closed meanwhile, by someone else.
      }
    }
    return closed
  }

  /// The note of a round closed by itself.
  package static func closedByItself(_ round: OpenSurveyRound) -> String {
    "closed by itself: its last day, \(round.closes ?? ""), has passed"
  }

  /// Who closes a round by itself: its opener, while they hold the consultant's or czar's
  /// role; else whoever holds the consultant's.
  package static func closer(of round: OpenSurveyRound, in programme: Programme) -> String {
    let runners = [consultantRole, czarRole].compactMap { programme.assignments[$0] }
    return runners.contains(round.by) ? round.by : (programme.assignments[consultantRole] ?? round.by)
  }

  /// How many answers each open round holds: all that is shown of it while it is open.
  package static func counts(_ id: ClientID, of programme: Programme, on desk: Desk) throws -> [String: Int] {
    var counts: [String: Int] = [:]
    for round in programme.openSurveyRounds {
      let box = SurveyBoxKey(client: id.rawValue, round: round.name)
      counts[round.name] = try desk.inSurveyBox { try await $0.answerCount(box) }
    }
    return counts
  }
}
