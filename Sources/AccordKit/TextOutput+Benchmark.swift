import CollaborationBenchmark
import PlaybookSpec
import ProgrammeEngine

extension TextOutput {
  /// A survey round measured, section by section; `-` marks an index not shown.
  package func benchmark(
    _ programme: Programme, round: SurveyRound, _ result: Benchmark,
    comparison: (baseline: SurveyRound, RoundComparison)?
  ) -> [String] {
    let survey = result.survey
    var lines = [
      style.heading(programme.headline) + ": collaboration benchmark, round '\(round.name)'",
      style.dim(
        "\(result.respondents) respondents; imported \(Timestamp.format(round.at)) by \(round.by). "
          + "Scores \(survey.scale.minimum)-\(survey.scale.maximum) are shown as 0-100."),
      "",
    ]
    if let withdrawn = round.withdrawn {
      lines.insert(
        "This round was withdrawn \(Timestamp.format(withdrawn.at)) by \(withdrawn.by)"
          + (withdrawn.reason.map { ": " + Shown.note($0, indent: "    ") } ?? "") + ". It counts for nothing; it is shown because it was asked for.",
        at: 2)
    }
    guard result.isShown else {
      lines.append(
        "Nothing is shown: fewer than \(result.threshold) people answered, so any figure would "
          + "identify them.")
      return lines
    }
    var headline = "Collaboration index  \(Figures.index(result.index)) of 100"
    if let comparison, let change = comparison.1.index?.change {
      headline += "  (\(Figures.change(change)) since '\(comparison.baseline.name)')"
    }
    lines.append(style.heading(headline))
    lines += dimensions(result, comparison: comparison?.1)
    lines += gaps(result)
    lines += teamLevels(result)
    lines += findings(result)
    lines += ["", style.dim(anonymityNote(result))]
    return lines
  }

  /// One row per dimension: everyone, then each shown team and level.
  private func dimensions(_ result: Benchmark, comparison: RoundComparison?) -> [String] {
    let groups = result.groups.filter { $0.group.kind != "team-level" }
    var table = Table(leading: 1)
    var header = ["", "all"]
    if comparison != nil { header.append("change") }
    table.append(header + groups.map(\.group.name))
    for dimension in result.dimensions {
      var row = [dimension.id, Figures.index(dimension.index)]
      if let comparison { row.append(comparison.dimensions[dimension.id].map { Figures.change($0.change) } ?? "-") }
      table.append(row + groups.map { Figures.index($0.dimensions[dimension.id]) })
    }
    var total = ["index", Figures.index(result.index)]
    if let comparison { total.append(comparison.index.map { Figures.change($0.change) } ?? "-") }
    table.append(total + groups.map { Figures.index($0.index) })
    var counts = ["respondents", "\(result.respondents)"]
    if comparison != nil { counts.append("") }
    table.append(counts + groups.map { "\($0.respondents)" })
    return ["", style.heading("By dimension")] + table.render()
  }

  private func gaps(_ result: Benchmark) -> [String] {
    guard !result.gaps.isEmpty else { return [] }
    var table = Table(leading: 1)
    table.append([""] + result.gaps.map { "\($0.first)-\($0.second)" })
    for dimension in result.dimensions {
      table.append([dimension.id] + result.gaps.map { $0.dimensions[dimension.id].map(Figures.change) ?? "-" })
    }
    table.append(["index"] + result.gaps.map { $0.index.map(Figures.change) ?? "-" })
    return ["", style.heading("Perception gaps") + style.dim("  (first team's index minus the second's)")]
      + table.render()
  }

  private func teamLevels(_ result: Benchmark) -> [String] {
    let cells = result.groups.filter { $0.group.kind == "team-level" }
    guard !cells.isEmpty else { return [] }
    var table = Table(leading: 1)
    table.append(["", "index", "respondents"])
    for cell in cells { table.append([cell.group.name, Figures.index(cell.index), "\(cell.respondents)"]) }
    return ["", style.heading("By team and level")] + table.render()
  }

  private func findings(_ result: Benchmark) -> [String] {
    let titles = Dictionary(uniqueKeysWithValues: result.dimensions.map { ($0.id, $0) })
    var lines = ["", style.heading("Bottlenecks")]
    let weakest = result.weakest.map { "\($0) (\(Figures.index(titles[$0]?.index)))" }
    lines.append("  weakest dimensions: " + (weakest.isEmpty ? "none shown" : weakest.joined(separator: ", ")))
    for kind in ["team", "level"] {
      guard let pair = result.furthestApart.first(where: { $0.first.kind == kind }) else { continue }
      lines.append(
        "  \(kind)s furthest apart: \(pair.first.name) and \(pair.second.name), "
          + "\(Figures.index(pair.distance)) points on average; widest on \(pair.widest) "
          + "(\(pair.first.name) \(Figures.change(pair.widestGap)))")
    }
    lines += ["", style.heading("Low-hanging fruit") + style.dim(
        "  (a statement \(Int(Benchmark.fruitShortfall))+ points below a dimension of "
          + "\(Int(Benchmark.healthyDimension))+)")]
    if result.lowHangingFruit.isEmpty {
      lines.append("  none in this round")
    }
    let texts = Dictionary(
      uniqueKeysWithValues: result.dimensions.flatMap(\.statements).map { ($0.id, $0.text) })
    for fruit in result.lowHangingFruit {
      lines.append(
        "  \(fruit.statement)  \(Figures.index(fruit.index)) in \(fruit.dimension) "
          + "(\(Figures.index(fruit.dimensionIndex))): " + style.dim(texts[fruit.statement] ?? ""))
    }
    return lines
  }

  private func anonymityNote(_ result: Benchmark) -> String {
    var note =
      "Anonymity: no group of fewer than \(result.threshold) respondents is shown on its own; "
      + "its answers count in the groups above it."
    if !result.hiddenGroups.isEmpty {
      note += " Not shown on their own: " + result.hiddenGroups.map(\.name).joined(separator: ", ") + "."
    }
    return note
  }
}
