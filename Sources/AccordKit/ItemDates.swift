import Foundation
import ProgrammeEngine
import WorkspaceStore

/// A client's due dates as the commands show them: by item, judged on one day.
package struct ItemDates {
  var byItem: [String: DueDate] = [:]
  /// The day dates are judged on: `--as-of`, else today in the workspace's zone.
  package var today: CalendarDate

  /// No dates at all (a playbook without times): no time zone is read.
  package static let none = ItemDates(today: CalendarDate(day: 0))

  /// The programme's dates in the workspace's zone; the settings file is read only when the
  /// client has dates.
  package static func of(
    _ programme: Programme, in workspace: Workspace, asOf: CalendarDate? = nil, now: Date = Date()
  ) throws -> ItemDates {
    guard programme.hasDates else { return .none }
    return of(programme, clock: try WorkspaceClock(workspace, asOf: asOf, now: now))
  }

  package static func of(_ programme: Programme, clock: WorkspaceClock) -> ItemDates {
    ItemDates(byItem: programme.dueDates(in: clock.zone), today: clock.today)
  }

  package subscript(_ item: String) -> DueDate? { byItem[item] }

  package var isEmpty: Bool { byItem.isEmpty }

  /// How many items are overdue.
  package var overdue: Int { byItem.values.count { $0.daysLeft(from: today) < 0 } }

  /// The earliest date of any item.
  var earliest: CalendarDate? { byItem.values.map(\.date).min() }

  /// "due 2026-12-04 (in 4 days)", "due today", "overdue by 2 days (due 2026-11-28)", with
  /// the occurrence first for recurring work: "3 of 6, due ...".
  package func phrase(_ item: String) -> String? {
    guard let due = byItem[item] else { return nil }
    return Self.phrase(due, today: today)
  }

  package static func phrase(_ due: DueDate, today: CalendarDate) -> String {
    let left = due.daysLeft(from: today)
    let when: String
    switch left {
    case ..<(-1): when = "overdue by \(-left) days (due \(due.date))"
    case -1: when = "overdue by 1 day (due \(due.date))"
    case 0: when = "due today (\(due.date))"
    case 1: when = "due tomorrow (\(due.date))"
    default: when = "due \(due.date) (in \(left) days)"
    }
    guard let occurrence = due.occurrence else { return when }
    return "occurrence \(occurrence)" + (due.occurrences.map { " of \($0)" } ?? "") + ", " + when
  }
}

/// The date keys of an item in `next --json`, `status --json` and the agenda: absent for an
/// item without a date, so output for playbooks without times is as it always was.
package struct DueJSON: Encodable {
  package var due: String
  package var daysLeft: Int
  package var overdue: Bool
  /// Whether `accord schedule` set the date.
  package var scheduled: Bool
  package var occurrence: Int?
  var occurrences: Int?

  package init(_ due: DueDate, today: CalendarDate) {
    self.due = due.date.description
    daysLeft = due.daysLeft(from: today)
    overdue = daysLeft < 0
    scheduled = due.isScheduled
    occurrence = due.occurrence
    occurrences = due.occurrences
  }

  package init?(_ item: String, in dates: ItemDates) {
    guard let due = dates[item] else { return nil }
    self.init(due, today: dates.today)
  }
}
