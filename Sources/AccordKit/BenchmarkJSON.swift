import CollaborationBenchmark
import ProgrammeEngine

/// `benchmark --json`. Indexes are rounded to one decimal; an index not shown is null. A
/// group too small to stay anonymous appears nowhere but in `anonymity.hidden`, by name.
package struct BenchmarkJSON: Encodable {
  package struct Round: Encodable {
    package var name: String
    package var responses: Int
    package var by: String
    package var at: String
    /// Who withdrew the round, when and why; null while it counts.
    package var withdrawn: Nullable<StampJSON>
  }
  package struct Scale: Encodable {
    var min: Int
    package var max: Int
  }
  package struct Anonymity: Encodable {
    var threshold: Int
    package var hidden: [String]
  }
  package struct Dimension: Encodable {
    package var id: String
    package var title: String
    package var index: Nullable<Double>
    var respondents: Int
    package var statements: [Statement]
  }
  package struct Statement: Encodable {
    package var id: String
    package var text: String
    package var index: Nullable<Double>
    var respondents: Int
  }
  package struct Group: Encodable {
    package var group: String
    package var kind: String
    var respondents: Int
    package var index: Nullable<Double>
    package var dimensions: [String: Double]
  }
  package struct Gap: Encodable {
    package var first: String
    package var second: String
    package var index: Nullable<Double>
    package var dimensions: [String: Double]
  }
  package struct Distance: Encodable {
    package var first: String
    package var second: String
    package var kind: String
    var distance: Double
    var widest: String
    var widestGap: Double
  }
  package struct Bottlenecks: Encodable {
    var weakest: [String]
    var furthestApart: [Distance]
  }
  package struct Fruit: Encodable {
    package var statement: String
    package var dimension: String
    package var index: Double
    var dimensionIndex: Double
    var shortfall: Double
  }
  package struct Change: Encodable {
    package var before: Double
    package var after: Double
    package var change: Double

    package init(_ change: RoundComparison.Change) {
      before = Figures.tenth(change.before)!
      after = Figures.tenth(change.after)!
      self.change = Figures.tenth(change.change)!
    }
  }
  package struct Comparison: Encodable {
    package var baseline: String
    package var index: Nullable<Change>
    package var dimensions: [String: Change]
  }

  package var client: String
  package var round: Round
  package var scale: Scale
  var anonymity: Anonymity
  var respondents: Int
  package var index: Nullable<Double>
  package var dimensions: [Dimension]
  package var groups: [Group]
  var gaps: [Gap]
  var bottlenecks: Bottlenecks
  var lowHangingFruit: [Fruit]
  package var comparison: Nullable<Comparison>

  package init(
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
