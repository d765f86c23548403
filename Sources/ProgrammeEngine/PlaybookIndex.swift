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
    /// The numbers of the agreements the gate asks to be affirmed.
    var affirmed: [Int] = []
  }

  /// Entries by id. A dictionary of whole entries would scatter them over a table twice
  /// their number, every one of its pages touched when it is filled; here they sit side by
  /// side in playbook order, and the table holds positions.
  struct Lookup<Element: Sendable>: Sendable {
    private var positions: [String: Int] = [:]
    private var entries: [Entry<Element>] = []
    /// Each id once, in the order the playbook first gives it.
    private(set) var keys: [String] = []

    init(capacity: Int) {
      positions.reserveCapacity(capacity)
      entries.reserveCapacity(capacity)
      keys.reserveCapacity(capacity)
    }

    /// The number of distinct ids.
    var count: Int { keys.count }

    /// The entry for `id`; of an id given twice (which validation rules out), the last.
    subscript(id: String) -> Entry<Element>? {
      positions[id].map { entries[$0] }
    }

    mutating func add(_ id: String, _ entry: Entry<Element>) {
      if positions.updateValue(entries.count, forKey: id) == nil { keys.append(id) }
      entries.append(entry)
    }
  }

  var milestones: Lookup<Milestone>
  var agreements: Lookup<Agreement>
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
  /// The metrics by id, and for each metric with a target, the agreement that commits to it.
  var metrics: [String: Metric] = [:]
  var targets: [String: (agreement: String, value: Quantity)] = [:]

  init(_ playbook: Playbook) {
    roles = Set(playbook.roles.map(\.id))
    isTimed = playbook.isTimed
    for metric in playbook.metrics where metrics[metric.id] == nil { metrics[metric.id] = metric }
    let agreementCount = playbook.stages.reduce(0) { $0 + $1.agreements.count }
    milestones = Lookup(capacity: playbook.stages.reduce(0) { $0 + $1.milestones.count })
    agreements = Lookup(capacity: agreementCount)
    agreementNumbers.reserveCapacity(agreementCount)
    agreementList.reserveCapacity(agreementCount)
    stages.reserveCapacity(playbook.stages.count)
    for (position, stage) in playbook.stages.enumerated() {
      if stages[stage.id] == nil { stages[stage.id] = position }
      for milestone in stage.milestones {
        milestones.add(milestone.id, Entry(stage: position, element: milestone))
        if let until = milestone.recurrence?.until { ends[until, default: []].append(milestone.id) }
      }
      for agreement in stage.agreements {
        agreements.add(agreement.id, Entry(stage: position, element: agreement))
        // The first of a repeated id, as the lookup above keeps the last: validation
        // rules repeats out, and a number only has to name one agreement consistently.
        for target in agreement.targets where targets[target.metric.id] == nil {
          targets[target.metric.id] = (agreement.id, target.value)
        }
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
          milestones: gate.milestones.map(\.id),
          affirmed: gate.affirmed.compactMap { agreementNumbers[$0.id] })
      }
    }
  }
}
