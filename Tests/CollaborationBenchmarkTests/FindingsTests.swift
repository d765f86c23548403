import CollaborationBenchmark
import PlaybookSpec
import ProgrammeEngine
import Testing

/// The weakest dimensions, the low-hanging fruit, other scales, and rounds compared.
@Suite struct FindingsTests {
  /// Three people of one team and level giving the scores listed per statement.
  static func trio(_ scores: [String: [Int]]) -> [SurveyResponse] {
    (0..<3).map { person in
      SurveyResponse(
        respondent: "r\(person)", team: "sales", level: "manager",
        answers: scores.mapValues { $0[person] })
    }
  }

  @Test func lowHangingFruitIsAWeakStatementInAHealthyDimension() throws {
    let survey = Sample.survey(
      levels: ["manager"], dimensions: [("C", ["c1", "c2", "c3"]), ("D", ["d1", "d2"])])
    let benchmark = Benchmark(
      survey: survey,
      responses: Self.trio([
        "c1": [5, 5, 5], "c2": [5, 5, 4], "c3": [2, 3, 3], "d1": [1, 1, 1], "d2": [3, 4, 3],
      ]))
    // C: 15 + 14 + 8 = 37 over 9: (37/9 - 1) / 4 x 100 = 700/9 = 77.78, healthy (>= 60).
    // c3: 8 over 3: (8/3 - 1) / 4 x 100 = 125/3 = 41.67, short by 700/9 - 375/9 = 325/9 = 36.11.
    // D: 3 + 10 = 13 over 6: (13/6 - 1) / 4 x 100 = 175/6 = 29.17, not healthy; d1 (0) is
    // further below it than 15 points but is no quick win.
    let fruit = try #require(benchmark.lowHangingFruit.first)
    #expect(benchmark.lowHangingFruit.count == 1)
    #expect(fruit.statement == "c3")
    #expect(fruit.dimension == "C")
    close(fruit.index, 125.0 / 3)
    close(fruit.dimensionIndex, 700.0 / 9)
    close(fruit.shortfall, 325.0 / 9)
    #expect(benchmark.weakest == ["D"])
  }

  @Test func fruitCountsFromExactlySixtyAndFifteenPoints() {
    // On a 0-100 scale a score is its own index. X: (195 + 210 + 135) / 9 = 60 exactly;
    // x3 is 45, exactly 15 below: both limits are inclusive.
    let survey = Sample.survey(
      levels: ["manager"], dimensions: [("X", ["x1", "x2", "x3"])], scale: .init(minimum: 0, maximum: 100))
    let benchmark = Benchmark(
      survey: survey, responses: Self.trio(["x1": [65, 65, 65], "x2": [70, 70, 70], "x3": [45, 45, 45]]))
    close(benchmark.dimensions[0].index, 60)
    #expect(benchmark.lowHangingFruit.map(\.statement) == ["x3"])
    // One point lower and X is no longer healthy.
    let lower = Benchmark(
      survey: survey, responses: Self.trio(["x1": [64, 64, 64], "x2": [70, 70, 70], "x3": [45, 45, 45]]))
    #expect(lower.lowHangingFruit.isEmpty)
  }

  @Test func atMostThreeWeakestDimensionsTiesInSurveyOrder() {
    let ids = (1...7).map { "d\($0)" }
    let survey = Sample.survey(levels: ["manager"], dimensions: ids.map { ($0, ["\($0)-s"]) })
    // Indexes: d1 100, d2 0, d3 75, d4 25, d5 25, d6 50, d7 0.
    let scores = [5, 1, 4, 2, 2, 3, 1]
    var answers: [String: [Int]] = [:]
    for (id, score) in zip(ids, scores) { answers["\(id)-s"] = [score, score, score] }
    let benchmark = Benchmark(survey: survey, responses: Self.trio(answers))
    #expect(benchmark.weakest == ["d2", "d7", "d4"])
  }

  @Test func aZeroToTenScaleRunsZeroToOneHundred() {
    let survey = Sample.survey(levels: ["manager"], dimensions: [("A", ["a1"])], scale: .init(minimum: 0, maximum: 10))
    // 7, 8, 9: mean 8 of 10: 80.
    let benchmark = Benchmark(survey: survey, responses: Self.trio(["a1": [7, 8, 9]]))
    close(benchmark.index, 80)
  }

  @Test func aLaterRoundIsComparedWithTheFirst() throws {
    // The first round is BenchmarkTests' (A 825/14, B 750/13); in the second the same
    // seven people answer 4 to everything: A = B = 75.
    let later = BenchmarkTests.responses.map {
      SurveyResponse(
        respondent: $0.respondent, team: $0.team, level: $0.level,
        answers: ["a1": 4, "a2": 4, "b1": 4, "b2": 4])
    }
    let comparison = RoundComparison(
      baseline: BenchmarkTests.benchmark, current: Benchmark(survey: BenchmarkTests.survey, responses: later))
    // A: 75 - 825/14 = 225/14 = 16.07; B: 75 - 750/13 = 225/13 = 17.31.
    close(comparison.dimensions["A"]?.change, 225.0 / 14)
    close(comparison.dimensions["B"]?.change, 225.0 / 13)
    let index = try #require(comparison.index)
    close(index.before, 21225.0 / 364)
    close(index.after, 75)
    close(index.change, 75 - 21225.0 / 364)
  }

  @Test func onlyWhatBothRoundsShowIsCompared() {
    let survey = BenchmarkTests.survey
    let small = Benchmark(survey: survey, responses: Array(BenchmarkTests.responses.prefix(2)))
    let comparison = RoundComparison(baseline: BenchmarkTests.benchmark, current: small)
    #expect(comparison.index == nil)
    #expect(comparison.dimensions.isEmpty)
  }
}
