import CSV
import Foundation
import PlaybookSpec
import ProgrammeEngine

/// Survey answers as CSV, the way survey tools and spreadsheets exchange them: a header
/// row (`respondent`, `team`, `level`, then one column per statement id, in any order)
/// and one row per respondent.
///
/// Reading is done by CSV.swift, which handles quoting, separators and line breaks inside
/// quotes, CRLF and a byte order mark; this type checks what the cells say against the
/// survey and reports every problem at once. Cells are separated by commas, or by
/// semicolons as Excel saves CSV in locales whose decimal mark is a comma: the header row
/// tells which (see `separator(of:)`).
public enum SurveyCSV {
  /// What separates the cells of a row.
  public enum Separator: String, Sendable, CaseIterable {
    case comma = ","
    case semicolon = ";"

    /// How a person names it: `comma` or `semicolon`.
    public var name: String {
      switch self {
      case .comma: "comma"
      case .semicolon: "semicolon"
      }
    }
  }

  /// The separator the file's header row uses: the one of `,` and `;` it holds more of
  /// outside quotes (the header's cells are ids, which hold neither), a comma on a tie.
  public static func separator(of data: Data) -> Separator {
    var commas = 0
    var semicolons = 0
    var quoted = false
    for byte in data {
      switch byte {
      case UInt8(ascii: "\""): quoted.toggle()
      case UInt8(ascii: ","): if !quoted { commas += 1 }
      case UInt8(ascii: ";"): if !quoted { semicolons += 1 }
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        // The end of the header, unless it is blank (a blank first line is no header).
        if !quoted && commas + semicolons > 0 { return semicolons > commas ? .semicolon : .comma }
      default: break
      }
    }
    return semicolons > commas ? .semicolon : .comma
  }

  /// The largest response file accepted, 16 MiB: thousands of respondents fit easily.
  public static let maximumSize = 16 * 1024 * 1024

  /// A file with only the header row, for a survey tool or spreadsheet to fill. Lines
  /// end in CRLF, as RFC 4180 has it.
  public static func template(for survey: Survey) -> String {
    (Survey.reservedColumns + survey.statements.map(\.id)).map(SpreadsheetCell.text).joined(separator: ",") + "\r\n"
  }

  /// Reads and checks a whole response file; returns the responses, in file order, only
  /// when every row is valid.
  ///
  /// - Parameter file: the name put in every diagnostic, usually the path as typed.
  /// - Parameter separator: what separates cells; by default, what the header row uses.
  /// - Throws: every problem found, each at its row and column (a column is a cell's
  ///   position in its row, whatever the separator).
  public static func responses(
    from data: Data, file: String, survey: Survey, separator: Separator? = nil
  ) throws(SurveyFileError) -> [SurveyResponse] {
    let start = SourceLocation(file: file, line: 1, column: 1)
    if data.count > maximumSize {
      throw SurveyFileError([
        Diagnostic(
          "the file is \(data.count) bytes, more than the limit of \(describeLimit(maximumSize))",
          at: start)
      ])
    }
    if let line = firstLineNotUTF8(data) {
      throw SurveyFileError([
        Diagnostic(
          "the file is not UTF-8 text (from a spreadsheet, save it as \"CSV UTF-8\")",
          at: SourceLocation(file: file, line: line, column: 1))
      ])
    }
    let rows: [[String]]
    do {
      rows = try readRows(data, separator: separator ?? Self.separator(of: data))
    } catch {
      throw SurveyFileError([Diagnostic("could not read the file as CSV: \(error)", at: start)])
    }
    var reader = ResponseReader(file: file, survey: survey)
    let responses = reader.read(rows)
    guard reader.diagnostics.isEmpty else { throw SurveyFileError(reader.diagnostics) }
    return responses
  }

  /// Every record, in order: the record's position is its row number. A blank line is a
  /// record of one empty field, so row numbers match what a spreadsheet shows.
  static func readRows(_ data: Data, separator: Separator) throws -> [[String]] {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    // The reader needs at least one byte past a byte order mark to open its stream.
    guard data.count > (data.starts(with: bom) ? bom.count : 0) else { return [] }
    let reader = try CSVReader(
      stream: InputStream(data: data), hasHeaderRow: false,
      delimiter: separator == .semicolon ? ";" : ",")
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    if let error = reader.error { throw error }
    return rows
  }

  /// The 1-based line of the first bytes that are not UTF-8, or nil when all are. A line
  /// break byte never occurs inside a UTF-8 sequence, so each line can be checked alone.
  static func firstLineNotUTF8(_ data: Data) -> Int? {
    guard String(validating: data, as: UTF8.self) == nil else { return nil }
    for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
    where String(validating: line, as: UTF8.self) == nil {
      return number + 1
    }
    return 1
  }
}
