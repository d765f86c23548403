/// How big a playbook is, for a one-line confirmation such as
/// `4 stages, 22 milestones, 2 agreements, 1 gate`.
public struct PlaybookSummary: Sendable, Hashable, CustomStringConvertible {
  public var stages: Int
  public var milestones: Int
  public var agreements: Int
  /// Stage gates and milestone gates together.
  public var gates: Int

  public init(stages: Int, milestones: Int, agreements: Int, gates: Int) {
    self.stages = stages
    self.milestones = milestones
    self.agreements = agreements
    self.gates = gates
  }

  public var description: String {
    [
      Self.count(stages, "stage"), Self.count(milestones, "milestone"),
      Self.count(agreements, "agreement"), Self.count(gates, "gate"),
    ].joined(separator: ", ")
  }

  private static func count(_ number: Int, _ noun: String) -> String {
    number == 1 ? "1 \(noun)" : "\(number) \(noun)s"
  }
}

extension Playbook {
  /// Counts of what the playbook defines.
  public var summary: PlaybookSummary {
    var summary = PlaybookSummary(stages: stages.count, milestones: 0, agreements: 0, gates: 0)
    for stage in stages {
      summary.milestones += stage.milestones.count
      summary.agreements += stage.agreements.count
      summary.gates += (stage.gate == nil ? 0 : 1) + stage.milestones.count { $0.gate != nil }
    }
    return summary
  }
}
