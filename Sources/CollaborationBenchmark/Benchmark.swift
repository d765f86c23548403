import PlaybookSpec
import ProgrammeEngine

/// One survey round measured: the collaboration index overall, per dimension, per group,
/// the perception gaps between teams, the bottlenecks and the low-hanging fruit, with
/// every group too small to stay anonymous left out.
///
/// Pure: the survey and its responses in, numbers out. Every formula is in
/// docs/benchmark.md. An index is nil wherever it is not shown (too few people, or no
/// answers); the aggregates are computed from every answer either way, so a hidden group
/// still counts in its parents.
public struct Benchmark: Sendable {
  public let survey: Survey
  /// Respondents who answered at least one statement.
  public let respondents: Int
  /// The collaboration index, 0 to 100: the mean of the shown dimension indexes.
  public let index: Double?
  /// Every dimension of the survey, in its order.
  public let dimensions: [DimensionResult]
  /// The teams, then the levels, then each team's levels, each only if shown.
  public let groups: [GroupResult]
  /// Groups with respondents that are not shown on their own, in the same order.
  public let hiddenGroups: [RespondentGroup]
  /// For every pair of shown teams, in survey order: first team minus second.
  public let gaps: [Gap]
  /// The weakest dimensions, weakest first.
  public let weakest: [String]
  /// Pairs of shown teams and of shown levels, furthest apart first.
  public let furthestApart: [Distance]
  /// Weak statements in otherwise healthy dimensions, biggest shortfall first.
  public let lowHangingFruit: [Fruit]

  /// The smallest group shown on its own: the survey's anonymity threshold.
  public var threshold: Int { survey.anonymity }

  /// Whether anything is shown: fewer respondents in all than the threshold shows nothing.
  public var isShown: Bool { respondents >= threshold }

  /// A dimension's index for everyone and each of its statements'.
  public struct DimensionResult: Sendable, Hashable {
    public var id: String
    public var title: String
    public var index: Double?
    /// Respondents who answered at least one of its statements.
    public var respondents: Int
    public var statements: [StatementResult]
  }

  /// A statement's index for everyone.
  public struct StatementResult: Sendable, Hashable {
    public var id: String
    public var text: String
    public var index: Double?
    /// How many answered it.
    public var respondents: Int
  }

  /// A shown group's indexes.
  public struct GroupResult: Sendable, Hashable {
    public var group: RespondentGroup
    public var respondents: Int
    /// The mean of the group's shown dimension indexes.
    public var index: Double?
    /// Dimension id -> index, for the dimensions shown for this group.
    public var dimensions: [String: Double]
  }

  /// How differently two teams see collaboration, in index points.
  public struct Gap: Sendable, Hashable {
    public var first: String
    public var second: String
    /// The first team's collaboration index minus the second's.
    public var index: Double?
    /// Dimension id -> the first team's index minus the second's, where both are shown.
    public var dimensions: [String: Double]
  }

  /// Two groups of the same kind (teams, or levels) and how far apart they are.
  public struct Distance: Sendable, Hashable {
    public var first: RespondentGroup
    public var second: RespondentGroup
    /// The mean of the absolute gaps over the dimensions shown for both.
    public var distance: Double
    /// The dimension where they are furthest apart, and that gap (first minus second).
    public var widest: String
    public var widestGap: Double
  }

  /// A statement that scores well below its healthy dimension.
  public struct Fruit: Sendable, Hashable {
    public var statement: String
    public var dimension: String
    public var index: Double
    public var dimensionIndex: Double
    /// The dimension's index minus the statement's.
    public var shortfall: Double
  }

  public init(survey: Survey, responses: [SurveyResponse]) {
    self.survey = survey
    let tally = Tally(survey: survey, responses: responses)
    let respondents = tally.respondents[.everyone] ?? 0
    self.respondents = respondents
    let hidden = Anonymity(
      threshold: survey.anonymity, teams: survey.teams.map(\.id), levels: survey.levels.map(\.id),
      respondents: tally.respondents
    ).hidden()
    let reader = Reader(survey: survey, tally: tally, hidden: hidden)

    dimensions = survey.dimensions.map { dimension in
      DimensionResult(
        id: dimension.id, title: dimension.title, index: reader.index(.everyone, dimension.id),
        respondents: reader.respondents(.everyone, dimension.id),
        statements: dimension.statements.map {
          StatementResult(
            id: $0.id, text: $0.text, index: reader.index(.everyone, statement: $0.id),
            respondents: tally.statements[.everyone]?[$0.id]?.count ?? 0)
        })
    }
    index = reader.shown(.everyone) ? reader.overall(.everyone) : nil

    let candidates: [RespondentGroup] =
      survey.teams.map { .team($0.id) } + survey.levels.map { .level($0.id) }
      + survey.teams.flatMap { team in survey.levels.map { .teamLevel(team: team.id, level: $0.id) } }
    groups = candidates.filter { reader.shown($0) }.map { group in
      GroupResult(
        group: group, respondents: tally.respondents[group] ?? 0, index: reader.overall(group),
        dimensions: reader.dimensionIndexes(group))
    }
    hiddenGroups = candidates.filter { hidden.contains($0) && (tally.respondents[$0] ?? 0) > 0 }

    let teams = survey.teams.map(\.id).filter { reader.shown(.team($0)) }
    var gaps: [Gap] = []
    for (position, first) in teams.enumerated() {
      for second in teams.dropFirst(position + 1) {
        gaps.append(reader.gap(first, second))
      }
    }
    self.gaps = gaps
    weakest = Self.weakest(dimensions)
    furthestApart = reader.distances()
    lowHangingFruit = Self.lowHangingFruit(dimensions)
  }
}
