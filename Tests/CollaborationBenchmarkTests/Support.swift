import CollaborationBenchmark
import PlaybookSpec
import ProgrammeEngine
import Testing

/// Surveys built in code and answers written out row by row, so that each test's
/// arithmetic can be followed by hand.
enum Sample {
  static let here = PlaybookSpec.SourceLocation(file: "t.yaml", line: 1, column: 1)

  static func groups(_ ids: [String]) -> [Survey.Group] {
    ids.map { Survey.Group(id: $0, title: $0.capitalized, location: here) }
  }

  /// A survey with dimensions given as id -> statement ids, rated 1-5 unless told.
  static func survey(
    teams: [String] = ["sales", "marketing"], levels: [String] = ["manager", "individual"],
    dimensions: [(String, [String])], scale: Survey.Scale = .init(), anonymity: Int = 3
  ) -> Survey {
    Survey(
      scale: scale, anonymity: anonymity, teams: groups(teams), levels: groups(levels),
      dimensions: dimensions.map { id, statements in
        Survey.Dimension(
          id: id, title: id.capitalized,
          statements: statements.map { Survey.Statement(id: $0, text: "Statement \($0)", location: here) },
          location: here)
      },
      location: here)
  }

  /// One response; `answers` in statement order, nil for a blank.
  static func response(_ id: String, _ team: String, _ level: String, _ answers: [String: Int?])
    -> SurveyResponse
  {
    SurveyResponse(
      respondent: id, team: team, level: level, answers: answers.compactMapValues { $0 })
  }
}

/// Index values are sums of fractions; compare them to hand-worked fractions closely.
func close(_ value: Double?, _ expected: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
  guard let value else {
    Issue.record("expected \(expected), got nothing", sourceLocation: sourceLocation)
    return
  }
  #expect(abs(value - expected) < 1e-9, "\(value) is not \(expected)", sourceLocation: sourceLocation)
}
