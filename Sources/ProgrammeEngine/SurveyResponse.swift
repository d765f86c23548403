import PlaybookSpec

/// One person's answers to a playbook's survey: who (a pseudonymous respondent id, never
/// a name), which team and level they belong to, and a score for each statement they
/// answered. A statement left blank is simply absent.
///
/// A client's answers, so the engine keeps them, not the playbook: the playbook's `Survey`
/// decides what a valid answer is, and the engine checks every stored response against it
/// when a client's history is replayed.
public struct SurveyResponse: Sendable, Hashable, Codable {
  /// The respondent's id, unique within a round, such as `r17`.
  public var respondent: String
  /// A team id of the survey.
  public var team: String
  /// A level id of the survey.
  public var level: String
  /// Statement id to score, for the statements answered.
  public var answers: [String: Int]

  public init(respondent: String, team: String, level: String, answers: [String: Int]) {
    self.respondent = respondent
    self.team = team
    self.level = level
    self.answers = answers
  }
}

extension Survey {
  /// Why `response` cannot be an answer to this survey, or nil when it can. The CSV
  /// import reports the same problems with rows and columns before anything is stored;
  /// this is the backstop for a record edited by hand.
  public func problem(with response: SurveyResponse) -> String? {
    problem(with: response, statementIDs: Set(statements.map(\.id)))
  }

  /// The same, with the survey's statement ids given, for checking a whole round at once.
  public func problem(with response: SurveyResponse, statementIDs known: Set<String>) -> String? {
    if response.respondent.allSatisfy(\.isWhitespace) {
      return "a respondent id must not be blank"
    }
    if !teams.contains(where: { $0.id == response.team }) {
      return "respondent \(response.respondent.quoted): unknown team \(response.team.quoted)"
    }
    if !levels.contains(where: { $0.id == response.level }) {
      return "respondent \(response.respondent.quoted): unknown level \(response.level.quoted)"
    }
    // Every stored round is checked on every read: look for a problem in id order (so the
    // one reported is always the same) only once there is one.
    if response.answers.allSatisfy({ known.contains($0.key) && scale.contains($0.value) }) {
      return nil
    }
    for (statement, score) in response.answers.sorted(by: { $0.key < $1.key }) {
      guard known.contains(statement) else {
        return "respondent \(response.respondent.quoted): unknown statement \(statement.quoted)"
      }
      guard scale.contains(score) else {
        return "respondent \(response.respondent.quoted): score \(score) for \(statement.quoted) "
          + "is outside the scale \(scale.minimum)-\(scale.maximum)"
      }
    }
    return nil
  }
}
