import Foundation
import ProgrammeEngine

/// Calm terminal styling: bold headings and dim detail on a terminal, plain text otherwise.
package struct TextStyle {
  package var colour: Bool

  package init(colour: Bool) { self.colour = colour }

  package static var current: TextStyle { TextStyle(colour: Environment.useColour) }

  package func heading(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
  func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
  package func warning(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
}

/// Rows of cells in columns as wide as their widest cell: the first `leading` columns
/// left-aligned, the rest right-aligned as figures are (every column left-aligned unless
/// told). Trailing spaces are trimmed, so a left-aligned last column is never padded.
package struct Table {
  var leading = Int.max
  private(set) var rows: [[String]] = []
  /// Lines that follow a row, by row, each indented to where its last cell begins: a
  /// multi-line note, which must never begin a line of its own.
  private(set) var continued: [Int: [String]] = [:]

  package init(leading: Int = Int.max) { self.leading = leading }

  package mutating func append(_ row: String...) { rows.append(row) }
  package mutating func append(_ row: [String]) { rows.append(row) }
  package mutating func append(_ row: [String], continued lines: [String]) {
    if !lines.isEmpty { continued[rows.count] = lines }
    rows.append(row)
  }

  package var isEmpty: Bool { rows.isEmpty }

  package func render(indent: String = "  ") -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    var widths = Array(repeating: 0, count: columns)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    return rows.enumerated().flatMap { number, row in
      let cells = row.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return column < leading ? cell + padding : padding + cell
      }
      let line = (indent + cells.joined(separator: "  ")).trimmingTrailingSpaces()
      guard let lines = continued[number] else { return [line] }
      // Under the last cell, and at least four spaces in, whatever the columns' widths.
      let start = max(4, indent.count + widths.prefix(row.count - 1).reduce(0) { $0 + $1 + 2 })
      return [line] + lines.map { String(repeating: " ", count: start) + $0 }
    }
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}

/// Prints lines to standard output, made safe for a terminal (`terminalSafe`).
package func emit(_ lines: [String]) {
  print(terminalSafe(lines.joined(separator: "\n")))
}

/// `text` with every control character but a line break and a tab, and every bidirectional
/// override or isolate, written as an escape (`\u{1B}`): the last line of defence for
/// stored text a renderer did not escape itself (`Shown`), so that a terminal never receives
/// a raw escape sequence from a client file. Accord's own styling (`TextStyle`: ESC `[`
/// digits `m`) passes; it changes nothing but the look of what follows.
package func terminalSafe(_ text: String) -> String {
  guard Shown.mayHoldHidden(text) else { return text }
  let scalars = text.unicodeScalars
  var shown = String.UnicodeScalarView()
  var index = scalars.startIndex
  while index < scalars.endIndex {
    let scalar = scalars[index]
    if scalar == "\u{1B}", let end = styleSequenceEnd(scalars, from: index) {
      shown.append(contentsOf: scalars[index...end])
      index = scalars.index(after: end)
      continue
    }
    if Shown.isHiddenInStoredNote(scalar) {
      shown.append(contentsOf: Shown.escape(scalar).unicodeScalars)
    } else {
      shown.append(scalar)
    }
    index = scalars.index(after: index)
  }
  return String(shown)
}

/// The index of the `m` that ends a select-graphic-rendition sequence (ESC `[` digits and
/// `;` `m`) starting at `start`, or nil when the escape starts anything else.
private func styleSequenceEnd(_ scalars: String.UnicodeScalarView, from start: String.Index) -> String.Index? {
  var index = scalars.index(after: start)
  guard index < scalars.endIndex, scalars[index] == "[" else { return nil }
  index = scalars.index(after: index)
  while index < scalars.endIndex, scalars[index] == ";" || ("0"..."9").contains(scalars[index]) {
    index = scalars.index(after: index)
  }
  return index < scalars.endIndex && scalars[index] == "m" ? index : nil
}
