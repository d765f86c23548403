import Foundation
import PlaybookSpec
import Testing

@Suite struct SummaryTests {
  @Test(arguments: [
    (PlaybookSummary(stages: 4, milestones: 22, agreements: 2, gates: 1), "4 stages, 22 milestones, 2 agreements, 1 gate"),
    (PlaybookSummary(stages: 1, milestones: 1, agreements: 1, gates: 2), "1 stage, 1 milestone, 1 agreement, 2 gates"),
    (PlaybookSummary(stages: 1, milestones: 3, agreements: 0, gates: 0), "1 stage, 3 milestones, 0 agreements, 0 gates"),
  ])
  func describesCountsWithPlurals(_ summary: PlaybookSummary, _ expected: String) {
    #expect(summary.description == expected)
  }

  @Test func countsStageAndMilestoneGates() throws {
    let name = "valid/milestone-gates.yaml"
    let playbook = try Playbook.parse(try Fixtures.data(name), file: name)
    #expect(playbook.summary == PlaybookSummary(stages: 2, milestones: 3, agreements: 2, gates: 3))
    #expect(playbook.summary.description == "2 stages, 3 milestones, 2 agreements, 3 gates")
  }

  @Test func standardProgramme() throws {
    let data = try Data(contentsOf: Fixtures.playbooks.appending(path: "alignment.yaml"))
    let playbook = try Playbook.parse(data, file: "alignment.yaml")
    #expect(playbook.summary.description == "4 stages, 24 milestones, 2 agreements, 1 gate")
  }
}
