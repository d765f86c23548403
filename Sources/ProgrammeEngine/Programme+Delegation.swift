import Foundation
import PlaybookSpec

extension Programme {
  /// The delegations that hold at `time`, in the playbook's order of roles.
  public func delegations(activeAt time: Date) -> [Delegation] {
    playbook.roles.compactMap { role in delegations[role.id].flatMap { $0.holds(at: time) ? $0 : nil } }
  }

  /// The person who may act for `role` at `time` as its delegate, if anyone.
  public func delegate(of role: String, at time: Date) -> String? {
    delegations[role].flatMap { $0.holds(at: time) ? $0.delegate : nil }
  }

  /// Whether `person` holds `role`, or acts for it as its delegate at `time`.
  func mayAct(_ person: String, for role: String, at time: Date?) -> Bool {
    assignments[role] == person || (time.map { delegate(of: role, at: $0) == person } ?? false)
  }

  /// A role may be delegated by its holder or the consultant (not by a delegate: nobody
  /// hands on what was lent to them), to someone other than its holder, until a day that
  /// has not passed, with a reason.
  func checkDelegation(role: String, to delegate: String, until: String, by person: String, event: Event)
    throws(Refusal)
  {
    guard index.roles.contains(role) else { throw unknownRole(role) }
    guard Self.isUsableName(delegate) else { throw .invalidPerson(delegate) }
    guard let ends = CalendarDay.end(of: until) else { throw .invalidDay(until) }
    try require(person, holdsOneOf: [role, consultantRole], to: .delegate(role: role), at: nil)
    guard let holder = assignments[role] else { throw .roleUnassigned(role) }
    guard delegate != holder else { throw .delegateIsHolder(role: role, person: delegate) }
    guard ends > event.at else {
      throw .untilInPast(role: role, until: until, today: CalendarDay.day(of: event.at))
    }
    guard Self.hasText(event.note) else { throw .reasonRequired(action: "delegating a role") }
  }

  /// An event recorded for someone else: by the consultant or the czar in their own right
  /// (not as anyone's delegate), for a usable name, with evidence. Evidence comes only with
  /// it: it is what backs the claim that someone else did this.
  func checkOnBehalf(_ event: Event) throws(Refusal) {
    guard let other = event.onBehalfOf else {
      if event.evidence != nil {
        throw .invalidEvidence("evidence is recorded only for something done by someone else (on behalf of)")
      }
      return
    }
    guard Self.isUsableName(other) else { throw .invalidPerson(other) }
    try require(event.by, holdsOneOf: [consultantRole, czarRole], to: .recordOnBehalf, at: nil)
    guard let evidence = event.evidence else { throw .evidenceRequired }
    if let problem = evidence.problem { throw .invalidEvidence(problem) }
  }
}
