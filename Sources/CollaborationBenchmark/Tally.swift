import PlaybookSpec
import ProgrammeEngine

/// Sums of scores per group, per statement and per dimension, kept as whole numbers so
/// that every index is computed from exact totals, once.
struct Tally {
  /// A running total of scores and how many there are.
  struct Sum: Sendable, Hashable {
    var total = 0
    var count = 0

    mutating func add(_ score: Int) {
      total += score
      count += 1
    }
  }

  /// Per group, statement id -> sum of its answers.
  private(set) var statements: [RespondentGroup: [String: Sum]] = [:]
  /// Per group, dimension id -> sum of the answers to its statements.
  private(set) var dimensions: [RespondentGroup: [String: Sum]] = [:]
  /// Per group, dimension id -> respondents who answered at least one of its statements.
  private(set) var dimensionRespondents: [RespondentGroup: [String: Int]] = [:]
  /// Per group, respondents who answered at least one statement. Someone who answered
  /// nothing says nothing, and must not make a small group look big enough to show.
  private(set) var respondents: [RespondentGroup: Int] = [:]

  init(survey: Survey, responses: [SurveyResponse]) {
    var dimensionOf: [String: String] = [:]
    for dimension in survey.dimensions {
      for statement in dimension.statements { dimensionOf[statement.id] = dimension.id }
    }
    for response in responses {
      // Scores off the scale or for unknown statements cannot be in a checked record;
      // skipping them keeps the arithmetic honest if one ever is.
      let answers = response.answers.filter { dimensionOf[$0.key] != nil && survey.scale.contains($0.value) }
      guard !answers.isEmpty else { continue }
      let answered = Set(answers.keys.compactMap { dimensionOf[$0] })
      for group in RespondentGroup.all(team: response.team, level: response.level) {
        respondents[group, default: 0] += 1
        for dimension in answered { dimensionRespondents[group, default: [:]][dimension, default: 0] += 1 }
        for (statement, score) in answers {
          statements[group, default: [:]][statement, default: Sum()].add(score)
          dimensions[group, default: [:]][dimensionOf[statement]!, default: Sum()].add(score)
        }
      }
    }
  }
}

extension Survey.Scale {
  /// The mean of `sum` placed on 0-100: the scale's minimum is 0, its maximum 100.
  func index(_ sum: Tally.Sum) -> Double? {
    guard sum.count > 0 else { return nil }
    let mean = Double(sum.total) / Double(sum.count)
    return (mean - Double(minimum)) / Double(maximum - minimum) * 100
  }
}
