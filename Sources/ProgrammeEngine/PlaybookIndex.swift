import PlaybookSpec

/// Lookups by id into a validated playbook, built once per programme.
struct PlaybookIndex: Sendable {
  struct Entry<Element: Sendable>: Sendable {
    var stage: Int
    var element: Element
  }

  /// A stage's gate with its agreements as numbers (see `agreementNumbers`), so that
  /// replaying a history checks gates without hashing ids.
  struct StageGate: Sendable {
    /// The numbers of the agreements the gate names (ids that name none are left out,
    /// as `Programme.hold(on:)` passes over them).
    var agreements: [Int]
    var milestones: [String]
  }

  var milestones: [String: Entry<Milestone>] = [:]
  var agreements: [String: Entry<Agreement>] = [:]
  var roles: Set<String> = []
  /// Each agreement's number: its position in `agreementList`, in playbook order.
  var agreementNumbers: [String: Int] = [:]
  var agreementList: [Agreement] = []
  /// Per stage, its gate, or nil for a stage without one.
  var stageGates: [StageGate?] = []
  /// Stage ids, with their positions.
  var stages: [String: Int] = [:]
  /// Per milestone, the recurring milestones its completion ends (their `until`).
  var ends: [String: [String]] = [:]
  /// Whether the playbook gives any work a time (`Playbook.isTimed`).
  var isTimed = false

  init(_ playbook: Playbook) {
    roles = Set(playbook.roles.map(\.id))
    isTimed = playbook.isTimed
    for (position, stage) in playbook.stages.enumerated() {
      if stages[stage.id] == nil { stages[stage.id] = position }
      for milestone in stage.milestones {
        milestones[milestone.id] = Entry(stage: position, element: milestone)
        if let until = milestone.recurrence?.until { ends[until, default: []].append(milestone.id) }
      }
      for agreement in stage.agreements {
        agreements[agreement.id] = Entry(stage: position, element: agreement)
        // The first of a repeated id, as the dictionary above keeps the last: validation
        // rules repeats out, and a number only has to name one agreement consistently.
        if agreementNumbers[agreement.id] == nil {
          agreementNumbers[agreement.id] = agreementList.count
          agreementList.append(agreement)
        }
      }
    }
    for agreement in agreementList {
      agreementList[agreementNumbers[agreement.id]!] = agreements[agreement.id]!.element
    }
    stageGates = playbook.stages.map { stage in
      stage.gate.map { gate in
        StageGate(
          agreements: gate.agreements.compactMap { agreementNumbers[$0.id] },
          milestones: gate.milestones.map(\.id))
      }
    }
  }
}
