import CollaborationBenchmark
import PlaybookSpec
import ProgrammeEngine
import Testing

/// No group of fewer than the threshold is shown, and none can be worked out from what is.
@Suite struct AnonymityTests {
  static func people(_ count: Int, _ team: String, _ level: String, score: Int = 3) -> [SurveyResponse] {
    (1...count).map { Sample.response("\(team)-\(level)-\($0)", team, level, ["a1": score]) }
  }

  @Test func aSmallTeamHidesTheNextSmallestSoNeitherCanBeSubtracted() {
    // sales 5, marketing 2, leadership 4, one level. Marketing is under 3: hidden. With
    // everyone and sales shown, marketing would be everyone minus sales minus leadership,
    // so leadership (the smallest shown team) is hidden too: together they are 6.
    let survey = Sample.survey(
      teams: ["sales", "marketing", "leadership"], levels: ["all"], dimensions: [("A", ["a1"])])
    let benchmark = Benchmark(
      survey: survey,
      responses: Self.people(5, "sales", "all") + Self.people(2, "marketing", "all")
        + Self.people(4, "leadership", "all"))
    #expect(benchmark.groups.map(\.group) == [
      .team("sales"), .level("all"), .teamLevel(team: "sales", level: "all"),
    ])
    #expect(benchmark.hiddenGroups == [
      .team("marketing"), .team("leadership"),
      .teamLevel(team: "marketing", level: "all"), .teamLevel(team: "leadership", level: "all"),
    ])
    // Hidden teams still count in everyone: 11 people.
    #expect(benchmark.respondents == 11)
    #expect(benchmark.gaps.isEmpty)
  }

  @Test func fewerRespondentsThanTheThresholdShowNothing() {
    let survey = Sample.survey(dimensions: [("A", ["a1"])])
    // Two people answered; a third left every statement blank and does not count.
    let responses = Self.people(2, "sales", "manager") + [Sample.response("x", "sales", "manager", [:])]
    let benchmark = Benchmark(survey: survey, responses: responses)
    #expect(benchmark.respondents == 2)
    #expect(!benchmark.isShown)
    #expect(benchmark.index == nil)
    #expect(benchmark.dimensions.allSatisfy { $0.index == nil && $0.statements.allSatisfy { $0.index == nil } })
    #expect(benchmark.groups.isEmpty)
    #expect(benchmark.weakest.isEmpty)
  }

  @Test func aDimensionFewAnsweredIsLeftOutOfEveryIndex() throws {
    // Four salespeople answer A (scores 1, 2, 3, 4); only two of them answer B.
    let survey = Sample.survey(levels: ["manager"], dimensions: [("A", ["a1"]), ("B", ["b1"])])
    let responses = [
      Sample.response("r1", "sales", "manager", ["a1": 1, "b1": 5]),
      Sample.response("r2", "sales", "manager", ["a1": 2, "b1": 5]),
      Sample.response("r3", "sales", "manager", ["a1": 3]),
      Sample.response("r4", "sales", "manager", ["a1": 4]),
    ]
    let benchmark = Benchmark(survey: survey, responses: responses)
    // A: 10 over 4 = 2.5: (2.5 - 1) / 4 x 100 = 37.5. B: two answerers, under 3: hidden.
    close(benchmark.dimensions[0].index, 37.5)
    #expect(benchmark.dimensions[1].index == nil)
    #expect(benchmark.dimensions[1].statements[0].index == nil)
    // The overall index is A alone: had B (100) counted, (37.5 + 100) / 2 would give it away.
    close(benchmark.index, 37.5)
    let sales = try #require(benchmark.groups.first { $0.group == .team("sales") })
    #expect(sales.dimensions.keys.sorted() == ["A"])
    close(sales.index, 37.5)
  }

  @Test func theThresholdComesFromThePlaybook() {
    let survey = Sample.survey(levels: ["manager"], dimensions: [("A", ["a1"])], anonymity: 5)
    let benchmark = Benchmark(survey: survey, responses: Self.people(4, "sales", "manager"))
    #expect(benchmark.threshold == 5)
    #expect(!benchmark.isShown)
    let shown = Benchmark(survey: survey, responses: Self.people(5, "sales", "manager"))
    close(shown.index, 50)
  }
}
