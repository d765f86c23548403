import Foundation
import PlaybookSpec
import ProgrammeEngine

/// A client's staff as CSV, as an HR system or a spreadsheet exports it: a header row
/// (`name`, `email`, `team`, `level`, in any order; `level` may be left out when the playbook
/// names no levels) and one row per person. Read with the same care as survey answers
/// (`SurveyCSV`): commas or semicolons, a byte order mark, CRLF, quoted cells, and every
/// problem reported at its row and column, nothing taken while any row is wrong.
public enum RosterCSV {
  /// One person as a row gives them, with the row they are on.
  public struct Entry: Sendable, Hashable {
    public var name: String
    public var email: String
    public var team: String
    public var level: String
    /// The row, from 1 (the header); for messages about the person.
    public var row: Int
  }

  public static let columns = ["name", "email", "team", "level"]

  /// A file with only the header row, to fill in.
  public static func template(levels: Bool) -> String {
    (levels ? columns : Array(columns.dropLast())).joined(separator: ",") + "\r\n"
  }

  /// Reads and checks a whole roster file against the playbook's teams and levels (ids, as
  /// `Playbook.rosterTeams` and `rosterLevels` give them); the people, in file order, only
  /// when every row is valid.
  public static func people(
    from data: Data, file: String, teams: [String], levels: [String], separator: SurveyCSV.Separator? = nil
  ) throws(SurveyFileError) -> [Entry] {
    let start = SourceLocation(file: file, line: 1, column: 1)
    func fail(_ message: String, line: Int = 1) -> SurveyFileError {
      SurveyFileError([Diagnostic(message, at: SourceLocation(file: file, line: line, column: 1))])
    }
    if data.count > SurveyCSV.maximumSize {
      throw fail("the file is \(data.count) bytes, more than the limit of \(describeLimit(SurveyCSV.maximumSize))")
    }
    if let line = SurveyCSV.firstLineNotUTF8(data) {
      throw fail("the file is not UTF-8 text (from a spreadsheet, save it as \"CSV UTF-8\")", line: line)
    }
    let rows: [[String]]
    do {
      rows = try SurveyCSV.readRows(data, separator: separator ?? SurveyCSV.separator(of: data))
    } catch {
      throw SurveyFileError([Diagnostic("could not read the file as CSV: \(error)", at: start)])
    }
    var reader = Reader(file: file, teams: teams, levels: levels)
    let people = reader.read(rows)
    guard reader.diagnostics.isEmpty else { throw SurveyFileError(reader.diagnostics) }
    return people
  }

  private struct Reader {
    let file: String
    let teams: [String]
    let levels: [String]
    var diagnostics: [Diagnostic] = []
    var column: [String: Int] = [:]
    var width = 0
    var names: [String: Int] = [:]
    var emails: [String: Int] = [:]

    var required: [String] { levels.isEmpty ? ["name", "email", "team"] : RosterCSV.columns }

    mutating func read(_ rows: [[String]]) -> [Entry] {
      guard let header = rows.first, !isBlank(header), readHeader(header) else { return [] }
      var people: [Entry] = []
      for (offset, cells) in rows.enumerated().dropFirst() where !isBlank(cells) {
        if let entry = entry(cells, row: offset + 1) { people.append(entry) }
      }
      if people.isEmpty && diagnostics.isEmpty { report("the file holds nobody, only a header", row: 1, column: 1) }
      return people
    }

    mutating func readHeader(_ header: [String]) -> Bool {
      width = header.count
      let cells = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
      guard cells.contains(where: RosterCSV.columns.contains) else {
        report(
          "row 1 must be the header: " + required.joined(separator: ", ") + " (accord people template writes one)",
          row: 1, column: 1)
        return false
      }
      for (position, name) in cells.enumerated() {
        if let first = column[name] {
          report("column '\(name)' is already column \(first + 1)", row: 1, column: position + 1)
        } else if !RosterCSV.columns.contains(name) || (name == "level" && levels.isEmpty) {
          let known = required.joined(separator: ", ")
          report(
            "unknown column '\(Shown.name(name))' (known: \(known))"
              + didYouMean(closestMatch(to: name, among: required)), row: 1, column: position + 1)
        } else {
          column[name] = position
        }
      }
      let missing = required.filter { column[$0] == nil }
      if !missing.isEmpty {
        report("the header lacks " + missing.map { "'\($0)'" }.joined(separator: ", "), row: 1, column: 1)
      }
      return missing.isEmpty
    }

    mutating func entry(_ cells: [String], row: Int) -> Entry? {
      let problems = diagnostics.count
      if cells.count != width {
        report("the row has \(cells.count) values, but the header has \(width) columns", row: row, column: min(cells.count, width) + 1)
      }
      func cell(_ name: String) -> (text: String, column: Int)? {
        guard let position = column[name] else { return nil }
        return (position < cells.count ? cells[position].trimmingCharacters(in: .whitespaces) : "", position + 1)
      }
      var name = "", email = "", team = "", level = ""
      if let (text, at) = cell("name") {
        if text.isEmpty {
          report("the name is missing", row: row, column: at)
        } else if let problem = TextRules.nameProblem(text) {
          report("name '\(Shown.name(text))' \(problem)", row: row, column: at)
        } else if let first = names[text] {
          report("\(text) is already in row \(first)", row: row, column: at)
        } else {
          names[text] = row
          name = text
        }
      }
      if let (text, at) = cell("email") {
        if let problem = Programme.emailProblem(text) {
          report(text.isEmpty ? "the email address is missing" : problem, row: row, column: at)
        } else if let first = emails[text.lowercased()] {
          report("\(text) is already the address in row \(first)", row: row, column: at)
        } else {
          emails[text.lowercased()] = row
          email = text
        }
      }
      if let (text, at) = cell("team") { team = group(text, "team", among: teams, row: row, column: at) }
      if let (text, at) = cell("level") { level = group(text, "level", among: levels, row: row, column: at) }
      guard diagnostics.count == problems else { return nil }
      return Entry(name: name, email: email, team: team, level: level, row: row)
    }

    mutating func group(_ text: String, _ kind: String, among ids: [String], row: Int, column: Int) -> String {
      let known = "(known: \(ids.joined(separator: ", ")))"
      guard !text.isEmpty else {
        report("the \(kind) is missing \(known)", row: row, column: column)
        return ""
      }
      guard ids.contains(text) else {
        let hint = closestMatch(to: text, among: ids).map { "(did you mean '\($0)'?)" } ?? known
        report("unknown \(kind) '\(Shown.name(text))' \(hint)", row: row, column: column)
        return ""
      }
      return text
    }

    mutating func report(_ message: String, row: Int, column: Int) {
      diagnostics.append(Diagnostic(message, at: SourceLocation(file: file, line: row, column: column)))
    }

    func isBlank(_ cells: [String]) -> Bool { cells.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
  }
}
