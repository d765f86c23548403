import SeededRandom

/// A random valid playbook, kept in plain values of its own so that the reference model in
/// the property tests reads the rules from here and not from the code under test.
///
/// Validity by construction: milestones are numbered in file order and every reference
/// (`needs`, gates, an agreement's `needs`) points to a lower number; an agreement has an
/// "anchor", and only milestones at or after it may wait for it; a stage gate names only
/// earlier stages' agreements and milestones. So nothing can wait on itself.
struct GeneratedPlaybook {
  struct Gate {
    var agreements: [String] = []
    var milestones: [String] = []
    var isEmpty: Bool { agreements.isEmpty && milestones.isEmpty }
  }

  struct Milestone {
    var id: String
    var stage: Int
    var owner: String
    var needs: [String]
    var gate: Gate?
  }

  struct Agreement {
    var id: String
    var stage: Int
    var signatories: [String]
    var needs: [String]
    /// Only milestones numbered from here on may be gated by this agreement.
    var anchor: Int
  }

  var roles: [String]
  var stageCount: Int
  var stageGates: [Gate?]
  var milestones: [Milestone]
  var agreements: [Agreement]

  func milestones(inStage stage: Int) -> [Milestone] { milestones.filter { $0.stage == stage } }
  func milestone(_ id: String) -> Milestone? { milestones.first { $0.id == id } }
  func agreement(_ id: String) -> Agreement? { agreements.first { $0.id == id } }

  init(using random: inout SeededRandom) {
    let extra = Int.random(in: 1...3, using: &random)
    roles = ["consultant", "czar"] + (1...extra).map { "r\($0)" }
    stageCount = Int.random(in: 1...4, using: &random)
    stageGates = []
    milestones = []
    agreements = []
    for stage in 0..<stageCount {
      // The stage gate: earlier stages' agreements and milestones only.
      var gate = Gate()
      if stage > 0 && Bool.random(using: &random) {
        let earlierAgreements = agreements.map(\.id)
        gate.agreements = Self.pick(earlierAgreements, upTo: 2, using: &random)
        if gate.agreements.isEmpty || Bool.random(using: &random) {
          gate.milestones = Self.pick(milestones.map(\.id), upTo: 1, using: &random)
        }
      }
      stageGates.append(gate.isEmpty ? nil : gate)

      let first = milestones.count
      let count = Int.random(in: 1...4, using: &random)
      // Agreements first, so the stage's milestones can be gated by them.
      for index in 0..<Int.random(in: 0...2, using: &random) {
        let anchor = Int.random(in: 0...(first + count - 1), using: &random)
        let before = milestones.map(\.id) + (first..<(first + count)).map { Self.milestoneID(stage, $0 - first) }
        agreements.append(
          Agreement(
            id: "s\(stage)a\(index)", stage: stage,
            signatories: Self.pick(Array(roles.dropFirst()), upTo: 2, atLeastOne: true, using: &random),
            needs: Self.pick(Array(before.prefix(anchor)), upTo: 2, using: &random), anchor: anchor))
      }
      for index in 0..<count {
        let number = first + index
        let earlier = milestones.map(\.id)
        var gate = Gate()
        if Int.random(in: 0..<3, using: &random) == 0 {
          let open = agreements.filter { $0.anchor <= number }.map(\.id)
          gate.agreements = Self.pick(open, upTo: 1, using: &random)
          if gate.agreements.isEmpty { gate.milestones = Self.pick(earlier, upTo: 1, using: &random) }
        }
        milestones.append(
          Milestone(
            id: Self.milestoneID(stage, index), stage: stage, owner: roles.randomElement(using: &random)!,
            needs: Self.pick(earlier, upTo: 2, using: &random), gate: gate.isEmpty ? nil : gate))
      }
    }
  }

  static func milestoneID(_ stage: Int, _ index: Int) -> String { "s\(stage)m\(index)" }

  /// Up to `limit` distinct elements of `items`, in their order.
  static func pick(_ items: [String], upTo limit: Int, atLeastOne: Bool = false, using random: inout SeededRandom)
    -> [String]
  {
    guard !items.isEmpty else { return [] }
    let count = Int.random(in: (atLeastOne ? 1 : 0)...min(limit, items.count), using: &random)
    let chosen = Set(items.shuffled(using: &random).prefix(count))
    return items.filter(chosen.contains)
  }

  /// The playbook as YAML, in flow style where it is short.
  var yaml: String {
    func list(_ ids: [String]) -> String { "[" + ids.joined(separator: ", ") + "]" }
    func gate(_ gate: Gate) -> String {
      var parts: [String] = []
      if !gate.agreements.isEmpty { parts.append("agreements: \(list(gate.agreements))") }
      if !gate.milestones.isEmpty { parts.append("milestones: \(list(gate.milestones))") }
      return "{" + parts.joined(separator: ", ") + "}"
    }
    var text = "playbook: generated\nversion: 1\ntitle: Generated\nroles:\n"
    for role in roles { text += "  \(role): Role \(role)\n" }
    text += "stages:\n"
    for stage in 0..<stageCount {
      text += "  - id: s\(stage)\n    title: Stage \(stage)\n"
      if let stageGate = stageGates[stage] { text += "    gate: \(gate(stageGate))\n" }
      text += "    milestones:\n"
      for milestone in milestones(inStage: stage) {
        var fields = ["id: \(milestone.id)", "title: M", "owner: \(milestone.owner)"]
        if !milestone.needs.isEmpty { fields.append("needs: \(list(milestone.needs))") }
        if let milestoneGate = milestone.gate { fields.append("gate: \(gate(milestoneGate))") }
        text += "      - {" + fields.joined(separator: ", ") + "}\n"
      }
      let agreements = agreements.filter { $0.stage == stage }
      if !agreements.isEmpty {
        text += "    agreements:\n"
        for agreement in agreements {
          var fields = ["id: \(agreement.id)", "title: A", "signatories: \(list(agreement.signatories))"]
          if !agreement.needs.isEmpty { fields.append("needs: \(list(agreement.needs))") }
          text += "      - {" + fields.joined(separator: ", ") + "}\n"
        }
      }
    }
    return text
  }
}
