import ArgumentParser
import PlaybookSpec
import ProgrammeEngine

extension Accord {
  /// `accord show`: one stage, milestone or agreement, whole.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one stage, milestone or agreement of a client in full.",
      discussion: """
        A milestone with its description, owner, needs, gate, state, who completed it and \
        when, and every note on it; an agreement with its whole terms, signatories and \
        signatures; a stage with its description, gate, milestones and agreements.
        """)

    @OptionGroup var client: ClientArgument
    @Argument(
      help: ArgumentHelp("A stage, milestone or agreement id of the client's playbook.", valueName: "id"),
      completion: .custom(Completions.playbookIDs))
    var id: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
      let programme = try Desk(workspace, command: "show").programme(client.id)
      let playbook = programme.playbook
      let item: ShowJSON
      if let stage = playbook.stages.first(where: { $0.id == id }) {
        item = ShowJSON(stage: stage, in: programme)
      } else if let milestone = playbook.stages.lazy.flatMap(\.milestones).first(where: { $0.id == id }) {
        item = ShowJSON(milestone: milestone, in: programme)
      } else if let agreement = playbook.stages.lazy.flatMap(\.agreements).first(where: { $0.id == id }) {
        item = ShowJSON(agreement: agreement, in: programme)
      } else {
        let ids = playbook.stages.flatMap { [$0.id] + $0.milestones.map(\.id) + $0.agreements.map(\.id) }
        throw FileProblem(
          path: id, problem: "the playbook has no stage, milestone or agreement of that id",
          status: .usage, code: "unknown-id", suggestion: closestMatch(to: id, among: ids))
      }
      if output.json {
        try JSONOutput.print(item)
      } else {
        emit(TextOutput().show(item, in: programme))
      }
    }
  }
}

/// `show --json`: `{"kind": "stage"|"milestone"|"agreement", "id", "title", "stage", "state",
/// ...}` with the fields of its kind.
struct ShowJSON: Encodable {
  var kind: String
  var id: String
  var title: String
  var stage: String
  var state: String
  var description: String?
  // A milestone's.
  var owner: String?
  var person: String?
  var needs: [String]?
  var gate: GateJSON?
  var evidence: String?
  /// Whose act the completion was (the person it was recorded for, when it was).
  var completedBy: String?
  var completedAt: String?
  /// Who entered a completion recorded for `completedBy`; the holder a delegate completed for.
  var completionEnteredBy: String?
  var completionHolder: String?
  var events: [Event]?
  // An agreement's.
  var terms: String?
  /// The SHA-256 of the agreement's canonical content in force.
  var termsHash: String?
  var signatories: [String]?
  var signatures: [SignatureJSON]?
  // A stage's.
  var milestones: [String]?
  var agreements: [String]?

  struct GateJSON: Encodable {
    var agreements: [String]
    var milestones: [String]
    var open: Bool
  }

  init(stage: Stage, in programme: Programme) {
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

  init(milestone: Milestone, in programme: Programme) {
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

  init(agreement: Agreement, in programme: Programme) {
    kind = "agreement"
    id = agreement.id
    title = agreement.title
    stage = programme.playbook.stages.first { $0.agreements.contains { $0.id == agreement.id } }?.id ?? ""
    state = programme.state(ofAgreement: agreement.id)?.rawValue ?? ""
    terms = agreement.terms
    termsHash = agreement.termsHash
    needs = agreement.needs.map(\.id)
    signatories = agreement.signatories.map(\.id)
    signatures = programme.signatures(of: agreement.id).map(SignatureJSON.init)
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
