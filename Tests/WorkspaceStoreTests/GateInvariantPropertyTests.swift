import SeededRandom
import Foundation
import PlaybookSpec
import ProgrammeEngine
import Testing

@testable import WorkspaceStore

/// Generated playbooks and random commands by random people. After every command: an
/// accepted completion had every gate over its milestone open, and the engine agrees with a
/// reference model written from the docs; a refused command changed nothing; replaying the
/// history gives the same programme; and, at the end, saving and loading gives it back.
@Suite struct GateInvariantPropertyTests {
  static let people = ["alice", "bob", "carol", "dave", "erin"]

  /// Everything observable about a programme, to compare two of them.
  struct View: Equatable {
    var stages: [StageState]
    var milestones: [String: MilestoneState]
    var agreements: [String: AgreementState]
    var signatures: [String: [Signature]]
    var assignments: [String: String]
    var next: NextActions

    init(_ programme: Programme) {
      stages = programme.stageStates()
      let ids = programme.playbook.stages.flatMap(\.milestones).map(\.id)
      milestones = Dictionary(uniqueKeysWithValues: ids.map { ($0, programme.state(ofMilestone: $0)!) })
      let agreementIDs = programme.playbook.stages.flatMap(\.agreements).map(\.id)
      agreements = Dictionary(uniqueKeysWithValues: agreementIDs.map { ($0, programme.state(ofAgreement: $0)!) })
      signatures = Dictionary(uniqueKeysWithValues: agreementIDs.map { ($0, programme.signatures(of: $0)) })
      assignments = programme.assignments
      next = programme.nextActions()
    }
  }

  /// A command: the engine's change, the model's, who makes it and the note.
  typealias Command = (change: Change, model: ReferenceModel.EventChange, person: String, note: String?)

  static func command(
    _ playbook: GeneratedPlaybook, _ parsed: Playbook, _ model: ReferenceModel, at clock: Date,
    using random: inout SeededRandom
  ) -> Command {
    func anyone() -> String { people.randomElement(using: &random)! }
    /// Usually someone holding one of `roles` or delegated it (perhaps no longer), so that
    /// commands get through often enough.
    func likely(_ roles: [String]) -> String {
      let holders = roles.compactMap { model.assignments[$0] } + roles.compactMap { model.delegations[$0]?.delegate }
      return Int.random(in: 0..<3, using: &random) > 0 ? holders.randomElement(using: &random) ?? anyone() : anyone()
    }
    func reason() -> String? { ["a reason", "a reason", "a reason", "  ", nil].randomElement(using: &random)! }
    let milestone =
      Int.random(in: 0..<20, using: &random) == 0 ? "nope" : playbook.milestones.randomElement(using: &random)!.id
    let owner = playbook.milestone(milestone)?.owner ?? "czar"
    switch Int.random(in: 0..<100, using: &random) {
    case 0..<35:
      return (.completed(milestone: milestone), .completed(milestone), likely([owner, "czar"]), nil)
    case 35..<60 where !playbook.agreements.isEmpty:
      let agreement = playbook.agreements.randomElement(using: &random)!
      let role = Int.random(in: 0..<5, using: &random) > 0
        ? agreement.signatories.randomElement(using: &random)! : playbook.roles.randomElement(using: &random)!
      // Mostly on the terms in force; sometimes without a hash (a signature from before
      // hashes, which counts) or on other terms (refused: nobody signs terms they were not
      // shown; `counts` false).
      let inForce = parsed.stages.flatMap(\.agreements).first { $0.id == agreement.id }!.termsHash
      let (terms, counts): (String?, Bool) =
        switch Int.random(in: 0..<10, using: &random) {
        case 0: (nil, true)
        case 1, 2: (String(repeating: "0", count: 64), false)
        default: (inForce, true)
        }
      return (
        .signed(agreement: agreement.id, role: role, terms: terms), .signed(agreement.id, role: role, counts: counts),
        likely([role]), nil
      )
    case 60..<70 where !playbook.agreements.isEmpty:
      let agreement = playbook.agreements.randomElement(using: &random)!
      let role = agreement.signatories.randomElement(using: &random)!
      let signer = model.signatures[agreement.id]?[role]?.person
      let person = Bool.random(using: &random) ? signer ?? anyone() : likely([role])
      return (.revoked(agreement: agreement.id, role: role), .revoked(agreement.id, role: role), person, reason())
    case 80..<83:
      return (.archived, .archived, likely(["consultant"]), reason())
    case 83..<87:
      return (.restored, .restored, likely(["consultant"]), nil)
    case 87..<92:
      // A delegation, usually by the holder or the consultant, until a day from yesterday
      // to three days ahead (the clock moves up to an hour a command), now and then to the
      // holder themself or for a role nobody holds.
      let role = playbook.roles.randomElement(using: &random)!
      let day = CalendarDay.day(of: clock + Double(Int.random(in: -1...3, using: &random)) * 86_400)
      let delegate = Int.random(in: 0..<8, using: &random) == 0 ? model.assignments[role] ?? anyone() : anyone()
      return (
        .delegated(role: role, person: delegate, until: day), .delegated(role: role, to: delegate, until: day),
        likely([role, "consultant"]), reason()
      )
    case 92..<94:
      let role = playbook.roles.randomElement(using: &random)!
      return (.delegationEnded(role: role), .delegationEnded(role), likely([role, "consultant"]), nil)
    case 70..<80:
      // Sorted: a set's order changes from run to run, and the seed must replay exactly.
      let done = model.done.sorted().randomElement(using: &random)
      let target = Int.random(in: 0..<10, using: &random) < 7 ? done ?? milestone : milestone
      return (.reopened(milestone: target), .reopened(target), likely(["czar", "consultant"]), reason())
    default:
      let role = Int.random(in: 0..<20, using: &random) == 0 ? "ghost" : playbook.roles.randomElement(using: &random)!
      let assignee = Int.random(in: 0..<20, using: &random) == 0 ? " " : anyone()
      let person = likely(["consultant", "czar"])
      return (.assigned(role: role, person: assignee), .assigned(role: role, to: assignee), person, nil)
    }
  }

  @Test func randomCommandsNeverOpenAGateEarlyAndSurviveReplayAndSaving() throws {
    let seed = SeededRandom.seed(for: "gate invariant")
    var random = SeededRandom(seed: seed)
    let sequences = Soak.count(1_000, soak: 20_000)
    var counts = (
      commands: 0, accepted: 0, completions: 0, gated: 0, heldByGate: 0, signatures: 0, stale: 0, archived: 0,
      delegated: 0
    )
    try withWorkspace { workspace in
      for sequence in 0..<sequences {
        let generated = GeneratedPlaybook(using: &random)
        let playbook: Playbook
        do {
          playbook = try Playbook.parse(generated.yaml, file: "generated.yaml")
        } catch {
          Issue.record(
            "seed \(seed), sequence \(sequence): the generator made an invalid playbook: \(error)\n\(generated.yaml)")
          return
        }
        let client = "c\(sequence)"
        // Times with fractions of a second, as Date() gives them.
        var clock = Date(timeIntervalSince1970: 1_790_000_000.25 + Double(sequence) * 1_000_000)
        var programme = try Programme(
          playbook: playbook, start: Event(.started(client: client, name: "Client \(sequence)"), by: "alice", at: clock))
        var model = ReferenceModel(playbook: generated, consultant: "alice")
        for step in 0..<Int.random(in: 20...60, using: &random) {
          counts.commands += 1
          clock += Double.random(in: 0.5...3_600, using: &random)
          let command = Self.command(generated, playbook, model, at: clock, using: &random)
          let context = "seed \(seed), sequence \(sequence), step \(step): \(command.change) by \(command.person)"
          let before = programme
          let view = View(programme)
          let allowed: Bool? =
            switch command.model {
            case let .completed(id): model.mayComplete(id, by: command.person, at: clock)
            case let .signed(id, role, counts): counts && model.maySign(id, as: role, by: command.person, at: clock)
            case .delegated, .delegationEnded: model.mayDelegate(command.model, by: command.person, note: command.note, at: clock)
            default: model.mayUndo(command.model, by: command.person, note: command.note, at: clock)
            }
          if case let .signed(_, _, terms) = command.change, terms?.hasPrefix("000") == true { counts.stale += 1 }
          do {
            // A delegate's act records the holder it acts for: the engine says who, as the CLI asks it.
            var event = Event(command.change, by: command.person, at: clock, note: command.note)
            event.holder = try? programme.holder(for: event)
            try programme.apply(event)
            counts.accepted += 1
            if event.holder != nil { counts.delegated += 1 }
            if case let .completed(id) = command.change {
              counts.completions += 1
              // The invariant, judged twice: by the model and by the engine's own gates.
              #expect(model.isReady(id), "\(context): completed while a gate over it was closed")
              let stage = playbook.stages.first { $0.milestones.contains { $0.id == id } }!
              let gates = [stage.gate, stage.milestones.first { $0.id == id }!.gate].compactMap { $0 }
              #expect(gates.allSatisfy { before.hold(on: $0).isEmpty }, "\(context)")
              #expect(view.milestones[id] == .ready, "\(context)")
              if !gates.isEmpty { counts.gated += 1 }
            }
            if case .signed = command.change { counts.signatures += 1 }
            if case .archived = command.change { counts.archived += 1 }
            #expect(allowed != false, "\(context): the engine accepted what the rules refuse")
            model.record(command.model, by: command.person)
          } catch {
            if case let .completed(id) = command.model, let milestone = generated.milestone(id),
              !model.holds(milestone.gate) || !model.holds(generated.stageGates[milestone.stage])
            {
              counts.heldByGate += 1
            }
            let unchanged = programme == before && View(programme) == view
            #expect(unchanged, "\(context): a refusal changed the programme")
            #expect(allowed != true, "\(context): the engine refused what the rules allow: \(error)")
          }
          let now = View(programme)
          #expect(Set(now.milestones.filter { $0.value == .done }.keys) == model.done, "\(context)")
          let replayed = try Programme(playbook: playbook, history: programme.history)
          let sameReplay = replayed == programme && View(replayed) == now
          #expect(sameReplay, "\(context): replaying gives another programme")
        }
        // Save, then load through the store: the same record and the same programme.
        let record = try ClientRecord(starting: programme, source: generated.yaml, origin: "generated.yaml")
        try workspace.create(record)
        let (loadedRecord, loaded) = try workspace.programme(try ClientID(client))
        var saved = record
        saved.revision = 1
        // The store links every event it writes into the history's hash chain.
        saved.chain(from: 0)
        // Compared first, so that a failure prints the context rather than two whole records.
        // The programmes by history and everything derived: `==` would also compare the file
        // name in the playbook's source locations, which the store gives as playbook.source.
        let sameRecord = loadedRecord == saved
        let sameProgramme =
          loaded.history == saved.events
          && loaded.history.map(\.unlinked) == programme.history.map(\.unlinked)
          && View(loaded) == View(programme)
        #expect(sameRecord, "seed \(seed), sequence \(sequence): the record changed on its way to disk")
        #expect(sameProgramme, "seed \(seed), sequence \(sequence): the programme changed on its way to disk")
      }
    }
    // The run must reach the interesting cases, or it proves little.
    #expect(
      counts.gated > 0 && counts.heldByGate > 0 && counts.signatures > 0 && counts.stale > 0 && counts.archived > 0
        && counts.delegated > 0,
      "seed \(seed)")
    print(
      "gate invariant: \(sequences) generated playbooks, \(counts.commands) commands, \(counts.accepted) accepted "
        + "(\(counts.completions) completions, \(counts.gated) of them behind a gate that had opened; "
        + "\(counts.signatures) signatures (\(counts.stale) tried on other terms), \(counts.delegated) acts by a delegate, \(counts.archived) archivings); \(counts.heldByGate) completions refused at a "
        + "closed gate; seed \(seed)")
  }
}
