import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV
import Testing

/// Excel saves CSV with semicolons in locales whose decimal mark is a comma: the header row
/// says which separator a file uses, and every diagnostic is the same either way.
@Suite struct SeparatorTests {
  @Test(arguments: [
    ("respondent,team,level\n", SurveyCSV.Separator.comma),
    ("respondent;team;level\r\n", .semicolon),
    ("\u{FEFF}respondent;team;level\n", .semicolon),
    ("\"respondent\";\"team, or group\";level\n", .semicolon),  // a comma inside quotes
    ("respondent;team,level,x\n", .comma),  // more commas than semicolons
    ("\nrespondent;team;level\n", .semicolon),  // a blank first line is no header
    ("respondent\n", .comma),
    ("", .comma),
  ])
  func theHeaderRowTellsTheSeparator(text: String, separator: SurveyCSV.Separator) {
    #expect(SurveyCSV.separator(of: Data(text.utf8)) == separator)
  }

  /// A file with every comma outside quotes turned into a semicolon.
  static func semicolons(_ data: Data) -> Data {
    var quoted = false
    return Data(data.map { byte in
      if byte == UInt8(ascii: "\"") { quoted.toggle() }
      return byte == UInt8(ascii: ",") && !quoted ? UInt8(ascii: ";") : byte
    })
  }

  static func diagnostics(_ data: Data, _ name: String) -> [String] {
    do {
      _ = try SurveyCSV.responses(from: data, file: name, survey: SurveyCSVTests.survey)
      return []
    } catch {
      return error.diagnostics.map(\.description)
    }
  }

  @Test(arguments: SurveyCSVTests.invalidFiles)
  func everyLocatedDiagnosticIsTheSameWithSemicolons(name: String) throws {
    let data = try Data(contentsOf: SurveyCSVTests.fixtures.appending(path: name))
    let commas = Self.diagnostics(data, name)
    #expect(!commas.isEmpty)
    #expect(Self.diagnostics(Self.semicolons(data), name) == commas)
  }

  @Test func aValidFileReadsTheSameWithSemicolons() throws {
    let data = try Data(contentsOf: SurveyCSVTests.fixtures.appending(path: "responses/valid/quoted.csv"))
    let commas = try SurveyCSV.responses(from: data, file: "q.csv", survey: SurveyCSVTests.survey)
    let semicolons = try SurveyCSV.responses(from: Self.semicolons(data), file: "q.csv", survey: SurveyCSVTests.survey)
    #expect(semicolons == commas)
    #expect(SurveyCSV.separator(of: Self.semicolons(data)) == .semicolon)
  }
}
