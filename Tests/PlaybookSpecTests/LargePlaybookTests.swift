import Foundation
import PlaybookSpec
import Testing

/// Generated playbooks far bigger than any real one: validation must stay linear.
@Suite struct LargePlaybookTests {
  /// `stages` stages of `milestones` milestones, each needing the one before it (so the
  /// needs form one chain through the whole playbook), one agreement per stage that the
  /// next stage's gate waits for, and a milestone gate in every stage.
  static func generated(stages: Int, milestones: Int, closeTheLoop: Bool = false) -> String {
    var text = """
      playbook: generated
      version: 1
      title: Generated
      roles:
        consultant: Consultant
        sponsor: Sponsor
      stages:

      """
    var previous: String?
    for stage in 0..<stages {
      text += "  - id: s\(stage)\n    title: Stage \(stage)\n"
      if stage > 0 {
        text += "    gate: {agreements: [a\(stage - 1)]}\n"
      }
      text += "    milestones:\n"
      for milestone in 0..<milestones {
        let id = "m\(stage)-\(milestone)"
        text += "      - id: \(id)\n        title: Milestone \(id)\n        owner: consultant\n"
        if let previous {
          text += "        needs: [\(previous)]\n"
        } else if closeTheLoop {
          text += "        needs: [m\(stage)-\(milestones - 1)]\n"
        }
        if milestone == milestones - 1 {
          text += "        gate: {agreements: [a\(stage)]}\n"
        }
        previous = id
      }
      text += "    agreements:\n      - {id: a\(stage), title: A, signatories: [sponsor], needs: [m\(stage)-0]}\n"
      if closeTheLoop { previous = nil }
    }
    return text
  }

  /// Speed is the benchmark's business (scripts/bench), not a unit test's: here the
  /// large playbook must simply come through whole, its long needs chain included.
  @Test func twentyThousandMilestonesValidate() throws {
    let text = Self.generated(stages: 200, milestones: 100)
    let playbook = try Playbook.parse(text, file: "generated.yaml")
    #expect(playbook.summary.description == "200 stages, 20000 milestones, 200 agreements, 399 gates")
  }

  @Test func manyLongCyclesAreEachReportedOnce() throws {
    let text = Self.generated(stages: 100, milestones: 100, closeTheLoop: true)
    let error = try #require(throws: PlaybookError.self) { try Playbook.parse(text, file: "loops.yaml") }
    let cycles = error.diagnostics.filter { $0.message.hasPrefix("needs form a cycle: ") }
    #expect(cycles.count == 100)
    #expect(cycles[0].message.contains(" -> ... -> "))
    // Each stage's last milestone also waits for an agreement that needs the first
    // milestone, which needs the last: a second, real, deadlock per stage.
    let gates = error.diagnostics.filter { $0.message.hasPrefix("gate of milestone ") }
    #expect(gates.count == 100)
    #expect(gates[0].message.hasSuffix(", which needs milestone 'm0-0', which needs milestone 'm0-99'"))
  }
}
