import Foundation
import PlaybookSpec
import Testing

/// The `survey:` key and `evidence:` on milestones.
@Suite struct SurveyTests {
  static let name = "valid/survey.yaml"

  static func parse(_ text: String) throws -> Playbook {
    try Playbook.parse(text, file: "t.yaml")
  }

  @Test func surveyFixtureKeepsEveryField() throws {
    let playbook = try Playbook.parse(try Fixtures.data(Self.name), file: Self.name)
    let survey = try #require(playbook.survey)
    #expect(survey.scale == Survey.Scale(minimum: 0, maximum: 10))
    #expect(survey.anonymity == 5)
    #expect(survey.teams.map(\.id) == ["sales", "marketing"])
    #expect(survey.levels.map(\.title) == ["Managers", "Individual contributors"])
    #expect(survey.dimensions.map(\.id) == ["goals", "trust"])
    #expect(survey.statements.map(\.id) == ["goals-agreed", "goals-visible", "trust-credit"])
    #expect(survey.dimensions[1].statements[0].text == "The other team gives us credit for our share of a win.")
    // Statements are located at their ids, like roles, so a clash is reported there.
    #expect(survey.statements[1].location == SourceLocation(file: Self.name, line: 35, column: 9))
    #expect(survey.location == SourceLocation(file: Self.name, line: 21, column: 3))
    #expect(playbook.stages[0].milestones.map(\.evidence) == [.survey, nil])
  }

  @Test func scaleAndAnonymityHaveDefaults() throws {
    let playbook = try Self.parse(
      """
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      stages:
        - {id: s, title: S, milestones: [{id: m, title: M, owner: consultant}]}
      survey:
        teams: {sales: Sales}
        levels: {all: Everyone}
        dimensions:
          - {id: d, title: D, statements: {d-1: One}}
      """)
    let survey = try #require(playbook.survey)
    #expect(survey.scale == Survey.Scale(minimum: 1, maximum: 5))
    #expect(survey.anonymity == 3)
  }

  @Test func aPlaybookWithoutASurveyHasNone() throws {
    let playbook = try Playbook.parse(try Fixtures.data("valid/minimal.yaml"), file: "m.yaml")
    #expect(playbook.survey == nil)
    #expect(playbook.stages.flatMap(\.milestones).allSatisfy { $0.evidence == nil })
  }

  @Test func theStandardPlaybookShipsARealSurvey() throws {
    let url = Fixtures.playbooks.appending(path: "alignment.yaml")
    let playbook = try Playbook.parse(try Data(contentsOf: url), file: "alignment.yaml")
    let survey = try #require(playbook.survey)
    #expect(survey.teams.map(\.id) == ["sales", "marketing", "leadership"])
    #expect(survey.levels.map(\.id) == ["executive", "manager", "individual"])
    #expect(survey.dimensions.count >= 6)
    #expect(survey.dimensions.allSatisfy { (3...4).contains($0.statements.count) })
    let milestone = playbook.stages[0].milestones.first { $0.id == "collaboration-survey" }
    #expect(milestone?.evidence == .survey)
  }
}
