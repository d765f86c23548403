import CollaborationBenchmark
import PlaybookSpec

/// The charts of a measured survey round, section by section, as the client report and the
/// benchmark page both show them: the index by dimension, by team and by level, each
/// perception gap between two teams, and the change since the baseline round when there is one.
///
/// Built from what the benchmark shows alone (`Benchmark.groups` and `gaps` hold only the
/// groups its anonymity rule lets stand on their own), so a hidden group is a bar, a row or a
/// title in none of them, exactly as it is a figure nowhere in `accord benchmark`. Dimensions,
/// teams and levels are named by their titles in the playbook.
package struct BenchmarkCharts {
  package struct Section {
    package var heading: String
    /// A sentence to read before the charts, if the section needs one.
    package var lede: String?
    package var charts: [BarChart]
  }

  package var sections: [Section] = []
  /// The bottlenecks and the low-hanging fruit, one sentence each.
  package var findings: [String] = []
  /// Why nothing is shown, when too few answered in all; then there are no charts.
  package var nothingShown: String?
  /// The anonymity rule, never the names of the groups it hides: a name alone says someone
  /// answered.
  package var anonymity: String

  /// The charts of `measurement`; none when nothing is shown (too few respondents in all).
  package init(_ measurement: RoundMeasurement) {
    let result = measurement.benchmark
    anonymity =
      "Anonymity: no group of fewer than \(result.threshold) respondents is shown on its own; its answers count "
      + "only in the groups above it."
    guard result.isShown else {
      nothingShown =
        "Nothing is shown: fewer than \(result.threshold) people answered, so any figure would identify them."
      return
    }
    let survey = result.survey
    let teamTitles = Dictionary(survey.teams.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
    let levelTitles = Dictionary(survey.levels.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
    func title(_ group: RespondentGroup) -> String {
      switch group {
      case let .team(id): teamTitles[id] ?? id
      case let .level(id): levelTitles[id] ?? id
      case let .teamLevel(team, level): "\(teamTitles[team] ?? team), \(levelTitles[level] ?? level)"
      case .everyone: "Everyone"
      }
    }

    sections.append(
      Section(
        heading: "Index by dimension", lede: nil,
        charts: [
          BarChart(
            title: "Collaboration index by dimension, 0 to 100",
            bars: result.dimensions.map { Bar(label: $0.title, value: $0.index) }
              + [Bar(label: "Overall", value: result.index)],
            scale: .percent, header: ["Dimension", "Index"])
        ]))
    for (kind, heading, noun) in [("team", "Index by team", "Team"), ("level", "Index by level", "Level")] {
      let shown = result.groups.filter { $0.group.kind == kind }
      guard !shown.isEmpty else { continue }
      sections.append(
        Section(
          heading: heading, lede: nil,
          charts: [
            BarChart(
              title: "Collaboration index by \(kind), 0 to 100",
              bars: shown.map { Bar(label: title($0.group), value: $0.index) }, scale: .percent,
              header: [noun, "Index"], extra: ("Respondents", shown.map { "\($0.respondents)" }))
          ]))
    }

    if !result.gaps.isEmpty {
      sections.append(
        Section(
          heading: "Perception gaps", lede: "Each gap is the first team's index minus the second's, in points.",
          charts: result.gaps.map { gap in
            let pair = "\(title(.team(gap.first))) minus \(title(.team(gap.second)))"
            return BarChart(
              title: "Perception gap, \(pair), by dimension",
              bars: result.dimensions.map { Bar(label: $0.title, value: gap.dimensions[$0.id]) }
                + [Bar(label: "Overall", value: gap.index)],
              scale: .signed, header: ["Dimension", pair])
          }))
    }

    if let compared = measurement.comparison {
      let (baseline, comparison) = (compared.baseline, compared.1)
      var changes = result.dimensions.map { Bar(label: $0.title, value: comparison.dimensions[$0.id]?.change) }
      changes.append(Bar(label: "Overall", value: comparison.index?.change))
      let before = result.dimensions.map { comparison.dimensions[$0.id].map { Figures.index($0.before) } ?? "-" }
        + [comparison.index.map { Figures.index($0.before) } ?? "-"]
      sections.append(
        Section(
          heading: "Change since round \(baseline.name)", lede: nil,
          charts: [
            BarChart(
              title: "Change in the index since round \(baseline.name), by dimension", bars: changes, scale: .signed,
              header: ["Dimension", "Change"], extra: ("Round \(baseline.name)", before))
          ]))
    }
    findings = Self.findings(result, title: title)
  }

  /// The weakest dimensions, the groups furthest apart and the low-hanging fruit, in words.
  private static func findings(_ result: Benchmark, title: (RespondentGroup) -> String) -> [String] {
    let dimensions = Dictionary(uniqueKeysWithValues: result.dimensions.map { ($0.id, $0) })
    let weakest = result.weakest.map { "\(dimensions[$0]?.title ?? $0) (\(Figures.index(dimensions[$0]?.index)))" }
    var findings = ["Weakest dimensions: " + (weakest.isEmpty ? "none shown" : weakest.joined(separator: ", ")) + "."]
    for pair in result.furthestApart {
      findings.append(
        "\(pair.first.kind.capitalized)s furthest apart: \(title(pair.first)) and \(title(pair.second)), "
          + "\(Figures.index(pair.distance)) points on average; widest on \(dimensions[pair.widest]?.title ?? pair.widest).")
    }
    let statements = Dictionary(uniqueKeysWithValues: result.dimensions.flatMap(\.statements).map { ($0.id, $0.text) })
    for fruit in result.lowHangingFruit {
      findings.append(
        "Low-hanging fruit: \(statements[fruit.statement] ?? fruit.statement) (\(Figures.index(fruit.index)), "
          + "in \(dimensions[fruit.dimension]?.title ?? fruit.dimension) at \(Figures.index(fruit.dimensionIndex))).")
    }
    return findings
  }
}
