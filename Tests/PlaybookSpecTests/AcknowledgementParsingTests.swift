import Foundation
import PlaybookSpec
import Testing

/// `acknowledged-by`, `affirmed` and the roster's top-level `teams:`/`levels:` as the model holds them.
@Suite struct AcknowledgementParsingTests {
  @Test func theEveryonePlaybookReadsIntoTheModel() throws {
    let playbook = try Playbook.parse(try Fixtures.data("valid/everyone.yaml"), file: "everyone.yaml")
    #expect(playbook.rosterTeams.map(\.id) == ["sales", "marketing"])
    #expect(playbook.rosterLevels.map(\.id) == ["staff", "manager"])
    let agreement = try #require(playbook.stages[0].agreements.first)
    #expect(agreement.acknowledgedBy?.teams.map(\.id) == ["sales", "marketing"])
    #expect(agreement.acknowledgedBy?.quorum == .percent(80))
    #expect(playbook.stages[2].gate?.affirmed.map(\.id) == ["lead-sla"])
    #expect(playbook.stages[2].gate?.agreements.isEmpty == true)
  }

  @Test func theSurveysTeamsAreTheRostersWhenThePlaybookNamesNoneOfItsOwn() throws {
    let text = """
      playbook: p
      version: 1
      title: P
      roles: {consultant: Consultant}
      stages:
        - id: s
          title: S
          milestones: [{id: m, title: M, owner: consultant}]
          agreements:
            - {id: a, title: A, signatories: [consultant], acknowledged-by: {teams: [sales]}}
      survey:
        teams: {sales: Sales, marketing: Marketing}
        levels: {staff: Staff}
        dimensions:
          - id: d
            title: D
            statements: {q1: We talk.}
      """
    let playbook = try Playbook.parse(Data(text.utf8), file: "p.yaml")
    #expect(playbook.teams.isEmpty)
    #expect(playbook.rosterTeams.map(\.id) == ["sales", "marketing"])
    #expect(playbook.rosterLevels.map(\.id) == ["staff"])
    #expect(playbook.stages[0].agreements[0].acknowledgedBy?.quorum == .all)
  }
}
