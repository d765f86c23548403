import PlaybookSpec
import ProgrammeEngine

/// `show --json`: `{"kind": "stage"|"milestone"|"agreement", "id", "title", "stage", "state",
/// ...}` with the fields of its kind.
package struct ShowJSON: Encodable {
  package var kind: String
  package var id: String
  package var title: String
  package var stage: String
  package var state: String
  package var description: String?
  // A milestone's.
  package var owner: String?
  package var person: String?
  var needs: [String]?
  package var gate: GateJSON?
  package var evidence: String?
  /// Whose act the completion was (the person it was recorded for, when it was).
  var completedBy: String?
  var completedAt: String?
  /// Who entered a completion recorded for `completedBy`; the holder a delegate completed for.
  var completionEnteredBy: String?
  var completionHolder: String?
  package var events: [Event]?
  // An agreement's.
  package var terms: String?
  /// The SHA-256 of the agreement's canonical content in force.
  package var termsHash: String?
  /// The metric targets the agreement commits to (part of its terms), by metric id, as
  /// canonical decimal text; absent for an agreement without.
  package var targets: [String: String]?
  package var signatories: [String]?
  package var signatures: [SignatureJSON]?
  // A stage's.
  package var milestones: [String]?
  package var agreements: [String]?

  package struct GateJSON: Encodable {
    package var agreements: [String]
    package var milestones: [String]
    package var open: Bool
  }

  package init(stage: Stage, in programme: Programme) {
    let states = programme.stageStates()
    let position = programme.playbook.stages.firstIndex { $0.id == stage.id } ?? 0
    kind = "stage"
    id = stage.id
    title = stage.title
    self.stage = stage.id
    state = states[position].rawValue
    description = stage.description
    gate = stage.gate.map { Self.gate($0, programme) }
    milestones = stage.milestones.map(\.id)
    agreements = stage.agreements.map(\.id)
  }

  package init(milestone: Milestone, in programme: Programme) {
    kind = "milestone"
    id = milestone.id
    title = milestone.title
    stage = programme.playbook.stages.first { $0.milestones.contains { $0.id == milestone.id } }?.id ?? ""
    state = programme.state(ofMilestone: milestone.id)?.rawValue ?? ""
    description = milestone.description
    owner = milestone.owner.id
    person = programme.assignments[milestone.owner.id]
    needs = milestone.needs.map(\.id)
    gate = milestone.gate.map { Self.gate($0, programme) }
    evidence = milestone.evidence?.rawValue
    let completion = programme.completion(of: milestone.id)
    completedBy = completion?.actor
    completedAt = completion.map { Timestamp.format($0.at) }
    completionEnteredBy = completion?.onBehalfOf == nil ? nil : completion?.by
    completionHolder = completion?.holder
    events = Self.history(of: milestone.id, in: programme)
  }

  package init(agreement: Agreement, in programme: Programme) {
    kind = "agreement"
    id = agreement.id
    title = agreement.title
    stage = programme.playbook.stages.first { $0.agreements.contains { $0.id == agreement.id } }?.id ?? ""
    state = programme.state(ofAgreement: agreement.id)?.rawValue ?? ""
    terms = agreement.terms
    termsHash = agreement.termsHash
    if !agreement.targets.isEmpty {
      targets = Dictionary(agreement.targets.map { ($0.metric.id, $0.value.text) }, uniquingKeysWith: { first, _ in first })
    }
    needs = agreement.needs.map(\.id)
    signatories = agreement.signatories.map(\.id)
    signatures = programme.standings(of: agreement.id).map(SignatureJSON.init)
    events = Self.history(of: agreement.id, in: programme)
  }

  /// The events that completed or reopened a milestone, or signed or revoked an agreement
  /// (milestones and agreements share one namespace of ids).
  private static func history(of id: String, in programme: Programme) -> [Event] {
    programme.history.filter {
      switch $0.change {
      case let .completed(subject), let .reopened(subject), let .signed(subject, _, _), let .revoked(subject, _):
        subject == id
      default: false
      }
    }
  }

  private static func gate(_ gate: Gate, _ programme: Programme) -> GateJSON {
    GateJSON(
      agreements: gate.agreements.map(\.id), milestones: gate.milestones.map(\.id),
      open: programme.hold(on: gate).isEmpty)
  }
}
