import Foundation

/// Calm terminal styling: bold headings and dim detail on a terminal, plain text otherwise.
struct TextStyle {
  var colour: Bool

  static var current: TextStyle { TextStyle(colour: Environment.useColour) }

  func heading(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
  func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
  func warning(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
}

/// Left-aligned columns, each as wide as its widest cell; the last column is not padded.
struct Table {
  private var rows: [[String]] = []

  mutating func append(_ row: String...) { rows.append(row) }

  var isEmpty: Bool { rows.isEmpty }

  func render(indent: String = "  ") -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    var widths = Array(repeating: 0, count: columns)
    for row in rows {
      for (column, cell) in row.enumerated() where column < columns - 1 {
        widths[column] = max(widths[column], cell.count)
      }
    }
    return rows.map { row in
      var line = indent
      for (column, cell) in row.enumerated() {
        let last = column == row.count - 1
        line += last ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) + "  "
      }
      return line.trimmingTrailingSpaces()
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
