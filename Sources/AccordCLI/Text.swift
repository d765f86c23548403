import Foundation

/// Calm terminal styling: bold headings and dim detail on a terminal, plain text otherwise.
struct TextStyle {
  var colour: Bool

  static var current: TextStyle { TextStyle(colour: Environment.useColour) }

  func heading(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
  func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
  func warning(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
}

/// Rows of cells in columns as wide as their widest cell: the first `leading` columns
/// left-aligned, the rest right-aligned as figures are (every column left-aligned unless
/// told). Trailing spaces are trimmed, so a left-aligned last column is never padded.
struct Table {
  var leading = Int.max
  private(set) var rows: [[String]] = []

  mutating func append(_ row: String...) { rows.append(row) }
  mutating func append(_ row: [String]) { rows.append(row) }

  var isEmpty: Bool { rows.isEmpty }

  func render(indent: String = "  ") -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    var widths = Array(repeating: 0, count: columns)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    return rows.map { row in
      let cells = row.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return column < leading ? cell + padding : padding + cell
      }
      return (indent + cells.joined(separator: "  ")).trimmingTrailingSpaces()
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

/// Prints lines to standard output.
func emit(_ lines: [String]) {
  print(lines.joined(separator: "\n"))
}
