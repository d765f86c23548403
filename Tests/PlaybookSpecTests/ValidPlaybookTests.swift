import Foundation
import PlaybookSpec
import Testing

@Suite struct ValidPlaybookTests {
  @Test(arguments: Fixtures.yamlFiles(in: "valid"))
  func parsesWithoutDiagnostics(_ name: String) throws {
    let data = try Fixtures.data(name)
    do {
      let playbook = try Playbook.parse(data, file: name)
      #expect(!playbook.stages.isEmpty)
    } catch {
      Issue.record("\(name) should be valid:\n\(error)")
    }
  }

  @Test func thereAreSeveralValidFixtures() {
    #expect(Fixtures.yamlFiles(in: "valid").count >= 4)
  }

  @Test func standardProgrammeIsValid() throws {
    let url = Fixtures.playbooks.appending(path: "alignment.yaml")
    let data = try Data(contentsOf: url)
    let playbook: Playbook
    do {
      playbook = try Playbook.parse(data, file: "playbooks/alignment.yaml")
    } catch {
      Issue.record("playbooks/alignment.yaml should be valid:\n\(error)")
      return
    }
    #expect(playbook.id == "sales-marketing-alignment")
    #expect(playbook.stages.map(\.id) == ["benchmark", "coaching", "implementation", "sustain"])
    let roles = Set(playbook.roles.map(\.id))
    #expect(roles.isSuperset(of: ["consultant", "czar", "head-of-sales", "head-of-marketing", "sponsor"]))

    let coaching = playbook.stages[1]
    #expect(coaching.agreements.map(\.id) == ["collaboration-charter", "metrics-agreement"])
    for agreement in coaching.agreements {
      #expect(agreement.signatories.map(\.id) == ["head-of-sales", "head-of-marketing", "sponsor"])
      #expect(!agreement.needs.isEmpty)
    }
    let gate = try #require(playbook.stages[2].gate)
    #expect(gate.agreements.map(\.id) == ["collaboration-charter", "metrics-agreement"])
    #expect((15...30).contains(playbook.summary.milestones))
  }

  @Test func richFixtureKeepsEveryField() throws {
    let name = "valid/rich.yaml"
    let playbook = try Playbook.parse(try Fixtures.data(name), file: name)
    #expect(playbook.id == "rich-example")
    #expect(playbook.version == 12)
    #expect(playbook.description?.hasPrefix("Uses every key") == true)
    #expect(playbook.roles.map(\.id) == ["consultant", "czar", "head-of-sales", "head-of-marketing", "sponsor"])
    #expect(playbook.roles[1].title == "Collaboration czar")
    #expect(playbook.roles[1].location == PlaybookSpec.SourceLocation(file: name, line: 10, column: 3))

    let benchmark = playbook.stages[0]
    #expect(benchmark.description == "Measure where the teams stand.")
    #expect(benchmark.location == PlaybookSpec.SourceLocation(file: name, line: 15, column: 5))
    let survey = benchmark.milestones[1]
    #expect(survey.owner == Reference("consultant", at: .init(file: name, line: 25, column: 16)))
    #expect(survey.needs == [Reference("stakeholder-map", at: .init(file: name, line: 26, column: 17))])

    let charter = playbook.stages[1].agreements[0]
    #expect(charter.terms == "We will meet every week.\nWe will share one pipeline.\n")
    #expect(charter.signatories.map(\.id) == ["head-of-sales", "head-of-marketing", "sponsor"])
    #expect(charter.needs.map(\.id) == ["processes-drafted"])
    #expect(playbook.stages[1].milestones[1].gate?.agreements.map(\.id) == ["collaboration-charter"])

    let gate = try #require(playbook.stages[2].gate)
    #expect(gate.agreements.map(\.id) == ["collaboration-charter"])
    #expect(gate.milestones.map(\.id) == ["celebrate"])
    #expect(gate.location.line == 53)
  }

  @Test func flowStyleReadsQuotedAndNumericText() throws {
    let name = "valid/flow-style.yaml"
    let playbook = try Playbook.parse(try Fixtures.data(name), file: name)
    #expect(playbook.title == "2024")
    #expect(playbook.version == 2)
    #expect(playbook.roles.map(\.id) == ["consultant", "czar", "1st-line"])
    #expect(playbook.stages[1].gate?.milestones.map(\.id) == ["a"])
  }

  @Test func byteOrderMarkAndCRLFAreAccepted() throws {
    let name = "valid/windows-line-endings.yaml"
    let playbook = try Playbook.parse(try Fixtures.data(name), file: name)
    #expect(playbook.title == "Windows line endings")
    #expect(playbook.stages[0].milestones[0].owner.location.line == 13)
  }
}
