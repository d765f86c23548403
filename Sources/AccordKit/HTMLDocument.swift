import Foundation
import ProgrammeEngine

/// A table of text cells, every cell escaped when written.
package struct HTMLTable {
  package var caption: String
  package var header: [String]
  /// Each row's cells, the first naming the row.
  package var rows: [[String]] = []

  package init(caption: String, header: [String], rows: [[String]] = []) {
    self.caption = caption
    self.header = header
    self.rows = rows
  }
}

/// The lines of the document being written, and the charts' running number (their ids).
struct HTMLDocument {
  var lines: [String] = []
  var charts = 0

  mutating func table(_ table: HTMLTable) {
    lines.append("<table>")
    lines.append("<caption>\(Self.escape(table.caption))</caption>")
    lines.append("<thead><tr>" + table.header.map { "<th scope=\"col\">\(Self.escape($0))</th>" }.joined() + "</tr></thead>")
    lines.append("<tbody>")
    for row in table.rows {
      let cells = row.enumerated().map { column, cell in
        column == 0
          ? "<th scope=\"row\">\(Self.escape(cell))</th>"
          : "<td>\(Self.escape(cell))</td>"
      }
      lines.append("<tr>" + cells.joined() + "</tr>")
    }
    lines.append("</tbody>")
    lines.append("</table>")
  }

  /// A horizontal bar chart, then the table of its figures.
  mutating func bars(
    title: String, bars: [Bar], scale: BarChart.Scale, header: [String], extra: (String, [String])? = nil
  ) {
    self.bars(BarChart(title: title, bars: bars, scale: scale, header: header, extra: extra))
  }

  /// `chart` in a figure, then the table of its figures.
  mutating func bars(_ chart: BarChart) {
    charts += 1
    lines.append("<figure>")
    lines += chart.svg(id: "chart-\(charts)")
    table(chart.table)
    lines.append("</figure>")
  }

  /// A line chart of readings by date, with the baseline and the target as dashed lines,
  /// then `table`, the readings it draws.
  mutating func line(
    title: String, points: [(CalendarDate, Double)], baseline: Double?, target: Double?, table: HTMLTable
  ) {
    charts += 1
    let id = "chart-\(charts)"
    let left = 70.0, right = 20.0, top = 12.0, bottom = 30.0, plotWidth = 560.0, plotHeight = 200.0
    let width = left + plotWidth + right, height = top + plotHeight + bottom
    let values = points.map(\.1) + [baseline, target].compactMap { $0 }
    var low = values.min() ?? 0, high = values.max() ?? 1
    if high - low < 1e-9 { (low, high) = (low - 1, high + 1) }
    let pad = (high - low) * 0.1
    (low, high) = (low - pad, high + pad)
    let first = points.first?.0.day ?? 0, last = points.last?.0.day ?? 0
    let span = Double(max(last - first, 1))
    func x(_ day: Int) -> Double { points.count == 1 ? left + plotWidth / 2 : left + Double(day - first) / span * plotWidth }
    func y(_ value: Double) -> Double { top + (high - value) / (high - low) * plotHeight }
    lines.append("<figure>")
    lines.append(
      "<svg role=\"img\" aria-labelledby=\"\(id)-title\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" "
        + "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\">")
    lines.append("<title id=\"\(id)-title\">\(Self.escape(title)) (readings in the table below)</title>")
    for step in 0...4 {
      let value = low + (high - low) * Double(step) / 4
      lines.append(
        "<line class=\"grid\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(y(value)))\" x2=\"\(Self.number(left + plotWidth))\" y2=\"\(Self.number(y(value)))\"/>")
      lines.append(
        "<text class=\"figure\" x=\"\(Self.number(left - 6))\" y=\"\(Self.number(y(value) + 4))\" text-anchor=\"end\">\(Figures.number(value))</text>")
    }
    if let baseline {
      lines.append(
        "<line class=\"baseline\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(y(baseline)))\" x2=\"\(Self.number(left + plotWidth))\" y2=\"\(Self.number(y(baseline)))\"/>")
      lines.append("<text class=\"figure\" x=\"\(Self.number(left + 4))\" y=\"\(Self.number(y(baseline) - 4))\">baseline</text>")
    }
    if let target {
      lines.append(
        "<line class=\"target\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(y(target)))\" x2=\"\(Self.number(left + plotWidth))\" y2=\"\(Self.number(y(target)))\"/>")
      lines.append(
        "<text class=\"figure\" x=\"\(Self.number(left + plotWidth - 4))\" y=\"\(Self.number(y(target) - 4))\" text-anchor=\"end\">target</text>")
    }
    let path = points.map { "\(Self.number(x($0.0.day))),\(Self.number(y($0.1)))" }.joined(separator: " ")
    lines.append("<polyline class=\"reading\" points=\"\(path)\"/>")
    for (date, value) in points {
      lines.append("<circle class=\"point\" cx=\"\(Self.number(x(date.day)))\" cy=\"\(Self.number(y(value)))\" r=\"3.5\"/>")
    }
    if let start = points.first?.0 {
      lines.append("<text class=\"figure\" x=\"\(Self.number(x(start.day)))\" y=\"\(Self.number(height - 8))\" text-anchor=\"start\">\(start)</text>")
    }
    if points.count > 1, let end = points.last?.0 {
      lines.append("<text class=\"figure\" x=\"\(Self.number(x(end.day)))\" y=\"\(Self.number(height - 8))\" text-anchor=\"end\">\(end)</text>")
    }
    lines.append("</svg>")
    self.table(table)
    lines.append("</figure>")
  }

  /// A coordinate to one decimal, the same on every machine.
  static func number(_ value: Double) -> String {
    let text = String(format: "%.1f", value)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  /// `text` for HTML and SVG (`Shown.html`).
  static func escape(_ text: String) -> String { Shown.html(text) }
}
