import Foundation
import ProgrammeEngine

/// Where a survey round's answers wait while it is open on the web, outside the client's
/// append-only history, in whichever store keeps the clients: the folder's `.accord-survey`
/// (see `FolderStore`), or the database's `survey_boxes` and `survey_codes` tables. A sibling
/// of `ClientStore`, as `OutboxStore` is.
///
/// What it promises, whatever runs at once (two servers, a server and `survey close`):
/// - it keeps the SHA-256 of each code, never a code;
/// - a single-use code's hash goes in the one write that keeps its answer, so a code
///   answers once, and never answers after its round is sealed;
/// - an answer is kept with no time, no code, no address, at a random place among the
///   round's answers, so neither the box nor the order of its answers tells who answered
///   or when;
/// - `seal` stops a round taking answers and gives them all, as often as it is asked, until
///   `remove` (after the round's closing is in the history) empties it.
public protocol SurveyBoxStore: Sendable {
  /// Opens a box for the client's round, taking answers by the codes whose hashes are
  /// `codes`: once each, or, when `shared`, any number of times by its one code. Answers
  /// false, and changes nothing, when the round has a box already (another opening of the
  /// same name got there first).
  func openBox(_ box: SurveyBoxKey, codes: [String], shared: Bool) async throws(StoreFailure) -> Bool

  /// The open box that takes answers by the code whose hash is `code`; nil when none does
  /// (a code used, a round sealed, a code that never was).
  func box(forCode code: String) async throws(StoreFailure) -> SurveyBoxKey?

  /// Keeps `answer` by the code whose hash is `code`, taking a single-use code's hash in the
  /// same write; nil, and nothing kept, when no open box takes the code.
  func submit(_ answer: SurveyAnswer, code: String) async throws(StoreFailure) -> SurveyBoxKey?

  /// How many answers the box holds: all that is shown of a round while it is open.
  func answerCount(_ box: SurveyBoxKey) async throws(StoreFailure) -> Int

  /// Takes the box's codes, so it takes no more answers, and gives its answers (none for a
  /// box that was never opened).
  func seal(_ box: SurveyBoxKey) async throws(StoreFailure) -> [SurveyAnswer]

  /// Empties the box and forgets it.
  func remove(_ box: SurveyBoxKey) async throws(StoreFailure)
}

/// Which client's round a box holds.
public struct SurveyBoxKey: Sendable, Hashable, Codable {
  public var client: String
  public var round: String

  public init(client: String, round: String) {
    self.client = client
    self.round = round
  }
}

/// One person's answer, as the box keeps it: their team and level and a score for each
/// statement answered. Nothing else: no respondent id (one is given at closing, in an order
/// that is not the order of arrival), no time, no code.
public struct SurveyAnswer: Sendable, Hashable, Codable {
  public var team: String
  public var level: String
  public var answers: [String: Int]

  public init(team: String, level: String, answers: [String: Int]) {
    self.team = team
    self.level = level
    self.answers = answers
  }

  /// The SHA-256 of a code, as a box keeps it.
  public static func hash(ofCode code: String) -> String {
    SHA256.hex(Array(code.utf8))
  }

  /// The responses a closed round records: the answers shuffled, then numbered `w01`,
  /// `w02`... in that order, so that neither the ids nor the order tell which came first.
  public static func responses(from answers: [SurveyAnswer]) -> [SurveyResponse] {
    let width = max(2, String(answers.count).count)
    return answers.shuffled().enumerated().map { number, answer in
      let digits = String(number + 1)
      let id = "w" + String(repeating: "0", count: width - digits.count) + digits
      return SurveyResponse(respondent: id, team: answer.team, level: answer.level, answers: answer.answers)
    }
  }

  /// A new code: 120 random bits as 24 lowercase letters and digits (no 0, 1, l, o, to be
  /// read off paper), far past guessing.
  public static func newCode() -> String {
    let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
  }
}
