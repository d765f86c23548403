import PlaybookSpec
import ProgrammeEngine

/// Every problem found in a survey response file, each at its row and column (row 1 is
/// the header, columns count from 1, as a spreadsheet numbers them). Never empty.
///
/// Printed one per line as `answers.csv:4:5: error: score 7 is outside the scale 1-5`.
public struct SurveyFileError: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics.sorted { $0.location < $1.location }
  }

  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
