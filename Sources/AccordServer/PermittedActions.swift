import Foundation
import PlaybookSpec
import ProgrammeEngine

/// The changes one person may make to a client now, found by trying each candidate event
/// on a copy of the programme: the engine is a pure value, so the buttons a page shows are
/// exactly the events its rules would accept, never a second copy of those rules.
struct PermittedActions: Sendable {
  /// Milestones the person may complete.
  var complete: Set<String> = []
  /// Done milestones the person may reopen (with a reason).
  var reopen: Set<String> = []
  /// For each agreement, the signatory roles the person may sign for now.
  var sign: [String: [String]] = [:]
  /// For each agreement, the roles whose signature the person may withdraw.
  var revoke: [String: [String]] = [:]
  /// The roles the person may give to someone.
  var assign: [String] = []
  /// The metrics the person may record a reading of.
  var record: [String] = []
  /// For each agreement, the signatory roles whose predecessor's signature the person, as
  /// the role's holder now, may affirm.
  var affirm: [String: [String]] = [:]

  init(_ programme: Programme, person: String, at time: Date) {
    let trial = Trial(programme: programme, person: person, time: time)
    let playbook = programme.playbook
    for milestone in playbook.stages.flatMap(\.milestones) {
      if programme.isDone(milestone.id) {
        if trial.allows(.reopened(milestone: milestone.id), note: "reason") { reopen.insert(milestone.id) }
      } else if trial.allows(.completed(milestone: milestone.id)) {
        complete.insert(milestone.id)
      }
    }
    for agreement in playbook.stages.flatMap(\.agreements) {
      let signed = Set(programme.signatures(of: agreement.id).map(\.role))
      let roles = agreement.signatories.map(\.id)
      let signable = roles.filter {
        trial.allows(.signed(agreement: agreement.id, role: $0, terms: agreement.termsHash))
      }
      if !signable.isEmpty { sign[agreement.id] = signable }
      let revocable = roles.filter {
        signed.contains($0) && trial.allows(.revoked(agreement: agreement.id, role: $0), note: "reason")
      }
      if !revocable.isEmpty { revoke[agreement.id] = revocable }
      // Only a role the person holds, signed by someone else: the engine says the rest.
      let affirmable = roles.filter {
        programme.assignments[$0] == person && signed.contains($0)
          && trial.allows(.affirmed(agreement: agreement.id, role: $0, terms: agreement.termsHash))
      }
      if !affirmable.isEmpty { affirm[agreement.id] = affirmable }
    }
    // Any reading the metric allows will do to ask whether the person may record one.
    let day = CalendarDate(time, in: TimeZone(identifier: "UTC")!).description
    record = playbook.metrics.filter { metric in
      let probe = metric.lowest ?? metric.highest ?? Quantity(parsing: "0")!
      return trial.allows(.metricRecorded(metric: metric.id, value: probe.text, date: day))
    }.map(\.id)
    // Someone who holds no role yet: a hand-over to them is what an assignment is.
    assign = playbook.roles.map(\.id).filter {
      trial.allows(.assigned(role: $0, person: "accord-trial-person"))
    }
  }

  /// Whether the person may take any action at all on the client.
  var isEmpty: Bool {
    complete.isEmpty && reopen.isEmpty && sign.isEmpty && revoke.isEmpty && assign.isEmpty && record.isEmpty
      && affirm.isEmpty
  }

  /// One candidate change, recorded in a copy of the programme the one way every front end
  /// records a change (`Programme.record`).
  private struct Trial {
    let programme: Programme
    let person: String
    let time: Date

    func allows(_ change: Change, note: String? = nil) -> Bool {
      var copy = programme
      return (try? copy.record(change, by: person, at: time, note: note)) != nil
    }
  }
}
