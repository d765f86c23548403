import Foundation
import PlaybookSpec
import ProgrammeEngine

/// Turns CSV records into survey responses, collecting every problem with its row and
/// column. Row 1 is the header; a record whose cells are all blank is skipped.
struct ResponseReader {
  let file: String
  let survey: Survey
  private(set) var diagnostics: [Diagnostic] = []

  /// Column index (0-based) of `respondent`, `team`, `level`, and of each statement.
  private var fixed: [String: Int] = [:]
  private var statements: [(id: String, column: Int)] = []
  private var width = 0
  /// Respondent id -> the row it was first seen in.
  private var seen: [String: Int] = [:]

  init(file: String, survey: Survey) {
    self.file = file
    self.survey = survey
  }

  mutating func read(_ rows: [[String]]) -> [SurveyResponse] {
    guard let header = rows.first, !isBlank(header) else {
      report(Self.headerNeeded, row: 1, column: 1)
      return []
    }
    guard readHeader(header) else { return [] }
    var responses: [SurveyResponse] = []
    for (offset, cells) in rows.enumerated().dropFirst() where !isBlank(cells) {
      if let response = response(cells, row: offset + 1) { responses.append(response) }
    }
    if responses.isEmpty && diagnostics.isEmpty {
      report("the file holds no responses, only a header", row: 1, column: 1)
    }
    return responses
  }

  private static let headerNeeded =
    "row 1 must be the header: respondent, team, level and one column per statement id "
    + "(accord survey template writes one)"

  /// Reads the header; false when row 1 is not a header at all, so that the rows are not
  /// checked against columns that are not there.
  private mutating func readHeader(_ header: [String]) -> Bool {
    width = header.count
    let known = Survey.reservedColumns + survey.statements.map(\.id)
    let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
    // A file without its header row starts with an answer: one message says so, rather
    // than one per cell of the answer.
    guard names.contains(where: Survey.reservedColumns.contains) else {
      report(Self.headerNeeded, row: 1, column: 1)
      return false
    }
    var firstColumn: [String: Int] = [:]
    for (column, name) in names.enumerated() {
      if name.isEmpty {
        report("column \(column + 1) has no name in the header", row: 1, column: column + 1)
      } else if let first = firstColumn[name] {
        report("column \(quote(name)) is already column \(first + 1)", row: 1, column: column + 1)
      } else if !known.contains(name) {
        var message = "unknown column \(quote(name)): the survey has no statement of that id"
        if let match = closestMatch(to: name, among: known) { message += " (did you mean \(quote(match))?)" }
        report(message, row: 1, column: column + 1)
      } else {
        firstColumn[name] = column
        if Survey.reservedColumns.contains(name) {
          fixed[name] = column
        }
      }
    }
    statements = survey.statements.compactMap { statement in
      firstColumn[statement.id].map { (statement.id, $0) }
    }
    let missing = known.filter { firstColumn[$0] == nil }
    if !missing.isEmpty {
      // A file for another survey lacks most columns: name a few, not thirty.
      let shown = missing.count > 5 ? Array(missing.prefix(3)) : missing
      var names = shown.map(quote).joined(separator: ", ")
      if shown.count < missing.count { names += " and \(missing.count - shown.count) more" }
      report(
        "the header lacks \(missing.count == 1 ? "column" : "columns") \(names) "
          + "(accord survey template writes every column)", row: 1, column: 1)
    }
    return true
  }

  /// One row's response, or nil when the row has a problem (reported).
  private mutating func response(_ cells: [String], row: Int) -> SurveyResponse? {
    let problems = diagnostics.count
    if cells.count != width {
      let hint =
        cells.count < width && (cells.last?.contains(where: \.isNewline) ?? false)
        ? "; a quoted value may be missing its closing quote" : ""
      report(
        "the row has \(cells.count) values, but the header has \(width) columns\(hint)",
        row: row, column: min(cells.count, width) + 1)
    }
    func cell(_ column: Int) -> String? {
      column < cells.count ? cells[column].trimmingCharacters(in: .whitespaces) : nil
    }
    let respondent = fixed["respondent"].flatMap { column in
      self.respondent(cell(column), row: row, column: column)
    }
    let team = fixed["team"].flatMap { column in
      group(cell(column), "team", among: survey.teams.map(\.id), row: row, column: column)
    }
    let level = fixed["level"].flatMap { column in
      group(cell(column), "level", among: survey.levels.map(\.id), row: row, column: column)
    }
    var answers: [String: Int] = [:]
    for (statement, column) in statements {
      guard let text = cell(column), !text.isEmpty else { continue }  // blank: not answered
      if let score = score(text, row: row, column: column) { answers[statement] = score }
    }
    guard diagnostics.count == problems, let respondent, let team, let level else { return nil }
    return SurveyResponse(respondent: respondent, team: team, level: level, answers: answers)
  }

  /// The respondent id, once per file: a second row for the same person is reported
  /// even when the first row had problems of its own.
  private mutating func respondent(_ text: String?, row: Int, column: Int) -> String? {
    guard let text, !text.isEmpty else {
      report("the respondent id is missing", row: row, column: column + 1)
      return nil
    }
    // The engine's rule for every name (`TextRules`): no control, bidirectional or
    // zero-width character, which could make two ids look alike or reorder a report.
    if let problem = TextRules.nameProblem(text) {
      report("respondent \(quote(text)) \(problem)", row: row, column: column + 1)
      return nil
    }
    if let first = seen[text] {
      report("respondent \(quote(text)) already answered in row \(first)", row: row, column: column + 1)
      return nil
    }
    seen[text] = row
    return text
  }

  private mutating func group(_ text: String?, _ kind: String, among ids: [String], row: Int, column: Int)
    -> String?
  {
    let known = "(known: \(ids.joined(separator: ", ")))"
    guard let text, !text.isEmpty else {
      report("the \(kind) is missing \(known)", row: row, column: column + 1)
      return nil
    }
    guard ids.contains(text) else {
      let hint = closestMatch(to: text, among: ids).map { "(did you mean \(quote($0))?)" } ?? known
      report("unknown \(kind) \(quote(text)) \(hint)", row: row, column: column + 1)
      return nil
    }
    return text
  }

  private mutating func score(_ text: String, row: Int, column: Int) -> Int? {
    let (minimum, maximum) = (survey.scale.minimum, survey.scale.maximum)
    guard let score = Int(text) else {
      let problem = Double(text) == nil ? "not a number" : "not a whole number"
      report(
        "\(quote(text)) is \(problem): a score is a whole number from \(minimum) to \(maximum), "
          + "or blank if not answered",
        row: row, column: column + 1)
      return nil
    }
    guard survey.scale.contains(score) else {
      report("score \(score) is outside the scale \(minimum)-\(maximum)", row: row, column: column + 1)
      return nil
    }
    return score
  }

  private mutating func report(_ message: String, row: Int, column: Int) {
    diagnostics.append(Diagnostic(message, at: SourceLocation(file: file, line: row, column: column)))
  }

  private func isBlank(_ cells: [String]) -> Bool {
    cells.allSatisfy { $0.allSatisfy(\.isWhitespace) }
  }

  /// In single quotes for a one-line message, control characters escaped, long values cut.
  private func quote(_ text: String) -> String {
    var shown = ""
    for scalar in text.unicodeScalars.prefix(60) {
      // Controls as Swift writes them (\n); a format character such as an override as \u{202E}.
      shown += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : Shown.name(String(scalar))
    }
    return "'" + shown + (text.unicodeScalars.count > 60 ? "...'" : "'")
  }
}
