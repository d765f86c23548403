import PlaybookSpec

/// Lookups by id into a validated playbook, built once per programme.
struct PlaybookIndex: Sendable {
  struct Entry<Element: Sendable>: Sendable {
    var stage: Int
    var element: Element
  }

  var milestones: [String: Entry<Milestone>] = [:]
  var agreements: [String: Entry<Agreement>] = [:]
  var roles: Set<String> = []

  init(_ playbook: Playbook) {
    roles = Set(playbook.roles.map(\.id))
    for (position, stage) in playbook.stages.enumerated() {
      for milestone in stage.milestones {
        milestones[milestone.id] = Entry(stage: position, element: milestone)
      }
      for agreement in stage.agreements {
        agreements[agreement.id] = Entry(stage: position, element: agreement)
      }
    }
  }
}
