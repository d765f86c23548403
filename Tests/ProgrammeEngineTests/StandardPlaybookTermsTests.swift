import Foundation
import PlaybookSpec
import Testing

@testable import ProgrammeEngine

/// The standard playbook's terms hashes, computed independently (Python's json.dumps of the
/// documented canonical form, see docs/state-format.md): version 2's are what they always
/// were, so every signature on them still counts; version 3 changes only the metrics
/// agreement's, by its targets.
@Suite struct StandardPlaybookTermsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func hashes(_ path: String) throws -> [String: String] {
    let text = try String(contentsOf: root.appending(path: path), encoding: .utf8)
    let playbook = try Playbook.parse(text, file: path)
    return Dictionary(uniqueKeysWithValues: playbook.stages.flatMap(\.agreements).map { ($0.id, $0.termsHash) })
  }

  @Test func version2HashesAreUnchanged() throws {
    #expect(try Self.hashes("Tests/Fixtures/valid/alignment-v2.yaml") == [
      "collaboration-charter": "d220a3c110cd44a73232446bd0270ed464e9b9851554757da8e9540c085dde54",
      "metrics-agreement": "fd5a4231aa6755c336442dd3a3a4a49ff33773a5aee7fb2fee619919b1598036",
    ])
  }

  @Test func version3ChangesOnlyTheMetricsAgreementByItsTargets() throws {
    #expect(try Self.hashes("playbooks/alignment.yaml") == [
      "collaboration-charter": "d220a3c110cd44a73232446bd0270ed464e9b9851554757da8e9540c085dde54",
      "metrics-agreement": "5a14b3cae5a475125e040a6dfe5a7f102add2edd7a905eb4c039a6f45e56844d",
    ])
  }
}
