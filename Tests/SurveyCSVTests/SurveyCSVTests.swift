import Foundation
import PlaybookSpec
import ProgrammeEngine
import SurveyCSV
import Testing

/// Response files against the survey in `Fixtures/valid/survey.yaml` (scale 0-10; teams
/// sales, marketing; levels manager, individual; statements goals-agreed, goals-visible,
/// trust-credit). Invalid files have golden `.expected.txt` diagnostics.
@Suite struct SurveyCSVTests {
  static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "Fixtures")
  static let survey: Survey = {
    let data = try! Data(contentsOf: fixtures.appending(path: "valid/survey.yaml"))
    return try! Playbook.parse(data, file: "survey.yaml").survey!
  }()

  static func read(_ name: String) throws(SurveyFileError) -> [SurveyResponse] {
    let data = (try? Data(contentsOf: fixtures.appending(path: name))) ?? Data()
    return try SurveyCSV.responses(from: data, file: name, survey: survey)
  }

  static var invalidFiles: [String] {
    let folder = fixtures.appending(path: "responses/invalid").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".csv") }.sorted().map { "responses/invalid/\($0)" }
  }

  /// A line break inside quotes is read as part of its value, but a respondent id may hold
  /// none (`TextRules`): responses/invalid/line-break-in-respondent.csv is refused at its row.
  @Test func quotesCommasAndLineBreaksInsideQuotes() throws {
    let responses = try Self.read("responses/valid/quoted.csv")
    #expect(responses.map(\.respondent) == ["r1", "r,2", "r 3", "r\"4"])
    #expect(responses[0].answers == ["goals-agreed": 7, "goals-visible": 8, "trust-credit": 9])
    // Quoted numbers are numbers; blank cells are not answered; spaces around a value go.
    #expect(responses[1].answers == ["goals-agreed": 10, "trust-credit": 0])
    #expect(responses[2].answers == ["goals-agreed": 5, "goals-visible": 5])
    #expect(responses[3].answers == ["goals-agreed": 6, "goals-visible": 7, "trust-credit": 8])
    #expect(responses[1].team == "marketing" && responses[1].level == "individual")
  }

  @Test func byteOrderMarkCRLFAndColumnsInAnyOrder() throws {
    let responses = try Self.read("responses/valid/bom-crlf.csv")
    // The row of empty cells is skipped; r2 answered nothing, which is allowed.
    #expect(responses.map(\.respondent) == ["r1", "r2", "r3"])
    #expect(responses[0].answers == ["trust-credit": 1, "goals-visible": 2, "goals-agreed": 3])
    #expect(responses[1].answers.isEmpty)
    #expect(responses[2].team == "marketing")
  }

  @Test func theTemplateIsAHeaderTheImportAccepts() throws {
    let template = SurveyCSV.template(for: Self.survey)
    #expect(template == "respondent,team,level,goals-agreed,goals-visible,trust-credit\r\n")
    let filled = template + "r1,sales,manager,1,2,3\r\n"
    let responses = try SurveyCSV.responses(from: Data(filled.utf8), file: "t.csv", survey: Self.survey)
    #expect(responses.count == 1)
  }

  @Test(arguments: invalidFiles)
  func invalidFilesReportEveryProblemWithRowAndColumn(_ name: String) throws {
    let error = try #require(throws: SurveyFileError.self) { try Self.read(name) }
    #expect(error.diagnostics.allSatisfy { $0.location.file == name })
    let golden = Self.fixtures.appending(path: String(name.dropLast(".csv".count)) + ".expected.txt")
    let actual = error.description + "\n"
    if ProcessInfo.processInfo.environment["ACCORD_RECORD"] == "1" {
      try actual.write(to: golden, atomically: true, encoding: .utf8)
      Issue.record("recorded \(golden.lastPathComponent); check it by eye, then run again")
      return
    }
    let expected = try? String(contentsOf: golden, encoding: .utf8)
    #expect(actual == expected, "no or different golden file for \(name)")
  }

  @Test func thereAreSeveralInvalidFiles() {
    #expect(Self.invalidFiles.count >= 6)
  }

  @Test func aFileOverTheLimitIsRefusedBeforeReading() throws {
    let data = Data(count: SurveyCSV.maximumSize + 1)
    let error = try #require(throws: SurveyFileError.self) {
      try SurveyCSV.responses(from: data, file: "big.csv", survey: Self.survey)
    }
    #expect(error.description == "big.csv:1:1: error: the file is 16777217 bytes, more than the limit of 16777216 bytes (16 MiB)")
  }
}
