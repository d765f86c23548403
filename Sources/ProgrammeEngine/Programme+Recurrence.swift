import Foundation
import PlaybookSpec

// Recurring work: a milestone with `every` is done once per occurrence, in order, until it
// has been done `times` times or its `until` milestone is done. Each occurrence is completed
// (or skipped, with a reason) on its own; the milestone counts as done, for its stage and for
// whatever needs it, only when it stops recurring.

/// One occurrence of a recurring milestone that is behind the client: done, or skipped.
public struct Occurrence: Sendable, Hashable {
  /// The position in the history of the event that completed or skipped it.
  var position: Int
  public var skipped: Bool
}

/// A date set by `accord schedule`.
struct ScheduledDate: Sendable, Hashable {
  var date: CalendarDate
  /// For a recurring milestone, the occurrence it was set for (from 1); its later
  /// occurrences follow at the milestone's interval.
  var occurrence: Int?
  /// The `scheduled` event's position in the history.
  var position: Int
}

/// Where a recurring milestone stands.
public struct RecurrenceProgress: Sendable, Hashable {
  /// Occurrences completed.
  public var done: Int
  /// Occurrences skipped.
  public var skipped: Int
  /// How many occurrences there are in all, when the playbook fixes it (`times`).
  public var times: Int?
  /// The milestone that ends it, when one does (`until`).
  public var until: String?
  /// The occurrence due next (from 1), or nil when it recurs no more.
  public var current: Int?
}

extension Programme {
  /// Where the recurring milestone stands; nil for a milestone that does not recur.
  public func recurrence(of milestone: String) -> RecurrenceProgress? {
    guard let recurrence = index.milestones[milestone]?.element.recurrence else { return nil }
    let behind = occurrences[milestone] ?? []
    let skipped = behind.count { $0.skipped }
    return RecurrenceProgress(
      done: behind.count - skipped, skipped: skipped, times: recurrence.times, until: recurrence.until,
      current: done.contains(milestone) ? nil : behind.count + 1)
  }

  /// The events that completed or skipped the recurring milestone's occurrences, oldest first.
  public func occurrenceEvents(of milestone: String) -> [Event] {
    (occurrences[milestone] ?? []).map { history[$0.position] }
  }

  /// Whether the programme is *sustaining*: recurring work is under way (an occurrence is
  /// behind it, or the current one can be done), and everything left to do is recurring
  /// work, waits for it, or is the milestone that ends it. Not complete until it stops
  /// recurring.
  public var isSustaining: Bool {
    guard archived == nil, done.count < index.milestones.count else { return false }
    var recurring: [String] = []
    var underWay = false
    let states = stageStates()
    for stage in playbook.stages {
      for milestone in stage.milestones where milestone.recurrence != nil && !done.contains(milestone.id) {
        recurring.append(milestone.id)
        if occurrences[milestone.id]?.isEmpty == false || state(ofMilestone: milestone.id, stages: states) == .ready { underWay = true }
      }
    }
    guard underWay else { return false }
    // What waits for recurring work, and what ends it (its `until`), are part of it.
    var waiting = Set(recurring)
    for id in recurring {
      waiting.formUnion(dependents(of: id))
      if let until = index.milestones[id]?.element.recurrence?.until { waiting.insert(until) }
    }
    return index.milestones.keys.allSatisfy { done.contains($0) || waiting.contains($0) }
  }

  /// Marks the recurring milestone done when it has recurred enough (`times`) or its
  /// `until` milestone is done, and not done otherwise.
  mutating func settleRecurrence(of id: String) {
    guard let recurrence = index.milestones[id]?.element.recurrence else { return }
    let behind = occurrences[id] ?? []
    var ended: Int?
    if let times = recurrence.times, behind.count >= times { ended = behind.last?.position }
    if let until = recurrence.until, let completion = completions[until], done.contains(until) {
      ended = ended ?? completion
    }
    setDone(id, at: ended)
  }
}
