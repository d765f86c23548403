import PlaybookSpec
import ProgrammeEngine
import Testing

/// What a survey response may hold: the playbook's survey decides, the engine checks.
@Suite struct SurveyResponseTests {
  static let survey = Survey(
    teams: [.init(id: "sales", title: "Sales", location: here)],
    levels: [.init(id: "manager", title: "Managers", location: here)],
    dimensions: [
      .init(
        id: "goals", title: "Goals",
        statements: [.init(id: "g1", text: "One", location: here), .init(id: "g2", text: "Two", location: here)],
        location: here)
    ],
    location: here)
  static let here = SourceLocation(file: "t.yaml", line: 1, column: 1)

  static func response(team: String = "sales", level: String = "manager", _ answers: [String: Int])
    -> SurveyResponse
  {
    SurveyResponse(respondent: "r1", team: team, level: level, answers: answers)
  }

  @Test(arguments: [
    (response(["g1": 1, "g2": 5]), nil),
    (response([:]), nil),
    (response(team: "marketing", ["g1": 3]), "respondent 'r1': unknown team 'marketing'"),
    (response(level: "boss", ["g1": 3]), "respondent 'r1': unknown level 'boss'"),
    (response(["g3": 3]), "respondent 'r1': unknown statement 'g3'"),
    (response(["g1": 0]), "respondent 'r1': score 0 for 'g1' is outside the scale 1-5"),
    (response(["g2": 6]), "respondent 'r1': score 6 for 'g2' is outside the scale 1-5"),
  ])
  func responsesAreCheckedAgainstTheSurvey(_ response: SurveyResponse, _ problem: String?) {
    #expect(Self.survey.problem(with: response) == problem)
  }

  @Test func aBlankRespondentIsRefused() {
    let blank = SurveyResponse(respondent: "  ", team: "sales", level: "manager", answers: [:])
    #expect(Self.survey.problem(with: blank) == "a respondent id must not be blank")
  }
}
