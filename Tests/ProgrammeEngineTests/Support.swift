import Foundation
import PlaybookSpec
@testable import ProgrammeEngine

/// A small playbook built in code, so engine tests need no YAML:
///
///     benchmark:       map (consultant) -> survey (consultant, needs map)
///     coaching:        wiifm (czar); draft (consultant, needs wiifm);
///                      charter (signed by sales, marketing; needs draft);
///                      rollout-plan (consultant, own gate: charter signed)
///     implementation:  gate: charter signed; pilot (czar)
enum Sample {
  static let here = SourceLocation(file: "sample.yaml", line: 1, column: 1)

  static func ref(_ id: String) -> Reference { Reference(id, at: here) }

  static let playbook = Playbook(
    id: "sample", version: 1, title: "Sample",
    roles: ["consultant", "czar", "sales", "marketing"].map { Role(id: $0, title: $0, location: here) },
    stages: [
      Stage(
        id: "benchmark", title: "Benchmark",
        milestones: [
          Milestone(id: "map", title: "Map", owner: ref("consultant"), location: here),
          Milestone(id: "survey", title: "Survey", owner: ref("consultant"), needs: [ref("map")], location: here),
        ],
        location: here),
      Stage(
        id: "coaching", title: "Coaching",
        milestones: [
          Milestone(id: "wiifm", title: "What's in it for me", owner: ref("czar"), location: here),
          Milestone(id: "draft", title: "Draft", owner: ref("consultant"), needs: [ref("wiifm")], location: here),
          Milestone(
            id: "rollout-plan", title: "Roll-out plan", owner: ref("consultant"),
            gate: Gate(agreements: [ref("charter")], location: here), location: here),
        ],
        agreements: [
          Agreement(
            id: "charter", title: "Charter", signatories: [ref("sales"), ref("marketing")],
            needs: [ref("draft")], location: here)
        ],
        location: here),
      Stage(
        id: "implementation", title: "Implementation",
        milestones: [Milestone(id: "pilot", title: "Pilot", owner: ref("czar"), location: here)],
        gate: Gate(agreements: [ref("charter")], location: here),
        location: here),
    ],
    location: here)

  static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

  /// A person's event, one minute after the previous one.
  static func event(_ change: Change, by person: String, note: String? = nil, minute: Int = 0) -> Event {
    Event(change, by: person, at: t0.addingTimeInterval(Double(minute) * 60), note: note)
  }

  /// A programme started by alice (consultant) with carol as czar, sam in sales, mia in marketing.
  static func started(assigning roles: [String: String] = ["czar": "carol", "sales": "sam", "marketing": "mia"])
    throws -> Programme
  {
    var programme = try Programme(
      playbook: playbook, start: event(.started(client: "acme", name: "Acme Ltd"), by: "alice"))
    for (role, person) in roles.sorted(by: { $0.key < $1.key }) {
      try programme.apply(event(.assigned(role: role, person: person), by: "alice"))
    }
    return programme
  }

  /// Applies each (change, person) in turn.
  static func run(_ programme: inout Programme, _ steps: [(Change, String)]) throws {
    for (change, person) in steps { try programme.apply(event(change, by: person)) }
  }

  /// The steps that take a started programme to the end of coaching, charter unsigned.
  static let throughCoaching: [(Change, String)] = [
    (.completed(milestone: "map"), "alice"),
    (.completed(milestone: "survey"), "alice"),
    (.completed(milestone: "wiifm"), "carol"),
    (.completed(milestone: "draft"), "alice"),
  ]
}
