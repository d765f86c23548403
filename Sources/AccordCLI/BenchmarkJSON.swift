import CollaborationBenchmark
import ProgrammeEngine

/// `benchmark --json`. Indexes are rounded to one decimal; an index not shown is null. A
/// group too small to stay anonymous appears nowhere but in `anonymity.hidden`, by name.
struct BenchmarkJSON: Encodable {
  struct Round: Encodable {
    var name: String
    var responses: Int
    var by: String
    var at: String
    /// Who withdrew the round, when and why; null while it counts.
    var withdrawn: Nullable<StampJSON>
  }
  struct Scale: Encodable {
    var min: Int
    var max: Int
  }
  struct Anonymity: Encodable {
    var threshold: Int
    var hidden: [String]
  }
  struct Dimension: Encodable {
    var id: String
    var title: String
    var index: Nullable<Double>
    var respondents: Int
    var statements: [Statement]
  }
  struct Statement: Encodable {
    var id: String
    var text: String
    var index: Nullable<Double>
    var respondents: Int
  }
  struct Group: Encodable {
    var group: String
    var kind: String
    var respondents: Int
    var index: Nullable<Double>
    var dimensions: [String: Double]
  }
  struct Gap: Encodable {
    var first: String
    var second: String
    var index: Nullable<Double>
    var dimensions: [String: Double]
  }
  struct Distance: Encodable {
    var first: String
    var second: String
    var kind: String
    var distance: Double
    var widest: String
    var widestGap: Double
  }
  struct Bottlenecks: Encodable {
    var weakest: [String]
    var furthestApart: [Distance]
  }
  struct Fruit: Encodable {
    var statement: String
    var dimension: String
    var index: Double
    var dimensionIndex: Double
    var shortfall: Double
  }
  struct Change: Encodable {
    var before: Double
    var after: Double
    var change: Double

    init(_ change: RoundComparison.Change) {
      before = Figures.tenth(change.before)!
      after = Figures.tenth(change.after)!
      self.change = Figures.tenth(change.change)!
    }
  }
  struct Comparison: Encodable {
    var baseline: String
    var index: Nullable<Change>
    var dimensions: [String: Change]
  }

  var client: String
  var round: Round
  var scale: Scale
  var anonymity: Anonymity
  var respondents: Int
  var index: Nullable<Double>
  var dimensions: [Dimension]
  var groups: [Group]
  var gaps: [Gap]
  var bottlenecks: Bottlenecks
  var lowHangingFruit: [Fruit]
  var comparison: Nullable<Comparison>

  init(
    client: String, round: SurveyRound, benchmark result: Benchmark,
    comparison: (baseline: SurveyRound, RoundComparison)?
  ) {
    let tenth = { (value: Double?) in Nullable(Figures.tenth(value)) }
    let rounded = { (values: [String: Double]) in values.mapValues { Figures.tenth($0)! } }
    self.client = client
    self.round = Round(
      name: round.name, responses: round.responses.count, by: round.by, at: Timestamp.format(round.at),
      withdrawn: Nullable(round.withdrawn.map(StampJSON.init)))
    scale = Scale(min: result.survey.scale.minimum, max: result.survey.scale.maximum)
    anonymity = Anonymity(threshold: result.threshold, hidden: result.hiddenGroups.map(\.name))
    respondents = result.respondents
    index = tenth(result.index)
    dimensions = result.dimensions.map { dimension in
      Dimension(
        id: dimension.id, title: dimension.title, index: tenth(dimension.index),
        respondents: dimension.respondents,
        statements: dimension.statements.map {
          Statement(id: $0.id, text: $0.text, index: tenth($0.index), respondents: $0.respondents)
        })
    }
    groups = result.groups.map {
      Group(
        group: $0.group.name, kind: $0.group.kind, respondents: $0.respondents, index: tenth($0.index),
        dimensions: rounded($0.dimensions))
    }
    gaps = result.gaps.map {
      Gap(first: $0.first, second: $0.second, index: tenth($0.index), dimensions: rounded($0.dimensions))
    }
    bottlenecks = Bottlenecks(
      weakest: result.weakest,
      furthestApart: result.furthestApart.map {
        Distance(
          first: $0.first.name, second: $0.second.name, kind: $0.first.kind,
          distance: Figures.tenth($0.distance)!, widest: $0.widest, widestGap: Figures.tenth($0.widestGap)!)
      })
    lowHangingFruit = result.lowHangingFruit.map {
      Fruit(
        statement: $0.statement, dimension: $0.dimension, index: Figures.tenth($0.index)!,
        dimensionIndex: Figures.tenth($0.dimensionIndex)!, shortfall: Figures.tenth($0.shortfall)!)
    }
    self.comparison = Nullable(
      comparison.map { baseline, comparison in
        Comparison(
          baseline: baseline.name, index: Nullable(comparison.index.map(Change.init)),
          dimensions: comparison.dimensions.mapValues(Change.init))
      })
  }
}
