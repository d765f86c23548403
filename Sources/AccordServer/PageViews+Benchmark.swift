import AccordKit
import CollaborationBenchmark
import Foundation
import OpportunityCalculator
import ProgrammeEngine

extension PageViews {
  /// The benchmark page: the latest counted round as charts, each followed by a table of
  /// the same figures, and the opportunity as a table. The charts are the client report's
  /// (`BenchmarkCharts`), so a group the anonymity rule hides is in neither.
  struct BenchmarkPage {
    var clientName: String
    var clientHref: String
    /// Each round open on the web: how many answers it holds so far, all that is shown of it.
    var open: [String]
    var hasOpen: Bool
    var benchmark: BenchmarkView?
    /// Why there is no benchmark to show: no survey, or no round counted yet.
    var benchmarkNote: String?
    var opportunity: OpportunityView?
    var opportunityNote: String?
  }

  struct BenchmarkView {
    /// Which round, when imported and by whom, how many answered.
    var round: String
    /// The collaboration index, and its change since the baseline round.
    var headline: String?
    var nothingShown: String?
    var sections: [ChartSection]
    var findings: [String]
    var hasFindings: Bool
    var anonymity: String
  }

  struct ChartSection {
    var heading: String
    /// A sentence before the charts (named apart from any other view's, so that a missing
    /// one is never looked up further out).
    var explanation: String?
    var charts: [ChartView]
  }

  /// One chart: its SVG, escaped and written by `BarChart` (the template's only other triple
  /// braces), then its figures as a table the template writes.
  struct ChartView {
    var svg: String
    var table: TableView
  }

  struct TableView {
    var caption: String
    var header: [String]
    var rows: [TableRow]

    init(_ table: HTMLTable) {
      caption = table.caption
      header = table.header
      rows = table.rows.map { TableRow(head: $0.first ?? "", cells: Array($0.dropFirst())) }
    }
  }

  struct TableRow {
    var head: String
    var cells: [String]
  }

  struct OpportunityView {
    var setBy: String
    var table: TableView
    var conclusions: [String]
  }

  /// The benchmark of the latest counted round, compared with the first (the round
  /// `accord benchmark CLIENT` measures, by the same rules), and the opportunity from the
  /// stored inputs. `answers`: how many answers each round open on the web holds.
  static func benchmarkPage(_ programme: Programme, answers: [String: Int] = [:], zone: TimeZone = utc)
    -> BenchmarkPage
  {
    let client = programme.client
    let open = programme.openSurveyRounds.map { round in
      let count = answers[round.name] ?? 0
      return "\(round.name): \(count) answer\(count == 1 ? "" : "s") so far"
        + (round.closes.map { ", closes after \($0)" } ?? "")
    }
    var page = BenchmarkPage(
      clientName: programme.name, clientHref: clientHref(client), open: open, hasOpen: !open.isEmpty)
    if programme.playbook.survey == nil {
      page.benchmarkNote = "This playbook has no survey."
    } else if let measurement = try? programme.measure(round: nil) {
      page.benchmark = benchmarkView(measurement, zone: zone)
    } else {
      page.benchmarkNote =
        "No survey round has been counted yet: the consultant imports one with accord survey import \(client) FILE."
    }
    if let stored = programme.opportunity {
      let result = Opportunity(stored.inputs)
      page.opportunity = OpportunityView(
        setBy: "Inputs set \(shownTime(stored.at, zone: zone)) by \(stored.by).", table: TableView(result.table),
        conclusions: result.conclusions)
    } else {
      page.opportunityNote =
        "No opportunity inputs are stored yet: the consultant sets them with accord opportunity \(client)."
    }
    return page
  }

  static func benchmarkView(_ measurement: RoundMeasurement, zone: TimeZone) -> BenchmarkView {
    let result = measurement.benchmark
    let round = measurement.round
    var lede =
      "Round '\(round.name)', imported \(shownTime(round.at, zone: zone)) by \(round.by): "
      + "\(result.respondents) respondent\(result.respondents == 1 ? "" : "s")."
    if let baseline = measurement.comparison?.baseline { lede += " Compared with round '\(baseline.name)'." }
    let charts = BenchmarkCharts(measurement)
    var headline: String?
    if charts.nothingShown == nil {
      headline = "Collaboration index: \(Figures.index(result.index)) of 100"
        + (measurement.comparison.flatMap { compared in
          compared.1.index.map { " (\(Figures.change($0.change)) since round '\(compared.baseline.name)')" }
        } ?? "") + "."
    }
    var number = 0
    let sections = charts.sections.map { section in
      ChartSection(
        heading: section.heading, explanation: section.lede,
        charts: section.charts.map { chart in
          number += 1
          var narrow = chart
          narrow.layout = .above
          return ChartView(
            svg: narrow.svg(id: "chart-\(number)").joined(separator: "\n"), table: TableView(chart.table))
        })
    }
    return BenchmarkView(
      round: lede, headline: headline, nothingShown: charts.nothingShown, sections: sections,
      findings: charts.findings, hasFindings: !charts.findings.isEmpty, anonymity: charts.anonymity)
  }
}
