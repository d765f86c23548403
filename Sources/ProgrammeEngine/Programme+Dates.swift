import Foundation
import PlaybookSpec

// Due dates. The playbook gives work a time (`due` on milestones and agreements, `target` on
// stages, `every` on recurring milestones) counted from when it became ready; `accord
// schedule` sets a date outright. Nothing here reads a clock: "when it became ready" is the
// time of the event that made it so, and the caller says which day it is when it asks what
// is late.

/// The date an item is due, and where the date came from.
public struct DueDate: Sendable, Hashable {
  public enum Kind: String, Sendable {
    case milestone, agreement, stage
    /// A metric's next reading (keyed by the metric's id).
    case metric
    /// The review of a metric off track (keyed by `Action.reviewKey`).
    case review
  }

  public var kind: Kind
  /// The milestone, agreement or stage.
  public var item: String
  /// The stage the item is in (the stage itself, for a stage).
  public var stage: String
  /// The last day to do it in: it is overdue from the day after.
  public var date: CalendarDate
  /// For a recurring milestone, the occurrence this date is for (from 1).
  public var occurrence: Int?
  /// For a recurring milestone with a fixed number of occurrences: how many.
  public var occurrences: Int?
  /// Whether `accord schedule` set the date (else the playbook's `due` or `target` gave it).
  public var isScheduled: Bool

  /// Days from `today` to the date: 0 when it is due today, negative when overdue.
  public func daysLeft(from today: CalendarDate) -> Int { today.days(until: date) }
}

extension Programme {
  /// Whether the client has any dates to work out: its playbook gives work a time, or a
  /// date was set. Without, `dueDates(in:)` is empty and no time zone is needed.
  public var hasDates: Bool { index.isTimed || !scheduledDates.isEmpty || !metricReadings.isEmpty }

  /// Every date the client's open work has now, by item id: milestones not done that are
  /// ready (or given a date by `accord schedule`), agreements open for signing that still
  /// miss a signature, and stages not complete. Dates are in `zone`: an event's time
  /// becomes the day it fell on there.
  public func dueDates(in zone: TimeZone) -> [String: DueDate] {
    guard hasDates else { return [:] }
    let states = stageStates()
    var dates: [String: DueDate] = [:]
    var previousComplete = history[0].at
    func day(_ time: Date) -> CalendarDate { CalendarDate(time, in: zone) }

    for (position, stage) in playbook.stages.enumerated() {
      let state = states[position]
      var opened: Date?
      if state.isOpen {
        var time = previousComplete
        if let gate = stage.gate { time = later(time, heldSince(gate)) }
        opened = later(time, restartedAt[stage.id])
      }
      if state != .complete {
        if let scheduled = scheduledDates[stage.id] {
          dates[stage.id] = DueDate(
            kind: .stage, item: stage.id, stage: stage.id, date: scheduled.date, isScheduled: true)
        } else if let target = stage.target, let opened {
          dates[stage.id] = DueDate(
            kind: .stage, item: stage.id, stage: stage.id, date: day(opened).adding(target), isScheduled: false)
        }
      }

      for milestone in stage.milestones where !done.contains(milestone.id) {
        let scheduled = scheduledDates[milestone.id]
        var ready: Date?
        if state == .active, milestone.needs.allSatisfy({ done.contains($0.id) }),
          milestone.gate.map({ holds($0) }) ?? true, let opened
        {
          var time = later(opened, restartedAt[milestone.id])
          for need in milestone.needs { time = later(time, completedAt(need.id)) }
          if let gate = milestone.gate { time = later(time, heldSince(gate)) }
          ready = time
        }
        var due = DueDate(
          kind: .milestone, item: milestone.id, stage: stage.id, date: CalendarDate(day: 0), isScheduled: false)
        if let recurrence = milestone.recurrence {
          let current = (occurrences[milestone.id]?.count ?? 0) + 1
          due.occurrence = current
          due.occurrences = recurrence.times
          if let scheduled, let from = scheduled.occurrence {
            due.date = scheduled.date.adding(recurrence.every, times: max(0, current - from))
            due.isScheduled = true
          } else if let ready {
            let first = day(ready).adding(milestone.due ?? recurrence.every)
            due.date = first.adding(recurrence.every, times: current - 1)
          } else {
            continue
          }
        } else if let scheduled {
          due.date = scheduled.date
          due.isScheduled = true
        } else if let interval = milestone.due, let ready {
          due.date = day(ready).adding(interval)
        } else {
          continue
        }
        dates[milestone.id] = due
      }

      // An agreement the staff must acknowledge stays due until its teams reach their quorum.
      for agreement in stage.agreements where !unsignedRoles(of: agreement).isEmpty || !acknowledgedToQuorum(agreement) {
        var due = DueDate(
          kind: .agreement, item: agreement.id, stage: stage.id, date: CalendarDate(day: 0), isScheduled: false)
        if let scheduled = scheduledDates[agreement.id] {
          due.date = scheduled.date
          due.isScheduled = true
        } else if let interval = agreement.due, let opened, agreement.needs.allSatisfy({ done.contains($0.id) }) {
          var time = later(opened, restartedAt[agreement.id])
          for need in agreement.needs { time = later(time, completedAt(need.id)) }
          due.date = day(time).adding(interval)
        } else {
          continue
        }
        dates[agreement.id] = due
      }

      // A signature a new role holder has yet to affirm: due the agreement's `due` (else a
      // fortnight) after the role passed to them.
      if state.isOpen {
        for agreement in stage.agreements {
          for standing in standings(of: agreement.id)
          where !standing.signature.isStale && standing.isByPredecessor && standing.holder != nil {
            let role = standing.signature.role
            guard let handedOver = history.lastIndex(where: {
              if case let .assigned(assigned, _) = $0.change { assigned == role } else { false }
            }) else { continue }
            let date = day(history[handedOver].at).adding(agreement.due ?? Self.affirmationTime)
            dates[Action.affirmKey(agreement.id, role: role)] = DueDate(
              kind: .agreement, item: agreement.id, stage: stage.id, date: date, isScheduled: false)
          }
        }
      }

      guard state == .complete, let opened else { break }
      previousComplete = opened
      for milestone in stage.milestones { previousComplete = later(previousComplete, completedAt(milestone.id)) }
    }
    if archived == nil { addMetricDates(to: &dates, stages: states, in: zone) }
    return dates
  }

  /// A metric with `every` is due that long after its latest reading, or after its target
  /// was agreed if that is later; a review is due a week after the reading that made it needed.
  private func addMetricDates(to dates: inout [String: DueDate], stages: [StageState], in zone: TimeZone) {
    guard !playbook.metrics.isEmpty else { return }
    let stage = metricStage(stages: stages)
    for status in metricStatuses() {
      let id = status.metric.id
      if status.readingsAreDue, let every = status.metric.every {
        // From the latest reading, or from when the target was agreed (the start, for a
        // metric without one) if that is later: nothing is due before the teams agreed it.
        let agreed = CalendarDate(status.agreedAt ?? history[0].at, in: zone)
        let from = max(status.latest?.date ?? agreed, agreed)
        dates[id] = DueDate(kind: .metric, item: id, stage: stage, date: from.adding(every), isScheduled: false)
      }
      if status.needsReview, let latest = status.latest {
        dates[Action.reviewKey(id)] = DueDate(
          kind: .review, item: id, stage: stage, date: latest.date.adding(days: 7), isScheduled: false)
      }
    }
  }

  /// How long a new role holder has to affirm a predecessor's signature when the agreement
  /// gives no `due`: two weeks.
  static let affirmationTime = Interval(count: 2, unit: .weeks, location: SourceLocation(file: "", line: 0, column: 0))

  /// When the milestone was done, while it is.
  private func completedAt(_ id: String) -> Date? {
    completions[id].map { history[$0].at }
  }

  /// When `gate` (which holds) last came to hold: its latest signature or completion.
  private func heldSince(_ gate: Gate) -> Date? {
    var time: Date?
    for reference in gate.agreements {
      for signature in signatures(of: reference.id) where !signature.isStale { time = latest(time, signature.at) }
      // The acknowledgement that brought the last team to its quorum, or a later one.
      let inForce = termsHash(ofAgreement: reference.id)
      for (person, given) in acknowledgements[reference.id] ?? [:] where given.terms == inForce && roster[person] != nil {
        time = latest(time, given.at)
      }
    }
    for milestone in gate.milestones { time = latest(time, completedAt(milestone.id)) }
    for reference in gate.affirmed {
      for standing in standings(of: reference.id) { time = latest(time, standing.affirmation?.at) }
    }
    return time
  }
}

private func later(_ a: Date, _ b: Date?) -> Date {
  guard let b else { return a }
  return max(a, b)
}

private func latest(_ a: Date?, _ b: Date?) -> Date? {
  guard let a else { return b }
  return later(a, b)
}

extension Programme {
  /// The stages, milestones and agreements that cannot be ready until `item` is finished
  /// (a milestone done, an agreement signed, a stage complete), however indirectly: work
  /// that needs it or waits at a gate for it, and everything in the stages after it. In
  /// playbook order; `accord schedule --cascade` moves their dates with its own.
  public func dependents(of item: String) -> [String] {
    var waiting: Set<String> = [item]
    // Stages from this position on are locked until `waiting` is finished.
    var lockedFrom = playbook.stages.count
    if let position = index.stages[item] { lockedFrom = position + 1 }
    var changed = true
    while changed {
      changed = false
      func add(_ id: String) {
        if waiting.insert(id).inserted { changed = true }
      }
      for (position, stage) in playbook.stages.enumerated() {
        if position >= lockedFrom { add(stage.id) }
        let gated = stage.gate.map { gate in
          gate.agreements.contains { waiting.contains($0.id) } || gate.milestones.contains { waiting.contains($0.id) }
        } ?? false
        if gated, position < lockedFrom {
          lockedFrom = position
          changed = true
        }
        for milestone in stage.milestones {
          let waits =
            position >= lockedFrom || milestone.needs.contains { waiting.contains($0.id) }
            || (milestone.gate.map { gate in
              gate.agreements.contains { waiting.contains($0.id) } || gate.milestones.contains { waiting.contains($0.id) }
            } ?? false)
          if waits { add(milestone.id) }
          // A stage completes only when its milestones are done: the next ones wait.
          if waiting.contains(milestone.id), position + 1 < lockedFrom {
            lockedFrom = position + 1
            changed = true
          }
        }
        for agreement in stage.agreements
        where position >= lockedFrom || agreement.needs.contains(where: { waiting.contains($0.id) }) {
          add(agreement.id)
        }
      }
    }
    waiting.remove(item)
    var ordered: [String] = []
    for stage in playbook.stages {
      if waiting.contains(stage.id) { ordered.append(stage.id) }
      ordered += stage.milestones.map(\.id).filter { waiting.contains($0) }
      ordered += stage.agreements.map(\.id).filter { waiting.contains($0) }
    }
    return ordered
  }
}
