import CollaborationBenchmark
import PlaybookSpec
import Testing

/// One round worked out by hand. Scale 1-5, so a score s has index (s - 1) / 4 x 100:
/// 1 -> 0, 2 -> 25, 3 -> 50, 4 -> 75, 5 -> 100. Dimension A has statements a1, a2;
/// dimension B has b1, b2. Threshold 3.
///
///     respondent  team       level       a1 a2 b1 b2
///     s1          sales      manager      4  5  2  3
///     s2          sales      manager      3  4  1  -
///     s3          sales      manager      5  5  2  2
///     s4          sales      individual   4  3  3  4
///     m1          marketing  individual   2  3  4  5
///     m2          marketing  individual   3  2  5  4
///     m3          marketing  individual   2  2  4  4
@Suite struct BenchmarkTests {
  static let survey = Sample.survey(dimensions: [("A", ["a1", "a2"]), ("B", ["b1", "b2"])])
  static let responses = [
    Sample.response("s1", "sales", "manager", ["a1": 4, "a2": 5, "b1": 2, "b2": 3]),
    Sample.response("s2", "sales", "manager", ["a1": 3, "a2": 4, "b1": 1, "b2": nil]),
    Sample.response("s3", "sales", "manager", ["a1": 5, "a2": 5, "b1": 2, "b2": 2]),
    Sample.response("s4", "sales", "individual", ["a1": 4, "a2": 3, "b1": 3, "b2": 4]),
    Sample.response("m1", "marketing", "individual", ["a1": 2, "a2": 3, "b1": 4, "b2": 5]),
    Sample.response("m2", "marketing", "individual", ["a1": 3, "a2": 2, "b1": 5, "b2": 4]),
    Sample.response("m3", "marketing", "individual", ["a1": 2, "a2": 2, "b1": 4, "b2": 4]),
  ]
  static let benchmark = Benchmark(survey: survey, responses: responses)

  @Test func dimensionAndOverallIndexes() {
    let result = Self.benchmark
    #expect(result.respondents == 7)
    // A: 4+5 + 3+4 + 5+5 + 4+3 + 2+3 + 3+2 + 2+2 = 47 over 14 answers; mean 47/14.
    //    (47/14 - 1) / 4 x 100 = 33/56 x 100 = 825/14 = 58.93
    close(result.dimensions[0].index, 825.0 / 14)
    // B: 2+3 + 1 + 2+2 + 3+4 + 4+5 + 5+4 + 4+4 = 43 over 13 answers (s2 left b2 blank).
    //    (43/13 - 1) / 4 x 100 = 30/52 x 100 = 750/13 = 57.69
    close(result.dimensions[1].index, 750.0 / 13)
    #expect(result.dimensions.map(\.respondents) == [7, 7])
    // Overall: the mean of the dimensions, (825/14 + 750/13) / 2 = 21225/364 = 58.31.
    close(result.index, 21225.0 / 364)
  }

  @Test func statementIndexes() {
    let statements = Self.benchmark.dimensions.flatMap(\.statements)
    // a1: 4+3+5+4+2+3+2 = 23 over 7: (23/7 - 1) / 4 x 100 = 400/7 = 57.14
    close(statements[0].index, 400.0 / 7)
    // a2: 5+4+5+3+3+2+2 = 24 over 7: (24/7 - 1) / 4 x 100 = 425/7 = 60.71
    close(statements[1].index, 425.0 / 7)
    // b1: 2+1+2+3+4+5+4 = 21 over 7, mean 3: 50
    close(statements[2].index, 50)
    // b2: 3+2+4+5+4+4 = 22 over 6: (22/6 - 1) / 4 x 100 = 200/3 = 66.67
    close(statements[3].index, 200.0 / 3)
    #expect(statements[3].respondents == 6)
  }

  @Test func teamsAndLevels() throws {
    let groups = Dictionary(uniqueKeysWithValues: Self.benchmark.groups.map { ($0.group, $0) })
    let sales = try #require(groups[.team("sales")])
    #expect(sales.respondents == 4)
    // Sales A: 9 + 7 + 10 + 7 = 33 over 8: (33/8 - 1) / 4 x 100 = 78.125
    close(sales.dimensions["A"], 78.125)
    // Sales B: 5 + 1 + 4 + 7 = 17 over 7: (17/7 - 1) / 4 x 100 = 250/7 = 35.71
    close(sales.dimensions["B"], 250.0 / 7)
    close(sales.index, (78.125 + 250.0 / 7) / 2)
    let marketing = try #require(groups[.team("marketing")])
    // Marketing A: 5 + 5 + 4 = 14 over 6: (14/6 - 1) / 4 x 100 = 100/3 = 33.33
    close(marketing.dimensions["A"], 100.0 / 3)
    // Marketing B: 9 + 9 + 8 = 26 over 6: (26/6 - 1) / 4 x 100 = 250/3 = 83.33
    close(marketing.dimensions["B"], 250.0 / 3)
    close(marketing.index, (100.0 / 3 + 250.0 / 3) / 2)
    // Managers (s1-s3) A: 26 over 6 -> 250/3 = 83.33; B: 10 over 5 -> mean 2 -> 25.
    let managers = try #require(groups[.level("manager")])
    close(managers.dimensions["A"], 250.0 / 3)
    close(managers.dimensions["B"], 25)
    // Individuals (s4, m1-m3) A: 21 over 8 -> 40.625; B: 33 over 8 -> 78.125.
    let individuals = try #require(groups[.level("individual")])
    close(individuals.dimensions["A"], 40.625)
    close(individuals.dimensions["B"], 78.125)
  }

  @Test func perceptionGapIsFirstTeamMinusSecond() throws {
    let gap = try #require(Self.benchmark.gaps.first)
    #expect(Self.benchmark.gaps.count == 1)
    #expect((gap.first, gap.second) == ("sales", "marketing"))
    // A: 78.125 - 33.33 = 44.79; B: 35.71 - 83.33 = -47.62.
    close(gap.dimensions["A"], 78.125 - 100.0 / 3)
    close(gap.dimensions["B"], 250.0 / 7 - 250.0 / 3)
  }

  @Test func bottlenecks() throws {
    // Two dimensions: at most half of them, rounded up, is one: B (57.69 < 58.93).
    #expect(Self.benchmark.weakest == ["B"])
    let distances = Self.benchmark.furthestApart
    #expect(distances.count == 2)
    // Levels: |83.33 - 40.625| = 42.71 and |25 - 78.125| = 53.125, mean 47.92.
    // Teams: 44.79 and 47.62, mean 46.21. Levels are further apart, so they come first.
    #expect(distances.map(\.first) == [.level("manager"), .team("sales")])
    close(distances[0].distance, (250.0 / 3 - 40.625 + 53.125) / 2)
    #expect(distances[0].widest == "B")
    close(distances[0].widestGap, -53.125)
    close(distances[1].distance, (78.125 - 100.0 / 3 + 250.0 / 3 - 250.0 / 7) / 2)
    #expect(distances[1].widest == "B")
  }

  @Test func aSmallTeamLevelHidesItsSiblingSoItCannotBeWorkedOut() {
    // sales/individual is s4 alone: hidden. Shown beside sales (4), sales/manager (3)
    // would give s4 away by subtraction, so it is hidden too; likewise marketing/individual
    // (3) beside the individual level (4). Teams and levels are all 3 or more: shown.
    #expect(Self.benchmark.groups.map(\.group) == [
      .team("sales"), .team("marketing"), .level("manager"), .level("individual"),
    ])
    #expect(Self.benchmark.hiddenGroups == [
      .teamLevel(team: "sales", level: "manager"), .teamLevel(team: "sales", level: "individual"),
      .teamLevel(team: "marketing", level: "individual"),
    ])
  }
}
