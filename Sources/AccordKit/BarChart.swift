import Foundation
import ProgrammeEngine

/// One bar of a chart: a label and its value, nil where nothing is shown.
package struct Bar {
  package var label: String
  package var value: Double?

  package init(label: String, value: Double?) {
    self.label = label
    self.value = value
  }
}

/// A horizontal bar chart as inline SVG, and the table of its figures: what the client report
/// (`accord report`) and the benchmark page both draw, from this one definition.
///
/// Every label is escaped (`Shown.html`). Each shape carries its colours as presentation
/// attributes (`fill=`, `stroke=`) beside its class, so that the chart reads the same on a page
/// whose stylesheet has no rules for it and whose Content-Security-Policy allows no inline
/// style; the report's own stylesheet still styles it by class.
package struct BarChart {
  package enum Scale {
    /// 0 to 100.
    case percent
    /// Around zero, as wide as the largest value either way (at least 10).
    case signed
  }

  /// Where each bar's label sits.
  package enum Layout {
    /// To the left of its bar, right-aligned: a wide chart, for the report and paper.
    case beside
    /// Above its bar: a narrow chart whose text stays legible scaled down to a phone's width.
    case above
  }

  package var title: String
  package var bars: [Bar]
  package var scale: Scale
  /// The table's column headings: the label's, then the value's.
  package var header: [String]
  /// One more column for the table (its heading, then a cell per bar), not drawn.
  package var extra: (String, [String])?
  package var layout: Layout = .beside

  package init(
    title: String, bars: [Bar], scale: Scale, header: [String], extra: (String, [String])? = nil
  ) {
    self.title = title
    self.bars = bars
    self.scale = scale
    self.header = header
    self.extra = extra
  }

  /// The figure a bar's value is written as, in the chart and its table alike.
  package func figure(_ value: Double?) -> String {
    value.map { scale == .signed ? Figures.change($0) : Figures.index($0) } ?? "not shown"
  }

  /// The table of the chart's figures: what a screen reader reads, and whoever prefers numbers.
  package var table: HTMLTable {
    var table = HTMLTable(caption: title, header: header + (extra.map { [$0.0] } ?? []))
    for (row, bar) in bars.enumerated() {
      table.rows.append([bar.label, figure(bar.value)] + (extra.map { row < $0.1.count ? [$0.1[row]] : [""] } ?? []))
    }
    return table
  }

  /// The chart as SVG lines, `role="img"` and titled (`id` names the title), sized by its
  /// `viewBox` so that a stylesheet may scale it to the width it has.
  package func svg(id: String) -> [String] {
    let above = layout == .above
    // Above, a margin only: room for half of the axis's first figure, centred on zero.
    let labelWidth = above ? 10.0 : 220.0, plotWidth = above ? 300.0 : 400.0, rowHeight = above ? 40.0 : 24.0
    let top = 8.0
    let width = labelWidth + plotWidth + 60
    let height = top * 2 + rowHeight * Double(bars.count) + 16
    let largest = max(10, bars.compactMap { $0.value.map(abs) }.max() ?? 0)
    let (low, high) = scale == .percent ? (0.0, 100.0) : (-largest, largest)
    func x(_ value: Double) -> Double { labelWidth + (value - low) / (high - low) * plotWidth }
    let number = HTMLDocument.number
    let ink = "fill=\"#1b1f24\""
    var svg = [
      "<svg role=\"img\" aria-labelledby=\"\(id)-title\" viewBox=\"0 0 \(number(width)) \(number(height))\" "
        + "width=\"\(number(width))\" height=\"\(number(height))\">",
      "<title id=\"\(id)-title\">\(Shown.html(title)) (figures in the table below)</title>",
    ]
    let zero = x(0)
    for tick in stride(from: low, through: high, by: (high - low) / 4) {
      let position = x(tick)
      svg.append(
        "<line class=\"grid\" x1=\"\(number(position))\" y1=\"\(number(top))\" x2=\"\(number(position))\" "
          + "y2=\"\(number(height - 16))\" stroke=\"#d0d7de\"/>")
      // Above, with no room to the left, the first figure starts at its line rather than
      // centred on it, so that a minus sign is not cut off.
      let anchor = above && tick == low ? "start" : "middle"
      svg.append(
        "<text class=\"figure\" x=\"\(number(position))\" y=\"\(number(height - 2))\" text-anchor=\"\(anchor)\" "
          + "font-size=\"11\" \(ink)>\(Figures.index(tick).replacingOccurrences(of: ".0", with: ""))</text>")
    }
    for (row, bar) in bars.enumerated() {
      let y = top + rowHeight * Double(row)
      // Beside: the label, bar and figure on one line; above: the label, then bar and figure.
      let (barTop, barHeight, line) = above ? (y + 18, 16.0, y + 31) : (y + 4, rowHeight - 8, y + rowHeight * 0.65)
      svg.append(
        above
          ? "<text class=\"label\" x=\"\(number(labelWidth))\" y=\"\(number(y + 13))\" font-size=\"13\" \(ink)>"
            + "\(Shown.html(Self.shortened(bar.label, to: 48)))</text>"
          : "<text class=\"label\" x=\"\(number(labelWidth - 8))\" y=\"\(number(line))\" text-anchor=\"end\" "
            + "font-size=\"12\" \(ink)>\(Shown.html(Self.shortened(bar.label, to: 32)))</text>")
      guard let value = bar.value else {
        svg.append(
          "<text class=\"figure\" x=\"\(number(zero + 4))\" y=\"\(number(line))\" font-size=\"11\" \(ink)>not shown</text>")
        continue
      }
      let end = x(min(max(value, low), high))
      let (start, stop) = (min(zero, end), max(zero, end))
      svg.append(
        "<rect class=\"bar\(value < 0 ? " negative" : "")\" x=\"\(number(start))\" y=\"\(number(barTop))\" "
          + "width=\"\(number(max(stop - start, 1)))\" height=\"\(number(barHeight))\" "
          + "fill=\"\(value < 0 ? "#cf222e" : "#0969da")\"/>")
      svg.append(
        "<text class=\"figure\" x=\"\(number(stop + 4))\" y=\"\(number(line))\" font-size=\"11\" \(ink)>"
          + "\(figure(value))</text>")
    }
    svg.append(
      "<line class=\"axis\" x1=\"\(number(zero))\" y1=\"\(number(top))\" x2=\"\(number(zero))\" "
        + "y2=\"\(number(height - 16))\" stroke=\"#57606a\"/>")
    svg.append("</svg>")
    return svg
  }

  /// A label short enough for the chart; the table after it has it whole.
  static func shortened(_ label: String, to length: Int) -> String {
    label.count <= length ? label : String(label.prefix(length - 1)) + "…"
  }
}
