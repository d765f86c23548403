import SeededRandom
import Foundation
import PlaybookSpec
import ProgrammeEngine
import WorkspaceStore

/// A client on a large generated playbook with every milestone completed and every
/// agreement signed: a read whose cost is mostly the playbook, not the history. With
/// `events`, the history stops there, the programme part way through its first stage;
/// with `prose`, the playbook's descriptions and terms are that many bytes each.
enum CompletedGenerator {
  static func write(
    _ id: String, milestones: Int, prose: Int? = nil, events: Int? = nil, to folder: String,
    random: inout SeededRandom
  ) throws {
    let source = PlaybookGenerator.yaml(milestones: milestones, perStage: 100, prose: prose, random: &random)
    let playbook = try Playbook.parse(source, file: "generated-large.yaml")
    var clock = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    func event(_ change: Change, by person: String) -> Event {
      clock.addTimeInterval(Double(Int.random(in: 60...600, using: &random)))
      return Event(change, by: person, at: clock)
    }
    func person(_ role: String) -> String { role == consultantRole ? "alice" : "\(role)-person" }
    var programme = try Programme(
      playbook: playbook, start: event(.started(client: id, name: "Client \(id)", playbook: SHA256.hex(source.utf8)), by: "alice"))
    for role in playbook.roles.map(\.id) where role != consultantRole {
      try programme.apply(event(.assigned(role: role, person: person(role)), by: "alice"))
    }
    // The generator's needs point backwards within a stage and each stage's gate is the
    // previous stage's agreement, so file order is an order the rules accept.
    let limit = events ?? Int.max
    work: for stage in playbook.stages {
      for milestone in stage.milestones {
        guard programme.history.count < limit else { break work }
        try programme.apply(event(.completed(milestone: milestone.id), by: person(milestone.owner.id)))
      }
      for agreement in stage.agreements {
        for role in agreement.signatories.map(\.id) {
          guard programme.history.count < limit else { break work }
          try programme.apply(event(.signed(agreement: agreement.id, role: role), by: person(role)))
        }
      }
    }
    let record = try ClientRecord(starting: programme, source: source, origin: "generated-large.yaml")
    let workspace = Workspace(directory: URL(fileURLWithPath: folder, isDirectory: true))
    try workspace.create(record)
  }
}
